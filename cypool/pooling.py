"""The NumPy-facing façade: validate, prepare buffers, pick threads, call a kernel.

Every public pooling function is a thin wrapper over one generic driver per
operation (``_max_pool``, ``_avg_pool`` and their backward), parameterised by the
number of spatial dims.  The drivers never loop over data: kernels do that.
"""
import math

import numpy as np

from cypool import _args, _threads
from cypool._avg_pool import avg_pool_backward_call, avg_pool_forward_call
from cypool._max_pool import max_pool_backward_call, max_pool_forward_call


def _compute_dtype(dtype, average):
    """The dtype kernels run in: float16 runs in float32, integer averages in float64."""
    if dtype == np.float16:
        return np.dtype(np.float32)
    if average and dtype.kind in _args.INTEGER_KINDS:
        return np.dtype(np.float64)
    return dtype


def _result_dtype(dtype, average):
    if average and dtype.kind in _args.INTEGER_KINDS:
        return np.dtype(np.float64)
    return dtype


def _run_in(compute_dtype, result):
    """A flat buffer of ``compute_dtype`` for a kernel to write ``result`` into."""
    if result.dtype == compute_dtype:
        return result.reshape(-1)
    return np.empty(result.size, dtype=compute_dtype)


def _finish(buffer, result):
    """Copy a kernel's buffer into ``result`` when it ran in another dtype."""
    if buffer.dtype != result.dtype:
        result.reshape(-1)[...] = buffer
    return result


