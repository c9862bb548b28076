"""Adaptive and global pooling: output sizes fixed, windows derived (PyTorch's bins).

Bin o of n_out along a dim of n covers [floor(o*n/n_out), ceil((o+1)*n/n_out)).
Global pooling is adaptive pooling to size 1 over every spatial dim (dims beyond
three are flattened first, which the bins do not notice).
"""
import math

from cypool import _args, _threads
from cypool._docs import documented
from cypool._dispatch import avg_kernels, max_kernels
from cypool.pooling import _max_kernel, _max_pool_backward, _rows


def _adaptive_max_pool(ndim, x, output_size, return_indices, layout, out, num_threads):
    x, extent, sizes = _args.adaptive_call(ndim, x, output_size, layout)
    return_indices = _args.as_bool("return_indices", return_indices)
    return _max_kernel(x, extent, extent.shape(sizes), return_indices, out, num_threads,
                       max_kernels.adaptive_max_pool_forward_call,
                       (_args.kernel_size3(extent.spatial), _args.kernel_size3(sizes)), sizes)


# Adaptive max pooling's backward is max pooling's: a scatter by the indices.
_adaptive_max_pool_backward = _max_pool_backward


def _adaptive_avg_kernel(backward, source, result, in_extent, out_size, num_threads):
    if result.size:
        work = in_extent.spatial if backward else out_size
        avg_kernels.adaptive_avg_pool_call(backward, source.reshape(-1), result.reshape(-1),
                                           _args.kernel_size3(in_extent.spatial),
                                           _args.kernel_size3(out_size), in_extent.kernel_outer,
                                           in_extent.kernel_channels,
                                           _threads.resolve(num_threads, _rows(in_extent, work)))
    return result


def _adaptive_avg_pool(ndim, x, output_size, layout, out, num_threads):
    x, extent, sizes = _args.adaptive_call(ndim, x, output_size, layout)
    y = _args.check_out(out, extent.shape(sizes), _args.result_dtype(x.dtype, True), [x])
    return _adaptive_avg_kernel(False, x, y, extent, sizes, num_threads)


def _adaptive_avg_pool_backward(ndim, grad_output, input_shape, layout, out, num_threads):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    grad = _args.as_input("grad_output", grad_output)
    out_extent = _args.grad_extent(grad.shape, in_extent, ndim, layout)
    grad_in = _args.check_out(out, in_extent.shape(), _args.result_dtype(grad.dtype, True),
                              [grad])
    return _adaptive_avg_kernel(True, grad, grad_in, in_extent, out_extent.spatial, num_threads)


def _global_call(x, layout, keepdims):
    """(x viewed with at most 3 spatial dims, its ndim, final result shape)."""
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    keepdims = _args.as_bool("keepdims", keepdims)
    if x.ndim < 3:
        raise ValueError("x must be batched with at least one spatial dim, (N, C, *spatial) or "
                         "(N, *spatial, C); got shape %r" % (x.shape,))
    if layout == _args.CHANNELS_FIRST:
        n, c, spatial = x.shape[0], x.shape[1], x.shape[2:]
    else:
        n, c, spatial = x.shape[0], x.shape[-1], x.shape[1:-1]
    if any(s < 1 for s in spatial):
        raise ValueError("every spatial size of x must be >= 1, got shape %r" % (x.shape,))
    if keepdims:
        ones = (1,) * len(spatial)
        shape = (n, c) + ones if layout == _args.CHANNELS_FIRST else (n,) + ones + (c,)
    else:
        shape = (n, c)
    if len(spatial) > 3:
        # More than three spatial dims: pool their (contiguous) flattening instead.
        flat = (n, c, math.prod(spatial)) if layout == _args.CHANNELS_FIRST else (
            n, math.prod(spatial), c)
        x = x.reshape(flat)
    return x, x.ndim - 2, layout, shape


