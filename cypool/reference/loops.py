"""Plain Python/NumPy pooling, written straight from the definitions.

The oracle of the test suite and the baseline of the benchmarks: same names and
signatures as the fast functions, readable loops over windows, no cleverness.
Arguments are validated by the same ``cypool._args`` as the fast functions (so both
raise the same errors); the window arithmetic below is independent of the kernels'
tables.  ``out`` is honoured by copying; ``num_threads`` is accepted and ignored.
"""
import itertools
import math

import numpy as np

from cypool import _args
from cypool.reference._mirror import mirror


# --- helpers: layouts and windows -------------------------------------------------------

def _planes(array, extent):
    """``array`` as (planes, *spatial), one plane per (n, c), channels-first order."""
    if not extent.batched:
        array = array[np.newaxis]
    if extent.layout == _args.CHANNELS_LAST:
        array = np.moveaxis(array, -1, 1)
    return array.reshape((-1,) + array.shape[2:])


def _unplanes(planes, extent):
    """Inverse of ``_planes`` for an array of per-plane results."""
    array = planes.reshape((extent.batch, extent.channels) + planes.shape[1:])
    if extent.layout == _args.CHANNELS_LAST:
        array = np.moveaxis(array, 1, -1)
    if not extent.batched:
        array = array[0]
    return np.ascontiguousarray(array)


def _window_taps(geometry, out_pos):
    """Every tap (as a position tuple) of the window at ``out_pos``, row-major order,
    including taps that fall in the padding or beyond it."""
    starts = [o * s - p for o, s, p in zip(out_pos, geometry.stride, geometry.pad_before)]
    for taps in itertools.product(*[range(k) for k in geometry.kernel_size]):
        yield tuple(start + t * d for start, t, d in zip(starts, taps, geometry.dilation))


def _inside(pos, low, high):
    return all(lo <= p < hi for p, lo, hi in zip(pos, low, high))


def _flat(pos, size):
    return int(np.ravel_multi_index(pos, size))


def _deliver(result, out):
    if out is None:
        return result
    out = _args.check_out(out, result.shape, result.dtype, [])
    out[...] = result
    return out


def _mean_dtype(dtype):
    return np.dtype(np.float64) if dtype.kind in _args.INTEGER_KINDS else dtype


# --- max pooling ------------------------------------------------------------------------

