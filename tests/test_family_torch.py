"""Adaptive, global, Lp and unpool pooling against PyTorch (forward, indices, autograd)."""

import numpy as np
import pytest
from _cases import generate
from test_family_reference import ADAPTIVE, _array

import cypool

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _cf(x, layout, ndim):
    """Batched channels-first torch tensor of an array in ``layout``."""
    if x.ndim == ndim + 1:
        x = x[None]
    if layout == "channels_last":
        x = np.moveaxis(x, -1, 1)
    return torch.from_numpy(np.ascontiguousarray(x))


def _back(t, layout, shape):
    a = t.detach().numpy()
    if layout == "channels_last":
        a = np.moveaxis(a, 1, -1)
    return np.ascontiguousarray(a.reshape(shape))


def _resolved(output, xt, ndim):
    """torch's 1-D functions take no None: spell the kept sizes out."""
    sizes = tuple(n if o is None else o for o, n in zip(output, xt.shape[2:]))
    return sizes if ndim > 1 else sizes[0]


FLOAT_ADAPTIVE = [c for c in ADAPTIVE if np.dtype(c[4]).kind == "f" and c[4] != np.float16]


@pytest.mark.parametrize("ndim, shape, output, layout, dtype, seed", FLOAT_ADAPTIVE)
def test_adaptive_max_pool_matches_torch(ndim, shape, output, layout, dtype, seed):
    x = _array(shape, dtype, seed)
    name = "adaptive_max_pool%dd" % ndim
    y, idx = getattr(cypool, name)(x, output, return_indices=True, layout=layout)
    xt = _cf(x, layout, ndim).requires_grad_(True)
    yt, it = getattr(F, name)(xt, _resolved(output, xt, ndim), return_indices=True)
    np.testing.assert_array_equal(y, _back(yt, layout, y.shape))
    np.testing.assert_array_equal(idx, _back(it, layout, y.shape))
    g = _array(y.shape, dtype, seed + 1)
    yt.backward(_cf(g, layout, ndim))
    np.testing.assert_array_equal(
        getattr(cypool, name + "_backward")(g, idx, x.shape, layout=layout),
        _back(xt.grad, layout, x.shape),
    )


