"""NaN, infinities, ties and signed zeros: PyTorch's rules, checked by hand-made cases."""

import numpy as np
import pytest

import cypool
from cypool import reference

nan, inf = np.nan, np.inf


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_propagates_with_the_last_nan_index(dtype):
    x = np.array([[[1.0, nan], [nan, 0.5]]], dtype=dtype)  # (C=1, 2, 2)
    y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    assert np.isnan(y[0, 0, 0])
    assert idx[0, 0, 0] == 2  # the last NaN in row-major window order


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_value_after_nan_does_not_replace_it(dtype):
    x = np.array([[[nan, 5.0, 7.0, -1.0]]], dtype=dtype)
    y, idx = cypool.max_pool1d(x, 4, return_indices=True)
    assert np.isnan(y[0, 0, 0]) and idx[0, 0, 0] == 0


def test_ties_go_to_the_first_maximum_including_signed_zero():
    x = np.array([[[-0.0, 0.0], [0.0, -0.0]]])
    y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    assert idx[0, 0, 0] == 0 and np.signbit(y[0, 0, 0])
    x = np.array([[[0.0, -0.0], [-0.0, 0.0]]])
    y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    assert idx[0, 0, 0] == 0 and not np.signbit(y[0, 0, 0])
    x = np.array([[[3.0, 1.0, 3.0, 3.0]]])
    assert cypool.max_pool1d(x, 4, return_indices=True)[1][0, 0, 0] == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_infinities(dtype):
    x = np.array([[[-inf, -inf, -inf, 2.0, inf, 1.0]]], dtype=dtype)
    y, idx = cypool.max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(y, [[[-inf, inf]]])
    np.testing.assert_array_equal(idx, [[[0, 4]]])
    avg = cypool.avg_pool1d(x, 3)
    np.testing.assert_array_equal(avg, [[[-inf, inf]]])


def test_padding_never_wins_even_against_minus_infinity():
    x = np.full((1, 1, 3), -inf)
    y, idx = cypool.max_pool1d(x, 3, stride=1, padding=1, return_indices=True)
    np.testing.assert_array_equal(y, np.full((1, 1, 3), -inf))
    np.testing.assert_array_equal(idx, [[[0, 0, 1]]])
    x = np.array([[[-5.0, -7.0]]])
    y = cypool.max_pool1d(x, 2, stride=1, padding=1)
    np.testing.assert_array_equal(y, [[[-5.0, -5.0, -7.0]]])


def test_special_values_agree_with_reference_on_a_random_mixture():
    rng = np.random.default_rng(3)
    x = rng.choice([nan, inf, -inf, 0.0, -0.0, 1.0, -1.0], size=(2, 3, 7, 6))
    for kw in (
        dict(kernel_size=3, stride=1, padding=1),
        dict(kernel_size=2, ceil_mode=True),
        dict(kernel_size=(3, 2), dilation=(2, 1), padding=((1, 2), (0, 1))),
    ):
        y, idx = cypool.max_pool2d(x, return_indices=True, **kw)
        y_ref, idx_ref = reference.max_pool2d(x, return_indices=True, **kw)
        np.testing.assert_array_equal(y, y_ref)
        np.testing.assert_array_equal(np.signbit(y), np.signbit(y_ref))
        np.testing.assert_array_equal(idx, idx_ref)


def test_nan_agrees_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x = rng.choice([nan, 0.0, -0.0, 1.0, 2.0, -inf], size=(2, 3, 9, 8))
    y, idx = cypool.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    yt, it = torch.nn.functional.max_pool2d(torch.from_numpy(x), 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(y, yt.numpy())
    np.testing.assert_array_equal(idx, it.numpy())


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_overlapping_windows_with_and_without_nan_planes(dtype, layout):
    # Overlapping windows scan each plane for NaN and take the plain max on the
    # NaN-free ones: planes with NaN (one of them at a window's last tap, one
    # next to signed zeros) must still follow the NaN rule, the others the
    # first-maximum rule, as the reference computes both.
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4, 23, 29)).astype(dtype)
    x[0, 1, 4, 7] = nan
    x[2, 3, 22, 28] = nan
    x[1, 2, :, :6] = 0.0
    x[1, 2, ::2, :6] = -0.0
    x[1, 2, 10, 3] = nan
    if layout == "channels_last":
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    for window in (
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=1),
        dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0)),
    ):
        got = cypool.max_pool2d(x, layout=layout, **window)
        want = reference.max_pool2d(x, layout=layout, **window)
        assert got.tobytes() == want.tobytes(), window


