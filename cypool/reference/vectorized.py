"""Pooling the way a NumPy user writes it: ``sliding_window_view``, ``np.add.at``.

Same names and signatures as ``cypool``'s functions; the benchmarks' NumPy baseline.
Window arithmetic follows the definitions, vectorized.  One simplification, as in
most hand-written NumPy pooling: padding is filled with the lowest value of the
dtype, so on inputs holding that value (or NaN) ties and NaN indices may differ
from PyTorch's rules; ``cypool.reference.loops`` is the exact oracle.
"""

import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cypool import _args
from cypool.reference import _windows
from cypool.reference._mirror import mirror
from cypool.reference.loops import _deliver, _mean_dtype, _planes, _unplanes


def _pad_widths(geometry):
    """(before, after) per spatial dim so that every window (ceil_mode overhang
    included) lies inside the padded array; input the windows never reach stays."""
    widths = [(0, 0)]
    for n, k, s, d, b, o in zip(
        geometry.in_size,
        geometry.kernel_size,
        geometry.stride,
        geometry.dilation,
        geometry.pad_before,
        geometry.out_size,
    ):
        needed = (o - 1) * s + d * (k - 1) + 1
        widths.append((b, max(needed - n - b, 0)))
    return widths


def _window_view(padded, geometry):
    """(planes, *out_size, *kernel_size) view of the windows of a padded plane stack."""
    ndim = len(geometry.in_size)
    extents = [d * (k - 1) + 1 for k, d in zip(geometry.kernel_size, geometry.dilation)]
    view = sliding_window_view(padded, extents, axis=tuple(range(1, ndim + 1)))
    picks = (
        (slice(None),)
        + tuple(slice(None, (o - 1) * s + 1, s) for o, s in zip(geometry.out_size, geometry.stride))
        + tuple(slice(None, None, d) for d in geometry.dilation)
    )
    return view[picks]


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_pool(
    ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, layout, out
):
    x, extent, geometry = _windows.forward_call(
        ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    planes = _planes(x, extent)
    padded = np.pad(planes, _pad_widths(geometry), constant_values=_lowest(x.dtype))
    windows = _window_view(padded, geometry)
    flat = windows.reshape(windows.shape[: ndim + 1] + (-1,))
    if not _args.as_bool("return_indices", return_indices):
        return _deliver(_unplanes(flat.max(axis=-1), extent), out)
    tap = flat.argmax(axis=-1)
    values = np.take_along_axis(flat, tap[..., np.newaxis], axis=-1)[..., 0]
    taps = np.unravel_index(tap, geometry.kernel_size)
    index = np.zeros(tap.shape, np.int64)
    for d in range(ndim):
        shape = [1] * (ndim + 1)
        shape[d + 1] = geometry.out_size[d]
        starts = (
            np.arange(geometry.out_size[d]) * geometry.stride[d] - geometry.pad_before[d]
        ).reshape(shape)
        index = index * geometry.in_size[d] + starts + taps[d] * geometry.dilation[d]
    values_out, indices_out = _args.split_out_pair(out)
    return (
        _deliver(_unplanes(values, extent), values_out),
        _deliver(_unplanes(index, extent), indices_out),
    )


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out):
    grad, indices, in_extent, out_extent = _args.scatter_call(
        ndim, grad_output, indices, input_shape, layout
    )
    grad_planes = _planes(grad, out_extent).reshape(in_extent.batch * in_extent.channels, -1)
    index_planes = _planes(indices, out_extent).reshape(grad_planes.shape)
    plane_size = int(np.prod(in_extent.spatial))
    if index_planes.size and (index_planes.min() < 0 or index_planes.max() >= plane_size):
        raise ValueError("indices: entries lie outside the input plane [0, %d)" % plane_size)
    result = np.zeros((grad_planes.shape[0], plane_size), dtype=grad.dtype)
    rows = np.arange(grad_planes.shape[0])[:, np.newaxis]
    np.add.at(result, (rows, index_planes), grad_planes)
    result = result.reshape((-1,) + in_extent.spatial)
    return _deliver(_unplanes(result, in_extent), out)


