"""Fractional max pooling (Graham, 2014), PyTorch's ``fractional_max_pool2d/3d``.

Each (n, c) plane draws one number u in [0, 1) per spatial dim; the windows of
that plane start at PyTorch's pseudo-random intervals derived from u, so output
sizes need not divide input sizes.  Given the same samples (PyTorch's
``_random_samples``) the results, indices and gradients equal PyTorch's bit for
bit.  The kernel is max pooling over each plane's table of window starts.
"""

import numbers

import numpy as np

from cypool import _args
from cypool._docs import documented
from cypool._runner import run
from cypool.pooling import _max_pool_backward

# The sample entry that draws each spatial dim's intervals, as PyTorch reads them
# (checked against torch in the tests): 2-D takes H from entry 1 and W from
# entry 0; 3-D takes T, H, W from entries 0, 1, 2.
SAMPLE_OF_DIM = {2: (1, 0), 3: (0, 1, 2)}


def interval_type(dtype):
    """The floating type PyTorch computes the intervals in: the input's own (float16
    included); float64 for integer and bool input, and float32 for bfloat16."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return dtype
    return np.dtype(np.float32) if _args.is_bfloat16(dtype) else np.dtype(np.float64)


def interval_starts(samples, in_size, out_size, kernel):
    """Window starts per plane, (planes, sum(out_size)) int64, from ``samples``
    (planes, ndim) of the interval type: for output i < out - 1 of a dim,
    ``int((i + u) * alpha) - int(u * alpha)`` with ``alpha = (in - k) / (out - 1)``,
    every operation rounded to that type, and the last window flush with the end."""
    kind = samples.dtype.type
    columns = []
    for d, (n, out, k) in enumerate(zip(in_size, out_size, kernel)):
        u = samples[:, SAMPLE_OF_DIM[len(in_size)][d]]
        starts = np.empty((len(u), out), np.int64)
        if out > 1:
            alpha = kind(n - k) / kind(out - 1)
            steps = np.arange(out - 1).astype(kind)
            starts[:, :-1] = ((steps[np.newaxis, :] + u[:, np.newaxis]) * alpha).astype(
                np.int64
            ) - (u * alpha).astype(np.int64)[:, np.newaxis]
        starts[:, -1] = n - k
        columns.append(starts)
    return np.concatenate(columns, axis=1)


def plane_samples(samples, rng, extent, ndim, dtype):
    """(planes, ndim) samples in the interval type: the user's, checked, or drawn."""
    kind = interval_type(dtype)
    planes = (extent.batch, extent.channels)
    if samples is not None:
        if rng is not None:
            raise ValueError("samples and rng: pass at most one of them")
        samples = np.asarray(samples)
        if samples.dtype.kind not in "fiu":
            raise TypeError("samples must be a floating array, got %s" % samples.dtype)
        expected = (planes if extent.batched else planes[1:]) + (ndim,)
        if samples.shape != expected:
            raise ValueError(
                "samples must have shape %r (one number per plane and spatial "
                "dim), got %r" % (expected, samples.shape)
            )
        samples = samples.astype(kind)
        if not np.all((samples >= 0) & (samples < 1)):
            raise ValueError("samples must lie in [0, 1)")
    else:
        if rng is not None and not isinstance(rng, (np.random.Generator, numbers.Integral)):
            raise TypeError(
                "rng must be a numpy.random.Generator, an int seed or None, got %s"
                % type(rng).__name__
            )
        drawn = np.random.default_rng(rng).random(planes + (ndim,)).astype(kind)
        # Rounding to a narrow type may reach 1.0: keep the draw below it.
        samples = np.minimum(drawn, np.nextafter(kind.type(1), kind.type(0)))
    return samples.reshape(-1, ndim)


def _fractional_max_pool(
    ndim,
    x,
    kernel_size,
    output_size,
    output_ratio,
    return_indices,
    samples,
    rng,
    layout,
    out,
    num_threads,
):
    x = _args.as_input("x", x)
    plan = _args.fractional_max_pool_plan(
        ndim, x.shape, x.dtype, kernel_size, output_size, output_ratio, return_indices, layout
    )
    in_size, out_size, kernel = (sizes[3 - ndim :] for sizes in plan.arguments)
    starts = interval_starts(
        plane_samples(samples, rng, plan.extent, ndim, x.dtype), in_size, out_size, kernel
    )
    if ndim == 2:  # the kernels' leading depth dim: one window at 0
        starts = np.concatenate([np.zeros((len(starts), 1), np.int64), starts], axis=1)
    return run(plan, x, out, num_threads, (np.ascontiguousarray(starts),))


@documented("fractional_max_pool", 2)
def fractional_max_pool2d(
    x,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    samples=None,
    rng=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _fractional_max_pool(
        2,
        x,
        kernel_size,
        output_size,
        output_ratio,
        return_indices,
        samples,
        rng,
        layout,
        out,
        num_threads,
    )


@documented("fractional_max_pool", 3)
def fractional_max_pool3d(
    x,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    samples=None,
    rng=None,
    layout="channels_first",
    out=None,
    num_threads=None,
):
    return _fractional_max_pool(
        3,
        x,
        kernel_size,
        output_size,
        output_ratio,
        return_indices,
        samples,
        rng,
        layout,
        out,
        num_threads,
    )


@documented("fractional_max_pool_backward", 2)
def fractional_max_pool2d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _max_pool_backward(2, grad_output, indices, input_shape, layout, out, num_threads)


@documented("fractional_max_pool_backward", 3)
def fractional_max_pool3d_backward(
    grad_output, indices, input_shape, layout="channels_first", out=None, num_threads=None
):
    return _max_pool_backward(3, grad_output, indices, input_shape, layout, out, num_threads)
