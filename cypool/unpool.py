"""Max-unpooling (the partial inverse of max pooling) and its gradient.

``max_unpool{d}d`` places every value at the flat index that ``max_pool{d}d``
returned for it, in a zero array of the pre-pooling size; its backward gathers.
"""
from cypool import _args
from cypool._docs import documented
from cypool._runner import run


def _max_unpool(ndim, x, indices, kernel_size, stride, padding, output_size, layout, out,
                num_threads):
    x = _args.as_input("x", x)
    if isinstance(output_size, list):
        output_size = _args.parse_shape("output_size", output_size)
    plan = _args.max_unpool_plan(ndim, x.shape, x.dtype, kernel_size, stride, padding,
                                 output_size, layout)
    return run(plan, x, out, num_threads, (_args.as_indices("indices", indices, x.shape),))


def _max_unpool_backward(ndim, grad_output, indices, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    indices = _args.as_input("indices", indices)
    if indices.dtype.kind not in _args.INTEGER_KINDS:
        raise TypeError("indices must have an integer dtype (int64), got %s" % indices.dtype)
    plan = _args.max_unpool_backward_plan(ndim, grad.shape, grad.dtype, indices.shape, layout)
    return run(plan, grad, out, num_threads, (_args.as_indices("indices", indices,
                                                                indices.shape),))


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