def _max_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
              layout, out):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    geometry = _args.window_geometry(extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    planes = _planes(x, extent)
    values = np.empty((planes.shape[0],) + geometry.out_size, dtype=x.dtype)
    indices = np.empty(values.shape, dtype=np.int64)
    for p, plane in enumerate(planes):
        for out_pos in np.ndindex(*geometry.out_size):
            best, best_index = None, None
            for pos in _window_taps(geometry, out_pos):
                if not _inside(pos, (0,) * ndim, geometry.in_size):
                    continue  # padding never wins
                v = plane[pos]
                # PyTorch's rule: a larger value or any NaN replaces the current best.
                if best is None or v > best or v != v:
                    best, best_index = v, _flat(pos, geometry.in_size)
            values[(p,) + out_pos] = best
            indices[(p,) + out_pos] = best_index
    values, indices = _unplanes(values, extent), _unplanes(indices, extent)
    if _args.as_bool("return_indices", return_indices):
        values_out, indices_out = _args.split_out_pair(out)
        return _deliver(values, values_out), _deliver(indices, indices_out)
    return _deliver(values, out)


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    grad = _args.as_input("grad_output", grad_output)
    out_extent = _args.grad_extent(grad.shape, in_extent, ndim, layout)
    indices = _args.as_indices("indices", indices, grad.shape)
    plane_size = math.prod(in_extent.spatial)
    grad_planes = _planes(grad, out_extent).reshape(-1, math.prod(out_extent.spatial))
    index_planes = _planes(indices, out_extent).reshape(grad_planes.shape)
    # float16 gradients are summed in float32 (API.md), then rounded once.
    sum_dtype = np.float32 if grad.dtype == np.float16 else grad.dtype
    result = np.zeros((grad_planes.shape[0], plane_size), dtype=sum_dtype)
    # Integer gradients wrap around, as NumPy integer arithmetic does.
    with np.errstate(over="ignore"):
        _scatter_add(result, index_planes, grad_planes, plane_size)
    result = result.reshape((-1,) + in_extent.spatial).astype(grad.dtype)
    return _deliver(_unplanes(result, in_extent), out)


def _scatter_add(result, index_planes, grad_planes, plane_size):
    for p in range(grad_planes.shape[0]):
        for o in range(grad_planes.shape[1]):
            i = index_planes[p, o]
            if not 0 <= i < plane_size:
                raise ValueError("indices: entry %d lies outside the input plane [0, %d)"
                                 % (i, plane_size))
            result[p, i] += grad_planes[p, o]


# --- average pooling --------------------------------------------------------------------

def _divisor(geometry, pos_list, count_include_pad, divisor_override):
    if divisor_override:
        return divisor_override
    if count_include_pad:
        low = tuple(-p for p in geometry.pad_before)
        high = tuple(n + p for n, p in zip(geometry.in_size, geometry.pad_after))
    else:
        low, high = (0,) * len(geometry.in_size), geometry.in_size
    return sum(1 for pos in pos_list if _inside(pos, low, high))


def _avg_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
              divisor_override, layout, out):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    geometry = _args.window_geometry(extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    count_include_pad, divisor_override = _args.average_arguments(count_include_pad,
                                                                  divisor_override)
    planes = _planes(x, extent)
    result = np.empty((planes.shape[0],) + geometry.out_size, dtype=_mean_dtype(x.dtype))
    for p, plane in enumerate(planes):
        for out_pos in np.ndindex(*geometry.out_size):
            taps = list(_window_taps(geometry, out_pos))
            total = 0.0
            for pos in taps:
                if _inside(pos, (0,) * ndim, geometry.in_size):
                    total += float(plane[pos])  # padding adds zero
            result[(p,) + out_pos] = total / _divisor(geometry, taps, count_include_pad,
                                                      divisor_override)
    return _deliver(_unplanes(result, extent), out)


def _avg_pool_backward(ndim, grad_output, input_shape, kernel_size, stride, padding, dilation,
                       ceil_mode, count_include_pad, divisor_override, layout, out):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    geometry = _args.window_geometry(in_extent.spatial, kernel_size, stride, padding, dilation,
                                     ceil_mode)
    count_include_pad, divisor_override = _args.average_arguments(count_include_pad,
                                                                  divisor_override)
    grad = _args.as_input("grad_output", grad_output)
    expected = in_extent.shape(geometry.out_size)
    if grad.shape != expected:
        raise ValueError("grad_output must have shape %r for this input_shape and window, got %r"
                         % (expected, grad.shape))
    grad_planes = _planes(grad, in_extent)
    result = np.zeros((grad_planes.shape[0],) + geometry.in_size, dtype=np.float64)
    for p, plane in enumerate(grad_planes):
        for out_pos in np.ndindex(*geometry.out_size):
            taps = list(_window_taps(geometry, out_pos))
            share = float(plane[out_pos]) / _divisor(geometry, taps, count_include_pad,
                                                     divisor_override)
            for pos in taps:
                if _inside(pos, (0,) * ndim, geometry.in_size):
                    result[(p,) + pos] += share
    result = result.astype(_mean_dtype(grad.dtype))
    return _deliver(_unplanes(result, in_extent), out)


# --- public names, same signatures as cypool's -------------------------------------------

__all__ = mirror(globals(), {"max_pool": _max_pool, "max_pool_backward": _max_pool_backward,
                            "avg_pool": _avg_pool, "avg_pool_backward": _avg_pool_backward},
                 "Plain-loop reference")
