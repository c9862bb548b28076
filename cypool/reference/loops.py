"""Plain Python/NumPy pooling, written straight from the definitions.

The oracle of the test suite: same names and signatures as cypool's functions,
readable loops over windows, no cleverness.  Argument forms are parsed by the same
``cypool._args`` as the fast functions; output sizes, "same" pads and ceil_mode come
from ``cypool.reference._windows`` and the rest of the window arithmetic (taps,
bins, divisors, unpooling sizes) is below: none of it from the compiled geometry.
``out`` is honoured by copying; ``num_threads`` is accepted and ignored.
"""

import dataclasses
import itertools
import math
from fractions import Fraction

import numpy as np

from cypool import _args, fractional
from cypool import axes as cypool_axes
from cypool.reference import _windows
from cypool.reference._mirror import mirror, mirror_signature

# --- layouts ----------------------------------------------------------------------------


def _planes(array, extent):
    """``array`` as (planes, *spatial), one plane per (n, c), channels-first order."""
    if not extent.batched:
        array = array[np.newaxis]
    if extent.layout == _args.CHANNELS_LAST:
        array = np.moveaxis(array, -1, 1)
    return array.reshape((array.shape[0] * array.shape[1],) + array.shape[2:])


def _unplanes(planes, extent):
    """Inverse of ``_planes`` for an array of per-plane results."""
    array = planes.reshape((extent.batch, extent.channels) + planes.shape[1:])
    if extent.layout == _args.CHANNELS_LAST:
        array = np.moveaxis(array, 1, -1)
    if not extent.batched:
        array = array[0]
    return np.ascontiguousarray(array)


def _deliver(result, out):
    if out is None:
        return result
    out = _args.check_out(out, result.shape, result.dtype, [])
    out[...] = result
    return out


def _mean_dtype(dtype):
    return np.dtype(np.float64) if dtype.kind in "iub" else dtype


def _mean_types(x_dtype, dtype):
    """(result dtype, the dtype each window's mean is stored in first) of an average
    called with ``dtype=``: a float result is the float64 mean rounded to the
    working precision, then to the result; an integer result is stored as it is."""
    result, work = _args.average_dtype(x_dtype, dtype)
    return result, (result if result.kind in _args.INTEGER_KINDS else work)


def _window_mean(values, divisor, result):
    """The mean of a window's in-bounds ``values`` (padding adds zero) over
    ``divisor``: for an integer result the exact mean (Python integers) rounded
    half to even and saturated to the type's range, else the float64 mean."""
    if result.kind in _args.INTEGER_KINDS:
        info = np.iinfo(result)
        nearest = round(Fraction(sum(int(v) for v in values), divisor))  # ties to even
        return min(max(nearest, int(info.min)), int(info.max))
    return sum(float(v) for v in values) / divisor


def _cast(means, result):
    """Stored means in the result dtype (overflow to infinity is the cast's answer)."""
    with np.errstate(over="ignore"):
        return means.astype(result, copy=False)


def _sum_dtype(dtype):
    """float16 sums run in float32 (API.md); other types in their own."""
    return np.dtype(np.float32) if dtype == np.float16 else dtype


# --- windows, from the definitions ------------------------------------------------------


def _window_taps(w, out_pos):
    """Every tap (a position tuple) of the window at ``out_pos``, row-major order,
    including taps in the padding or beyond it."""
    starts = [o * s - p for o, s, p in zip(out_pos, w.stride, w.pad_before)]
    for taps in itertools.product(*[range(k) for k in w.kernel_size]):
        yield tuple(start + t * d for start, t, d in zip(starts, taps, w.dilation))


def _inside(pos, low, high):
    return all(lo <= p < hi for p, lo, hi in zip(pos, low, high))


def _input_taps(w, out_pos):
    """The window's taps that fall on the input, row-major order."""
    return [pos for pos in _window_taps(w, out_pos) if _inside(pos, (0,) * len(pos), w.in_size)]