def _global_out(out, shape, dtype, x, ndim, layout):
    """Check a user ``out`` of the final shape and view it in the kernel's shape."""
    if out is None:
        return None
    out = _args.check_out(out, shape, dtype, [x])
    kernel_shape = (x.shape[0], x.shape[1] if layout == _args.CHANNELS_FIRST else x.shape[-1])
    kernel_shape = ((kernel_shape[0], kernel_shape[1]) + (1,) * ndim
                    if layout == _args.CHANNELS_FIRST else
                    (kernel_shape[0],) + (1,) * ndim + (kernel_shape[1],))
    return out.reshape(kernel_shape)


def global_max_pool(x, layout="channels_first", keepdims=False, out=None, num_threads=None):
    """Maximum over every spatial position of each (n, c).

    Parameters
    ----------
    x : array_like
        Batched input with at least one spatial dim: (N, C, *spatial) or, with
        ``layout="channels_last"``, (N, *spatial, C).  Any number of spatial dims.
    layout : str
    keepdims : bool
        Keep the spatial dims (as size 1) instead of returning (N, C).
    out : ndarray, optional
    num_threads : int, optional

    Returns
    -------
    ndarray
        (N, C), or x's rank with spatial sizes 1 when ``keepdims``; x's dtype.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(24.).reshape(2, 3, 2, 2)
    >>> cypool.global_max_pool(x).tolist()
    [[3.0, 7.0, 11.0], [15.0, 19.0, 23.0]]
    """
    x, ndim, layout, shape = _global_call(x, layout, keepdims)
    y = _adaptive_max_pool(ndim, x, 1, False, layout,
                           _global_out(out, shape, x.dtype, x, ndim, layout), num_threads)
    return y.reshape(shape) if out is None else out


def global_avg_pool(x, layout="channels_first", keepdims=False, out=None, num_threads=None):
    """Mean over every spatial position of each (n, c) (float64 for integer input).

    Equal bit for bit to ``adaptive_avg_pool{d}d(x, 1)`` for up to three spatial dims.

    Parameters
    ----------
    x : array_like
        Batched input with at least one spatial dim: (N, C, *spatial) or, with
        ``layout="channels_last"``, (N, *spatial, C).  Any number of spatial dims.
    layout : str
    keepdims : bool
        Keep the spatial dims (as size 1) instead of returning (N, C).
    out : ndarray, optional
    num_threads : int, optional

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(24.).reshape(2, 2, 2, 3)
    >>> cypool.global_avg_pool(x, layout="NHWC").tolist()
    [[4.5, 5.5, 6.5], [16.5, 17.5, 18.5]]
    """
    x, ndim, layout, shape = _global_call(x, layout, keepdims)
    y = _adaptive_avg_pool(ndim, x, 1, layout,
                           _global_out(out, shape, _args.result_dtype(x.dtype, True), x, ndim,
                                       layout), num_threads)
    return y.reshape(shape) if out is None else out


# --- public adaptive functions ----------------------------------------------------------

_ADAPTIVE_DOCS = {
    "adaptive_max_pool": """{nd}-D adaptive max pooling to ``output_size`` (PyTorch's bins).

Parameters
----------
x : array_like
    {cf} or, with ``layout="channels_last"``, {cl}; the batch dim may be omitted.
output_size : int or tuple of {nd}
    Entries may be None (keep that input size); values < 1 raise ValueError.
return_indices : bool
    Also return int64 flat indices into each (n, c) spatial plane.
layout, out, num_threads
    As for ``max_pool{nd}d``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> cypool.adaptive_max_pool{nd}d(x, 3).shape[2:] == (3,) * {nd}
True
""",
    "adaptive_avg_pool": """{nd}-D adaptive average pooling to ``output_size`` (PyTorch's bins).

Each bin's sum is divided by its size along each dim in turn, as PyTorch does.
Integer input gives float64.

Parameters
----------
x : array_like
    {cf} or, with ``layout="channels_last"``, {cl}; the batch dim may be omitted.
output_size : int or tuple of {nd}
    Entries may be None (keep that input size); values < 1 raise ValueError.
layout, out, num_threads
    As for ``avg_pool{nd}d``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> float(cypool.adaptive_avg_pool{nd}d(x, 1).item()) == float(x.mean())
True
""",
    "adaptive_max_pool_backward": """Gradient of ``adaptive_max_pool{nd}d``: ``grad_output``
scattered to the indices it returned, summed where bins overlap.

Parameters
----------
grad_output, indices : array_like
input_shape : tuple of int
layout, out, num_threads

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.adaptive_max_pool{nd}d(x, 3, return_indices=True)
>>> g = cypool.adaptive_max_pool{nd}d_backward(np.ones_like(y), idx, x.shape)
>>> float(g.sum()) == y.size
True
""",
    "adaptive_avg_pool_backward": """Gradient of ``adaptive_avg_pool{nd}d`` (the output size is
read from ``grad_output``'s shape).

Parameters
----------
grad_output : array_like
input_shape : tuple of int
layout, out, num_threads

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> g = cypool.adaptive_avg_pool{nd}d_backward(np.ones((1, 1) + (1,) * {nd}), x.shape)
>>> bool(np.allclose(g.sum(), 1.0))
True
""",
}


