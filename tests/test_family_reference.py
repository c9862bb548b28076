"""Lp, adaptive, global, unpool and NumPy-style axes pooling against cypool.reference."""

import numpy as np
import pytest
from _cases import generate

import cypool
from cypool.reference import loops

LP_CASES = generate(80, seed=41, dtypes=(np.float32, np.float64, np.int16, np.float16))
NORMS = [1, 2, 3, 1.5, 0.5, np.inf]


def _tol(dtype):
    return {np.float16: 3e-3, np.float32: 3e-5}.get(np.dtype(dtype).type, 1e-10)


@pytest.mark.parametrize("case", LP_CASES, ids=lambda c: c.id)
def test_lp_pool_matches_reference(case):
    x = case.input()
    if x.dtype.kind in "iu":
        x = (x // 256).astype(x.dtype)  # keep |x|**p representable
    p = NORMS[case.seed % len(NORMS)]
    fwd = getattr(cypool, "lp_pool%dd" % case.ndim)
    bwd = getattr(cypool, "lp_pool%dd_backward" % case.ndim)
    ref_fwd = getattr(loops, "lp_pool%dd" % case.ndim)
    ref_bwd = getattr(loops, "lp_pool%dd_backward" % case.ndim)
    y = fwd(x, p, layout=case.layout, **case.window)
    y_ref = ref_fwd(x, p, layout=case.layout, **case.window)
    assert y.dtype == y_ref.dtype
    tol = _tol(y.dtype)
    np.testing.assert_allclose(y, y_ref, rtol=tol, atol=tol)
    g = case.grad(y.shape, y.dtype)
    np.testing.assert_allclose(
        bwd(g, x, p, layout=case.layout, **case.window),
        ref_bwd(g, x, p, layout=case.layout, **case.window),
        rtol=20 * tol,
        atol=20 * tol,
    )


def _adaptive_cases(count, seed, dtypes):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(count):
        ndim = int(rng.integers(1, 4))
        spatial = tuple(int(v) for v in rng.integers(1, (13, 9, 6)[ndim - 1], size=ndim))
        output = tuple(
            int(rng.integers(1, 2 * n + 2)) if rng.random() < 0.8 else None for n in spatial
        )
        layout = ["channels_first", "channels_last"][i % 2]
        channels, batch = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        shape = (channels,) + spatial if layout == "channels_first" else spatial + (channels,)
        if rng.random() < 0.7:
            shape = (batch,) + shape
        cases.append((ndim, shape, output, layout, dtypes[i % len(dtypes)], i))
    return cases


ADAPTIVE = _adaptive_cases(120, 5, (np.float32, np.float64, np.uint8, np.int64, np.float16))
# Equal bins (input a multiple of the output) take the plain-window kernels: kernel
# = stride = in / out, with the adaptive per-dim division.  Random sizes rarely
# divide, so these are listed.
CF, CL = "channels_first", "channels_last"
ADAPTIVE += [
    (2, (2, 3, 14, 14), (7, 7), CF, np.float32, 200),
    (2, (2, 12, 12, 3), (4, 3), CL, np.float64, 201),
    (2, (3, 9, 9), (3, 3), CF, np.float64, 202),
    (2, (1, 2, 10, 15), (5, 5), CF, np.float32, 203),
    (2, (2, 2, 12, 20), (3, 4), CF, np.float32, 204),
    (2, (2, 3, 12, 12), (6, 6), CF, np.uint8, 205),
    (2, (1, 2, 12, 8), (2, 4), CF, np.int64, 206),
    (2, (2, 4, 12, 12), (3, 3), CF, np.float16, 207),
    (1, (2, 3, 16), (8,), CF, np.float32, 208),
    (1, (2, 24, 3), (4,), CL, np.float64, 209),
    (3, (1, 2, 8, 6, 8), (4, 3, 2), CF, np.float32, 210),
    (3, (1, 8, 6, 8, 2), (2, 2, 4), CL, np.float64, 211),
    (3, (2, 6, 6, 9), (3, 2, 3), CF, np.float64, 212),
]


def _array(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 100, size=shape).astype(dtype)


@pytest.mark.parametrize("ndim, shape, output, layout, dtype, seed", ADAPTIVE)
def test_adaptive_max_pool_matches_reference(ndim, shape, output, layout, dtype, seed):
    x = _array(shape, dtype, seed)
    name = "adaptive_max_pool%dd" % ndim
    y, idx = getattr(cypool, name)(x, output, return_indices=True, layout=layout)
    y_ref, idx_ref = getattr(loops, name)(x, output, return_indices=True, layout=layout)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(idx, idx_ref)
    g = _array(y.shape, dtype, seed + 1)
    np.testing.assert_array_equal(
        getattr(cypool, name + "_backward")(g, idx, x.shape, layout=layout),
        getattr(loops, name + "_backward")(g, idx, x.shape, layout=layout),
    )


@pytest.mark.parametrize("ndim, shape, output, layout, dtype, seed", ADAPTIVE)
def test_adaptive_avg_pool_matches_reference(ndim, shape, output, layout, dtype, seed):
    x = _array(shape, dtype, seed)
    name = "adaptive_avg_pool%dd" % ndim
    y = getattr(cypool, name)(x, output, layout=layout)
    y_ref = getattr(loops, name)(x, output, layout=layout)
    assert y.dtype == y_ref.dtype
    tol = _tol(y.dtype)
    np.testing.assert_allclose(y, y_ref, rtol=tol, atol=tol)
    g = _array(y.shape, y.dtype, seed + 1)
    np.testing.assert_allclose(
        getattr(cypool, name + "_backward")(g, x.shape, layout=layout),
        getattr(loops, name + "_backward")(g, x.shape, layout=layout),
        rtol=tol,
        atol=tol,
    )


@pytest.mark.parametrize(
    "shape, layout, keepdims, dtype",
    [
        ((2, 3, 5), "channels_first", False, np.float32),
        ((2, 4, 3, 3), "channels_last", True, np.float64),
        ((1, 2, 3, 4, 2), "NCDHW", False, np.uint8),
        ((2, 2, 2, 3, 2, 3), "channels_first", True, np.float64),  # 4 spatial dims
        ((2, 2, 2, 3, 2, 3), "channels_last", False, np.int32),
        ((3, 1, 7, 7), "NCHW", True, np.float16),
    ],
)
def test_global_pooling_matches_reference(shape, layout, keepdims, dtype):
    x = _array(shape, dtype, 3)
    for name in ("global_max_pool", "global_avg_pool"):
        y = getattr(cypool, name)(x, layout=layout, keepdims=keepdims)
        y_ref = getattr(loops, name)(x, layout=layout, keepdims=keepdims)
        assert y.shape == y_ref.shape and y.dtype == y_ref.dtype
        np.testing.assert_allclose(y, y_ref, rtol=_tol(y.dtype), atol=_tol(y.dtype))


UNPOOL = generate(80, seed=77, dtypes=(np.float32, np.float64, np.int8, np.uint16))


@pytest.mark.parametrize("case", UNPOOL, ids=lambda c: c.id)
def test_max_unpool_matches_reference(case):
    x = case.input()
    fwd = getattr(cypool, "max_pool%dd" % case.ndim)
    y, idx = fwd(x, return_indices=True, layout=case.layout, **case.window)
    batched = len(x.shape) == case.ndim + 2
    spatial = (
        x.shape[-case.ndim :]
        if case.layout == "channels_first"
        else x.shape[len(x.shape) - case.ndim - 1 : -1]
    )
    name = "max_unpool%dd" % case.ndim
    pad = case.window["padding"]
    kwargs = dict(
        kernel_size=case.window["kernel_size"],
        stride=case.window["stride"],
        padding=0 if isinstance(pad, str) else pad,
        output_size=spatial,
        layout=case.layout,
    )
    u = getattr(cypool, name)(y, idx, **kwargs)
    u_ref = getattr(loops, name)(y, idx, **kwargs)
    np.testing.assert_array_equal(u, u_ref)
    assert u.shape == x.shape and batched == (u.ndim == case.ndim + 2)
    g = case.grad(u.shape)
    np.testing.assert_array_equal(
        getattr(cypool, name + "_backward")(g, idx, layout=case.layout),
        getattr(loops, name + "_backward")(g, idx, layout=case.layout),
    )


AXES_CASES = [
    ((9, 7), None, 2, {}),
    ((9, 7), None, (3, 2), dict(stride=(2, 1), padding=1)),
    ((4, 9, 7, 3), (1, 2), 2, dict(ceil_mode=True)),  # channels-last route
    ((4, 3, 9, 7), (2, 3), 3, dict(padding="same")),  # channels-first route
    ((9, 4, 7), (0, 2), 2, {}),  # copy route
    ((2, 3, 8, 6), None, (1, 1, 2, 3), dict(stride=(1, 1, 2, 2))),  # trivial leading axes
    ((5, 8, 2, 6), None, (2, 2, 1, 2), {}),  # trivial axis in between
    ((6,), 0, 4, dict(stride=1, padding=((1, 2),), dilation=2)),
    ((3, 5, 4, 6), (1, 2, 3), (2, 1, 3), dict(stride=(2, 1, 2))),
]


@pytest.mark.parametrize("shape, axes, kernel_size, kwargs", AXES_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_axes_pooling_matches_the_cnn_functions(shape, axes, kernel_size, kwargs, dtype):
    """max_pool/avg_pool over axes equal the CNN functions on the transposed array,
    and their indices are flat over the given axes."""
    x = _array(shape, dtype, 11)
    y, idx = cypool.max_pool(x, kernel_size, axes=axes, return_indices=True, **kwargs)
    ax = tuple(range(x.ndim)) if axes is None else ((axes,) if isinstance(axes, int) else axes)
    others = tuple(a for a in range(x.ndim) if a not in ax)
    moved = np.ascontiguousarray(x.transpose(others + ax)).reshape(
        (-1, 1) + tuple(x.shape[a] for a in ax)
    )
    # reference: the plain loops over every given axis (windows of 1 included)
    ks = kernel_size if isinstance(kernel_size, tuple) else (kernel_size,) * len(ax)
    if len(ax) <= 3:
        ref_fn = getattr(loops, "max_pool%dd" % len(ax))
        y_ref, idx_ref = ref_fn(moved, ks, return_indices=True, **kwargs)
        back = lambda a: (
            np.moveaxis(
                a.reshape(tuple(x.shape[o] for o in others) + a.shape[2:]),
                list(range(len(others), x.ndim)),
                list(ax),
            )
            if others
            else a.reshape(a.shape[2:])
        )
        np.testing.assert_array_equal(y, back(y_ref))
        np.testing.assert_array_equal(idx, back(idx_ref))
        a = cypool.avg_pool(x, kernel_size, axes=axes, **kwargs)
        a_ref = getattr(loops, "avg_pool%dd" % len(ax))(moved, ks, **kwargs)
        np.testing.assert_allclose(a, back(a_ref), rtol=_tol(a.dtype))
    # gradients: max backward is the scatter of the indices over the pooled axes
    g = _array(y.shape, dtype, 12)
    grad = cypool.max_pool_backward(g, idx, x.shape, axes=axes)
    expected = np.zeros_like(grad)
    flat_idx = np.moveaxis(idx, ax, range(len(others), x.ndim)).reshape(
        tuple(x.shape[o] for o in others) + (-1,)
    )
    flat_g = np.moveaxis(g, ax, range(len(others), x.ndim)).reshape(flat_idx.shape)
    flat_expected = np.zeros(
        tuple(x.shape[o] for o in others) + (int(np.prod([x.shape[a] for a in ax])),), dtype
    )
    for pos in np.ndindex(*flat_idx.shape):
        flat_expected[pos[:-1] + (flat_idx[pos],)] += flat_g[pos]
    expected = np.moveaxis(
        flat_expected.reshape(tuple(x.shape[o] for o in others) + tuple(x.shape[a] for a in ax)),
        range(len(others), x.ndim),
        ax,
    )
    np.testing.assert_array_equal(grad, expected)
    ga = cypool.avg_pool_backward(
        a if len(ax) <= 3 else cypool.avg_pool(x, kernel_size, axes=axes, **kwargs),
        x.shape,
        kernel_size,
        axes=axes,
        **kwargs,
    )
    assert ga.shape == x.shape


def test_axes_pooling_of_a_plain_image_like_the_numpy_recipe():
    image = np.arange(36, dtype=np.float64).reshape(6, 6)
    windows = image.reshape(3, 2, 3, 2)
    np.testing.assert_array_equal(cypool.max_pool(image, 2), windows.max(axis=(1, 3)))
    np.testing.assert_allclose(cypool.avg_pool(image, 2), windows.mean(axis=(1, 3)))
    np.testing.assert_allclose(cypool.lp_pool(image, 2, 2), np.sqrt((windows**2).sum(axis=(1, 3))))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_whole_plane_windows_of_many_planes_equal_plane_by_plane(dtype):
    # Eight or more planes are summed side by side (a faster path); each sum
    # must still be the plane's own row-major sum: compare with one plane per call.
    x = np.random.default_rng(3).standard_normal((3, 7, 5, 6)).astype(dtype)
    calls = [
        lambda a: cypool.global_avg_pool(a, keepdims=True),
        lambda a: cypool.adaptive_avg_pool2d(a, 1),
        lambda a: cypool.avg_pool2d(a, (5, 6)),
        lambda a: cypool.avg_pool2d(a, (5, 6), padding=(0, 1), ceil_mode=True),
    ]
    for call in calls:
        whole = call(x)
        one_by_one = np.empty_like(whole)
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                one_by_one[n, c] = call(x[n : n + 1, c : c + 1])[0, 0]
        np.testing.assert_array_equal(whole, one_by_one)
    np.testing.assert_allclose(calls[0](x)[..., 0, 0], x.mean(axis=(2, 3)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "layout, channels", [("channels_first", 3), ("channels_last", 3), ("channels_last", 70)]
)
def test_scatters_with_unordered_and_repeated_indices(layout, channels):
    # The scatters zero their target lazily, just ahead of the largest index seen
    # so far; indices that jump backwards, repeat, or leave most of the target
    # untouched must still give the reference's result.
    rng = np.random.default_rng(11)
    spatial_in, spatial_out = (5, 7), (23, 31)
    shape = (
        (2, channels) + spatial_in
        if layout == "channels_first"
        else (2,) + spatial_in + (channels,)
    )
    x = rng.standard_normal(shape)
    plane = spatial_out[0] * spatial_out[1]
    for indices in (
        rng.integers(0, plane, size=shape),  # unordered, repeated
        np.full(shape, plane - 1),  # one far index
        np.sort(rng.integers(0, 40, size=shape), axis=None).reshape(shape),
    ):
        args = (x, indices, (3, 4))
        kw = dict(layout=layout, output_size=spatial_out)
        np.testing.assert_array_equal(
            cypool.max_unpool2d(*args, **kw), loops.max_unpool2d(*args, **kw)
        )
        full = (
            (2, channels) + spatial_out
            if layout == "channels_first"
            else (2,) + spatial_out + (channels,)
        )
        np.testing.assert_array_equal(
            cypool.max_pool2d_backward(x, indices, full, layout=layout),
            loops.max_pool2d_backward(x, indices, full, layout=layout),
        )