def _bin_taps(in_size, out_size, out_pos):
    """PyTorch's adaptive bin: [floor(o*n/m), ceil((o+1)*n/m)) along each dim."""
    ranges = [
        range((o * n) // m, -((-(o + 1) * n) // m)) for o, n, m in zip(out_pos, in_size, out_size)
    ]
    return list(itertools.product(*ranges))


def _flat(pos, size):
    return int(np.ravel_multi_index(pos, size))


def _argmax(plane, positions):
    """PyTorch's rule: scanning in order, a larger value or any NaN takes over."""
    best, best_pos = None, None
    for pos in positions:
        v = plane[pos]
        if best is None or v > best or v != v:
            best, best_pos = v, pos
    return best, best_pos


# --- plane-level definitions (any number of pooled dims) ---------------------------------


def _argmin(plane, positions):
    """Max pooling's rule mirrored: a smaller value or any NaN takes over."""
    best, best_pos = None, None
    for pos in positions:
        v = plane[pos]
        if best is None or v < best or v != v:
            best, best_pos = v, pos
    return best, best_pos


def _max_planes(planes, out_size, in_size, taps_of, choose=_argmax):
    values = np.empty((planes.shape[0],) + tuple(out_size), dtype=planes.dtype)
    indices = np.empty(values.shape, dtype=np.int64)
    for p, plane in enumerate(planes):
        for out_pos in np.ndindex(*out_size):
            best, pos = choose(plane, taps_of(out_pos))
            values[(p,) + out_pos] = best
            indices[(p,) + out_pos] = _flat(pos, in_size)
    return values, indices


def _scatter_add(grad_planes, index_planes, plane_size, dtype):
    """sum of grad at its index, per plane; float16 sums in float32, ints wrap."""
    result = np.zeros((grad_planes.shape[0], plane_size), dtype=_sum_dtype(dtype))
    with np.errstate(over="ignore"):
        for p in range(grad_planes.shape[0]):
            for o in range(grad_planes.shape[1]):
                i = index_planes[p, o]
                if not 0 <= i < plane_size:
                    raise ValueError(
                        "indices: entry %d lies outside the spatial plane [0, %d)" % (i, plane_size)
                    )
                result[p, i] += grad_planes[p, o]
    return result.astype(dtype)


def _divisor(w, taps, count_include_pad, divisor_override):
    if divisor_override:
        return divisor_override
    if count_include_pad:  # taps in the padding count, taps beyond it never
        low = tuple(-p for p in w.pad_before)
        high = tuple(n + p for n, p in zip(w.in_size, w.pad_after))
    else:
        low, high = (0,) * len(w.in_size), w.in_size
    return sum(1 for pos in taps if _inside(pos, low, high))


def _avg_planes(planes, w, count_include_pad, divisor_override, dtype=None):
    result, store = _mean_types(planes.dtype, dtype)
    means = np.empty((planes.shape[0],) + tuple(w.out_size), dtype=store)
    for p, plane in enumerate(planes):
        for out_pos in np.ndindex(*w.out_size):
            taps = list(_window_taps(w, out_pos))
            means[(p,) + out_pos] = _window_mean(
                [plane[pos] for pos in taps if _inside(pos, (0,) * len(pos), w.in_size)],
                _divisor(w, taps, count_include_pad, divisor_override),
                result,
            )
    return _cast(means, result)


def _avg_backward_planes(grad_planes, w, count_include_pad, divisor_override):
    result = np.zeros((grad_planes.shape[0],) + tuple(w.in_size), dtype=np.float64)
    for p, plane in enumerate(grad_planes):
        for out_pos in np.ndindex(*w.out_size):
            taps = list(_window_taps(w, out_pos))
            share = float(plane[out_pos]) / _divisor(w, taps, count_include_pad, divisor_override)
            for pos in taps:
                if _inside(pos, (0,) * len(pos), w.in_size):
                    result[(p,) + pos] += share
    return result.astype(_mean_dtype(grad_planes.dtype))


def _lp_planes(planes, w, p):
    result = np.empty((planes.shape[0],) + tuple(w.out_size), dtype=np.float64)
    for q, plane in enumerate(planes):
        for out_pos in np.ndindex(*w.out_size):
            magnitudes = [abs(float(plane[pos])) for pos in _input_taps(w, out_pos)]
            if math.isinf(p):
                result[(q,) + out_pos] = _argmax(
                    np.array(magnitudes), [(i,) for i in range(len(magnitudes))]
                )[0]
            else:
                result[(q,) + out_pos] = sum(m**p for m in magnitudes) ** (1 / p)
    return result


def _lp_backward_planes(grad_planes, planes, w, p):
    result = np.zeros(planes.shape, dtype=np.float64)
    for q, plane in enumerate(planes):
        for out_pos in np.ndindex(*w.out_size):
            taps = _input_taps(w, out_pos)
            g = float(grad_planes[(q,) + out_pos])
            if math.isinf(p):
                magnitudes = np.array([abs(float(plane[pos])) for pos in taps])
                _, (i,) = _argmax(magnitudes, [(i,) for i in range(len(taps))])
                result[(q,) + taps[i]] += g * np.sign(float(plane[taps[i]]))
                continue
            norm = sum(abs(float(plane[pos])) ** p for pos in taps) ** (1 / p)
            if norm == 0:
                continue  # the subgradient 0
            for pos in taps:
                v = float(plane[pos])
                if v != 0:
                    result[(q,) + pos] += g * math.copysign(abs(v) ** (p - 1), v) * norm ** (1 - p)
    return result


# --- CNN-style functions ------------------------------------------------------------------


def _max_pool(
    ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, layout, out
):
    x, extent, w = _windows.forward_call(
        ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    values, indices = _max_planes(
        _planes(x, extent), w.out_size, w.in_size, lambda out_pos: _input_taps(w, out_pos)
    )
    return _deliver_max(values, indices, extent, return_indices, out)


def _deliver_max(values, indices, extent, return_indices, out):
    values, indices = _unplanes(values, extent), _unplanes(indices, extent)
    if _args.as_bool("return_indices", return_indices):
        values_out, indices_out = _args.split_out_pair(out)
        return _deliver(values, values_out), _deliver(indices, indices_out)
    return _deliver(values, out)


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out):
    grad, indices, in_extent, out_extent = _args.scatter_call(
        ndim, grad_output, indices, input_shape, layout
    )
    plane = math.prod(in_extent.spatial)
    planes = in_extent.batch * in_extent.channels
    result = _scatter_add(
        _planes(grad, out_extent).reshape(planes, math.prod(out_extent.spatial)),
        _planes(indices, out_extent).reshape(planes, math.prod(out_extent.spatial)),
        plane,
        grad.dtype,
    )
    return _deliver(_unplanes(result.reshape((planes,) + in_extent.spatial), in_extent), out)


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
    x, extent, w = _windows.forward_call(
        ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    return _deliver(
        _unplanes(_avg_planes(_planes(x, extent), w, count_include_pad, divisor, dtype), extent),
        out,
    )


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
    grad, in_extent, w = _windows.backward_call(
        ndim, grad_output, input_shape, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    result = _avg_backward_planes(_planes(grad, in_extent), w, count_include_pad, divisor)
    return _deliver(_unplanes(result, in_extent), out)


def _lp_pool(ndim, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out):
    x, extent, w = _windows.forward_call(
        ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    p = _args.norm_type(norm_type)
    result = _lp_planes(_planes(x, extent), w, p).astype(_args.result_dtype(x.dtype, True))
    return _deliver(_unplanes(result, extent), out)


def _lp_pool_backward(
    ndim, grad_output, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout, out
):
    grad, in_extent, w = _windows.backward_call(
        ndim, grad_output, np.shape(x), kernel_size, stride, padding, dilation, ceil_mode, layout
    )
    x = _args.as_input("x", x)
    p = _args.norm_type(norm_type)
    result = _lp_backward_planes(_planes(grad, in_extent), _planes(x, in_extent), w, p)
    return _deliver(_unplanes(result.astype(_args.result_dtype(x.dtype, True)), in_extent), out)


# --- adaptive and global ------------------------------------------------------------------


def _adaptive_max_pool(ndim, x, output_size, return_indices, layout, out):
    x, extent, sizes = _args.adaptive_call(ndim, x, output_size, layout)
    values, indices = _max_planes(
        _planes(x, extent),
        sizes,
        extent.spatial,
        lambda out_pos: _bin_taps(extent.spatial, sizes, out_pos),
    )
    return _deliver_max(values, indices, extent, return_indices, out)


def _adaptive_avg_pool(ndim, x, output_size, layout, out, dtype):
    x, extent, sizes = _args.adaptive_call(ndim, x, output_size, layout)
    planes = _planes(x, extent)
    result, store = _mean_types(x.dtype, dtype)
    means = np.empty((planes.shape[0],) + sizes, dtype=store)
    for p, plane in enumerate(planes):
        for out_pos in np.ndindex(*sizes):
            taps = _bin_taps(extent.spatial, sizes, out_pos)
            means[(p,) + out_pos] = _window_mean([plane[pos] for pos in taps], len(taps), result)
    return _deliver(_unplanes(_cast(means, result), extent), out)


def _adaptive_avg_pool_backward(ndim, grad_output, input_shape, layout, out):
    layout = _args.parse_layout(layout)
    in_extent = _args.input_extent(input_shape, ndim, layout)
    grad = _args.as_input("grad_output", grad_output)
    out_extent = _args.grad_extent(grad.shape, in_extent, ndim, layout)
    grad_planes = _planes(grad, out_extent)
    result = np.zeros((grad_planes.shape[0],) + in_extent.spatial)
    for p, plane in enumerate(grad_planes):
        for out_pos in np.ndindex(*out_extent.spatial):
            taps = _bin_taps(in_extent.spatial, out_extent.spatial, out_pos)
            for pos in taps:
                result[(p,) + pos] += float(plane[out_pos]) / len(taps)
    return _deliver(_unplanes(result.astype(_mean_dtype(grad.dtype)), in_extent), out)


def _global(x, layout, keepdims, reduce, dtype_of):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    keepdims = _args.as_bool("keepdims", keepdims)
    if x.ndim < 3:
        raise ValueError(
            "x must be batched with at least one spatial dim, got shape %r" % (x.shape,)
        )
    if layout == _args.CHANNELS_LAST:
        x = np.moveaxis(x, -1, 1)
    if any(s < 1 for s in x.shape[2:]):
        raise ValueError("every spatial size of x must be >= 1, got shape %r" % (x.shape,))
    flat = x.reshape(x.shape[0], x.shape[1], math.prod(x.shape[2:]))
    result = np.empty(flat.shape[:2], dtype=dtype_of(x.dtype))
    for n, c in np.ndindex(*flat.shape[:2]):
        result[n, c] = reduce(flat[n, c])
    if keepdims:
        result = result.reshape(result.shape + (1,) * (x.ndim - 2))
        if layout == _args.CHANNELS_LAST:
            result = np.ascontiguousarray(np.moveaxis(result, 1, -1))
    return result


def global_max_pool(x, layout="channels_first", keepdims=False, out=None, num_threads=None):
    """Plain-loop reference version of ``cypool.global_max_pool``.

    Examples
    --------
    >>> import numpy as np, cypool.reference.loops
    >>> cypool.reference.loops.global_max_pool(np.arange(8.).reshape(1, 2, 4)).tolist()
    [[3.0, 7.0]]
    """
    result = _global(
        x,
        layout,
        keepdims,
        lambda values: _argmax(values, [(i,) for i in range(len(values))])[0],
        lambda dtype: dtype,
    )
    return _deliver(result, out)


def global_avg_pool(
    x, layout="channels_first", keepdims=False, out=None, num_threads=None, *, dtype=None
):
    """Plain-loop reference version of ``cypool.global_avg_pool``.

    Examples
    --------
    >>> import numpy as np, cypool.reference.loops
    >>> cypool.reference.loops.global_avg_pool(np.arange(8.).reshape(1, 2, 4)).tolist()
    [[1.5, 5.5]]
    """
    result, store = _mean_types(_args.as_input("x", x).dtype, dtype)

    def mean(values):
        return _window_mean(values, len(values), result)

    means = _global(x, layout, keepdims, mean, lambda _: store)
    return _deliver(_cast(means, result), out)


# --- max-unpooling ------------------------------------------------------------------------


def _max_unpool(ndim, x, indices, kernel_size, stride, padding, output_size, layout, out):
    layout = _args.parse_layout(layout)
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, layout)
    indices = _args.as_indices("indices", indices, x.shape)
    sizes = _windows.unpool_size(extent, kernel_size, stride, padding, output_size, ndim)
    plane = math.prod(sizes)
    planes = extent.batch * extent.channels
    values = _planes(x, extent).reshape(planes, math.prod(extent.spatial))
    index_planes = _planes(indices, extent).reshape(values.shape)
    result = np.zeros((values.shape[0], plane), dtype=x.dtype)
    for p in range(values.shape[0]):
        for o in range(values.shape[1]):
            i = index_planes[p, o]
            if not 0 <= i < plane:
                raise ValueError(
                    "indices: entry %d lies outside the spatial plane [0, %d)" % (i, plane)
                )
            result[p, i] = values[p, o]
    out_extent = dataclasses.replace(extent, spatial=sizes)
    return _deliver(_unplanes(result.reshape((planes,) + sizes), out_extent), out)


def _max_unpool_backward(ndim, grad_output, indices, layout, out):
    layout = _args.parse_layout(layout)
    grad = _args.as_input("grad_output", grad_output)
    grad_extent = _args.split_shape(grad.shape, ndim, layout, "grad_output")
    indices = np.asarray(indices)
    in_extent = _args.split_shape(indices.shape, ndim, layout, "indices")
    indices = _args.as_indices("indices", indices, indices.shape)
    plane = math.prod(grad_extent.spatial)
    planes = grad_extent.batch * grad_extent.channels
    grads = _planes(grad, grad_extent).reshape(planes, plane)
    index_planes = _planes(indices, in_extent).reshape(grads.shape[0], -1)
    result = np.empty(index_planes.shape, dtype=grad.dtype)
    for p in range(result.shape[0]):
        for o in range(result.shape[1]):
            i = index_planes[p, o]
            if not 0 <= i < plane:
                raise ValueError(
                    "indices: entry %d lies outside the spatial plane [0, %d)" % (i, plane)
                )
            result[p, o] = grads[p, i]
    return _deliver(_unplanes(result.reshape((planes,) + in_extent.spatial), in_extent), out)


# --- fractional max pooling ---------------------------------------------------------------


def _fractional_intervals(u, n, out, k, kind):
    """PyTorch's interval starts for one dim of one plane, one scalar at a time in
    the floating type ``kind``."""
    if out == 1:
        return [n - k]
    alpha = kind(n - k) / kind(out - 1)
    return [int(kind(kind(i) + u) * alpha) - int(u * alpha) for i in range(out - 1)] + [n - k]


def _fractional_max_pool(
    ndim, x, kernel_size, output_size, output_ratio, return_indices, samples, rng, layout, out
):
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, _args.parse_layout(layout), nonempty=True)
    kernel = _args.per_dim("kernel_size", kernel_size, ndim)
    sizes = _args.fractional_output_size(output_size, output_ratio, extent.spatial)
    if min(kernel) < 1 or any(o + k - 1 > n for o, k, n in zip(sizes, kernel, extent.spatial)):
        raise ValueError(
            "kernel_size %r and output_size %r do not fit spatial sizes %r"
            % (kernel, sizes, extent.spatial)
        )
    # Drawing or checking the samples is parsing; the intervals are computed here.
    drawn = fractional.plane_samples(samples, rng, extent, ndim, x.dtype)
    kind = drawn.dtype.type
    planes = _planes(x, extent)
    values = np.empty((planes.shape[0],) + sizes, planes.dtype)
    indices = np.empty(values.shape, np.int64)
    for p, plane in enumerate(planes):
        starts = [
            _fractional_intervals(
                drawn[p, fractional.SAMPLE_OF_DIM[ndim][d]],
                extent.spatial[d],
                sizes[d],
                kernel[d],
                kind,
            )
            for d in range(ndim)
        ]
        for out_pos in np.ndindex(*sizes):
            taps = itertools.product(
                *[range(starts[d][o], starts[d][o] + kernel[d]) for d, o in enumerate(out_pos)]
            )
            best, pos = _argmax(plane, taps)
            values[(p,) + out_pos] = best
            indices[(p,) + out_pos] = _flat(pos, extent.spatial)
    return _deliver_max(values, indices, extent, return_indices, out)


# --- NumPy-style pooling over axes ---------------------------------------------------------


def _axes_planes(array, axes):
    """``array`` as (planes, *array's sizes along axes), the other axes flattened."""
    others = tuple(a for a in range(array.ndim) if a not in axes)
    moved = np.moveaxis(array, others + axes, tuple(range(array.ndim)))
    return moved.reshape((-1,) + tuple(array.shape[a] for a in axes))


def _axes_unplanes(planes, shape, axes):
    """The inverse of _axes_planes for an array of ``shape`` (the pooled sizes may differ)."""
    others = tuple(a for a in range(len(shape)) if a not in axes)
    moved = planes.reshape(tuple(shape[a] for a in others) + planes.shape[1:])
    return np.ascontiguousarray(np.moveaxis(moved, tuple(range(len(shape))), others + axes))


def _axes_windows(shape, axes, kernel_size, stride, padding, dilation, ceil_mode):
    """Windows over the pooled axes (an int or one entry per pooled axis each)."""

    def entries(value):
        if isinstance(value, (list, tuple)) and not (value and isinstance(value[0], str)):
            if len(value) != len(axes):
                raise ValueError(
                    "window arguments must be an int or hold one entry per "
                    "pooled axis (%d), got %r" % (len(axes), value)
                )
            return list(value)
        return [value] * len(axes)

    per_axis = [
        _windows.resolve(
            (shape[a],),
            k,
            s,
            p if isinstance(p, str) or not isinstance(p, (list, tuple)) else (tuple(p),),
            d,
            ceil_mode,
        )
        for a, k, s, p, d in zip(
            axes,
            entries(kernel_size),
            entries(stride) if stride is not None else [None] * len(axes),
            entries(padding),
            entries(dilation),
        )
    ]
    return _windows.Windows(*(tuple(w[field][0] for w in per_axis) for field in range(7)))


def _axes_call(x, axes, kernel_size, stride, padding, dilation, ceil_mode):
    x = _args.as_input("x", x)
    axes = cypool_axes._normalize_axes(axes, x.ndim)
    w = _axes_windows(x.shape, axes, kernel_size, stride, padding, dilation, ceil_mode)
    out_shape = list(x.shape)
    for a, size in zip(axes, w.out_size):
        out_shape[a] = size
    return x, axes, w, tuple(out_shape)


def _max_or_min_pool(
    x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, axes, out, choose
):
    x, axes, w, out_shape = _axes_call(x, axes, kernel_size, stride, padding, dilation, ceil_mode)
    values, indices = _max_planes(
        _axes_planes(x, axes),
        w.out_size,
        w.in_size,
        lambda out_pos: _input_taps(w, out_pos),
        choose,
    )
    values = _axes_unplanes(values, out_shape, axes)
    indices = _axes_unplanes(indices, out_shape, axes)
    if _args.as_bool("return_indices", return_indices):
        values_out, indices_out = _args.split_out_pair(out)
        return _deliver(values, values_out), _deliver(indices, indices_out)
    return _deliver(values, out)


def max_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    axes=None,
    out=None,
    num_threads=None,
):
    return _max_or_min_pool(
        x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, axes, out, _argmax
    )


def min_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    axes=None,
    out=None,
    num_threads=None,
):
    return _max_or_min_pool(
        x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, axes, out, _argmin
    )


