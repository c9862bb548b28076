"""cypool for PyTorch: ``torch.nn.functional``'s pooling, computed by cypool's kernels.

Same names, signatures and semantics as ``torch.nn.functional`` (torch's Lp rule
without ``|x|`` and its unpool ``output_size`` window included); outputs,
indices and gradients are bit-identical to torch's CPU kernels.  The operators
are registered custom operators (namespace ``cypool``) with autograd formulas and
fake kernels, so ``torch.compile(fullgraph=True)`` and ``torch.export`` trace
them.  ``cypool.torch.nn`` holds drop-in modules and :func:`convert` swaps them
into a model.

Tensors stored ``torch.channels_last`` (``channels_last_3d``) run cypool's
channels-last kernels in place and come back in the memory format torch would
return.  Threads follow ``torch.get_num_threads()`` unless cypool's own count is
set (``cypool.set_num_threads`` or ``with cypool.num_threads(n)``).

Falls back to ``torch.nn.functional`` (same result, torch's speed) when cypool
cannot run the call:

- the tensor is not on the CPU (CUDA, MPS, meta, ...) or not strided (sparse);
- the dtype is one cypool does not pool: bfloat16, bool and complex everywhere,
  integers for average, adaptive and Lp pooling (torch then computes, e.g.
  int64 average pooling truncating as torch does, or raises its own error);
- the padding exceeds half the kernel (torch raises its error);
- adaptive average pooling to an all-ones output size (global average): torch
  computes it with ``mean()``, whose summation order only torch reproduces.

Where torch's own results depend on the memory format, cypool.torch returns
torch's channels-first result in both: torch's channels-last adaptive average
divides by ``kh * kw`` in its vector lanes but by ``kh`` then ``kw`` in the
scalar tail channels (1-ulp differences between torch's two formats).

Gradients of gradients (``create_graph=True``) work: each backward operator's
own derivative is registered (the adjoint, as torch defines it).

Examples
--------
>>> import torch, cypool.torch as ct
>>> x = torch.randn(2, 3, 8, 8, requires_grad=True)
>>> y = ct.max_pool2d(x, 2)
>>> bool(torch.equal(y, torch.nn.functional.max_pool2d(x, 2)))
True
>>> y.sum().backward()
>>> int(x.grad.sum())
96
"""

import copy
import math

import torch
import torch.nn.functional as F

from cypool.torch import _ops

_FLOATS = (torch.float16, torch.float32, torch.float64)
_MAX_DTYPES = _FLOATS + (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)


def _runs_here(x, dtypes):
    return (
        isinstance(x, torch.Tensor)
        and x.device.type == "cpu"
        and x.layout == torch.strided
        and x.dtype in dtypes
    )


def _per_dim(value, spatial_dims):
    if isinstance(value, (list, tuple)):
        values = [int(v) for v in value]
        return values * spatial_dims if len(values) == 1 else values
    return [int(value)] * spatial_dims


def _window(spatial_dims, kernel_size, stride, padding, dilation=1):
    kernel = _per_dim(kernel_size, spatial_dims)
    strides = (
        kernel if stride is None or stride == [] or stride == () else _per_dim(stride, spatial_dims)
    )
    return kernel, strides, _per_dim(padding, spatial_dims), _per_dim(dilation, spatial_dims)