@pytest.mark.parametrize("ndim, shape, output, layout, dtype, seed", FLOAT_ADAPTIVE)
def test_adaptive_avg_pool_matches_torch(ndim, shape, output, layout, dtype, seed):
    x = _array(shape, dtype, seed)
    name = "adaptive_avg_pool%dd" % ndim
    y = getattr(cypool, name)(x, output, layout=layout)
    xt = _cf(x, layout, ndim).requires_grad_(True)
    yt = getattr(F, name)(xt, _resolved(output, xt, ndim))
    g = _array(y.shape, dtype, seed + 1)
    yt.backward(_cf(g, layout, ndim))
    gi = getattr(cypool, name + "_backward")(g, x.shape, layout=layout)
    if all(o == 1 for o in y.shape[-ndim - (layout == "channels_last") :][:ndim]):
        # torch computes an output of size 1 with torch.mean (another summation
        # order): equal to a few ulps, not bit for bit.
        tol = 8 * np.finfo(dtype).eps
        np.testing.assert_allclose(y, _back(yt, layout, y.shape), rtol=tol, atol=tol)
        np.testing.assert_allclose(gi, _back(xt.grad, layout, x.shape), rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(y, _back(yt, layout, y.shape))
        np.testing.assert_array_equal(gi, _back(xt.grad, layout, x.shape))


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
@pytest.mark.parametrize("shape", [(2, 3, 7), (2, 5, 6, 4), (1, 2, 3, 4, 5)])
def test_global_pooling_matches_torch(shape, layout):
    ndim = len(shape) - 2
    x = _array(shape, np.float64, 9)
    cl_shape = (shape[0],) + shape[2:] + (shape[1],)
    xl = np.ascontiguousarray(np.moveaxis(x, 1, -1)) if layout == "channels_last" else x
    xt = torch.from_numpy(x)
    expected_max = getattr(F, "adaptive_max_pool%dd" % ndim)(xt, 1).numpy().reshape(shape[:2])
    np.testing.assert_array_equal(cypool.global_max_pool(xl, layout=layout), expected_max)
    expected_avg = xt.mean(dim=tuple(range(2, 2 + ndim))).numpy()
    np.testing.assert_allclose(
        cypool.global_avg_pool(xl, layout=layout), expected_avg, rtol=1e-14, atol=1e-15
    )
    kept = cypool.global_avg_pool(xl, layout=layout, keepdims=True)
    assert kept.shape == (
        (shape[0], shape[1]) + (1,) * ndim
        if layout == "channels_first"
        else (shape[0],) + (1,) * ndim + (shape[1],)
    )
    assert xl.shape == (shape if layout == "channels_first" else cl_shape)


def _lp_torch_cases():
    """Windows torch.nn.functional.lp_pool accepts: no padding, no dilation; and no
    ceil_mode overhang (where torch scales the partial window up)."""
    return [
        c
        for c in generate(400, seed=8, torch_only=True)
        if c.window["padding"] in (0, "valid")
        and c.window["dilation"] == 1
        and not c.window["ceil_mode"]
    ][:90]


@pytest.mark.parametrize("case", _lp_torch_cases(), ids=lambda c: c.id)
def test_lp_pool_matches_torch_on_non_negative_input(case):
    x = np.abs(case.input()) + 0.1  # torch's Lp has no |x|: agree on x > 0
    p = [1, 2, 3, 1.5][case.seed % 4]
    y = getattr(cypool, "lp_pool%dd" % case.ndim)(x, p, layout=case.layout, **case.window)
    xt = _cf(x, case.layout, case.ndim).requires_grad_(True)
    k, s = case.window["kernel_size"], case.window["stride"]
    if case.ndim == 1:  # lp_pool1d wants plain ints
        k = k[0] if isinstance(k, tuple) else k
        s = s[0] if isinstance(s, tuple) else s
    yt = getattr(F, "lp_pool%dd" % case.ndim)(xt, p, k, s)
    tol = 50 * np.finfo(x.dtype).eps
    np.testing.assert_allclose(y, _back(yt, case.layout, y.shape), rtol=tol, atol=tol)
    g = case.grad(y.shape)
    yt.backward(_cf(g, case.layout, case.ndim))
    gi = getattr(cypool, "lp_pool%dd_backward" % case.ndim)(
        g, x, p, layout=case.layout, **case.window
    )
    np.testing.assert_allclose(
        gi, _back(xt.grad, case.layout, x.shape), rtol=tol * 20, atol=tol * 20
    )


UNPOOL_CASES = generate(120, seed=13, torch_only=True)


@pytest.mark.parametrize("case", UNPOOL_CASES, ids=lambda c: c.id)
def test_max_unpool_matches_torch(case):
    x = case.input()
    pad = case.window["padding"]
    window = dict(case.window, dilation=1)
    y, idx = getattr(cypool, "max_pool%dd" % case.ndim)(
        x, return_indices=True, layout=case.layout, **window
    )
    kw = dict(
        kernel_size=window["kernel_size"],
        stride=window["stride"],
        padding=0 if pad == "valid" else pad,
    )
    spatial = _cf(x, case.layout, case.ndim).shape[2:]
    u = getattr(cypool, "max_unpool%dd" % case.ndim)(
        y, idx, output_size=tuple(spatial), layout=case.layout, **kw
    )
    yt = _cf(y, case.layout, case.ndim).requires_grad_(True)
    it = _cf(idx, case.layout, case.ndim)
    ut = getattr(F, "max_unpool%dd" % case.ndim)(
        yt,
        it,
        kw["kernel_size"],
        kw["stride"] if kw["stride"] is not None else None,
        kw["padding"],
        output_size=tuple(spatial),
    )
    np.testing.assert_array_equal(u, _back(ut, case.layout, u.shape))
    g = case.grad(u.shape)
    ut.backward(_cf(g, case.layout, case.ndim))
    np.testing.assert_array_equal(
        getattr(cypool, "max_unpool%dd_backward" % case.ndim)(g, idx, layout=case.layout),
        _back(yt.grad, case.layout, y.shape),
    )
