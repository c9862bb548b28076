"""The second round of the family: min pooling, bool masks, bfloat16, fractional max
pooling (against torch and the reference), block_reduce (against scikit-image),
cypool.layers and TensorFlow's names."""

import doctest
import os
import re
import warnings

import numpy as np
import pytest

import cypool
from cypool.reference import loops

RNG = np.random.default_rng(20261201)


def _with_specials(x, rng):
    """NaN, +-inf and ties sprinkled into floating input."""
    if x.dtype.kind == "f":
        flat = x.reshape(-1)
        for value in (np.nan, np.inf, -np.inf, 0.0, -0.0):
            flat[rng.integers(0, flat.size, max(1, flat.size // 50))] = value
    return x


def _random_array(shape, dtype, rng):
    if np.dtype(dtype).kind == "b":
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -100), min(info.max, 100), shape).astype(dtype)
    return _with_specials(rng.standard_normal(shape).astype(dtype), rng)


# --- min pooling ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float64, np.float16, np.int8, np.uint8, np.int64, np.uint64, bool]
)
@pytest.mark.parametrize("seed", range(6))
def test_min_pool_equals_the_reference(dtype, seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(3, 9, rng.integers(1, 4)))
    x = _random_array(shape, dtype, rng)
    window = dict(
        kernel_size=int(rng.integers(1, 4)),
        stride=int(rng.integers(1, 3)),
        padding=int(rng.integers(0, 2)),
        ceil_mode=bool(rng.integers(0, 2)),
    )
    if window["padding"] * 2 > window["kernel_size"]:
        window["padding"] = 0
    got, got_idx = cypool.min_pool(x, return_indices=True, **window)
    want, want_idx = loops.min_pool(x, return_indices=True, **window)
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got_idx, want_idx)
    grad = np.ones(got.shape)
    np.testing.assert_array_equal(
        cypool.min_pool_backward(grad, got_idx, x.shape),
        loops.min_pool_backward(grad, want_idx, x.shape),
    )


def test_min_pool_mirrors_max_pool_rules():
    x = np.array([3.0, 1.0, 1.0, -0.0, 0.0, np.nan, 2.0, np.nan])
    y, idx = cypool.min_pool(x, 2, return_indices=True)
    assert idx.tolist() == [1, 3, 5, 7]  # first minimum; -0.0 before 0.0; last NaN
    assert np.isnan(y[2:]).all() and y[:2].tolist() == [1.0, -0.0]
    # padding never wins: an all-positive row with padding keeps its minimum
    assert cypool.min_pool(np.array([5, 6, 7], np.uint8), 2, padding=1).tolist() == [5, 6]
    # extreme integers survive the bit flip in both directions
    ints = np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max], np.int64)
    assert cypool.min_pool(ints, 2).tolist() == [np.iinfo(np.int64).min]
    assert cypool.max_pool(ints, 2).tolist() == [np.iinfo(np.int64).max]


# --- bool masks -----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
def test_bool_masks_pool_as_any_all_and_fractions(layout):
    mask = RNG.random((2, 5, 9, 7)) < 0.3
    y, idx = cypool.max_pool2d(mask, 3, 2, 1, return_indices=True, layout=layout)
    as_int, as_int_idx = cypool.max_pool2d(
        mask.view(np.uint8), 3, 2, 1, return_indices=True, layout=layout
    )
    assert y.dtype == bool
    np.testing.assert_array_equal(y, as_int.astype(bool))
    np.testing.assert_array_equal(idx, as_int_idx)
    np.testing.assert_array_equal(y, loops.max_pool2d(mask, 3, 2, 1, layout=layout))
    fraction = cypool.avg_pool2d(mask, 2, layout=layout)
    assert fraction.dtype == np.float64
    np.testing.assert_array_equal(fraction, loops.avg_pool2d(mask, 2, layout=layout))
    np.testing.assert_array_equal(
        cypool.min_pool(mask, 2, axes=(2, 3) if layout == "channels_first" else (1, 2)),
        loops.min_pool(mask, 2, axes=(2, 3) if layout == "channels_first" else (1, 2)),
    )
    adaptive = cypool.adaptive_max_pool2d(mask, 3, layout=layout)
    assert adaptive.dtype == bool
    np.testing.assert_array_equal(adaptive, loops.adaptive_max_pool2d(mask, 3, layout=layout))
    assert cypool.global_max_pool(mask, layout=layout).dtype == bool
    _, idx_ref = loops.max_pool2d(mask, 3, 2, 1, return_indices=True, layout=layout)
    np.testing.assert_array_equal(idx, idx_ref)  # the first True (or the first False)
    ones = np.ones(y.shape)
    np.testing.assert_array_equal(
        cypool.max_pool2d_backward(ones, idx, mask.shape, layout=layout),
        loops.max_pool2d_backward(ones, idx_ref, mask.shape, layout=layout),
    )


