"""The NumPy-facing façade of window pooling: max, average and Lp, forward and backward.

Every public function is a thin wrapper over one generic driver per operation,
parameterised by the number of spatial dims.  Drivers validate (through
``cypool._args``), prepare buffers, pick a thread count and call a kernel; they
never loop over data themselves.
"""
import dataclasses
import math

import numpy as np

from cypool import _args, _plans, _threads
from cypool._docs import documented
from cypool._dispatch import avg_kernels, max_kernels


def _rows(extent, sizes):
    """Parallel work units of a kernel call: one per (outer, all-but-last-dim) row."""
    return extent.kernel_outer * math.prod(sizes[:-1])


_INT64 = np.dtype(np.int64)


def _max_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
              layout, out, num_threads):
    plan_key, plan = _plans.find("max", ndim, x, (kernel_size, stride, padding, dilation, layout),
                                 (ceil_mode, return_indices))
    if plan is not None:
        result = _run_max_plan(plan, x, return_indices, out, num_threads)
        if result is not None:
            return result
    given = x
    x, extent, geometry = _args.forward_call(ndim, x, kernel_size, stride, padding, dilation,
                                       ceil_mode, layout)
    return_indices = _args.as_bool("return_indices", return_indices)
    shape = extent.shape(geometry.out_size)
    if x is given and math.prod(shape):
        _plans.store(plan_key, (geometry, shape, extent.kernel_outer, extent.kernel_channels,
                                _rows(extent, geometry.out_size)))
    return _max_kernel(x, extent, shape, return_indices, out, num_threads,
                       max_kernels.max_pool_forward_call, (geometry,), geometry.out_size)


def _run_max_plan(plan, x, return_indices, out, num_threads):
    """A planned max_pool call (see cypool._plans); None if ``out`` needs the full checks."""
    geometry, shape, outer, channels, rows = plan
    indices = None
    if return_indices:
        if out is None:
            out = (None, None)
        elif type(out) is not tuple or len(out) != 2:
            return None
        y = _plans.output(out[0], shape, x.dtype, (x,))
        if y is None:
            return None
        indices = _plans.output(out[1], shape, _INT64, (x, y))
        if indices is None:
            return None
    else:
        y = _plans.output(out, shape, x.dtype, (x,))
        if y is None:
            return None
    max_kernels.max_pool_forward_call(x, y, indices, geometry, outer, channels,
                                      _threads.resolve(num_threads, rows))
    return (y, indices) if return_indices else y


def _max_kernel(x, extent, shape, return_indices, out, num_threads, kernel, arguments,
                out_size):
    """Allocate/check outputs and run a max-type forward kernel (windowed or adaptive)."""
    values_out, indices_out = _args.split_out_pair(out) if return_indices else (out, None)
    y = _args.check_out(values_out, shape, x.dtype, [x])
    indices = (_args.check_out(indices_out, shape, np.dtype(np.int64), [x, y], "out[1]")
               if return_indices else None)
    if y.size:
        kernel(x.reshape(-1), y.reshape(-1), None if indices is None else indices.reshape(-1),
               *arguments, extent.kernel_outer, extent.kernel_channels,
               _threads.resolve(num_threads, _rows(extent, out_size)))
    return (y, indices) if return_indices else y


