"""Pooling of dask arrays: the same results as the in-memory functions, computed
block by block, so arrays larger than memory (or spread over a cluster) pool too.

    import dask.array as da, cypool.dask
    x = da.random.random((32, 64, 1024, 1024), chunks=(4, 64, 512, 512)).astype("f4")
    y = cypool.dask.max_pool2d(x, 3, stride=2, padding=1)     # lazy; y.compute()

Chunks along batch and channel axes map block-wise.  Along spatial axes each
output block reads the input slice its windows need (overlapping its neighbours by
the window's reach, aligned to the stride), and only the outermost blocks see the
real padding and the ceil_mode overhang, so every value equals the in-memory one
bit for bit.  Supported: ``max_pool{1,2,3}d`` (values; ``return_indices`` is not,
since indices are plane-global), ``avg_pool{1,2,3}d`` and ``lp_pool{1,2,3}d`` with
every window argument and both layouts.  Adaptive and global pooling first merge
each (batch, channel) block's spatial chunks into one (their bins span the whole
plane), then map block-wise: exact, but one block must fit in a worker's memory.
The averages take ``dtype=`` as the in-memory ones do (each output is computed
and rounded by one in-memory call, so the results are those too).
Backward functions are not offered (autograd over dask is out of scope).
"""

import numpy as np

try:
    import dask.array as da
except ImportError as error:  # pragma: no cover - dask is an optional extra
    raise ImportError("cypool.dask needs dask: pip install 'cypool[dask]'") from error

import cypool
from cypool import _args


