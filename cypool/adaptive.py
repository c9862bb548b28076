"""Adaptive and global pooling: output sizes fixed, windows derived (PyTorch's bins).

Bin o of n_out along a dim of n covers [floor(o*n/n_out), ceil((o+1)*n/n_out)).
Global pooling is adaptive pooling to size 1 over every spatial dim (dims beyond
three are flattened first, which the bins do not notice).
"""

import math

from cypool import _args
from cypool._docs import documented
from cypool._runner import run
from cypool.pooling import _max_pool_backward


def _adaptive_max_pool(ndim, x, output_size, return_indices, layout, out, num_threads):
    x = _args.as_input("x", x)
    plan = _args.adaptive_max_pool_plan(ndim, x.shape, x.dtype, output_size, return_indices, layout)
    return run(plan, x, out, num_threads)


# Adaptive max pooling's backward is max pooling's: a scatter by the indices.
_adaptive_max_pool_backward = _max_pool_backward


def _adaptive_avg_pool(ndim, x, output_size, layout, out, num_threads, dtype=None):
    x = _args.as_input("x", x)
    plan = _args.adaptive_avg_pool_plan(ndim, x.shape, x.dtype, output_size, layout, dtype)
    return run(plan, x, out, num_threads)


def _adaptive_avg_pool_backward(ndim, grad_output, input_shape, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    plan = _args.adaptive_avg_pool_backward_plan(
        ndim, grad.shape, grad.dtype, _args.parse_shape("input_shape", input_shape), layout
    )
    return run(plan, grad, out, num_threads)


def _global_call(x, layout, keepdims):
    """(x viewed with at most 3 spatial dims, its spatial ndim, layout, final result shape)."""
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    keepdims = _args.as_bool("keepdims", keepdims)
    if x.ndim < 3:
        raise ValueError(
            "x must be batched with at least one spatial dim, (N, C, *spatial) or "
            "(N, *spatial, C); got shape %r" % (x.shape,)
        )
    extent = _args.split_shape(x.shape, x.ndim - 2, layout, nonempty=True)
    shape = (
        extent.shape((1,) * len(extent.spatial)) if keepdims else (extent.batch, extent.channels)
    )
    if len(extent.spatial) > 3:
        # More than three spatial dims: pool their (contiguous) flattening instead.
        x = x.reshape(extent.shape((math.prod(extent.spatial),)))
    return x, x.ndim - 2, layout, shape


def _global_out(out, shape, dtype, x, ndim, layout):
    """Check a user ``out`` of the final shape and view it in the kernel's shape."""
    if out is None:
        return None
    out = _args.check_out(out, shape, dtype, [x])
    return out.reshape(_args.split_shape(x.shape, ndim, layout).shape((1,) * ndim))


@documented("global_max_pool")
def global_max_pool(x, layout="channels_first", keepdims=False, out=None, num_threads=None):
    x, ndim, layout, shape = _global_call(x, layout, keepdims)
    y = _adaptive_max_pool(
        ndim, x, 1, False, layout, _global_out(out, shape, x.dtype, x, ndim, layout), num_threads
    )
    return y.reshape(shape) if out is None else out


@documented("global_avg_pool")
def global_avg_pool(
    x, layout="channels_first", keepdims=False, out=None, num_threads=None, *, dtype=None
):
    x, ndim, layout, shape = _global_call(x, layout, keepdims)
    y = _adaptive_avg_pool(
        ndim,
        x,
        1,
        layout,
        _global_out(out, shape, _args.average_dtype(x.dtype, dtype)[0], x, ndim, layout),
        num_threads,
        dtype,
    )
    return y.reshape(shape) if out is None else out


# --- public adaptive functions ----------------------------------------------------------


@documented("adaptive_max_pool", 1)
def adaptive_max_pool1d(
    x, output_size, return_indices=False, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool(1, x, output_size, return_indices, layout, out, num_threads)


@documented("adaptive_max_pool", 2)
def adaptive_max_pool2d(
    x, output_size, return_indices=False, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool(2, x, output_size, return_indices, layout, out, num_threads)


@documented("adaptive_max_pool", 3)
def adaptive_max_pool3d(
    x, output_size, return_indices=False, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool(3, x, output_size, return_indices, layout, out, num_threads)


@documented("adaptive_max_pool_backward", 1)
def adaptive_max_pool1d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool_backward(
        1, grad_output, indices, input_shape, layout, out, num_threads
    )


@documented("adaptive_max_pool_backward", 2)
def adaptive_max_pool2d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool_backward(
        2, grad_output, indices, input_shape, layout, out, num_threads
    )


@documented("adaptive_max_pool_backward", 3)
def adaptive_max_pool3d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_max_pool_backward(
        3, grad_output, indices, input_shape, layout, out, num_threads
    )


@documented("adaptive_avg_pool", 1)
def adaptive_avg_pool1d(
    x, output_size, layout="channels_first", out=None, num_threads=None, *, dtype=None
):
    return _adaptive_avg_pool(1, x, output_size, layout, out, num_threads, dtype)


@documented("adaptive_avg_pool", 2)
def adaptive_avg_pool2d(
    x, output_size, layout="channels_first", out=None, num_threads=None, *, dtype=None
):
    return _adaptive_avg_pool(2, x, output_size, layout, out, num_threads, dtype)


@documented("adaptive_avg_pool", 3)
def adaptive_avg_pool3d(
    x, output_size, layout="channels_first", out=None, num_threads=None, *, dtype=None
):
    return _adaptive_avg_pool(3, x, output_size, layout, out, num_threads, dtype)


@documented("adaptive_avg_pool_backward", 1)
def adaptive_avg_pool1d_backward(
    grad_output, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_avg_pool_backward(1, grad_output, input_shape, layout, out, num_threads)


@documented("adaptive_avg_pool_backward", 2)
def adaptive_avg_pool2d_backward(
    grad_output, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_avg_pool_backward(2, grad_output, input_shape, layout, out, num_threads)


@documented("adaptive_avg_pool_backward", 3)
def adaptive_avg_pool3d_backward(
    grad_output, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _adaptive_avg_pool_backward(3, grad_output, input_shape, layout, out, num_threads)