def test_bool_gradients_are_refused():
    with pytest.raises(TypeError, match="^grad_output must have a floating, integer dtype"):
        cypool.avg_pool2d_backward(np.ones((1, 1, 2, 2), bool), (1, 1, 4, 4), 2)


# --- bfloat16 -------------------------------------------------------------------------------


def test_bfloat16_max_keeps_the_type_and_averages_round_once():
    ml_dtypes = pytest.importorskip("ml_dtypes", reason="bfloat16 needs ml_dtypes (an extra)")
    bf16 = ml_dtypes.bfloat16
    x32 = _with_specials(RNG.standard_normal((2, 3, 17, 19)).astype(np.float32), RNG)
    x = x32.astype(bf16)
    wide = x.astype(np.float32)  # exact: bfloat16 widens without rounding
    for layout, data, data32 in (
        ("channels_first", x, wide),
        (
            "channels_last",
            np.ascontiguousarray(x.transpose(0, 2, 3, 1)),
            np.ascontiguousarray(wide.transpose(0, 2, 3, 1)),
        ),
    ):
        y, idx = cypool.max_pool2d(data, 3, 2, 1, return_indices=True, layout=layout)
        y32, idx32 = cypool.max_pool2d(data32, 3, 2, 1, return_indices=True, layout=layout)
        assert y.dtype == bf16
        np.testing.assert_array_equal(y.astype(np.float32), y32)
        np.testing.assert_array_equal(idx, idx32)
        assert cypool.min_pool(data, 2, axes=(1, 2)).dtype == bf16
        want, want_idx = loops.max_pool2d(data, 3, 2, 1, return_indices=True, layout=layout)
        assert want.dtype == bf16  # the reference twin keeps bfloat16 too
        np.testing.assert_array_equal(y.view(np.uint16), want.view(np.uint16))
        np.testing.assert_array_equal(idx, want_idx)
        # averages and Lp: float32 arithmetic, then one rounding to bfloat16
        for function, args in (
            (cypool.avg_pool2d, (3, 2, 1)),
            (cypool.lp_pool2d, (2, 3, 2)),
            (cypool.adaptive_avg_pool2d, (5,)),
        ):
            got = function(data, *args, layout=layout)
            assert got.dtype == bf16
            want = function(data32, *args, layout=layout).astype(bf16)
            np.testing.assert_array_equal(
                got.view(np.uint16)[~np.isnan(got.astype(np.float32))],
                want.view(np.uint16)[~np.isnan(got.astype(np.float32))],
            )
            np.testing.assert_array_equal(
                np.isnan(got.astype(np.float32)), np.isnan(want.astype(np.float32))
            )
        g = cypool.max_pool2d_backward(np.ones(y.shape, bf16), idx, data.shape, layout=layout)
        g32 = cypool.max_pool2d_backward(
            np.ones(y.shape, np.float32), idx, data.shape, layout=layout
        )
        np.testing.assert_array_equal(g.astype(np.float32), g32)


# --- fractional max pooling -----------------------------------------------------------------

torch = None


def _torch():
    global torch
    if torch is None:
        if os.environ.get("CYPOOL_REQUIRE_TORCH"):
            import torch as found
        else:
            found = pytest.importorskip("torch", reason="torch differential tests")
        torch = found
    return torch