@pytest.mark.parametrize("channels", [2, 3, 5])
def test_channels_last_sweep_across_chunks_with_indices(channels):
    # Few-channel channels-last rows are swept in chunks of 1024 elements (about
    # 170 RGB outputs): rows of 200+ outputs cross a chunk boundary.  Values and
    # indices, with NaN, infinities and signed-zero ties, against the reference.
    rng = np.random.default_rng(channels)
    x = rng.standard_normal((2, 5, 419, channels)).astype(np.float32)
    flat = x.reshape(-1)
    for value in (nan, 0.0, -0.0, inf, -inf):
        flat[rng.integers(0, flat.size, size=40)] = value
    x[1, 2, 100:140] = -0.0
    x[1, 2, 120:140:3] = 0.0
    for window in (
        dict(kernel_size=2, stride=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=1, padding=1),
        dict(kernel_size=4, stride=4),
    ):
        y, idx = cypool.max_pool2d(x, layout="channels_last", return_indices=True, **window)
        y_ref, idx_ref = reference.max_pool2d(
            x, layout="channels_last", return_indices=True, **window
        )
        assert y.tobytes() == y_ref.tobytes(), window
        np.testing.assert_array_equal(idx, idx_ref)
        assert cypool.max_pool2d(x, layout="channels_last", **window).tobytes() == y.tobytes()
        a = cypool.avg_pool2d(x, layout="channels_last", **window)
        # The reference sums in another order: an ulp apart, NaN at the same places.
        np.testing.assert_allclose(
            a, reference.avg_pool2d(x, layout="channels_last", **window), rtol=1e-5, atol=1e-6
        )


def _special_mixture(rng, shape, dtype):
    """Random values of dtype with, for floats, NaNs, signed zeros and infinities."""
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    x = rng.standard_normal(shape).astype(dtype)
    pick = rng.random(shape)
    x[pick < 0.02] = nan
    x[(pick >= 0.02) & (pick < 0.1)] = -0.0
    x[(pick >= 0.1) & (pick < 0.18)] = 0.0
    x[(pick >= 0.18) & (pick < 0.2)] = -inf
    return x


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float64, np.float16, np.uint8, np.int8, np.int16, np.int64]
)
@pytest.mark.parametrize("window", [(2, 2, 0), (3, 2, 1), (4, 2, 1)])
@pytest.mark.parametrize("width", [5, 14, 30, 113])
def test_short_stride_two_rows_and_border_windows_agree_with_reference(dtype, window, width):
    # Rows of fewer outputs than a vector has lanes take one staged vector pass,
    # the border windows a branch-free max with an exact redo of those holding a
    # NaN: the values (signed zeros, the last NaN) must match PyTorch's order.
    k, s, p = window
    rng = np.random.default_rng(width * 10 + k)
    x = _special_mixture(rng, (2, 3, 9, width), dtype)
    y = cypool.max_pool2d(x, k, s, p)
    expected = reference.max_pool2d(x, k, s, p)
    np.testing.assert_array_equal(y, expected)
    assert np.array_equal(np.signbit(y), np.signbit(expected))
    y, idx = cypool.max_pool2d(x, k, s, p, return_indices=True)
    expected, expected_idx = reference.max_pool2d(x, k, s, p, return_indices=True)
    np.testing.assert_array_equal(idx, expected_idx)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
@pytest.mark.parametrize("out", [5, 7, (3, 6)])
def test_adaptive_max_windows_agree_with_reference(dtype, out):
    rng = np.random.default_rng(7)
    x = _special_mixture(rng, (2, 4, 14, 14), dtype)
    y = cypool.adaptive_max_pool2d(x, out)
    expected = reference.adaptive_max_pool2d(x, out)
    np.testing.assert_array_equal(y, expected)
    assert np.array_equal(np.signbit(y), np.signbit(expected))