def _output_blocks(in_chunks, geometry, d):
    """Per output block along spatial dim d: (out_start, out_stop, in_start, in_stop,
    pad_before, pad_after, ceil) for a local call that yields exactly those outputs."""
    s, pb = geometry.stride[d], geometry.pad_before[d]
    n, out = geometry.in_size[d], geometry.out_size[d]
    reach = geometry.dilation[d] * (geometry.kernel_size[d] - 1) + 1
    edges = np.concatenate([[0], np.cumsum(in_chunks)])
    starts = sorted({0} | {max(0, -(-(int(c) + pb) // s)) for c in edges[1:-1]})
    starts = [o for o in starts if o < out]

    def block(o0, o1):
        first, last = o0 * s - pb, (o1 - 1) * s - pb + reach  # taps [first, last)
        a, b = max(first, 0), min(last, n)
        # Real padding, as much as these windows reach into (the ceil_mode overhang
        # past the padded edge stays out, as it does in memory).
        before = a - first
        after = min(last, n + geometry.pad_after[d]) - b
        return (o0, o1, a, b, before, after, o1 == out and geometry.ceil_mode)

    # The last block must hold a whole window once its real padding is added (a
    # ceil_mode overhang can leave it less); merging it backwards always ends there.
    while len(starts) > 1:
        o0, _, a, b, before, after, _ = block(starts[-1], out)
        if b - a + before + after >= reach:
            break
        starts.pop()
    return [block(o0, o1) for o0, o1 in zip(starts, starts[1:] + [out])]


def _windowed(function, ndim, x, window, layout, extra):
    layout = _args.parse_layout(layout)
    if not isinstance(x, da.Array):
        x = da.asarray(x)
    extent = _args.split_shape(x.shape, ndim, layout)
    geometry = _args.window_geometry(
        extent.spatial,
        window["kernel_size"],
        window["stride"],
        window["padding"],
        window["dilation"],
        window["ceil_mode"],
    )
    axes = extent.spatial_axes
    result_dtype = _dtype(function, x.dtype, extra)  # a bad dtype= raises here, not in compute()
    per_dim = [_output_blocks(x.chunks[axis], geometry, d) for d, axis in enumerate(axes)]
    base = dict(
        kernel_size=geometry.kernel_size,
        stride=geometry.stride,
        dilation=geometry.dilation,
        layout=layout,
    )

    def block(choice):
        index = [slice(None)] * x.ndim
        pads, ceil, sizes = [], False, []
        for axis, (o0, o1, a, b, before, after, last_ceil) in zip(axes, choice):
            index[axis] = slice(a, b)
            pads.append((before, after))
            ceil = ceil or last_ceil
            sizes.append(o1 - o0)
        piece = x[tuple(index)].rechunk({axis: -1 for axis in axes})
        chunks = list(piece.chunks)
        for axis, size in zip(axes, sizes):
            chunks[axis] = (size,)
        local = dict(base, padding=tuple(pads), ceil_mode=ceil)

        def run(values):
            result = function(values, **extra, **local)
            assert result.shape[axes[0] : axes[-1] + 1] == tuple(sizes), "stride alignment"
            return result

        return piece.map_blocks(run, chunks=tuple(chunks), dtype=result_dtype)

    def nest(prefix, level):
        if level == len(per_dim):
            return block(prefix)
        return [nest(prefix + (choice,), level + 1) for choice in per_dim[level]]

    return _assemble(nest((), 0), axes, x.ndim)


def _assemble(nested, axes, ndim):
    """da.block over the spatial axes only (the others keep their chunks)."""

    def join(parts, level):
        if level == len(axes) - 1:
            return da.concatenate(parts, axis=axes[level])
        return da.concatenate([join(p, level + 1) for p in parts], axis=axes[level])

    return join(nested, 0)


def _dtype(function, dtype, extra):
    if function in _AVERAGES:
        return _args.average_dtype(dtype, extra.get("dtype"))[0]
    if function in _LP_BLOCKS.values():
        return _args.result_dtype(dtype, average=True)
    return dtype


def _whole_planes(function, ndim, x, layout, extra):
    layout = _args.parse_layout(layout)
    if not isinstance(x, da.Array):
        x = da.asarray(x)
    axes = _args.split_shape(x.shape, ndim, layout).spatial_axes
    x = x.rechunk({axis: -1 for axis in axes})
    sample = function(np.zeros((1,) * x.ndim, x.dtype), layout=layout, **extra)
    chunks = list(x.chunks)
    for axis, size in zip(axes, _output_spatial(sample, x, axes, extra)):
        chunks[axis] = (size,)
    return x.map_blocks(
        lambda v: function(v, layout=layout, **extra), chunks=tuple(chunks), dtype=sample.dtype
    )


def _output_spatial(sample, x, axes, extra):
    sizes = extra.get("output_size")
    if sizes is None:  # global with keepdims
        return (1,) * len(axes)
    in_size = tuple(x.shape[a] for a in axes)
    return _args.output_size("output_size", sizes, in_size)


def max_pool1d(
    x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, layout="channels_first"
):
    """Lazy ``cypool.max_pool1d`` of a dask array (values only)."""
    return _windowed(
        cypool.max_pool1d,
        1,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        {},
    )


def max_pool2d(
    x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, layout="channels_first"
):
    """Lazy ``cypool.max_pool2d`` of a dask array (values only).

    Examples
    --------
    >>> import dask.array as da, numpy as np, cypool, cypool.dask
    >>> x = np.random.default_rng(0).standard_normal((2, 3, 9, 9))
    >>> lazy = cypool.dask.max_pool2d(da.from_array(x, chunks=(1, 3, 4, 5)), 3, 2, 1)
    >>> bool(np.array_equal(lazy.compute(), cypool.max_pool2d(x, 3, 2, 1)))
    True
    """
    return _windowed(
        cypool.max_pool2d,
        2,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        {},
    )


def max_pool3d(
    x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, layout="channels_first"
):
    """Lazy ``cypool.max_pool3d`` of a dask array (values only)."""
    return _windowed(
        cypool.max_pool3d,
        3,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        {},
    )


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
    *,
    dtype=None,
):
    """Lazy ``cypool.avg_pool1d`` of a dask array."""
    return _windowed(
        cypool.avg_pool1d,
        1,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        dict(count_include_pad=count_include_pad, divisor_override=divisor_override, dtype=dtype),
    )


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
    *,
    dtype=None,
):
    """Lazy ``cypool.avg_pool2d`` of a dask array."""
    return _windowed(
        cypool.avg_pool2d,
        2,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        dict(count_include_pad=count_include_pad, divisor_override=divisor_override, dtype=dtype),
    )


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
    *,
    dtype=None,
):
    """Lazy ``cypool.avg_pool3d`` of a dask array."""
    return _windowed(
        cypool.avg_pool3d,
        3,
        x,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
        dict(count_include_pad=count_include_pad, divisor_override=divisor_override, dtype=dtype),
    )


def _lp_pool(ndim, x, norm_type, window, layout):
    return _windowed(_LP_BLOCKS[ndim], ndim, x, window, layout, dict(norm_type=norm_type))


def _lp1(x, norm_type, **kwargs):
    return cypool.lp_pool1d(x, norm_type, **kwargs)


def _lp2(x, norm_type, **kwargs):
    return cypool.lp_pool2d(x, norm_type, **kwargs)


def _lp3(x, norm_type, **kwargs):
    return cypool.lp_pool3d(x, norm_type, **kwargs)


_LP_BLOCKS = {1: _lp1, 2: _lp2, 3: _lp3}


def lp_pool1d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
):
    """Lazy ``cypool.lp_pool1d`` of a dask array."""
    return _lp_pool(
        1,
        x,
        norm_type,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
    )


