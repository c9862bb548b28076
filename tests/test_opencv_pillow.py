"""The claims of docs/coming_from_opencv_and_pillow.md, against OpenCV and Pillow
themselves (each test skipped where its library is not installed)."""

import numpy as np
import pytest

import cypool

IMAGES = [
    np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    for seed, shape in ((0, (48, 60)), (1, (31, 45)), (2, (36, 42, 3)))
]


def _pads(k):
    """OpenCV's anchor k // 2 as (before, after) padding of both axes."""
    return ((k // 2, (k - 1) // 2),) * 2


@pytest.fixture(scope="module")
def cv2():
    return pytest.importorskip("cv2")


@pytest.fixture(scope="module")
def image_module():
    return pytest.importorskip("PIL.Image")


@pytest.mark.parametrize("k", (2, 3, 4, 5))
def test_dilate_and_erode_are_max_and_min_pooling_with_stride_1(cv2, k):
    box = np.ones((k, k), np.uint8)
    for img in IMAGES:
        padding = k // 2 if k % 2 else _pads(k)
        window = dict(stride=1, padding=padding, axes=(0, 1))
        np.testing.assert_array_equal(cypool.max_pool(img, k, **window), cv2.dilate(img, box))
        np.testing.assert_array_equal(cypool.min_pool(img, k, **window), cv2.erode(img, box))
        zeros = cv2.erode(img, box, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        padded = np.pad(img, _pads(k) + ((0, 0),) * (img.ndim - 2))
        np.testing.assert_array_equal(cypool.min_pool(padded, k, stride=1, axes=(0, 1)), zeros)
        assert not np.array_equal(zeros, cv2.erode(img, box))  # the default border never wins


@pytest.mark.parametrize("k", (3, 5, 7))
def test_blur_borders_and_rounding(cv2, k):
    for img in IMAGES:
        channels = ((0, 0),) * (img.ndim - 2)
        pads = ((k // 2, k // 2),) * 2 + channels
        mean = dict(stride=1, axes=(0, 1), dtype=np.uint8)
        blurred = cv2.blur(img, (k, k))
        mirrored = cypool.avg_pool(np.pad(img, pads, mode="reflect"), k, **mean)
        np.testing.assert_array_equal(mirrored, blurred)  # BORDER_REFLECT_101
        inside = cypool.avg_pool(img, k, padding=k // 2, count_include_pad=False, **mean)
        core = (slice(k // 2, -(k // 2)),) * 2
        np.testing.assert_array_equal(inside[core], blurred[core])
        assert not np.array_equal(inside, blurred)  # the borders differ
        for border, mode in ((cv2.BORDER_REPLICATE, "edge"), (cv2.BORDER_REFLECT, "symmetric")):
            np.testing.assert_array_equal(
                cypool.avg_pool(np.pad(img, pads, mode=mode), k, **mean),
                cv2.blur(img, (k, k), borderType=border),
            )
        np.testing.assert_array_equal(
            cypool.avg_pool(img, k, padding=k // 2, **mean),
            cv2.blur(img, (k, k), borderType=cv2.BORDER_CONSTANT),
        )


def test_blur_with_an_even_window_can_land_above_the_rounded_mean(cv2):
    window = np.array([[202, 86], [178, 179]], np.uint8)
    assert cypool.avg_pool(window, 2).item() == 161.25
    assert cv2.blur(window, (2, 2))[1, 1] == 162  # the page's example
    img = IMAGES[0]
    exact = cypool.avg_pool(np.pad(img, _pads(2), mode="reflect"), 2, stride=1)
    difference = cv2.blur(img, (2, 2)).astype(int) - np.floor(exact + 0.5)
    assert set(np.unique(difference)) == {0, 1}


def _exact_halves(img, f):
    sums = cypool.avg_pool(img, f, axes=(0, 1), divisor_override=1)
    return (2 * sums) % (2 * f * f) == f * f


@pytest.mark.parametrize("f", (2, 3, 4, 5, 6, 7, 8))
def test_inter_area_rounds_halves_up_for_2_and_to_even_above(cv2, f):
    img = np.random.default_rng(f).integers(0, 256, (f * 24, f * 30, 3), dtype=np.uint8)
    area = cv2.resize(img, (30, 24), interpolation=cv2.INTER_AREA)
    means = cypool.avg_pool(img, f, axes=(0, 1))
    ours = cypool.avg_pool(img, f, axes=(0, 1), dtype=np.uint8)
    halves = _exact_halves(img, f)
    if f == 2:
        np.testing.assert_array_equal(area, np.floor(means + 0.5))
        assert halves.any() and not np.array_equal(area, ours)
        np.testing.assert_array_equal(area[~halves], ours[~halves])
    else:
        np.testing.assert_array_equal(area, ours)
        assert halves.any() == (f % 2 == 0)


@pytest.mark.parametrize("f", (2, 3, 4, 5, 6, 8))
def test_image_reduce(image_module, f):
    img = np.random.default_rng(10 + f).integers(0, 256, (f * 20 + 1, f * 25 - 1), dtype=np.uint8)
    reduced = np.asarray(image_module.fromarray(img).reduce(f))
    means = cypool.avg_pool(img, f, ceil_mode=True)  # the partial last blocks by what they hold
    assert reduced.shape == means.shape
    if f in (2, 4, 8):
        np.testing.assert_array_equal(reduced, np.floor(means + 0.5))
        return
    difference = reduced.astype(int) - np.floor(means + 0.5)
    assert set(np.unique(difference)) == {-1, 0}  # one below, never above
    full = (slice(0, 20), slice(0, 24))  # whole f x f blocks (the partial ones vary)
    fraction = (means - np.floor(means))[full][difference[full] != 0]
    expected = {3: 5 / 9, 5: 13 / 25, 6: 0.5}[f]
    assert fraction.size
    np.testing.assert_allclose(fraction, expected, rtol=1e-9)


def test_the_pages_tie_example(cv2, image_module):
    tile = np.array([[0, 1, 1, 3, 4, 4, 2, 3], [0, 1, 1, 1, 4, 4, 3, 2]], np.uint8)
    area = cv2.resize(tile, (4, 1), interpolation=cv2.INTER_AREA)
    reduced = np.asarray(image_module.fromarray(tile).reduce(2))
    assert area.tolist() == reduced.tolist() == [[1, 2, 4, 3]]
    assert cypool.avg_pool(tile, 2, dtype=np.uint8).tolist() == [[0, 2, 4, 2]]


def test_pyrdown_is_not_a_pooling(cv2):
    img = IMAGES[0]
    down = cv2.pyrDown(img)
    assert down.shape == cypool.avg_pool(img, 2).shape
    assert np.abs(down.astype(float) - cypool.avg_pool(img, 2)).max() > 10
    # Its 5x5 Gaussian over a mirrored border, then every other row and column.
    weights = np.array([1, 4, 6, 4, 1]) / 16
    padded = np.pad(img.astype(float), 2, mode="reflect")
    rows = sum(w * padded[i : i + img.shape[0]] for i, w in enumerate(weights))
    blurred = sum(w * rows[:, j : j + img.shape[1]] for j, w in enumerate(weights))
    assert np.abs(down - blurred[::2, ::2]).max() <= 1