@pytest.mark.parametrize("ndim", [2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("seed", range(4))
def test_fractional_max_pool_equals_torch(ndim, dtype, seed):
    t = _torch()
    F = t.nn.functional
    rng = np.random.default_rng(seed)
    spatial = tuple(int(n) for n in rng.integers(6, 14 if ndim == 2 else 9, ndim))
    kernel = tuple(int(k) for k in rng.integers(1, 4, ndim))
    # torch's 3-D check wants out + k - 1 < n (its 2-D one, and cypool, <=)
    out = tuple(
        int(rng.integers(1, n - k + (2 if ndim == 2 else 1))) for n, k in zip(spatial, kernel)
    )
    x = _with_specials(rng.standard_normal((2, 3) + spatial).astype(dtype), rng)
    samples = rng.random((2, 3, ndim)).astype(dtype)
    samples = np.minimum(samples, np.nextafter(dtype(1), dtype(0)))
    torch_pool = F.fractional_max_pool2d if ndim == 2 else F.fractional_max_pool3d
    ty, ti = torch_pool(
        t.from_numpy(x).requires_grad_(),
        kernel,
        output_size=out,
        return_indices=True,
        _random_samples=t.from_numpy(samples),
    )
    fast = getattr(cypool, "fractional_max_pool%dd" % ndim)
    y, idx = fast(x, kernel, output_size=out, return_indices=True, samples=samples)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(idx, ti.numpy())
    # channels-last: the same values, transposed
    moved = np.ascontiguousarray(np.moveaxis(x, 1, -1))
    y_last, idx_last = fast(
        moved, kernel, output_size=out, return_indices=True, samples=samples, layout="channels_last"
    )
    np.testing.assert_array_equal(y_last, np.moveaxis(y, 1, -1))
    np.testing.assert_array_equal(idx_last, np.moveaxis(idx, 1, -1))
    # gradients
    g = rng.standard_normal(y.shape).astype(dtype)
    ty.backward(t.from_numpy(g))
    x_t = t.from_numpy(x).requires_grad_()
    ty2 = torch_pool(x_t, kernel, output_size=out, _random_samples=t.from_numpy(samples))
    ty2.backward(t.from_numpy(g))
    backward = getattr(cypool, "fractional_max_pool%dd_backward" % ndim)
    grad = backward(g, idx, x.shape)
    if dtype == np.float16:
        # torch sums overlapping windows' float16 gradients in float16; cypool sums in
        # float32 and rounds once (API.md), so they agree to float16's precision only.
        np.testing.assert_array_equal(
            grad, backward(g.astype(np.float32), idx, x.shape).astype(np.float16)
        )
        np.testing.assert_allclose(grad, x_t.grad.numpy(), rtol=2e-2, atol=2e-3)
    else:
        np.testing.assert_array_equal(grad, x_t.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.uint8, bool])
def test_fractional_max_pool_equals_the_reference(dtype):
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = _random_array((2, 3, 9, 8), dtype, rng)
        y, idx = cypool.fractional_max_pool2d(x, 2, output_ratio=0.6, return_indices=True, rng=seed)
        want, want_idx = loops.fractional_max_pool2d(
            x, 2, output_ratio=0.6, return_indices=True, rng=seed
        )
        assert y.dtype == x.dtype
        np.testing.assert_array_equal(y, want)
        np.testing.assert_array_equal(idx, want_idx)
    x = _random_array((3, 7, 6, 5), np.float32, rng)  # unbatched 3-D
    y = cypool.fractional_max_pool3d(x, (2, 2, 1), output_size=(4, 3, 5), rng=1)
    np.testing.assert_array_equal(
        y, loops.fractional_max_pool3d(x, (2, 2, 1), output_size=(4, 3, 5), rng=1)
    )


def test_fractional_max_pool_arguments():
    x = np.zeros((1, 2, 8, 8), np.float32)
    with pytest.raises(ValueError, match="^output_size and output_ratio"):
        cypool.fractional_max_pool2d(x, 2)
    with pytest.raises(ValueError, match="^output_size and output_ratio"):
        cypool.fractional_max_pool2d(x, 2, output_size=4, output_ratio=0.5)
    with pytest.raises(ValueError, match="^output_size"):
        cypool.fractional_max_pool2d(x, 3, output_size=7)
    with pytest.raises(ValueError, match="^output_ratio"):
        cypool.fractional_max_pool2d(x, 2, output_ratio=1.5)
    with pytest.raises(ValueError, match="^kernel_size"):
        cypool.fractional_max_pool2d(x, 0, output_size=4)
    with pytest.raises(ValueError, match="^samples must have shape"):
        cypool.fractional_max_pool2d(x, 2, output_size=4, samples=np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match=r"^samples must lie in \[0, 1\)"):
        cypool.fractional_max_pool2d(x, 2, output_size=4, samples=np.ones((1, 2, 2)))
    with pytest.raises(TypeError, match="^rng"):
        cypool.fractional_max_pool2d(x, 2, output_size=4, rng="seed")
    same = [
        cypool.fractional_max_pool2d(
            RNG.standard_normal((1, 2, 8, 8)) * 0 + np.arange(64.0).reshape(8, 8),
            2,
            output_size=5,
            rng=7,
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(*same)  # an int seed reproduces the draw


# --- block_reduce ---------------------------------------------------------------------------

FUNCS = [
    np.max,
    np.min,
    np.sum,
    np.mean,
    np.median,
    np.nanmax,
    np.nanmin,
    np.nansum,
    np.nanmean,
    np.ptp,
]


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.uint8, bool, np.float32, np.float64, np.int32])
def test_block_reduce_equals_scikit_image(func, dtype):
    measure = pytest.importorskip("skimage.measure", reason="scikit-image is a test extra")
    for seed in range(5):
        rng = np.random.default_rng(seed)
        shape = tuple(int(n) for n in rng.integers(1, 12, rng.integers(1, 4)))
        image = _random_array(shape, dtype, rng)
        if np.dtype(dtype).kind == "f" and seed % 2:
            image = np.abs(np.nan_to_num(image))  # NaN-free: the nan* fast paths
        block = (
            int(rng.integers(1, 5))
            if seed % 3
            else tuple(int(b) for b in rng.integers(1, 5, len(shape)))
        )
        cval = [0, 1, 7][seed % 3] if np.dtype(dtype).kind != "b" else bool(seed % 2)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # All-NaN slices
            try:
                want = measure.block_reduce(image, block, func, cval)
            except TypeError as error:  # e.g. np.ptp of bool: NumPy refuses, so must we
                with pytest.raises(type(error)):
                    cypool.block_reduce(image, block, func, cval)
                continue
            got = cypool.block_reduce(image, block, func, cval)
        assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
        if func in (np.sum, np.mean, np.nansum, np.nanmean) and np.dtype(dtype).kind == "f":
            # float sums in the kernels' order, NumPy's in its own: last-bit differences
            np.testing.assert_allclose(got, want, rtol=1e-6 if dtype == np.float32 else 1e-13)
        else:
            np.testing.assert_array_equal(got, want)


def test_block_reduce_arguments_and_kwargs():
    image = np.arange(12.0).reshape(3, 4)
    with pytest.raises(ValueError, match="^block_size"):
        cypool.block_reduce(image, (2, 2, 2))
    with pytest.raises(ValueError, match="^block_size"):
        cypool.block_reduce(image, 0)
    got = cypool.block_reduce(image, 2, np.mean, func_kwargs={"dtype": np.float32})
    assert got.dtype == np.float32


# --- cypool.layers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer, forward, backward",
    [
        (
            cypool.layers.MaxPool2d(3, 2, 1),
            lambda x: cypool.max_pool2d(x, 3, 2, 1, return_indices=True),
            lambda g, x, f: cypool.max_pool2d_backward(g, f[1], x.shape),
        ),
        (
            # padding 1 at stride 2 over 9: both edge windows hold a padding tap, which
            # count_include_pad=False leaves out of their divisor
            cypool.layers.AvgPool1d(3, 2, 1, count_include_pad=False),
            lambda x: cypool.avg_pool1d(x, 3, 2, 1, count_include_pad=False),
            lambda g, x, f: cypool.avg_pool1d_backward(
                g, x.shape, 3, 2, 1, count_include_pad=False
            ),
        ),
        (
            cypool.layers.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
            lambda x: cypool.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
            lambda g, x, f: cypool.avg_pool2d_backward(
                g, x.shape, 3, 2, 1, ceil_mode=True, count_include_pad=False
            ),
        ),
        (
            cypool.layers.AdaptiveAvgPool3d(2),
            lambda x: cypool.adaptive_avg_pool3d(x, 2),
            lambda g, x, f: cypool.adaptive_avg_pool3d_backward(g, x.shape),
        ),
        (
            cypool.layers.AdaptiveMaxPool2d((3, 2)),
            lambda x: cypool.adaptive_max_pool2d(x, (3, 2), return_indices=True),
            lambda g, x, f: cypool.adaptive_max_pool2d_backward(g, f[1], x.shape),
        ),
    ],
)
def test_layers_equal_the_functions(layer, forward, backward):
    ndim = {"1d": 1, "2d": 2, "3d": 3}.get(type(layer).__name__[-2:], 2)
    x = RNG.standard_normal((2, 3) + (9,) * ndim)
    reference = forward(x)
    y = layer.forward(x)
    np.testing.assert_array_equal(y, reference[0] if isinstance(reference, tuple) else reference)
    g = RNG.standard_normal(y.shape)
    dx = layer.backward(g)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(dx, backward(g, x, reference))