def _divisors(geometry, count_include_pad, divisor_override):
    """Per-output divisor (tap counts as window sums of a 0/1 mask)."""
    if divisor_override:
        return divisor_override
    inside = np.ones((1,) + geometry.in_size)
    if count_include_pad:
        inside = np.pad(
            inside, [(0, 0)] + list(zip(geometry.pad_before, geometry.pad_after)), constant_values=1
        )
        widths = [(0, 0)] + [
            (0, max(a - p, 0)) for (_, a), p in zip(_pad_widths(geometry)[1:], geometry.pad_after)
        ]
    else:
        widths = _pad_widths(geometry)
    mask = np.pad(inside, widths)
    window_axes = tuple(range(-len(geometry.in_size), 0))
    return _window_view(mask, geometry).sum(axis=window_axes)[0]


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
    dtype,
):
    x, extent, geometry = _windows.forward_call(
        ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    count_include_pad, divisor_override = _args.average_arguments(
        count_include_pad, divisor_override
    )
    result_dtype, work = _args.average_dtype(x.dtype, dtype)
    planes = _planes(x, extent).astype(work, copy=False)
    windows = _window_view(np.pad(planes, _pad_widths(geometry)), geometry)
    sums = windows.sum(axis=tuple(range(-ndim, 0)))
    means = (sums / _divisors(geometry, count_include_pad, divisor_override)).astype(
        work, copy=False
    )
    return _deliver(_unplanes(_rounded(means, result_dtype), extent), out)


def _rounded(means, dtype):
    """Float means in ``dtype``: cast, or for an integer dtype np.rint saturated to
    its range (the range's ends compared as floats: 2**63 is past int64's)."""
    if dtype.kind not in _args.INTEGER_KINDS:
        with np.errstate(over="ignore"):  # overflow to infinity is the cast's answer
            return means.astype(dtype, copy=False)
    info = np.iinfo(dtype)
    nearest = np.rint(means)
    high, low = nearest >= float(info.max) + 1.0, nearest <= float(info.min)
    result = np.where(high | low, 0, nearest).astype(dtype)
    result[high], result[low] = info.max, info.min
    return result


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
):
    grad, in_extent, geometry = _windows.backward_call(
        ndim, grad_output, input_shape, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    count_include_pad, divisor_override = _args.average_arguments(
        count_include_pad, divisor_override
    )
    dtype = _mean_dtype(grad.dtype)
    share = (
        _planes(grad, in_extent).astype(dtype, copy=False)
        / _divisors(geometry, count_include_pad, divisor_override)
    ).astype(dtype, copy=False)
    widths = _pad_widths(geometry)
    padded = np.zeros(
        (share.shape[0],) + tuple(n + b + a for n, (b, a) in zip(geometry.in_size, widths[1:])),
        dtype,
    )
    for taps in itertools.product(*[range(k) for k in geometry.kernel_size]):
        target = (slice(None),) + tuple(
            slice(t * d, t * d + (o - 1) * s + 1, s)
            for t, d, o, s in zip(taps, geometry.dilation, geometry.out_size, geometry.stride)
        )
        padded[target] += share
    crop = (slice(None),) + tuple(
        slice(b, b + n) for n, (b, _) in zip(geometry.in_size, widths[1:])
    )
    return _deliver(_unplanes(padded[crop], in_extent), out)


# --- public names, same signatures as cypool's -------------------------------------------

__all__ = mirror(
    globals(),
    {
        "max_pool": _max_pool,
        "max_pool_backward": _max_pool_backward,
        "avg_pool": _avg_pool,
        "avg_pool_backward": _avg_pool_backward,
    },
    "Vectorized NumPy",
)
