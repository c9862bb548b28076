"""The NumPy-facing façade of window pooling: max, average and Lp, forward and backward.

Every public function is a thin wrapper over one driver per operation,
parameterised by the number of spatial dims.  A driver asks the operation's parser
in ``cypool._args`` for the call plan and hands it to ``cypool._runner.run``, which
checks or allocates the outputs and launches the kernel.
"""

from cypool import _args
from cypool._docs import documented
from cypool._runner import run


def _max_pool(
    ndim,
    x,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    return_indices,
    layout,
    out,
    num_threads,
):
    x = _args.as_input("x", x)
    plan = _args.max_pool_plan(
        ndim,
        x.shape,
        x.dtype,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        layout,
    )
    return run(plan, x, out, num_threads)


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    plan = _args.max_pool_backward_plan(
        ndim, grad.shape, grad.dtype, _args.parse_shape("input_shape", input_shape), layout
    )
    return run(plan, grad, out, num_threads, (_args.as_indices("indices", indices, grad.shape),))


def _avg_pool(
    ndim,
    x,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    count_include_pad,
    divisor_override,
    layout,
    out,
    num_threads,
    dtype,
):
    x = _args.as_input("x", x)
    plan = _args.avg_pool_plan(
        ndim,
        x.shape,
        x.dtype,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        dtype,
    )
    return run(plan, x, out, num_threads)


def _avg_pool_backward(
    ndim,
    grad_output,
    input_shape,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    count_include_pad,
    divisor_override,
    layout,
    out,
    num_threads,
):
    grad = _args.as_input("grad_output", grad_output)
    plan = _args.avg_pool_backward_plan(
        ndim,
        grad.shape,
        grad.dtype,
        _args.parse_shape("input_shape", input_shape),
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
    )
    return run(plan, grad, out, num_threads)


def _lp_pool(
    ndim, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out, num_threads
):
    x = _args.as_input("x", x)
    plan = _args.lp_pool_plan(
        ndim, x.shape, x.dtype, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    return run(plan, x, out, num_threads)


def _lp_pool_backward(
    ndim,
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    layout,
    out,
    num_threads,
):
    grad = _args.as_input("grad_output", grad_output)
    x = _args.as_input("x", x)
    plan = _args.lp_pool_backward_plan(
        ndim,
        grad.shape,
        x.dtype,
        x.shape,
        norm_type,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        layout,
    )
    return run(plan, grad, out, num_threads, (x,))


# ---------------------------------------------------------------------------------------
# Public functions.  Docstrings share one template per operation, filled per dimension.


@documented("max_pool", 1)
def max_pool1d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_pool(
        1,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        layout,
        out,
        num_threads,
    )


@documented("max_pool", 2)
def max_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_pool(
        2,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        layout,
        out,
        num_threads,
    )


@documented("max_pool", 3)
def max_pool3d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _max_pool(
        3,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        layout,
        out,
        num_threads,
    )


@documented("max_pool_backward", 1)
def max_pool1d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _max_pool_backward(1, grad_output, indices, input_shape, layout, out, num_threads)


@documented("max_pool_backward", 2)
def max_pool2d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _max_pool_backward(2, grad_output, indices, input_shape, layout, out, num_threads)


@documented("max_pool_backward", 3)
def max_pool3d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _max_pool_backward(3, grad_output, indices, input_shape, layout, out, num_threads)


@documented("avg_pool", 1)
def avg_pool1d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
    *,
    dtype=None,
):
    return _avg_pool(
        1,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
        dtype,
    )


@documented("avg_pool", 2)
def avg_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
    *,
    dtype=None,
):
    return _avg_pool(
        2,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
        dtype,
    )


@documented("avg_pool", 3)
def avg_pool3d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
    *,
    dtype=None,
):
    return _avg_pool(
        3,
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
        dtype,
    )


@documented("avg_pool_backward", 1)
def avg_pool1d_backward(
    grad_output,
    input_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _avg_pool_backward(
        1,
        grad_output,
        input_shape,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
    )


@documented("avg_pool_backward", 2)
def avg_pool2d_backward(
    grad_output,
    input_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _avg_pool_backward(
        2,
        grad_output,
        input_shape,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
    )


@documented("avg_pool_backward", 3)
def avg_pool3d_backward(
    grad_output,
    input_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _avg_pool_backward(
        3,
        grad_output,
        input_shape,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        count_include_pad,
        divisor_override,
        layout,
        out,
        num_threads,
    )


@documented("lp_pool", 1)
def lp_pool1d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool(
        1, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out, num_threads
    )


@documented("lp_pool", 2)
def lp_pool2d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool(
        2, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out, num_threads
    )


@documented("lp_pool", 3)
def lp_pool3d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool(
        3, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out, num_threads
    )


@documented("lp_pool_backward", 1)
def lp_pool1d_backward(
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool_backward(
        1,
        grad_output,
        x,
        norm_type,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        layout,
        out,
        num_threads,
    )


@documented("lp_pool_backward", 2)
def lp_pool2d_backward(
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool_backward(
        2,
        grad_output,
        x,
        norm_type,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        layout,
        out,
        num_threads,
    )


@documented("lp_pool_backward", 3)
def lp_pool3d_backward(
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _lp_pool_backward(
        3,
        grad_output,
        x,
        norm_type,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        layout,
        out,
        num_threads,
    )