def avg_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    axes=None,
    out=None,
    num_threads=None,
    *,
    dtype=None,
):
    x, axes, w, out_shape = _axes_call(x, axes, kernel_size, stride, padding, dilation, ceil_mode)
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    result = _avg_planes(_axes_planes(x, axes), w, count_include_pad, divisor, dtype)
    return _deliver(_axes_unplanes(result, out_shape, axes), out)


def lp_pool(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    axes=None,
    out=None,
    num_threads=None,
):
    x, axes, w, out_shape = _axes_call(x, axes, kernel_size, stride, padding, dilation, ceil_mode)
    result = _lp_planes(_axes_planes(x, axes), w, _args.norm_type(norm_type))
    return _deliver(
        _axes_unplanes(result.astype(_args.result_dtype(x.dtype, True)), out_shape, axes), out
    )


def _axes_backward(grad_output, input_shape, axes, window):
    grad = _args.as_input("grad_output", grad_output)
    input_shape = _args.parse_shape("input_shape", input_shape)
    axes = cypool_axes._normalize_axes(axes, len(input_shape))
    w = _axes_windows(input_shape, axes, *window)
    expected = list(input_shape)
    for a, size in zip(axes, w.out_size):
        expected[a] = size
    if grad.shape != tuple(expected):
        raise ValueError("grad_output must have shape %r, got %r" % (tuple(expected), grad.shape))
    return grad, input_shape, axes, w


