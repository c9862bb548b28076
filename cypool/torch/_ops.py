"""cypool's kernels registered as PyTorch custom operators (namespace ``cypool``).

Each operator works on CPU tensors through zero-copy NumPy views: a tensor stored
channels-first runs cypool's channels-first kernels, one stored channels-last
(``torch.channels_last`` / ``channels_last_3d`` by torch's stride rule, or in 1-D a
view whose channel axis is the fastest) runs the channels-last kernels in place.
Results, gradients included, are allocated by cypool (NumPy, which asks for huge
pages) and wrapped, so nothing is copied unless torch itself would return another
memory format.

The fake (meta) kernels ask torch's own operator for the output's shape (so
shapes under ``torch.compile`` follow torch's rules by construction) and store it
as the real kernel does (``result_channels_last``, one rule for both; the tests
run ``torch.library.opcheck`` and compare memory formats with torch's).
Backward operators are separate custom operators, so AOTAutograd traces them too.
They are linear in the incoming gradient, and each one's own derivative is its
adjoint operator (as in torch's ``derivatives.yaml``): scatter <-> gather, average
pooling backward <-> average pooling; so double backward works.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

import cypool
from cypool._threads import explicit_num_threads


def _operator(name):
    """Register the decorated function as the custom operator ``cypool::<name>``.

    The operator keeps the plain function as ``.eager``: eager calls that need no
    autograd and run under no tracing or dispatch mode may call it directly and skip
    the dispatcher's round trip (about 40 us a call), with the same result.
    """

    def register(function):
        operator = torch.library.custom_op(
            "cypool::" + name, function, mutates_args=(), device_types="cpu"
        )
        operator.eager = function
        return operator

    return register


def _threads():
    """cypool's own setting when the user made one, else torch's intra-op count."""
    n = explicit_num_threads()
    return torch.get_num_threads() if n is None else n


def _kernel_order(t, channels_last):
    """``(N, C, *spatial)`` viewed as ``(N, *spatial, C)`` for channels-last kernels."""
    if not channels_last:
        return t
    return t.permute(0, *range(2, t.dim()), 1)


def _torch_order(t, channels_last):
    """The inverse of ``_kernel_order``."""
    if not channels_last:
        return t
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1))


def _strides_like_channels_last(t):
    """torch's reading of a 4-D/5-D tensor's strides as channels-last (the rule behind
    ``suggest_memory_format``): walking C, then the spatial dims from last to first,
    then N, each stride must be at least the extent of the dims already walked; size-1
    dims do not extend it, and a batch stride equal to C's means channels-first."""
    sizes, strides = t.shape, t.stride()
    extent = 0
    for d in (1, *range(t.dim() - 1, 1, -1), 0):
        if sizes[d] == 0 or strides[d] < extent:
            return False
        if d == 0 and extent == strides[1]:
            return False
        extent = strides[d] * (sizes[d] if sizes[d] > 1 else 1)
    return True


def runs_channels_last(t, spatial_dims):
    """Whether batched ``t`` counts as channels-last: torch's rule for 2-d and 3-d
    (so results take torch's memory format), a channel axis that is fastest in 1-d."""
    if t.dim() != spatial_dims + 2:
        return False
    if spatial_dims == 1:
        return not t.is_contiguous() and _kernel_order(t, True).is_contiguous()
    return _strides_like_channels_last(t)


def _array(t, channels_last):
    """NumPy view of ``t`` in the kernel's layout.  Other strides are copied by cypool,
    into NumPy memory (which gets transparent huge pages: a fresh 50 MB torch buffer
    costs ~3x the kernel's time in page faults on a VM)."""
    return _kernel_order(t.detach().resolve_conj().resolve_neg(), channels_last).numpy()


def _layout(channels_last):
    return "channels_last" if channels_last else "channels_first"


def _kernel_shape(sizes, channels_last):
    sizes = list(sizes)
    return tuple([sizes[0], *sizes[2:], sizes[1]] if channels_last else sizes)


def _empty(sizes, like, channels_last):
    """Uninitialised ``(N, C, *spatial)`` tensor stored in the kernel's layout."""
    stored = torch.empty(_kernel_shape(sizes, channels_last), dtype=like.dtype, device=like.device)
    return _torch_order(stored, channels_last)


def _keeps_channels_last(family, spatial_dims):
    """torch's CPU rule for channels-last input: 2-d pooling keeps the format, 3-d only
    max pooling does; 1-d (no torch format) keeps it except max-unpooling; the
    gradient of max-unpooling is always channels-first."""
    if family == "max_unpool_backward":
        return False
    if spatial_dims == 1:
        return family != "max_unpool"
    return spatial_dims == 2 or family == "max_pool"