def test_avg_layer_without_padding_counts_is_checked_where_that_matters():
    """The count_include_pad=False layer case above compares where the flag changes the
    result: with padding counted, the edge windows would differ."""
    x = RNG.standard_normal((2, 3, 9))
    without = cypool.avg_pool1d(x, 3, 2, 1, count_include_pad=False)
    with_pad = cypool.avg_pool1d(x, 3, 2, 1, count_include_pad=True)
    np.testing.assert_array_equal(without[..., 1:-1], with_pad[..., 1:-1])
    np.testing.assert_allclose(without[..., [0, -1]], with_pad[..., [0, -1]] * 1.5)
    np.testing.assert_allclose(
        without, loops.avg_pool1d(x, 3, 2, 1, count_include_pad=False), rtol=1e-15
    )


def _global_backward_by_definition(x, g, layout, reduce):
    """d(global pool)/dx from the definition: the mean spreads g[n, c] evenly over
    the spatial positions; the max gives it all to the first maximum of the plane
    (row-major order, ties to the first)."""
    planes = np.moveaxis(x, -1, 1) if layout == "channels_last" else x
    planes = planes.reshape(x.shape[0], planes.shape[1], -1)
    g = g.reshape(planes.shape[:2])
    if reduce == "avg":
        dx = np.repeat(g[:, :, None] / planes.shape[2], planes.shape[2], axis=2)
    else:
        dx = np.zeros_like(planes)
        first = np.argmax(planes, axis=2)  # no NaN here: argmax is the first maximum
        np.put_along_axis(dx, first[:, :, None], g[:, :, None], axis=2)
    if layout == "channels_last":
        spatial = x.shape[1:-1]
        return np.moveaxis(dx.reshape(dx.shape[:2] + spatial), 1, -1)
    return dx.reshape(x.shape)


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("reduce", ["avg", "max"])
def test_global_layers_backward_is_the_definition_element_wise(ndim, layout, keepdims, reduce):
    rng = np.random.default_rng(ndim)
    spatial = (5, 4, 3)[:ndim]
    shape = (2, 3) + spatial if layout == "channels_first" else (2,) + spatial + (3,)
    x = rng.integers(-3, 3, shape).astype(np.float64)  # many ties: the first maximum wins
    layer = (cypool.layers.GlobalAvgPool if reduce == "avg" else cypool.layers.GlobalMaxPool)(
        layout=layout, keepdims=keepdims
    )
    y = layer.forward(x)
    function = cypool.global_avg_pool if reduce == "avg" else cypool.global_max_pool
    np.testing.assert_array_equal(y, function(x, layout=layout, keepdims=keepdims))
    g = rng.standard_normal(y.shape)
    dx = layer.backward(g)
    expected = _global_backward_by_definition(x, g, layout, reduce)
    assert dx.shape == x.shape
    if reduce == "avg":
        np.testing.assert_allclose(dx, expected, rtol=1e-15, atol=0)
    else:
        np.testing.assert_array_equal(dx, expected)


