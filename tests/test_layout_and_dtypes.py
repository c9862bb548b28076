"""Channels-last equals channels-first bit for bit; dtype and copy rules of API.md."""

import numpy as np
import pytest
from _cases import generate

import cypool

CASES = generate(60, seed=11, dtypes=(np.float32, np.float64, np.uint8, np.int16))


def _to_last(array, ndim, batched):
    lead = 1 if batched else 0
    return np.ascontiguousarray(np.moveaxis(array, lead, -1))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_channels_last_equals_channels_first(case):
    x = case.input()
    batched = len(x.shape) == case.ndim + 2
    if case.layout == "channels_last":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1 if batched else 0))
    x_last = _to_last(x, case.ndim, batched)
    fwd = getattr(cypool, "max_pool%dd" % case.ndim)
    y, idx = fwd(x, return_indices=True, **case.window)
    y_l, idx_l = fwd(x_last, return_indices=True, layout="channels_last", **case.window)
    np.testing.assert_array_equal(_to_last(y, case.ndim, batched), y_l)
    np.testing.assert_array_equal(_to_last(idx, case.ndim, batched), idx_l)
    g = case.grad(y.shape)
    back = getattr(cypool, "max_pool%dd_backward" % case.ndim)
    np.testing.assert_array_equal(
        _to_last(back(g, idx, x.shape), case.ndim, batched),
        back(_to_last(g, case.ndim, batched), idx_l, x_last.shape, layout="NHWC"),
    )
    avg = getattr(cypool, "avg_pool%dd" % case.ndim)
    a = avg(x, **case.avg_window)
    np.testing.assert_array_equal(
        _to_last(a, case.ndim, batched), avg(x_last, layout="channels_last", **case.avg_window)
    )
    avg_back = getattr(cypool, "avg_pool%dd_backward" % case.ndim)
    ga = case.grad(a.shape, a.dtype)
    np.testing.assert_array_equal(
        _to_last(avg_back(ga, x.shape, **case.avg_window), case.ndim, batched),
        avg_back(
            _to_last(ga, case.ndim, batched),
            x_last.shape,
            layout="channels_last",
            **case.avg_window,
        ),
    )


def test_integer_average_is_float64_mean():
    x = np.array([[[1, 2, 4, 7]]], dtype=np.uint8)
    y = cypool.avg_pool1d(x, 2)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [[[1.5, 5.5]]])


def test_uint8_max_equals_float64_computation_cast_back():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(2, 3, 17, 13), dtype=np.uint8)
    y = cypool.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True)
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(
        y,
        cypool.max_pool2d(x.astype(np.float64), 3, stride=2, padding=1, ceil_mode=True).astype(
            np.uint8
        ),
    )


def test_float16_is_computed_in_float32_with_float16_result():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float16)
    y = cypool.avg_pool2d(x, 3, 1, 1)
    assert y.dtype == np.float16
    np.testing.assert_array_equal(
        y, cypool.avg_pool2d(x.astype(np.float32), 3, 1, 1).astype(np.float16)
    )
    assert cypool.max_pool2d(x, 2).dtype == np.float16


def test_non_contiguous_and_big_endian_input():
    rng = np.random.default_rng(2)
    base = rng.standard_normal((2, 3, 10, 12))
    strided = base[:, ::-1, ::2, 1::2]
    expected = cypool.max_pool2d(np.ascontiguousarray(strided), 2)
    np.testing.assert_array_equal(cypool.max_pool2d(strided, 2), expected)
    big = np.ascontiguousarray(strided).astype(">f8")
    result = cypool.max_pool2d(big, 2)
    assert result.dtype.isnative
    np.testing.assert_array_equal(result, expected)


def test_list_input_and_unbatched():
    y = cypool.max_pool2d([[[1.0, 2.0], [3.0, 4.0]]], 2)
    assert y.shape == (1, 1, 1) and y[0, 0, 0] == 4.0


def test_input_is_never_modified():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 9, 9))
    saved = x.copy()
    cypool.max_pool2d(x, 3, 2, 1, return_indices=True)
    cypool.avg_pool2d(x, 3, 2, 1, out=np.empty((2, 3, 5, 5)))
    g = rng.standard_normal((2, 3, 5, 5))
    g_saved = g.copy()
    cypool.avg_pool2d_backward(g, x.shape, 3, 2, 1)
    np.testing.assert_array_equal(x, saved)
    np.testing.assert_array_equal(g, g_saved)


@pytest.mark.parametrize("case", CASES[:30], ids=lambda c: c.id)
def test_family_channels_last_equals_channels_first(case):
    """Adaptive, Lp and unpool: channels-last results are the transposed
    channels-first results, bit for bit."""
    x = case.input()
    batched = len(x.shape) == case.ndim + 2
    if case.layout == "channels_last":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1 if batched else 0))
    x_last = _to_last(x, case.ndim, batched)
    last = lambda a: _to_last(a, case.ndim, batched)
    nd = case.ndim
    out = tuple(max(1, s // 2) for s in x.shape[-nd:])
    for name in ("adaptive_max_pool%dd", "adaptive_avg_pool%dd"):
        f = getattr(cypool, name % nd)
        np.testing.assert_array_equal(
            last(np.asarray(f(x, out))), f(x_last, out, layout="channels_last")
        )
    f = getattr(cypool, "lp_pool%dd" % nd)
    np.testing.assert_array_equal(
        last(f(x, 2, **case.window)), f(x_last, 2, layout="channels_last", **case.window)
    )
    y, idx = getattr(cypool, "max_pool%dd" % nd)(x, return_indices=True, **case.window)
    pad = case.window["padding"]
    kw = dict(
        kernel_size=case.window["kernel_size"],
        stride=case.window["stride"],
        padding=0 if isinstance(pad, str) else pad,
        output_size=x.shape[-nd:],
    )
    unpool = getattr(cypool, "max_unpool%dd" % nd)
    np.testing.assert_array_equal(
        last(unpool(y, idx, **kw)), unpool(last(y), last(idx), layout="channels_last", **kw)
    )


@pytest.mark.parametrize("first, last", [("NCW", "NWC"), ("ncw", "nwc"), ("NCL", "NLC")])
def test_tensorflow_1d_layout_names(first, last):
    x = np.random.default_rng(4).standard_normal((2, 3, 17)).astype(np.float32)
    xl = np.ascontiguousarray(x.transpose(0, 2, 1))
    want = cypool.max_pool1d(x, 3, 2, 1)
    np.testing.assert_array_equal(cypool.max_pool1d(x, 3, 2, 1, layout=first), want)
    np.testing.assert_array_equal(
        cypool.max_pool1d(xl, 3, 2, 1, layout=last), want.transpose(0, 2, 1)
    )