def result_channels_last(x, family, spatial_dims):
    """Whether the result of ``family`` on ``x`` is stored channels-last (real and fake)."""
    return runs_channels_last(x, spatial_dims) and _keeps_channels_last(family, spatial_dims)


def _fake_like(x, family, spatial_dims, results):
    """Fake results: torch's output shapes in the layout the real kernel returns."""
    channels_last = result_channels_last(x, family, spatial_dims)
    results = results if isinstance(results, tuple) else (results,)
    fakes = tuple(_empty(list(r.shape), r, channels_last) for r in results)
    return fakes if len(fakes) > 1 else fakes[0]


def _run(function_name, tensors, channels_last, keep_channels_last, *args, **kwargs):
    """Run ``cypool.<function_name>`` on ``tensors`` viewed in one layout; its results
    (NumPy memory, zero-copy) as a list of tensors, channels-first again unless
    ``keep_channels_last`` (torch's memory format for the result)."""
    # Tuples, not lists: hashable window arguments let cypool reuse its call plan.
    args = [tuple(a) if isinstance(a, list) else a for a in args]
    result = getattr(cypool, function_name)(
        *[_array(t, channels_last) for t in tensors],
        *args,
        layout=_layout(channels_last),
        num_threads=_threads(),
        **kwargs,
    )
    arrays = result if isinstance(result, tuple) else (result,)
    results = [_torch_order(torch.from_numpy(a), channels_last) for a in arrays]
    if channels_last and not keep_channels_last:
        results = [t.contiguous() for t in results]
    return results


def _forward(family, x, spatial_dims, *args, **kwargs):
    """Run ``cypool.<family><d>d`` on ``x`` in its stored layout; a list of tensors."""
    return _run(
        "%s%dd" % (family, spatial_dims),
        (x,),
        runs_channels_last(x, spatial_dims),
        _keeps_channels_last(family, spatial_dims),
        *args,
        **kwargs,
    )


def _backward_into(function_name, tensors, input_sizes, channels_last, spatial_dims, *args):
    """Run the backward ``cypool.<function_name>`` for an input of ``input_sizes``; the
    gradient stays in the layout the backward ran in."""
    return _run(
        function_name % spatial_dims,
        tensors,
        channels_last,
        True,
        _kernel_shape(input_sizes, channels_last),
        *args,
    )[0]


def _fake_backward(grad, input_sizes, channels_last):
    return _empty(input_sizes, grad, channels_last)


# ---------------------------------------------------------------- max pooling
@_operator("max_pool")
def max_pool(
    x: Tensor,
    kernel_size: list[int],
    stride: list[int],
    padding: list[int],
    dilation: list[int],
    ceil_mode: bool,
) -> Tensor:
    """Max pooling values only (inference: no indices are computed)."""
    return _forward(
        "max_pool", x, len(kernel_size), kernel_size, stride, padding, dilation, ceil_mode
    )[0]


@_operator("max_pool_with_indices")
def max_pool_with_indices(
    x: Tensor,
    kernel_size: list[int],
    stride: list[int],
    padding: list[int],
    dilation: list[int],
    ceil_mode: bool,
) -> tuple[Tensor, Tensor]:
    """Max pooling values and torch's flat per-plane indices."""
    values, indices = _forward(
        "max_pool",
        x,
        len(kernel_size),
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices=True,
    )
    return values, indices