def avg_pool_backward(
    grad_output,
    input_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    axes=None,
    out=None,
    num_threads=None,
):
    grad, input_shape, axes, w = _axes_backward(
        grad_output, input_shape, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    count_include_pad, divisor = _args.average_arguments(count_include_pad, divisor_override)
    result = _avg_backward_planes(_axes_planes(grad, axes), w, count_include_pad, divisor)
    return _deliver(_axes_unplanes(result, input_shape, axes), out)


def lp_pool_backward(
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    axes=None,
    out=None,
    num_threads=None,
):
    x = _args.as_input("x", x)
    grad, input_shape, axes, w = _axes_backward(
        grad_output, x.shape, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    result = _lp_backward_planes(
        _axes_planes(grad, axes), _axes_planes(x, axes), w, _args.norm_type(norm_type)
    )
    return _deliver(
        _axes_unplanes(result.astype(_args.result_dtype(x.dtype, True)), input_shape, axes), out
    )


def max_pool_backward(grad_output, indices, input_shape, axes=None, out=None, num_threads=None):
    grad = _args.as_input("grad_output", grad_output)
    input_shape = _args.parse_shape("input_shape", input_shape)
    axes = cypool_axes._normalize_axes(axes, len(input_shape))
    indices = _args.as_indices("indices", indices, grad.shape)
    plane = math.prod(input_shape[a] for a in axes)
    grads = _axes_planes(grad, axes)
    result = _scatter_add(
        grads.reshape(len(grads), -1),
        _axes_planes(indices, axes).reshape(len(grads), -1),
        plane,
        grad.dtype,
    )
    return _deliver(
        _axes_unplanes(
            result.reshape((len(grads),) + tuple(input_shape[a] for a in axes)), input_shape, axes
        ),
        out,
    )


min_pool_backward = max_pool_backward  # the same scatter by indices


def block_reduce(image, block_size=2, func=np.sum, cval=0, func_kwargs=None):
    image = np.asarray(image)
    blocks = (block_size,) * image.ndim if np.isscalar(block_size) else tuple(block_size)
    if len(blocks) != image.ndim or min(blocks, default=1) < 1:
        raise ValueError(
            "block_size must be a scalar or one factor >= 1 per axis, got %r" % (block_size,)
        )
    padded = np.pad(
        image,
        [(0, (-n) % b) for n, b in zip(image.shape, blocks)],
        mode="constant",
        constant_values=cval,
    )
    counts = tuple(n // b for n, b in zip(padded.shape, blocks))
    values = [
        func(
            padded[tuple(slice(i * b, (i + 1) * b) for i, b in zip(index, blocks))],
            axis=tuple(range(image.ndim)),
            **(func_kwargs or {}),
        )
        for index in np.ndindex(*counts)
    ]
    return np.array(values).reshape(counts)


_AXES_FUNCTIONS = [
    "max_pool",
    "min_pool",
    "avg_pool",
    "lp_pool",
    "max_pool_backward",
    "min_pool_backward",
    "avg_pool_backward",
    "lp_pool_backward",
    "block_reduce",
]
for _name in _AXES_FUNCTIONS:  # cypool's signatures and examples, checked by the tests
    mirror_signature(globals()[_name], "Plain-loop reference", __name__)


# --- public names, same signatures as cypool's -------------------------------------------

__all__ = mirror(
    globals(),
    {
        "max_pool": _max_pool,
        "max_pool_backward": _max_pool_backward,
        "avg_pool": _avg_pool,
        "avg_pool_backward": _avg_pool_backward,
        "lp_pool": _lp_pool,
        "lp_pool_backward": _lp_pool_backward,
        "adaptive_max_pool": _adaptive_max_pool,
        "adaptive_max_pool_backward": _max_pool_backward,  # the same scatter
        "adaptive_avg_pool": _adaptive_avg_pool,
        "adaptive_avg_pool_backward": _adaptive_avg_pool_backward,
        "max_unpool": _max_unpool,
        "max_unpool_backward": _max_unpool_backward,
        "fractional_max_pool": _fractional_max_pool,
        "fractional_max_pool_backward": _max_pool_backward,  # the same scatter
    },
    "Plain-loop reference",
) + ["global_max_pool", "global_avg_pool", *_AXES_FUNCTIONS]