def route_to_indices(operation, source, indices, target_shape, source_extent, target_extent,
                     out, num_threads, name="indices"):
    """Run a scatter/gather kernel (max backward, unpool) and raise on bad indices."""
    grad_in = _args.check_out(out, target_shape, source.dtype, [source, indices])
    if grad_in.size:
        outer, channels = target_extent.kernel_outer, target_extent.kernel_channels
        source_plane = math.prod(source_extent.spatial)
        target_plane = math.prod(target_extent.spatial)
        threads = _threads.resolve(num_threads, outer * -(-channels // 64))
        bad = max_kernels.route_call(operation, source.reshape(-1), indices.reshape(-1),
                                     grad_in.reshape(-1), outer, channels, source_plane,
                                     target_plane, threads)
        if bad:
            plane = source_plane if operation == "max_unpool_backward" else target_plane
            raise ValueError("%s: %d entries lie outside the spatial plane [0, %d)"
                             % (name, bad, plane))
    return grad_in


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out, num_threads):
    grad, indices, in_extent, out_extent = _args.scatter_call(ndim, grad_output, indices,
                                                              input_shape, layout)
    return route_to_indices("max_pool_backward", grad, indices, in_extent.shape(), out_extent,
                            in_extent, out, num_threads)


def _avg_kernel(backward, source, result, geometry, extent, sizes, count_include_pad, divisor,
                num_threads, power=0, along=None):
    """Run the average kernel (or, with power p > 0, Lp pooling's forward, or its
    backward given x as ``along``) into ``result``."""
    if result.size:
        avg_kernels.avg_pool_call(backward, source.reshape(-1), result.reshape(-1), geometry,
                                  extent.kernel_outer, extent.kernel_channels, count_include_pad,
                                  divisor, _threads.resolve(num_threads, _rows(extent, sizes)),
                                  power, None if along is None else along.reshape(-1))
    return result


def _avg_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
              divisor_override, layout, out, num_threads):
    plan_key, plan = _plans.find("avg", ndim, x, (kernel_size, stride, padding, dilation, layout,
                                                  divisor_override), (ceil_mode, count_include_pad))
    if plan is not None:
        geometry, shape, outer, channels, rows, count_include_pad, divisor = plan
        y = _plans.output(out, shape, x.dtype, (x,))
        if y is not None:
            avg_kernels.avg_pool_call(False, x, y, geometry, outer, channels, count_include_pad,
                                      divisor, _threads.resolve(num_threads, rows))
            return y
    given = x
    x, extent, geometry = _args.forward_call(ndim, x, kernel_size, stride, padding, dilation,
                                       ceil_mode, layout)
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    shape = extent.shape(geometry.out_size)
    y = _args.check_out(out, shape, _args.result_dtype(x.dtype, average=True), [x])
    if x is given and x.dtype.kind == "f" and x.dtype.itemsize > 2 and y.size:
        _plans.store(plan_key, (geometry, shape, extent.kernel_outer, extent.kernel_channels,
                                _rows(extent, geometry.out_size), count_include_pad, divisor))
    return _avg_kernel(False, x, y, geometry, extent, geometry.out_size, count_include_pad,
                       divisor, num_threads)


def _avg_pool_backward(ndim, grad_output, input_shape, kernel_size, stride, padding, dilation,
                       ceil_mode, count_include_pad, divisor_override, layout, out, num_threads):
    grad, in_extent, geometry = _args.backward_call(ndim, grad_output, input_shape,
                                                      kernel_size, stride, padding, dilation,
                                                      ceil_mode, layout)
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    grad_in = _args.check_out(out, in_extent.shape(), _args.result_dtype(grad.dtype, True),
                              [grad])
    return _avg_kernel(True, grad, grad_in, geometry, in_extent, geometry.in_size,
                       count_include_pad, divisor, num_threads)


# Lp pooling runs the kernels above staged (cypool._staging): for p = 1 and 2 the
# window sums of |x|**p by the average kernel with divisor 1 (exact), then the
# root; p = inf is max pooling of |x|.  Each is one pass over x, with no
# array-sized temporaries.

def _lp_pool(ndim, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
             out, num_threads):
    x, extent, geometry = _args.forward_call(ndim, x, kernel_size, stride, padding, dilation,
                                       ceil_mode, layout)
    p = _args.norm_type(norm_type)
    y = _args.check_out(out, extent.shape(geometry.out_size), _args.result_dtype(x.dtype, True),
                        [x])
    if not y.size:
        return y
    if math.isinf(p):
        max_kernels.max_pool_forward_call(x.reshape(-1), y.reshape(-1), None, geometry,
                                          extent.kernel_outer, extent.kernel_channels,
                                          _threads.resolve(num_threads,
                                                           _rows(extent, geometry.out_size)),
                                          True)
        return y
    if p in (1, 2):
        return _avg_kernel(False, x, y, geometry, extent, geometry.out_size, False, 1,
                           num_threads, p)
    # Other p: NumPy's SIMD power computes the terms 2.3x faster than the kernels'
    # scalar powf would (measured on W1's shape), at the cost of two temporaries.
    compute = _args.compute_dtype(x.dtype, average=True)
    sums = _avg_kernel(False, np.abs(x.astype(compute, copy=False)) ** compute.type(p),
                       np.empty(y.shape, compute), geometry, extent, geometry.out_size, False, 1,
                       num_threads)
    y[...] = np.power(sums, 1 / p, out=sums)
    return y