def lp_pool2d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
):
    """Lazy ``cypool.lp_pool2d`` of a dask array."""
    return _lp_pool(
        2,
        x,
        norm_type,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
    )


def lp_pool3d(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    layout="channels_first",
):
    """Lazy ``cypool.lp_pool3d`` of a dask array."""
    return _lp_pool(
        3,
        x,
        norm_type,
        dict(
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
        ),
        layout,
    )


def adaptive_avg_pool2d(x, output_size, layout="channels_first", *, dtype=None):
    """Lazy ``cypool.adaptive_avg_pool2d``: spatial chunks merged per block first.

    Examples
    --------
    >>> import dask.array as da, numpy as np, cypool, cypool.dask
    >>> x = np.random.default_rng(0).integers(0, 256, (2, 3, 9, 9), dtype=np.uint8)
    >>> lazy = cypool.dask.adaptive_avg_pool2d(da.from_array(x, chunks=(1, 3, 4, 5)), 4,
    ...                                        dtype=np.uint8)
    >>> bool(np.array_equal(lazy.compute(), cypool.adaptive_avg_pool2d(x, 4, dtype=np.uint8)))
    True
    """
    return _whole_planes(
        cypool.adaptive_avg_pool2d, 2, x, layout, dict(output_size=output_size, dtype=dtype)
    )


def adaptive_max_pool2d(x, output_size, layout="channels_first"):
    """Lazy ``cypool.adaptive_max_pool2d`` (values): spatial chunks merged per block first."""
    return _whole_planes(cypool.adaptive_max_pool2d, 2, x, layout, dict(output_size=output_size))


def global_avg_pool(x, layout="channels_first", *, dtype=None):
    """Lazy ``cypool.global_avg_pool`` (keepdims=True shape): spatial chunks merged first."""
    ndim = x.ndim - 2
    return _whole_planes(cypool.global_avg_pool, ndim, x, layout, dict(keepdims=True, dtype=dtype))


def global_max_pool(x, layout="channels_first"):
    """Lazy ``cypool.global_max_pool`` (keepdims=True shape): spatial chunks merged first."""
    ndim = x.ndim - 2
    return _whole_planes(cypool.global_max_pool, ndim, x, layout, dict(keepdims=True))


_AVERAGES = (cypool.avg_pool1d, cypool.avg_pool2d, cypool.avg_pool3d)
