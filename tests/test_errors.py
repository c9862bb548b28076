"""Every bad argument raises ValueError or TypeError whose message names the argument."""

import re

import numpy as np
import pytest

import cypool
from cypool.reference import loops

X = np.zeros((2, 3, 8, 8), np.float32)


def _starting_with(name):
    """A message must open with the argument's name (not merely contain it: every
    geometry message mentions several)."""
    return r"^%s\b" % re.escape(name)


FORWARD_CASES = [
    # (kwargs, exception, argument named in the message)
    (dict(kernel_size=0), ValueError, "kernel_size"),
    (dict(kernel_size=-2), ValueError, "kernel_size"),
    (dict(kernel_size=2.0), TypeError, "kernel_size"),
    (dict(kernel_size=True), TypeError, "kernel_size"),
    (dict(kernel_size=(2, 2, 2)), ValueError, "kernel_size"),
    (dict(kernel_size="2"), TypeError, "kernel_size"),
    (dict(kernel_size=9), ValueError, "kernel_size"),
    (dict(kernel_size=2, stride=0), ValueError, "stride"),
    (dict(kernel_size=2, stride=(1, 0)), ValueError, "stride"),
    (dict(kernel_size=2, stride=1.5), TypeError, "stride"),
    (dict(kernel_size=2, dilation=0), ValueError, "dilation"),
    (dict(kernel_size=2, dilation=(1, False)), TypeError, "dilation"),
    (dict(kernel_size=2, padding=-1), ValueError, "padding"),
    (dict(kernel_size=2, padding=((0, -1), (0, 0))), ValueError, "padding"),
    (dict(kernel_size=2, padding=((0, 1), (0,))), ValueError, "padding"),
    (dict(kernel_size=2, padding="full"), ValueError, "padding"),
    (dict(kernel_size=2, padding=2), ValueError, "padding"),  # a window of only padding
    (dict(kernel_size=3, padding=(0, 5)), ValueError, "padding"),
    (dict(kernel_size=2, padding=1.0), TypeError, "padding"),
    (dict(kernel_size=2, ceil_mode="yes"), TypeError, "ceil_mode"),
    (dict(kernel_size=2, layout="NWHC"), ValueError, "layout"),
    (dict(kernel_size=2, layout=3), TypeError, "layout"),
    (dict(kernel_size=2, num_threads=0), ValueError, "num_threads"),
    (dict(kernel_size=2, stride=2**62), ValueError, "stride"),  # overflows int64
]


@pytest.mark.parametrize("kwargs, exc, name", FORWARD_CASES)
@pytest.mark.parametrize("function", [cypool.max_pool2d, cypool.avg_pool2d])
def test_bad_window_arguments(function, kwargs, exc, name):
    with pytest.raises(exc, match=_starting_with(name)):
        function(X, **kwargs)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(divisor_override=0), ValueError, "divisor_override"),
        (dict(divisor_override=2.5), TypeError, "divisor_override"),
        (dict(divisor_override=True), TypeError, "divisor_override"),
        (dict(count_include_pad="no"), TypeError, "count_include_pad"),
    ],
)
def test_bad_average_arguments(kwargs, exc, name):
    with pytest.raises(exc, match=_starting_with(name)):
        cypool.avg_pool2d(X, 2, **kwargs)
    with pytest.raises(exc, match=_starting_with(name)):
        cypool.avg_pool2d_backward(np.zeros((2, 3, 4, 4)), X.shape, 2, **kwargs)


@pytest.mark.parametrize(
    "x, exc",
    [
        (np.zeros((8, 8)), ValueError),
        (np.zeros((1, 2, 3, 8, 8)), ValueError),
        (np.zeros((2, 3, 0, 8)), ValueError),
        (np.zeros((2, 3, 8, 8), "V2"), TypeError),  # raw bytes (bool is accepted: masks)
        (np.zeros((2, 3, 8, 8), complex), TypeError),
        (np.zeros((2, 3, 8, 8), object), TypeError),
        (np.zeros((2, 3, 8, 8), "datetime64[s]"), TypeError),
        (np.full((2, 3, 8, 8), "a"), TypeError),
    ],
)
@pytest.mark.parametrize("function", [cypool.max_pool2d, cypool.avg_pool2d])
def test_bad_input_arrays(function, x, exc):
    with pytest.raises(exc, match=r"^x\b"):
        function(x, 2)