def _lp_pool_backward(ndim, grad_output, x, norm_type, kernel_size, stride, padding, dilation,
                      ceil_mode, layout, out, num_threads):
    grad, in_extent, geometry = _args.backward_call(ndim, grad_output, np.shape(x),
                                                      kernel_size, stride, padding, dilation,
                                                      ceil_mode, layout)
    x = _args.as_input("x", x)
    p = _args.norm_type(norm_type)
    compute = _args.compute_dtype(x.dtype, average=True)
    grad_in = _args.check_out(out, x.shape, _args.result_dtype(x.dtype, True), [x, grad])
    g = grad.astype(compute, copy=False)
    xc = x.astype(compute, copy=False)
    if math.isinf(p):
        # d max|x| / dx = sign(x) at the first maximum of |x| (max pooling's argmax).
        _, indices = _max_kernel(np.abs(xc), in_extent, grad.shape, True, None, num_threads,
                                 max_kernels.max_pool_forward_call, (geometry,), geometry.out_size)
        routed = route_to_indices("max_pool_backward", g, indices, x.shape,
                                  dataclasses.replace(in_extent, spatial=geometry.out_size),
                                  in_extent, None, num_threads)
        grad_in[...] = routed * np.sign(xc)
        return grad_in
    # d/dx_i (sum_w |x|^p)^(1/p) = sign(x_i) |x_i|^(p-1) y^(1-p), summed over windows.
    if p in (1, 2) and x.dtype == compute:
        # Two staged kernel passes over x: the ratios g / y (p = 2) or g (p = 1), 0
        # where y = 0, straight from the window sums; then those ratios summed over
        # each element's windows, times x or sign(x) on the way out.
        ratio = _avg_kernel(False, x, np.empty(grad.shape, compute), geometry, in_extent,
                            geometry.out_size, False, 1, num_threads, p, g)
        return _avg_kernel(True, ratio, grad_in, geometry, in_extent, geometry.in_size, False, 1,
                           num_threads, p, x)
    y = _lp_pool(ndim, xc, p, kernel_size, stride, padding, dilation, ceil_mode, layout, None,
                 num_threads)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(y > 0, g * y ** (1 - p), 0).astype(compute, copy=False)
        spread = _avg_kernel(True, ratio, np.empty(x.shape, compute), geometry, in_extent,
                             geometry.in_size, False, 1, num_threads)
        weight = np.where(xc != 0, np.sign(xc) * np.abs(xc) ** (p - 1), 0)
    grad_in[...] = spread * weight
    return grad_in


# ---------------------------------------------------------------------------------------
# Public functions.  Docstrings share one template per operation, filled per dimension.

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
    "lp_pool": """{nd}-D power-average (Lp) pooling: ``(sum over the window of |x|**p) ** (1/p)``.

The Lp norm of each window, as ONNX LpPool defines it: in-bounds taps only
(padding contributes zeros, the ceil_mode overhang nothing), ``|x|`` so odd p is
well defined on negative input; ``norm_type=inf`` is max pooling of ``|x|``.
Integer input gives float64.

Parameters
----------
""" + _X_PARAMETER + """norm_type : float
    p > 0, or ``inf``.
""" + _WINDOW_PARAMETERS + """
""" + _RUNTIME_PARAMETERS + """

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.lp_pool{nd}d(x, 2, 2)
>>> bool(np.all(y >= cypool.max_pool{nd}d(x, 2)))
True
""",
    "lp_pool_backward": """Gradient of ``lp_pool{nd}d`` with respect to its input.

``sign(x) |x|**(p-1) y**(1-p)`` times the output gradient, summed over the
windows holding each element (0 where ``x`` or the window norm is 0); for
``norm_type=inf`` the gradient goes to each window's first maximum of ``|x|``.

Parameters
----------
grad_output : array_like
    Gradient of the pooled output.
x : array_like
    The forward input.
norm_type : float
""" + _WINDOW_PARAMETERS + """
""" + _RUNTIME_PARAMETERS + """

Returns
-------
grad_input : ndarray of x's shape

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.lp_pool{nd}d(x, 1, 2)
>>> g = cypool.lp_pool{nd}d_backward(np.ones_like(y), x, 1, 2)
>>> bool(np.all(g == np.sign(x)))
True
""",
}


def _document(operation, ndim):
    return documented(_DOCS, operation, ndim)


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


@_document("lp_pool", 1)
def lp_pool1d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(1, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool", 2)
def lp_pool2d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(2, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool", 3)
def lp_pool3d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(3, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool_backward", 1)
def lp_pool1d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(1, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)


@_document("lp_pool_backward", 2)
def lp_pool2d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(2, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)


@_document("lp_pool_backward", 3)
def lp_pool3d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(3, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)
