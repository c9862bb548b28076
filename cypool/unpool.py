"""Max-unpooling (the partial inverse of max pooling) and its gradient.

``max_unpool{d}d`` places every value at the flat index that ``max_pool{d}d``
returned for it, in a zero array of the pre-pooling size; its backward gathers.
"""

from cypool import _args
from cypool._docs import documented
from cypool._runner import run


def _max_unpool(
    ndim, x, indices, kernel_size, stride, padding, output_size, layout, out, num_threads
):
    x = _args.as_input("x", x)
    if isinstance(output_size, list):
        output_size = _args.parse_shape("output_size", output_size)
    plan = _args.max_unpool_plan(
        ndim, x.shape, x.dtype, kernel_size, stride, padding, output_size, layout
    )
    return run(plan, x, out, num_threads, (_args.as_indices("indices", indices, x.shape),))


def _max_unpool_backward(ndim, grad_output, indices, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    indices = _args.as_input("indices", indices)
    if indices.dtype.kind not in _args.INTEGER_KINDS:
        raise TypeError("indices must have an integer dtype (int64), got %s" % indices.dtype)
    plan = _args.max_unpool_backward_plan(ndim, grad.shape, grad.dtype, indices.shape, layout)
    return run(plan, grad, out, num_threads, (_args.as_indices("indices", indices, indices.shape),))


@documented("max_unpool", 1)
def max_unpool1d(
    x,
    indices,
    kernel_size,
    stride=None,
    padding=0,
    output_size=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_unpool(
        1, x, indices, kernel_size, stride, padding, output_size, layout, out, num_threads
    )


@documented("max_unpool", 2)
def max_unpool2d(
    x,
    indices,
    kernel_size,
    stride=None,
    padding=0,
    output_size=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_unpool(
        2, x, indices, kernel_size, stride, padding, output_size, layout, out, num_threads
    )


@documented("max_unpool", 3)
def max_unpool3d(
    x,
    indices,
    kernel_size,
    stride=None,
    padding=0,
    output_size=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_unpool(
        3, x, indices, kernel_size, stride, padding, output_size, layout, out, num_threads
    )


@documented("max_unpool_backward", 1)
def max_unpool1d_backward(
    grad_output, indices, layout="channels_first", out=None, num_threads=None
):
    return _max_unpool_backward(1, grad_output, indices, layout, out, num_threads)


@documented("max_unpool_backward", 2)
def max_unpool2d_backward(
    grad_output, indices, layout="channels_first", out=None, num_threads=None
):
    return _max_unpool_backward(2, grad_output, indices, layout, out, num_threads)


@documented("max_unpool_backward", 3)
def max_unpool3d_backward(
    grad_output, indices, layout="channels_first", out=None, num_threads=None
):
    return _max_unpool_backward(3, grad_output, indices, layout, out, num_threads)