def test_layers_refuse_mismatched_calls_with_short_messages():
    layer = cypool.layers.MaxPool2d(2)
    with pytest.raises(RuntimeError, match="forward first"):
        layer.backward(np.ones((1, 1, 2, 2)))
    x = RNG.standard_normal((2, 3, 6, 6))
    layer.forward(x)
    with pytest.raises(ValueError, match=r"^grad_output must have the shape of the last forward"):
        layer.backward(x)
    with pytest.raises(
        TypeError, match="^kernel_size must be an int or a sequence of 2 ints"
    ) as error:
        cypool.layers.MaxPool2d({"pool_height": 2, "pool_width": 2, "stride": 2})
    assert len(str(error.value)) < 200
    with pytest.raises(ValueError, match="^stride must be >= 1"):
        cypool.layers.AvgPool2d(2, stride=0)
    # the functions' shape arguments: an array by its shape, never its values
    with pytest.raises(TypeError, match="^input_shape must be a tuple of ints") as error:
        cypool.max_pool2d_backward(np.ones((2, 3, 3, 3)), np.zeros((2, 3, 3, 3), np.int64), x)
    assert "array of shape (2, 3, 6, 6)" in str(error.value) and len(str(error.value)) < 200


# --- TensorFlow's names ---------------------------------------------------------------------


