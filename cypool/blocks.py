"""``block_reduce``: scikit-image's ``skimage.measure.block_reduce``, through the kernels.

Same signature, semantics and result dtypes: the end of each axis is padded with
``cval`` (cast to the image's dtype, as ``np.pad`` does) to whole blocks, and
``func`` reduces every block.  The common reductions run on cypool's kernels
without the padded copy: the kernels pool with "padding never counts", then the
blocks that reached into the padding take ``cval`` in (a pass over the border
only).  Everything else, and reductions whose NumPy rounding the kernels cannot
reproduce, is computed by NumPy on a block view of the padded image, exactly as
scikit-image does.
"""

import math

import numpy as np

from cypool import axes as _axes

# The reductions with a kernel path, and whether NumPy's version skips NaN.
_FAST = {
    np.max: ("max", False),
    np.amax: ("max", False),
    np.nanmax: ("max", True),
    np.min: ("min", False),
    np.amin: ("min", False),
    np.nanmin: ("min", True),
    np.sum: ("sum", False),
    np.nansum: ("sum", True),
    np.mean: ("mean", False),
    np.nanmean: ("mean", True),
}
# Sums are exact in the kernels' float64 for integers only while they stay below 2**53.
_EXACT_SUM_BITS = 53


def _block_sizes(image, block_size):
    if np.isscalar(block_size):
        block_size = (block_size,) * image.ndim
    elif len(block_size) != image.ndim:
        raise ValueError(
            "block_size must be a scalar or have the same length as image.shape "
            "(%d), got %r" % (image.ndim, block_size)
        )
    for b in block_size:
        if b < 1:
            raise ValueError(
                "block_size: down-sampling factors must be >= 1, got %r" % (block_size,)
            )
    return tuple(int(b) for b in block_size)


def _pad_value(image, cval):
    """``cval`` in the image's dtype, cast the way np.pad casts it."""
    value = np.zeros((), image.dtype)
    value[()] = cval
    return value


def _numpy_block_reduce(image, blocks, func, cval, func_kwargs):
    """scikit-image's algorithm: pad, view as blocks, reduce the block axes."""
    pads = [(0, (-n) % b) for n, b in zip(image.shape, blocks)]
    if any(after for _, after in pads):
        image = np.pad(image, pads, mode="constant", constant_values=cval)
    interleaved = image.reshape(tuple(s for n, b in zip(image.shape, blocks) for s in (n // b, b)))
    nd = image.ndim
    view = interleaved.transpose(tuple(range(0, 2 * nd, 2)) + tuple(range(1, 2 * nd, 2)))
    return func(view, axis=tuple(range(nd, 2 * nd)), **func_kwargs)


def _fast_reduction(image, blocks, func, func_kwargs):
    """The kernel reduction for this call ("max", "min", "sum", "mean"), or None."""
    try:
        reduction, skips_nan = _FAST.get(func, (None, False))
    except TypeError:  # an unhashable callable
        return None
    dtype = image.dtype
    if (
        reduction is None
        or func_kwargs
        or image.size == 0
        or dtype.kind not in "biuf"
        or sum(b > 1 for b in blocks) > 3
        or not dtype.isnative
    ):
        return None
    if reduction in ("sum", "mean"):
        if dtype == np.float16:  # NumPy rounds float16 sums in its own order
            return None
        if dtype.kind in "iu" and dtype.itemsize * 8 + math.prod(blocks).bit_length() > (
            _EXACT_SUM_BITS
        ):
            return None
    if skips_nan and dtype.kind == "f" and np.isnan(image).any():
        return None
    return reduction


def block_reduce(image, block_size=2, func=np.sum, cval=0, func_kwargs=None):
    """Downsample an image by applying ``func`` to its blocks (scikit-image's
    ``skimage.measure.block_reduce``, same signature and results).

    Parameters
    ----------
    image : array_like
        N-dimensional image (uint8 images, bool masks, floats, ...).
    block_size : int or sequence of ints
        Down-sampling factor per axis (an int applies to every axis).
    func : callable
        Reduces each block; must take an ``axis`` argument.  ``np.max``,
        ``np.min``, ``np.sum``, ``np.mean`` (and ``np.nanmax`` etc. on NaN-free
        input) run on cypool's kernels; any other function (``np.median`` too)
        is applied by NumPy to a block view, as scikit-image does.
    cval : scalar
        Value the end of each axis is padded with up to a whole block (cast to
        the image's dtype).
    func_kwargs : dict, optional
        Keyword arguments for ``func`` (with any, ``func`` runs through NumPy).

    Returns
    -------
    ndarray
        ``ceil(n / block)`` per axis, the dtype ``func`` gives (``np.max`` keeps
        the image's, ``np.mean`` float64 for integers, ``np.sum`` NumPy's sum type).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> image = np.arange(3 * 3 * 4).reshape(3, 3, 4)
    >>> cypool.block_reduce(image, block_size=(3, 3, 1), func=np.mean).tolist()
    [[[16.0, 17.0, 18.0, 19.0]]]
    >>> cypool.block_reduce(np.arange(10, dtype=np.uint8), 4, func=np.max, cval=255).tolist()
    [3, 7, 255]
    """
    image = np.asarray(image)
    blocks = _block_sizes(image, block_size)
    func_kwargs = {} if func_kwargs is None else dict(func_kwargs)
    reduction = _fast_reduction(image, blocks, func, func_kwargs)
    if reduction is None:
        return _numpy_block_reduce(image, blocks, func, cval, func_kwargs)
    pads = tuple((-n) % b for n, b in zip(image.shape, blocks))
    padding = tuple((0, p) for p in pads)
    fill = _pad_value(image, cval)
    if reduction in ("max", "min"):
        pool = _axes.max_pool if reduction == "max" else _axes.min_pool
        result = pool(image, blocks, padding=padding)
        combine = np.maximum if reduction == "max" else np.minimum
        for axis, pad in enumerate(pads):
            if pad:  # the last block along this axis reached into the padding
                edge = (slice(None),) * axis + (-1,)
                result[edge] = combine(result[edge], fill)
        return result
    # Sums of the valid elements (padding counts zero), then cval for each padded one.
    sums = _axes.avg_pool(
        image, blocks, padding=padding, count_include_pad=True, divisor_override=1
    )
    if any(pads):
        valid = np.ones((), np.int64)
        for axis, (n, b) in enumerate(zip(image.shape, blocks)):
            counts = np.full(-(-n // b), b, np.int64)
            counts[-1] = n - b * (len(counts) - 1)
            valid = np.multiply.outer(valid, counts) if axis else counts
        padded = math.prod(blocks) - valid
        sums = sums + (padded * fill).astype(sums.dtype)
    if reduction == "sum":
        return sums.astype(np.sum(np.zeros(1, image.dtype)).dtype)
    mean_dtype = np.mean(np.zeros(1, image.dtype)).dtype
    return (sums.astype(mean_dtype, copy=False) / mean_dtype.type(math.prod(blocks))).astype(
        mean_dtype, copy=False
    )