def test_zero_batch_and_channels_are_valid():
    for shape, expected in (((0, 3, 8, 8), (0, 3, 4, 4)), ((2, 0, 8, 8), (2, 0, 4, 4))):
        x = np.zeros(shape)
        y, idx = cypool.max_pool2d(x, 2, return_indices=True)
        assert y.shape == idx.shape == expected
        assert cypool.avg_pool2d(x, 2).shape == expected
        assert cypool.max_pool2d_backward(y, idx, shape).shape == shape
        assert cypool.avg_pool2d_backward(y, shape, 2).shape == shape


@pytest.mark.parametrize(
    "out, exc",
    [
        (np.empty((2, 3, 4, 5), np.float32), ValueError),
        (np.empty((2, 3, 4, 4), np.float64), ValueError),
        (np.empty((2, 3, 4, 8), np.float32)[..., ::2], ValueError),
        ([0.0], TypeError),
    ],
)
def test_bad_out(out, exc):
    with pytest.raises(exc, match=r"^out\b"):
        cypool.max_pool2d(X, 2, out=out)
    with pytest.raises(exc, match=r"^out\b"):
        cypool.avg_pool2d(X, 2, out=out)


def test_read_only_and_overlapping_out():
    out = np.empty((2, 3, 4, 4), np.float32)
    out.flags.writeable = False
    with pytest.raises(ValueError, match=r"^out\b"):
        cypool.avg_pool2d(X, 2, out=out)
    x = np.zeros((2, 3, 8, 8), np.float32)
    with pytest.raises(ValueError, match=r"^out\b"):
        cypool.avg_pool2d(x, 1, out=x)
    with pytest.raises(TypeError, match=r"^out\b"):
        cypool.max_pool2d(X, 2, return_indices=True, out=np.empty((2, 3, 4, 4), np.float32))
    with pytest.raises(ValueError, match=r"^out\[1\]"):
        cypool.max_pool2d(
            X,
            2,
            return_indices=True,
            out=(np.empty((2, 3, 4, 4), np.float32), np.empty((2, 3, 4, 4), np.int32)),
        )


def test_bad_backward_arguments():
    y, idx = cypool.max_pool2d(X, 2, return_indices=True)
    with pytest.raises(ValueError, match=r"^indices\b"):
        cypool.max_pool2d_backward(y, idx + 64, X.shape)
    with pytest.raises(ValueError, match=r"^indices\b"):
        cypool.max_pool2d_backward(y, idx - 1, X.shape)  # -1 is out of range, not wrap-around
    with pytest.raises(ValueError, match=r"^indices\b"):
        cypool.max_pool2d_backward(y, idx[:1], X.shape)
    with pytest.raises(TypeError, match=r"^indices\b"):
        cypool.max_pool2d_backward(y, idx.astype(float), X.shape)
    with pytest.raises(ValueError, match=r"^grad_output\b"):
        cypool.max_pool2d_backward(y[:1], idx[:1], X.shape)
    with pytest.raises(ValueError, match=r"^input_shape\b"):
        cypool.max_pool2d_backward(y, idx, (2, 3, 8))
    with pytest.raises(TypeError, match=r"^input_shape\b"):
        cypool.max_pool2d_backward(y, idx, "2,3,8,8")
    with pytest.raises(ValueError, match=r"^grad_output\b"):
        cypool.avg_pool2d_backward(y, X.shape, 3)
    with pytest.raises(ValueError, match=r"^input_shape\b"):
        cypool.avg_pool2d_backward(y, (2, 3, 0, 8), 2)


def test_adaptive_output_too_large_to_allocate_names_output_size():
    # Found by the fuzzer: zero channels make the output empty, but NumPy still
    # refuses its shape; both cypool and the reference must say so.
    x = np.zeros((1, 0), np.int8)
    for module in (cypool, loops):
        with pytest.raises(ValueError, match=r"^output_size\b"):
            module.adaptive_max_pool1d(x, 2**62, layout="channels_last")