def test_readme_tensorflow_example_runs():
    readme = os.path.join(os.path.dirname(__file__), os.pardir, "README.md")
    with open(readme) as f:
        text = f.read()
    section = text[text.index("### Coming from TensorFlow") :]
    block = re.search(r"```python\n(>>>.*?)```", section, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(block, {}, "README", readme, 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0 and len(test.examples) == 4


def test_tensorflow_1d_layout_names():
    x = RNG.standard_normal((2, 10, 3))
    np.testing.assert_array_equal(
        cypool.max_pool1d(x, 2, layout="NWC"), cypool.max_pool1d(x, 2, layout="channels_last")
    )
    np.testing.assert_array_equal(
        cypool.max_pool1d(x, 2, layout="NCW"), cypool.max_pool1d(x, 2, layout="channels_first")
    )


# --- long 1-D rows --------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
def test_long_rows_pooled_in_chunks_equal_the_reference(monkeypatch, layout):
    """The chunked path of few long 1-D rows (cypool._runner.CHUNK_OUTPUTS, shrunk
    here to 5 outputs) gives the one-call results: values, indices, NaN, padding
    and ceil_mode's overhang at every chunk boundary."""
    from cypool import _runner

    monkeypatch.setattr(_runner, "CHUNK_OUTPUTS", 5)
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(150):
        n, k, s, d = (
            int(v)
            for v in (
                rng.integers(1, 60),
                rng.integers(1, 5),
                rng.integers(1, 4),
                rng.integers(1, 3),
            )
        )
        pad, ceil = int(rng.integers(0, 3)), bool(rng.integers(0, 2))
        x = rng.standard_normal((1, 3, n) if layout == "channels_first" else (2, n, 3))
        x[x > 1.5] = np.nan
        try:
            want = loops.max_pool1d(x, k, s, pad, d, ceil, return_indices=True, layout=layout)
        except ValueError:
            continue
        got = cypool.max_pool1d(x, k, s, pad, d, ceil, return_indices=True, layout=layout)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a, b)
        axis = -1 if layout == "channels_first" else 1
        for a, b in zip(
            cypool.min_pool(x, k, s, pad, d, ceil, True, axes=axis),
            loops.min_pool(x, k, s, pad, d, ceil, True, axes=axis),
        ):
            np.testing.assert_array_equal(a, b)
        checked += got[0].shape[-1 if layout == "channels_first" else 1] > 5
    assert checked > 50  # most cases really went through several chunks