def _padding_within_half(kernel, padding):
    """torch's rule (it raises otherwise): padding at most half the undilated kernel."""
    return all(p <= k // 2 for k, p in zip(kernel, padding))


def _needs_grad(x):
    return torch.is_grad_enabled() and x.requires_grad


def _call(operator, input, *args):
    """Run a cypool operator; plain eager inference skips the dispatcher (``.eager``),
    except under the profiler, which then sees the operator by name."""
    if (
        type(input) is torch.Tensor
        and not _needs_grad(input)
        and not torch.compiler.is_compiling()
        and not torch.autograd._profiler_enabled()
        and torch._C._len_torch_dispatch_stack() == 0
        and not torch._C._are_functorch_transforms_active()
    ):
        return operator.eager(input, *args)
    return operator(input, *args)


def _max_pool(
    spatial_dims, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
):
    kernel, strides, pads, dilations = _window(spatial_dims, kernel_size, stride, padding, dilation)
    if not (_runs_here(input, _MAX_DTYPES) and _padding_within_half(kernel, pads)):
        function = getattr(F, "max_pool%dd" % spatial_dims)
        return function(
            input,
            kernel_size,
            stride,
            padding,
            dilation,
            ceil_mode=ceil_mode,
            return_indices=return_indices,
        )
    ceil_mode = bool(ceil_mode)
    if return_indices or _needs_grad(input):
        values, indices = _call(
            _ops.max_pool_with_indices, input, kernel, strides, pads, dilations, ceil_mode
        )
        return (values, indices) if return_indices else values
    return _call(_ops.max_pool, input, kernel, strides, pads, dilations, ceil_mode)


def _avg_pool(
    spatial_dims,
    input,
    kernel_size,
    stride,
    padding,
    ceil_mode,
    count_include_pad,
    divisor_override,
):
    kernel, strides, pads, _ = _window(spatial_dims, kernel_size, stride, padding)
    if not (
        _runs_here(input, _FLOATS)
        and _padding_within_half(kernel, pads)
        and (divisor_override is None or divisor_override > 0)
    ):
        function = getattr(F, "avg_pool%dd" % spatial_dims)
        extra = () if spatial_dims == 1 else (divisor_override,)
        return function(input, kernel_size, stride, padding, ceil_mode, count_include_pad, *extra)
    return _call(
        _ops.avg_pool,
        input,
        kernel,
        strides,
        pads,
        bool(ceil_mode),
        bool(count_include_pad),
        None if divisor_override is None else int(divisor_override),
    )


def _lp_pool(spatial_dims, input, norm_type, kernel_size, stride, ceil_mode):
    # torch's definition: (sum of x**p over the window, the overhang scaled as
    # the average's divisor does) ** (1/p), without |x|; composed the same way
    # so that rounding matches bit for bit.
    if norm_type == float("inf"):
        return _max_pool(spatial_dims, input.abs(), kernel_size, stride, 0, 1, ceil_mode, False)
    if norm_type == -float("inf"):
        return -_max_pool(spatial_dims, -input.abs(), kernel_size, stride, 0, 1, ceil_mode, False)
    out = _avg_pool(
        spatial_dims, input.pow(norm_type), kernel_size, stride, 0, ceil_mode, True, None
    )
    taps = math.prod(_per_dim(kernel_size, spatial_dims))
    return (torch.sign(out) * F.relu(torch.abs(out))).mul(taps).pow(1.0 / norm_type)


def _adaptive_sizes(input, output_size, spatial_dims):
    """torch's output_size: an int or a sequence (one entry repeats), None keeps a size."""
    sizes = list(output_size) if isinstance(output_size, (list, tuple)) else [output_size]
    if len(sizes) == 1:
        sizes = sizes * spatial_dims
    spatial = input.shape[-spatial_dims:]
    return [int(spatial[d]) if s is None else int(s) for d, s in enumerate(sizes)]


def _adaptive_avg_pool(spatial_dims, input, output_size):
    sizes = (
        _adaptive_sizes(input, output_size, spatial_dims)
        if isinstance(input, torch.Tensor) and input.dim() > spatial_dims
        else None
    )
    # torch computes an all-ones output with mean(), whose summation order only
    # torch reproduces: it keeps that case, so results stay bit-identical.
    if not _runs_here(input, _FLOATS) or sizes is None or all(s == 1 for s in sizes):
        return getattr(F, "adaptive_avg_pool%dd" % spatial_dims)(input, output_size)
    return _call(_ops.adaptive_avg_pool, input, sizes)


def _adaptive_max_pool(spatial_dims, input, output_size, return_indices):
    if not _runs_here(input, _FLOATS):
        function = getattr(F, "adaptive_max_pool%dd" % spatial_dims)
        return function(input, output_size, return_indices=return_indices)
    values, indices = _call(
        _ops.adaptive_max_pool, input, _adaptive_sizes(input, output_size, spatial_dims)
    )
    return (values, indices) if return_indices else values


def _max_unpool(spatial_dims, input, indices, kernel_size, stride, padding, output_size):
    if not (_runs_here(input, _FLOATS + (torch.int64,)) and _runs_here(indices, (torch.int64,))):
        function = getattr(F, "max_unpool%dd" % spatial_dims)
        return function(input, indices, kernel_size, stride, padding, output_size)
    kernel, strides, pads, _ = _window(spatial_dims, kernel_size, stride, padding)
    # torch's own rule (and its error) for which output_size values are allowed.
    sizes = F._unpool_output_size(input, kernel, strides, pads, output_size)
    return _call(_ops.max_unpool, input, indices, [int(s) for s in sizes])


def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """``torch.nn.functional.max_pool1d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.max_pool1d(torch.tensor([[[1., 3., 2., 0.]]]), 2)
    tensor([[[3., 2.]]])
    """
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """``torch.nn.functional.max_pool2d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
    >>> ct.max_pool2d(x, 2, return_indices=True)
    (tensor([[[[ 5.,  7.],
              [13., 15.]]]]), tensor([[[[ 5,  7],
              [13, 15]]]]))
    """
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """``torch.nn.functional.max_pool3d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.max_pool3d(torch.arange(8.).reshape(1, 1, 2, 2, 2), 2).flatten()
    tensor([7.])
    """
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """``torch.nn.functional.avg_pool1d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.avg_pool1d(torch.tensor([[[1., 3., 2., 0.]]]), 2)
    tensor([[[2., 1.]]])
    """
    return _avg_pool(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """``torch.nn.functional.avg_pool2d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.avg_pool2d(torch.ones(1, 1, 4, 4), 2, divisor_override=1).flatten()
    tensor([4., 4., 4., 4.])
    """
    return _avg_pool(
        2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool3d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """``torch.nn.functional.avg_pool3d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.avg_pool3d(torch.arange(8.).reshape(1, 1, 2, 2, 2), 2).flatten()
    tensor([3.5000])
    """
    return _avg_pool(
        3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``torch.nn.functional.lp_pool1d`` (torch's rule, no ``|x|``) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.lp_pool1d(torch.tensor([[[3., 4.]]]), 2, 2)
    tensor([[[5.]]])
    """
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``torch.nn.functional.lp_pool2d`` (torch's rule, no ``|x|``) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.lp_pool2d(torch.full((1, 1, 2, 2), 2.), 1, 2).flatten()
    tensor([8.])
    """
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``torch.nn.functional.lp_pool3d`` (torch's rule, no ``|x|``) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.lp_pool3d(torch.ones(1, 1, 2, 2, 2), 1, 2).flatten()
    tensor([8.])
    """
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """``torch.nn.functional.adaptive_max_pool1d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_max_pool1d(torch.tensor([[[1., 3., 2., 0., 5.]]]), 2)
    tensor([[[3., 5.]]])
    """
    return _adaptive_max_pool(1, input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """``torch.nn.functional.adaptive_max_pool2d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_max_pool2d(torch.arange(9.).reshape(1, 1, 3, 3), (1, None)).flatten()
    tensor([6., 7., 8.])
    """
    return _adaptive_max_pool(2, input, output_size, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """``torch.nn.functional.adaptive_max_pool3d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_max_pool3d(torch.arange(8.).reshape(1, 2, 2, 2), 1).flatten()
    tensor([7.])
    """
    return _adaptive_max_pool(3, input, output_size, return_indices)


def adaptive_avg_pool1d(input, output_size):
    """``torch.nn.functional.adaptive_avg_pool1d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_avg_pool1d(torch.tensor([[[1., 3., 2., 0.]]]), 1)
    tensor([[[1.5000]]])
    """
    return _adaptive_avg_pool(1, input, output_size)


def adaptive_avg_pool2d(input, output_size):
    """``torch.nn.functional.adaptive_avg_pool2d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_avg_pool2d(torch.ones(2, 512, 7, 7), 1).shape
    torch.Size([2, 512, 1, 1])
    """
    return _adaptive_avg_pool(2, input, output_size)


def adaptive_avg_pool3d(input, output_size):
    """``torch.nn.functional.adaptive_avg_pool3d`` on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> ct.adaptive_avg_pool3d(torch.arange(8.).reshape(1, 1, 2, 2, 2), 1).flatten()
    tensor([3.5000])
    """
    return _adaptive_avg_pool(3, input, output_size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """``torch.nn.functional.max_unpool1d`` (torch's ``output_size`` window) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> y, i = ct.max_pool1d(torch.tensor([[[1., 3., 2., 0.]]]), 2, return_indices=True)
    >>> ct.max_unpool1d(y, i, 2)
    tensor([[[0., 3., 2., 0.]]])
    """
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """``torch.nn.functional.max_unpool2d`` (torch's ``output_size`` window) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> y, i = ct.max_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2, return_indices=True)
    >>> ct.max_unpool2d(y, i, 2).count_nonzero().item()
    4
    """
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """``torch.nn.functional.max_unpool3d`` (torch's ``output_size`` window) on cypool's kernels.

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> y, i = ct.max_pool3d(torch.arange(8.).reshape(1, 1, 2, 2, 2), 2, return_indices=True)
    >>> ct.max_unpool3d(y, i, 2).flatten().tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0]
    """
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


def convert(model, inplace=False):
    """Swap every ``torch.nn`` pooling module of ``model`` for its ``cypool.torch.nn`` twin.

    Only modules whose type is exactly a ``torch.nn`` pooling class are swapped
    (a user subclass may have its own ``forward``).  A swapped module keeps its
    attributes, hooks and training flag: only its class changes, to a subclass
    of the torch one (``isinstance`` checks still hold), so ``state_dict`` and
    parameters are untouched.

    Parameters
    ----------
    model : torch.nn.Module
    inplace : bool, default False
        Modify ``model`` itself rather than a deep copy.

    Returns
    -------
    torch.nn.Module
        The converted model (``model`` itself when ``inplace``).

    Examples
    --------
    >>> import torch, cypool.torch as ct
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.MaxPool2d(2))
    >>> ct.convert(net)[1]
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> type(ct.convert(net)[1]).__module__
    'cypool.torch.nn'
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError("model must be a torch.nn.Module, got %s" % type(model).__name__)
    if not inplace:
        model = copy.deepcopy(model)
    for module in model.modules():
        twin = nn.TWINS.get(type(module))
        if twin is not None:
            module.__class__ = twin
    return model


from cypool.torch import nn  # noqa: E402  (its modules call the functions above)

__all__ = sorted(
    [
        "%s%dd" % (family, d)
        for family in (
            "max_pool",
            "avg_pool",
            "lp_pool",
            "adaptive_max_pool",
            "adaptive_avg_pool",
            "max_unpool",
        )
        for d in (1, 2, 3)
    ]
    + ["convert", "nn"]
)