def _max_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
              layout, out, num_threads):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    geometry = _args.window_geometry(extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    return_indices = _args.as_bool("return_indices", return_indices)
    shape = extent.shape(geometry.out_size)
    values_out, indices_out = _args.split_out_pair(out) if return_indices else (out, None)
    y = _args.check_out(values_out, shape, x.dtype, [x])
    indices = (_args.check_out(indices_out, shape, np.dtype(np.int64), [x, y], "out[1]")
               if return_indices else None)
    if y.size:
        compute = _compute_dtype(x.dtype, average=False)
        buffer = _run_in(compute, y)
        outer = extent.kernel_outer
        rows = outer * math.prod(geometry.out_size[:-1])
        max_pool_forward_call(x.reshape(-1).astype(compute, copy=False), buffer,
                              None if indices is None else indices.reshape(-1), geometry,
                              outer, extent.kernel_channels, _threads.resolve(num_threads, rows))
        _finish(buffer, y)
    return (y, indices) if return_indices else y


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out, num_threads):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    grad = _args.as_input("grad_output", grad_output)
    out_extent = _args.grad_extent(grad.shape, in_extent, ndim, layout)
    indices = _args.as_indices("indices", indices, grad.shape)
    grad_in = _args.check_out(out, in_extent.shape(), grad.dtype, [grad, indices])
    compute = _compute_dtype(grad.dtype, average=False)
    buffer = _run_in(compute, grad_in)
    if grad_in.size:
        outer, channels = in_extent.kernel_outer, in_extent.kernel_channels
        in_plane = int(np.prod(in_extent.spatial, dtype=np.int64))
        bad = max_pool_backward_call(
            grad.reshape(-1).astype(compute, copy=False), indices.reshape(-1), buffer, outer,
            channels, int(np.prod(out_extent.spatial, dtype=np.int64)), in_plane,
            _threads.resolve(num_threads, outer * -(-channels // 64)))
        if bad:
            raise ValueError("indices: %d entries lie outside the input plane [0, %d)"
                             % (bad, in_plane))
    return _finish(buffer, grad_in)


def _avg_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
              divisor_override, layout, out, num_threads):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    geometry = _args.window_geometry(extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    shape = extent.shape(geometry.out_size)
    y = _args.check_out(out, shape, _result_dtype(x.dtype, average=True), [x])
    if y.size:
        compute = _compute_dtype(x.dtype, average=True)
        buffer = _run_in(compute, y)
        outer = extent.kernel_outer
        rows = outer * math.prod(geometry.out_size[:-1])
        avg_pool_forward_call(x.reshape(-1).astype(compute, copy=False), buffer, geometry, outer,
                              extent.kernel_channels, count_include_pad, divisor,
                              _threads.resolve(num_threads, rows))
        _finish(buffer, y)
    return y


def _avg_pool_backward(ndim, grad_output, input_shape, kernel_size, stride, padding, dilation,
                       ceil_mode, count_include_pad, divisor_override, layout, out, num_threads):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    geometry = _args.window_geometry(in_extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    grad = _args.as_input("grad_output", grad_output)
    expected = in_extent.shape(geometry.out_size)
    if grad.shape != expected:
        raise ValueError("grad_output must have shape %r for this input_shape and window, got %r"
                         % (expected, grad.shape))
    grad_in = _args.check_out(out, in_extent.shape(), _result_dtype(grad.dtype, average=True),
                              [grad])
    if grad_in.size:
        compute = _compute_dtype(grad.dtype, average=True)
        buffer = _run_in(compute, grad_in)
        outer = in_extent.kernel_outer
        rows = outer * math.prod(geometry.in_size[:-1])
        avg_pool_backward_call(grad.reshape(-1).astype(compute, copy=False), buffer, geometry,
                               outer, in_extent.kernel_channels, count_include_pad, divisor,
                               _threads.resolve(num_threads, rows))
        _finish(buffer, grad_in)
    return grad_in


# ---------------------------------------------------------------------------------------
# Public functions.  Docstrings share one template per operation, filled per dimension.

_SHAPES = {1: ("(N, C, L)", "(N, L, C)", "L"), 2: ("(N, C, H, W)", "(N, H, W, C)", "H, W"),
           3: ("(N, C, D, H, W)", "(N, D, H, W, C)", "D, H, W")}
_EXAMPLE_INPUT = {1: "np.arange(8.).reshape(1, 1, 8)", 2: "np.arange(16.).reshape(1, 1, 4, 4)",
                  3: "np.arange(64.).reshape(1, 1, 4, 4, 4)"}
_X_PARAMETER = """x : array_like
    {cf} (``layout="channels_first"``, the default) or {cl} (``"channels_last"``);
    the batch dim may be omitted.  Any strides or byte order; C-contiguous native
    input is not copied.
"""
_WINDOW_PARAMETERS = """kernel_size : int or tuple of {nd} ints
stride : int, tuple or None
    Defaults to ``kernel_size``.
padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
    May exceed ``kernel_size // 2`` as long as every window samples the input.
dilation : int or tuple
ceil_mode : bool
    PyTorch's rule: round the output size up, but the last window must start
    inside the input or the left padding."""
_RUNTIME_PARAMETERS = """layout : str
    "channels_first" (aliases "NCL", "NCHW", "NCDHW") or "channels_last" ("NLC",
    "NHWC", "NDHWC").
out : ndarray, optional
    Result buffer of exactly the result's shape and dtype, C-contiguous.
num_threads : int, optional
    OpenMP threads for this call (default: ``cypool.get_num_threads()``)."""

_DOCS = {
    "max_pool": """{nd}-D max pooling, PyTorch's ``max_pool{nd}d`` semantics.

Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
ties go to the first maximum in row-major window order.

Parameters
----------
""" + _X_PARAMETER + _WINDOW_PARAMETERS + """
return_indices : bool
    Also return int64 flat indices of each maximum into the input's spatial plane
    ({sp}) of its (n, c); with ``out``, pass a (values, indices) pair.
""" + _RUNTIME_PARAMETERS + """

Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    Same layout, batchedness and dtype as ``x``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> y.shape == idx.shape
True
""",
    "max_pool_backward": """Gradient of ``max_pool{nd}d`` with respect to its input.

Parameters
----------
grad_output : array_like
    Gradient of the pooled output.
indices : array_like of int
    The indices ``max_pool{nd}d(..., return_indices=True)`` returned; each must lie in
    the spatial plane ({sp}), else ValueError.
input_shape : tuple of int
    Shape of the forward input (same layout, batched or not).
""" + _RUNTIME_PARAMETERS + """

Returns
-------
grad_input : ndarray of shape ``input_shape``
    ``grad_output`` scattered to the argmax positions, summed where windows overlap.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> g = cypool.max_pool{nd}d_backward(np.ones_like(y), idx, x.shape)
>>> float(g.sum()) == y.size
True
""",
    "avg_pool": """{nd}-D average pooling, PyTorch's ``avg_pool{nd}d`` semantics.

The divisor is ``divisor_override`` if given, else the window's tap count: with
``count_include_pad`` taps in the padding count, taps past the padded edge (the
ceil_mode overhang) never do.  Integer input gives float64 means.

Parameters
----------
""" + _X_PARAMETER + _WINDOW_PARAMETERS + """
count_include_pad : bool
divisor_override : int or None
""" + _RUNTIME_PARAMETERS + """

Returns
-------
y : ndarray
    Same layout and batchedness as ``x``; float dtypes kept, integers give float64.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> cypool.avg_pool{nd}d(x, 2).shape == cypool.max_pool{nd}d(x, 2).shape
True
""",
    "avg_pool_backward": """Gradient of ``avg_pool{nd}d`` with respect to its input.

Each output gradient is divided by its window's divisor and spread over the
window's input taps.  Window arguments must be those of the forward call.

Parameters
----------
grad_output : array_like
    Gradient of the pooled output, of exactly the forward output's shape.
input_shape : tuple of int
    Shape of the forward input (same layout, batched or not).
""" + _WINDOW_PARAMETERS + """
count_include_pad : bool
divisor_override : int or None
""" + _RUNTIME_PARAMETERS + """

Returns
-------
grad_input : ndarray of shape ``input_shape``

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.avg_pool{nd}d(x, 2)
>>> g = cypool.avg_pool{nd}d_backward(np.ones_like(y), x.shape, 2)
>>> float(g.sum()) == y.size
True
""",
}


def _document(operation, ndim):
    cf, cl, sp = _SHAPES[ndim]

    def attach(function):
        function.__doc__ = _DOCS[operation].format(nd=ndim, cf=cf, cl=cl, sp=sp,
                                                   example=_EXAMPLE_INPUT[ndim])
        return function
    return attach


@_document("max_pool", 1)
def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(1, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool", 2)
def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(2, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool", 3)
def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(3, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool_backward", 1)
def max_pool1d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(1, grad_output, indices, input_shape, layout, out, num_threads)


@_document("max_pool_backward", 2)
def max_pool2d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(2, grad_output, indices, input_shape, layout, out, num_threads)


@_document("max_pool_backward", 3)
def max_pool3d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(3, grad_output, indices, input_shape, layout, out, num_threads)


@_document("avg_pool", 1)
def avg_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(1, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool", 2)
def avg_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(2, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool", 3)
def avg_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(3, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool_backward", 1)
def avg_pool1d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(1, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)


@_document("avg_pool_backward", 2)
def avg_pool2d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(2, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)


@_document("avg_pool_backward", 3)
def avg_pool3d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(3, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)
