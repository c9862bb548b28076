"""Max-unpooling (the partial inverse of max pooling) and its gradient.

``max_unpool{d}d`` places every value at the flat index that ``max_pool{d}d``
returned for it, in a zero array of the pre-pooling size; its backward gathers.
"""
import dataclasses

from cypool import _args
from cypool._docs import documented
from cypool.pooling import route_to_indices


def _max_unpool(ndim, x, indices, kernel_size, stride, padding, output_size, layout, out,
                num_threads):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    indices = _args.as_indices("indices", indices, x.shape)
    sizes = _args.unpool_size(extent, kernel_size, stride, padding, output_size, ndim)
    out_extent = dataclasses.replace(extent, spatial=sizes)
    return route_to_indices("max_unpool_forward", x, indices, out_extent.shape(), extent,
                            out_extent, out, num_threads)


def _max_unpool_backward(ndim, grad_output, indices, layout, out, num_threads):
    layout = _args.parse_layout(layout)
    grad = _args.as_input("grad_output", grad_output)
    grad_extent = _args.split_shape(grad.shape, ndim, layout, "grad_output")
    indices = _args.as_input("indices", indices)
    if indices.dtype.kind not in _args.INTEGER_KINDS:
        raise TypeError("indices must have an integer dtype (int64), got %s" % indices.dtype)
    in_extent = _args.split_shape(indices.shape, ndim, layout, "indices")
    if (in_extent.batched, in_extent.batch, in_extent.channels) != (
            grad_extent.batched, grad_extent.batch, grad_extent.channels):
        raise ValueError("grad_output shape %r does not match indices shape %r"
                         % (grad.shape, indices.shape))
    indices = _args.as_indices("indices", indices, indices.shape)
    return route_to_indices("max_unpool_backward", grad, indices, indices.shape, grad_extent,
                            in_extent, out, num_threads)


_DOCS = {
    "max_unpool": """{nd}-D max-unpooling: the values of ``x`` placed at ``indices`` in zeros.

Parameters
----------
x : array_like
    Pooled values, {cf} or, with ``layout="channels_last"``, {cl}.
indices : array_like of int
    What ``max_pool{nd}d(..., return_indices=True)`` returned (same shape as x);
    flat indices into the output's spatial plane.  Out-of-range indices raise.
kernel_size, stride, padding
    The forward pooling's window (explicit padding; stride defaults to kernel_size).
output_size : tuple of int, optional
    The output's spatial sizes (or its full shape).  Default:
    ``(in - 1) * stride - pad_before - pad_after + kernel_size`` per dim.
layout, out, num_threads

Returns
-------
ndarray
    x's dtype; where two windows chose the same input, that position gets one of
    their (equal) values, never their sum.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> u = cypool.max_unpool{nd}d(y, idx, 2)
>>> bool((u.max() == x.max()) and u.shape == x.shape)
True
""",
    "max_unpool_backward": """Gradient of ``max_unpool{nd}d``: ``grad_output`` read at ``indices``.

Parameters
----------
grad_output : array_like
    Gradient of the unpooled output.
indices : array_like of int
    The indices passed to the forward call (its shape is the result's).
layout, out, num_threads

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> g = cypool.max_unpool{nd}d_backward(x, idx)
>>> bool(np.array_equal(g, y))
True
""",
}


def _document(operation, ndim):
    return documented(_DOCS, operation, ndim)


@_document("max_unpool", 1)
def max_unpool1d(x, indices, kernel_size, stride=None, padding=0, output_size=None,
                 layout="channels_first", out=None, num_threads=None):
    return _max_unpool(1, x, indices, kernel_size, stride, padding, output_size, layout, out,
                       num_threads)


@_document("max_unpool", 2)
def max_unpool2d(x, indices, kernel_size, stride=None, padding=0, output_size=None,
                 layout="channels_first", out=None, num_threads=None):
    return _max_unpool(2, x, indices, kernel_size, stride, padding, output_size, layout, out,
                       num_threads)


@_document("max_unpool", 3)
def max_unpool3d(x, indices, kernel_size, stride=None, padding=0, output_size=None,
                 layout="channels_first", out=None, num_threads=None):
    return _max_unpool(3, x, indices, kernel_size, stride, padding, output_size, layout, out,
                       num_threads)


@_document("max_unpool_backward", 1)
def max_unpool1d_backward(grad_output, indices, layout="channels_first", out=None,
                          num_threads=None):
    return _max_unpool_backward(1, grad_output, indices, layout, out, num_threads)


@_document("max_unpool_backward", 2)
def max_unpool2d_backward(grad_output, indices, layout="channels_first", out=None,
                          num_threads=None):
    return _max_unpool_backward(2, grad_output, indices, layout, out, num_threads)


@_document("max_unpool_backward", 3)
def max_unpool3d_backward(grad_output, indices, layout="channels_first", out=None,
                          num_threads=None):
    return _max_unpool_backward(3, grad_output, indices, layout, out, num_threads)
