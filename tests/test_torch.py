"""Differential tests against PyTorch (installed in CI; skipped where it is not).

Forward values, argmax indices and autograd gradients on the configurations that
torch.nn.functional accepts unchanged.  Max pooling must match bit for bit; the
average kernels sum and divide in the same order and precision as PyTorch's CPU
kernels, so they match bit for bit as well.
"""

import numpy as np
import pytest
from _cases import generate

import cypool

torch = pytest.importorskip("torch")
F = torch.nn.functional

CASES = generate(240, seed=99, torch_only=True)


def _torch_accepts_avg(case):
    """avg_pool has no dilation, and avg_pool3d also wants input >= kernel per dim."""
    if case.window["dilation"] != 1:
        return False
    if case.ndim == 3:
        spatial = case.shape[-4:-1] if case.layout == "channels_last" else case.shape[-3:]
        k = case.window["kernel_size"]
        return all(n >= kk for n, kk in zip(spatial, k if isinstance(k, tuple) else (k,) * 3))
    return True


AVG_CASES = [c for c in CASES if _torch_accepts_avg(c)]


def _to_torch_layout(case, array):
    """A batched channels-first torch tensor from an array in the case's layout."""
    if len(array.shape) == case.ndim + 1:
        array = array[np.newaxis]
    if case.layout == "channels_last":
        array = np.moveaxis(array, -1, 1)
    return torch.from_numpy(np.ascontiguousarray(array))


def _from_torch_layout(case, tensor, like_shape):
    array = tensor.detach().numpy()
    if case.layout == "channels_last":
        array = np.moveaxis(array, 1, -1)
    return np.ascontiguousarray(array.reshape(like_shape))


def _torch_window(case):
    w = dict(case.window)
    if w["stride"] is None:
        w["stride"] = w["kernel_size"]
    if w["padding"] == "valid":
        w["padding"] = 0
    return w


def _torch_max(case, xt):
    w = _torch_window(case)
    fn = getattr(F, "max_pool%dd" % case.ndim)
    return fn(
        xt,
        w["kernel_size"],
        w["stride"],
        w["padding"],
        w["dilation"],
        ceil_mode=w["ceil_mode"],
        return_indices=True,
    )


def _torch_avg(case, xt):
    w = _torch_window(case)
    if case.ndim == 1:  # avg_pool1d has no divisor_override: run it as 2-D with H = 1
        lift = lambda v: (1,) + (tuple(v) if isinstance(v, tuple) else (v,))
        y = F.avg_pool2d(
            xt[:, :, None],
            lift(w["kernel_size"]),
            lift(w["stride"]),
            (0,) + ((w["padding"],) if isinstance(w["padding"], int) else tuple(w["padding"])),
            w["ceil_mode"],
            case.count_include_pad,
            case.divisor_override,
        )
        return y[:, :, 0]
    fn = getattr(F, "avg_pool%dd" % case.ndim)
    return fn(
        xt,
        w["kernel_size"],
        w["stride"],
        w["padding"],
        w["ceil_mode"],
        case.count_include_pad,
        case.divisor_override,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_max_pool_matches_torch(case):
    x = case.input()
    y, idx = getattr(cypool, "max_pool%dd" % case.ndim)(
        x, return_indices=True, layout=case.layout, **case.window
    )
    xt = _to_torch_layout(case, x).requires_grad_(True)
    yt, it = _torch_max(case, xt)
    np.testing.assert_array_equal(y, _from_torch_layout(case, yt, y.shape))
    np.testing.assert_array_equal(idx, _from_torch_layout(case, it, y.shape))
    grad = case.grad(y.shape)
    yt.backward(_to_torch_layout(case, grad))
    g = getattr(cypool, "max_pool%dd_backward" % case.ndim)(grad, idx, x.shape, layout=case.layout)
    np.testing.assert_array_equal(g, _from_torch_layout(case, xt.grad, x.shape))


@pytest.mark.parametrize("case", AVG_CASES, ids=lambda c: c.id)
def test_avg_pool_matches_torch(case):
    x = case.input()
    y = getattr(cypool, "avg_pool%dd" % case.ndim)(x, layout=case.layout, **case.avg_window)
    xt = _to_torch_layout(case, x).requires_grad_(True)
    yt = _torch_avg(case, xt)
    np.testing.assert_array_equal(y, _from_torch_layout(case, yt, y.shape))
    grad = case.grad(y.shape)
    yt.backward(_to_torch_layout(case, grad))
    g = getattr(cypool, "avg_pool%dd_backward" % case.ndim)(
        grad, x.shape, layout=case.layout, **case.avg_window
    )
    np.testing.assert_array_equal(g, _from_torch_layout(case, xt.grad, x.shape))


def test_torch_sweep_is_large():
    assert len(CASES) >= 200 and len(AVG_CASES) >= 100
    assert {c.ndim for c in CASES} == {1, 2, 3}
    assert any(c.window["ceil_mode"] for c in AVG_CASES)
    assert any(c.divisor_override for c in AVG_CASES)
    assert any(not c.count_include_pad for c in AVG_CASES)