def _torch_max_pool(x, kernel_size, stride, padding, dilation, ceil_mode):
    function = getattr(F, "max_pool%dd" % len(kernel_size))
    return function(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


@max_pool.register_fake
def _(x, kernel_size, stride, padding, dilation, ceil_mode):
    results = _torch_max_pool(x, kernel_size, stride, padding, dilation, ceil_mode)
    return _fake_like(x, "max_pool", len(kernel_size), results[0])


@max_pool_with_indices.register_fake
def _(x, kernel_size, stride, padding, dilation, ceil_mode):
    results = _torch_max_pool(x, kernel_size, stride, padding, dilation, ceil_mode)
    return _fake_like(x, "max_pool", len(kernel_size), results)


@_operator("scatter_to_indices")
def scatter_to_indices(
    grad: Tensor, indices: Tensor, input_sizes: list[int], channels_last: bool, spatial_dims: int
) -> Tensor:
    """Backward of (adaptive) max pooling: ``grad`` summed into the argmax positions."""
    return _backward_into(
        "max_pool%dd_backward", (grad, indices), input_sizes, channels_last, spatial_dims
    )


@scatter_to_indices.register_fake
def _(grad, indices, input_sizes, channels_last, spatial_dims):
    return _fake_backward(grad, input_sizes, channels_last)


def _save_input_format(ctx, x, family, spatial_dims):
    """What a backward needs of the input: its sizes, and the layout it runs in
    (that of the forward's result, as torch's gradients are stored)."""
    ctx.input_sizes = list(x.shape)
    ctx.channels_last = result_channels_last(x, family, spatial_dims)
    ctx.spatial_dims = spatial_dims


def _scatter_autograd(operator, family, input_count):
    """Register the autograd of an operator returning (values, argmax indices), whose
    second input gives the spatial dims: the gradient is scattered to the indices."""

    def setup(ctx, inputs, output):
        _save_input_format(ctx, inputs[0], family, len(inputs[1]))
        ctx.save_for_backward(output[1])

    def backward(ctx, grad_values, grad_indices):
        (indices,) = ctx.saved_tensors
        grad = scatter_to_indices(
            grad_values, indices, ctx.input_sizes, ctx.channels_last, ctx.spatial_dims
        )
        return (grad,) + (None,) * (input_count - 1)

    operator.register_autograd(backward, setup_context=setup)


_scatter_autograd(max_pool_with_indices, "max_pool", 6)


# ---------------------------------------------------------------- average pooling
@_operator("avg_pool")
def avg_pool(
    x: Tensor,
    kernel_size: list[int],
    stride: list[int],
    padding: list[int],
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: Optional[int],
) -> Tensor:
    """Average pooling with torch's divisor rules."""
    return _forward(
        "avg_pool",
        x,
        len(kernel_size),
        kernel_size,
        stride,
        padding,
        1,
        ceil_mode,
        count_include_pad,
        divisor_override,
    )[0]


@avg_pool.register_fake
def _(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    function = getattr(F, "avg_pool%dd" % len(kernel_size))
    extra = () if len(kernel_size) == 1 else (divisor_override,)
    result = function(x, kernel_size, stride, padding, ceil_mode, count_include_pad, *extra)
    return _fake_like(x, "avg_pool", len(kernel_size), result)


@_operator("avg_pool_backward")
def avg_pool_backward(
    grad: Tensor,
    input_sizes: list[int],
    channels_last: bool,
    kernel_size: list[int],
    stride: list[int],
    padding: list[int],
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: Optional[int],
) -> Tensor:
    """Backward of average pooling: each window's gradient spread over its inputs."""
    return _backward_into(
        "avg_pool%dd_backward",
        (grad,),
        input_sizes,
        channels_last,
        len(kernel_size),
        kernel_size,
        stride,
        padding,
        1,
        ceil_mode,
        count_include_pad,
        divisor_override,
    )


@avg_pool_backward.register_fake
def _(
    grad,
    input_sizes,
    channels_last,
    kernel_size,
    stride,
    padding,
    ceil_mode,
    count_include_pad,
    divisor_override,
):
    return _fake_backward(grad, input_sizes, channels_last)


def _setup_avg(ctx, inputs, output):
    x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override = inputs
    _save_input_format(ctx, x, "avg_pool", len(kernel_size))
    ctx.window = (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def _backward_avg(ctx, grad_output):
    grad = avg_pool_backward(grad_output, ctx.input_sizes, ctx.channels_last, *ctx.window)
    return grad, None, None, None, None, None, None


avg_pool.register_autograd(_backward_avg, setup_context=_setup_avg)


# ---------------------------------------------------------------- adaptive pooling
@_operator("adaptive_avg_pool")
def adaptive_avg_pool(x: Tensor, output_size: list[int]) -> Tensor:
    """Adaptive average pooling (torch's bin rule)."""
    return _forward("adaptive_avg_pool", x, len(output_size), output_size)[0]


@adaptive_avg_pool.register_fake
def _(x, output_size):
    result = getattr(F, "adaptive_avg_pool%dd" % len(output_size))(x, output_size)
    return _fake_like(x, "adaptive_avg_pool", len(output_size), result)


@_operator("adaptive_avg_pool_backward")
def adaptive_avg_pool_backward(
    grad: Tensor, input_sizes: list[int], channels_last: bool, spatial_dims: int
) -> Tensor:
    """Backward of adaptive average pooling."""
    return _backward_into(
        "adaptive_avg_pool%dd_backward", (grad,), input_sizes, channels_last, spatial_dims
    )


@adaptive_avg_pool_backward.register_fake
def _(grad, input_sizes, channels_last, spatial_dims):
    return _fake_backward(grad, input_sizes, channels_last)


def _setup_adaptive_avg(ctx, inputs, output):
    _save_input_format(ctx, inputs[0], "adaptive_avg_pool", len(inputs[1]))


def _backward_adaptive_avg(ctx, grad_output):
    grad = adaptive_avg_pool_backward(
        grad_output, ctx.input_sizes, ctx.channels_last, ctx.spatial_dims
    )
    return grad, None


adaptive_avg_pool.register_autograd(_backward_adaptive_avg, setup_context=_setup_adaptive_avg)


@_operator("adaptive_max_pool")
def adaptive_max_pool(x: Tensor, output_size: list[int]) -> tuple[Tensor, Tensor]:
    """Adaptive max pooling, values and indices."""
    values, indices = _forward(
        "adaptive_max_pool", x, len(output_size), output_size, return_indices=True
    )
    return values, indices


@adaptive_max_pool.register_fake
def _(x, output_size):
    function = getattr(F, "adaptive_max_pool%dd" % len(output_size))
    results = function(x, output_size, return_indices=True)
    return _fake_like(x, "adaptive_max_pool", len(output_size), results)


_scatter_autograd(adaptive_max_pool, "adaptive_max_pool", 2)


# ---------------------------------------------------------------- max-unpooling
@_operator("max_unpool")
def max_unpool(x: Tensor, indices: Tensor, output_size: list[int]) -> Tensor:
    """Max-unpooling into zeros of the given spatial sizes (validated by the caller)."""
    spatial_dims = len(output_size)
    return _run(
        "max_unpool%dd" % spatial_dims,
        (x, indices),
        runs_channels_last(x, spatial_dims),
        _keeps_channels_last("max_unpool", spatial_dims),
        1,
        output_size=output_size,
    )[0]


@max_unpool.register_fake
def _(x, indices, output_size):
    sizes = [*x.shape[: -len(output_size)], *output_size]
    return _empty(sizes, x, result_channels_last(x, "max_unpool", len(output_size)))


@_operator("max_unpool_backward")
def max_unpool_backward(grad: Tensor, indices: Tensor, spatial_dims: int) -> Tensor:
    """Backward of max-unpooling: ``grad`` read at ``indices``."""
    return _run(
        "max_unpool%dd_backward" % spatial_dims,
        (grad, indices),
        runs_channels_last(indices, spatial_dims),
        _keeps_channels_last("max_unpool_backward", spatial_dims),
    )[0]


@max_unpool_backward.register_fake
def _(grad, indices, spatial_dims):
    channels_last = result_channels_last(indices, "max_unpool_backward", spatial_dims)
    return _empty(list(indices.shape), grad, channels_last)


def _setup_unpool(ctx, inputs, output):
    ctx.save_for_backward(inputs[1])
    ctx.spatial_dims = len(inputs[2])


def _backward_unpool(ctx, grad_output):
    (indices,) = ctx.saved_tensors
    return max_unpool_backward(grad_output, indices, ctx.spatial_dims), None, None


max_unpool.register_autograd(_backward_unpool, setup_context=_setup_unpool)


# ---------------------------------------------------------------- double backward
# Each backward operator is linear in ``grad``; its derivative is the adjoint.
def _setup_scatter(ctx, inputs, output):
    ctx.save_for_backward(inputs[1])
    ctx.spatial_dims = inputs[4]


def _backward_scatter(ctx, grad_grad):
    (indices,) = ctx.saved_tensors
    return max_unpool_backward(grad_grad, indices, ctx.spatial_dims), None, None, None, None


scatter_to_indices.register_autograd(_backward_scatter, setup_context=_setup_scatter)


def _setup_gather(ctx, inputs, output):
    grad, indices, spatial_dims = inputs
    ctx.save_for_backward(indices)
    ctx.input_sizes = list(grad.shape)
    ctx.channels_last = runs_channels_last(grad, spatial_dims)
    ctx.spatial_dims = spatial_dims


def _backward_gather(ctx, grad_grad):
    (indices,) = ctx.saved_tensors
    grad = scatter_to_indices(
        grad_grad, indices, ctx.input_sizes, ctx.channels_last, ctx.spatial_dims
    )
    return grad, None, None


max_unpool_backward.register_autograd(_backward_gather, setup_context=_setup_gather)


def _setup_avg_backward(ctx, inputs, output):
    ctx.window = inputs[3:]


def _backward_avg_backward(ctx, grad_grad):
    return (avg_pool(grad_grad, *ctx.window),) + (None,) * 8


avg_pool_backward.register_autograd(_backward_avg_backward, setup_context=_setup_avg_backward)


def _setup_adaptive_avg_backward(ctx, inputs, output):
    grad, _, _, spatial_dims = inputs
    ctx.output_size = list(grad.shape[-spatial_dims:])


def _backward_adaptive_avg_backward(ctx, grad_grad):
    return adaptive_avg_pool(grad_grad, ctx.output_size), None, None, None


adaptive_avg_pool_backward.register_autograd(
    _backward_adaptive_avg_backward, setup_context=_setup_adaptive_avg_backward
)