def _document(operation, ndim):
    return documented(_ADAPTIVE_DOCS, operation, ndim)


@_document("adaptive_max_pool", 1)
def adaptive_max_pool1d(x, output_size, return_indices=False, layout="channels_first", out=None,
                        num_threads=None):
    return _adaptive_max_pool(1, x, output_size, return_indices, layout, out, num_threads)


@_document("adaptive_max_pool", 2)
def adaptive_max_pool2d(x, output_size, return_indices=False, layout="channels_first", out=None,
                        num_threads=None):
    return _adaptive_max_pool(2, x, output_size, return_indices, layout, out, num_threads)


@_document("adaptive_max_pool", 3)
def adaptive_max_pool3d(x, output_size, return_indices=False, layout="channels_first", out=None,
                        num_threads=None):
    return _adaptive_max_pool(3, x, output_size, return_indices, layout, out, num_threads)


@_document("adaptive_max_pool_backward", 1)
def adaptive_max_pool1d_backward(grad_output, indices, input_shape, layout="channels_first",
                                 out=None, num_threads=None):
    return _adaptive_max_pool_backward(1, grad_output, indices, input_shape, layout, out,
                                       num_threads)


@_document("adaptive_max_pool_backward", 2)
def adaptive_max_pool2d_backward(grad_output, indices, input_shape, layout="channels_first",
                                 out=None, num_threads=None):
    return _adaptive_max_pool_backward(2, grad_output, indices, input_shape, layout, out,
                                       num_threads)


@_document("adaptive_max_pool_backward", 3)
def adaptive_max_pool3d_backward(grad_output, indices, input_shape, layout="channels_first",
                                 out=None, num_threads=None):
    return _adaptive_max_pool_backward(3, grad_output, indices, input_shape, layout, out,
                                       num_threads)


@_document("adaptive_avg_pool", 1)
def adaptive_avg_pool1d(x, output_size, layout="channels_first", out=None, num_threads=None):
    return _adaptive_avg_pool(1, x, output_size, layout, out, num_threads)


@_document("adaptive_avg_pool", 2)
def adaptive_avg_pool2d(x, output_size, layout="channels_first", out=None, num_threads=None):
    return _adaptive_avg_pool(2, x, output_size, layout, out, num_threads)


@_document("adaptive_avg_pool", 3)
def adaptive_avg_pool3d(x, output_size, layout="channels_first", out=None, num_threads=None):
    return _adaptive_avg_pool(3, x, output_size, layout, out, num_threads)


@_document("adaptive_avg_pool_backward", 1)
def adaptive_avg_pool1d_backward(grad_output, input_shape, layout="channels_first", out=None,
                                 num_threads=None):
    return _adaptive_avg_pool_backward(1, grad_output, input_shape, layout, out, num_threads)


@_document("adaptive_avg_pool_backward", 2)
def adaptive_avg_pool2d_backward(grad_output, input_shape, layout="channels_first", out=None,
                                 num_threads=None):
    return _adaptive_avg_pool_backward(2, grad_output, input_shape, layout, out, num_threads)


@_document("adaptive_avg_pool_backward", 3)
def adaptive_avg_pool3d_backward(grad_output, input_shape, layout="channels_first", out=None,
                                 num_threads=None):
    return _adaptive_avg_pool_backward(3, grad_output, input_shape, layout, out, num_threads)
