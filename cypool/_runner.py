"""The one runner: every call plan (``cypool._args.CallPlan``), fresh or remembered,
gets its outputs checked or allocated here and its kernel launched here.

A launcher per plan kind adapts the plan to its kernel's arguments; the public
functions never call a kernel themselves.
"""

import dataclasses

import numpy as np

from cypool import _args, _threads
from cypool._geometry import Geometry
from cypool._variants import avg_kernels, max_kernels

_INT64 = np.dtype(np.int64)


def run(plan, source, out, num_threads, extra=()):
    """Run ``plan`` on ``source`` (and the ``extra`` arrays its kernel reads: indices,
    or x for Lp's backward) into ``out`` or new arrays; returns the result (a
    (values, indices) pair for plans with indices)."""
    if plan.return_indices:
        inputs = (source,) + extra
        values_out, indices_out = _args.split_out_pair(out)
        result = _args.check_out(values_out, plan.out_shape, plan.out_dtype, inputs)
        indices = _args.check_out(indices_out, plan.out_shape, _INT64, inputs + (result,), "out[1]")
    else:
        result = (
            np.empty(plan.out_shape, plan.out_dtype)
            if out is None
            else _args.check_out(out, plan.out_shape, plan.out_dtype, (source,) + extra)
        )
        indices = None
    if result.size:
        target = result
        if source.dtype.kind == "b":
            # The kernels see bool as uint8: max is "any", min is "all", sums count True.
            source = source.view(np.uint8)
            if result.dtype.kind == "b":
                target = result.view(np.uint8)
        _LAUNCHERS[plan.kernel](
            plan, source, target, indices, extra, _threads.resolve(num_threads, plan.work_units)
        )
    return (result, indices) if plan.return_indices else result


# A kernel call tabulates each dim's windows (three int64 per output), and on this
# class of VM filling fresh table pages costs more than pooling the row.  So a few
# long 1-D rows (more than CHUNK_OUTPUTS outputs, fewer than CHUNK_MAX_ROWS rows,
# which would otherwise share one table) are pooled CHUNK_OUTPUTS outputs per
# kernel call: the tables stay small and reused however long the row (a
# 2**31-element row would need 24 GiB of them), measured 2.6 against 24 ns per
# output on a 2**26-element uint8 row.
CHUNK_OUTPUTS = 1 << 18
CHUNK_MAX_ROWS = 8


def _max(plan, x, y, indices, extra, threads):
    absolute, minimum = plan.arguments
    geometry = plan.geometry
    if (
        geometry.ndim == 1
        and geometry.out_size[0] > CHUNK_OUTPUTS
        and plan.extent.kernel_outer < CHUNK_MAX_ROWS
    ):
        _max_in_chunks(plan, x, y, indices, threads)
        return
    max_kernels.max_pool_forward_call(
        x,
        y,
        indices,
        geometry,
        plan.extent.kernel_outer,
        plan.extent.kernel_channels,
        threads,
        absolute,
        minimum,
    )


def _max_in_chunks(plan, x, y, indices, threads):
    """1-D max (or min) pooling of long rows, CHUNK_OUTPUTS outputs per kernel call.

    Outputs [o0, o1) read only input [a, b), the in-bounds span of their windows;
    the chunk's own geometry pads it by what those windows reach beyond, so its
    windows are the original ones (padding never wins a max, so only where it is
    matters, not what it holds), and its indices are shifted back by a."""
    absolute, minimum = plan.arguments
    g = plan.geometry
    (n,), (k,), (s,), (dil,) = g.in_size, g.kernel_size, g.stride, g.dilation
    (pad,), (out,) = g.pad_before, g.out_size
    channels = plan.extent.kernel_channels
    rows_in = x.reshape(plan.extent.kernel_outer, n, channels)
    rows_out = y.reshape(plan.extent.kernel_outer, out, channels)
    rows_idx = None if indices is None else indices.reshape(rows_out.shape)
    for o0 in range(0, out, CHUNK_OUTPUTS):
        o1 = min(out, o0 + CHUNK_OUTPUTS)
        first, end = o0 * s - pad, (o1 - 1) * s - pad + dil * (k - 1) + 1
        a, b = max(first, 0), min(end, n)
        chunk = Geometry((b - a,), (k,), (s,), (a - first,), (end - b,), (dil,), False)
        assert chunk.status == 0 and chunk.out_size == (o1 - o0,), "the original windows"
        for row in range(rows_in.shape[0]):
            chunk_idx = None if rows_idx is None else rows_idx[row, o0:o1]
            max_kernels.max_pool_forward_call(
                rows_in[row, a:b],
                rows_out[row, o0:o1],
                chunk_idx,
                chunk,
                1,
                channels,
                threads,
                absolute,
                minimum,
            )
            if chunk_idx is not None and a:
                chunk_idx += a


def _fractional(plan, x, y, indices, extra, threads):
    max_kernels.fractional_max_pool_forward_call(
        x,
        y,
        indices,
        extra[0],
        *plan.arguments,
        plan.extent.kernel_outer,
        plan.extent.kernel_channels,
        threads,
    )


def _average(backward):
    def launch(plan, source, result, indices, extra, threads):
        count_include_pad, divisor, power = plan.arguments
        avg_kernels.avg_pool_call(
            backward,
            source,
            result,
            plan.geometry,
            plan.extent.kernel_outer,
            plan.extent.kernel_channels,
            count_include_pad,
            divisor,
            threads,
            power,
            extra[0] if extra else None,
        )

    return launch


def _adaptive_max(plan, x, y, indices, extra, threads):
    max_kernels.adaptive_max_pool_forward_call(
        x,
        y,
        indices,
        *plan.arguments,
        plan.extent.kernel_outer,
        plan.extent.kernel_channels,
        threads,
    )


def _adaptive_average(backward):
    def launch(plan, source, result, indices, extra, threads):
        avg_kernels.adaptive_avg_pool_call(
            backward,
            source,
            result,
            *plan.arguments,
            plan.extent.kernel_outer,
            plan.extent.kernel_channels,
            threads,
        )

    return launch


def _route(plan, source, target, indices, extra, threads):
    operation, source_plane, target_plane, index_plane = plan.arguments
    bad = max_kernels.route_call(
        operation,
        source,
        extra[0],
        target,
        plan.extent.kernel_outer,
        plan.extent.kernel_channels,
        source_plane,
        target_plane,
        threads,
    )
    if bad:
        raise ValueError(
            "indices: %d entries lie outside the spatial plane [0, %d)" % (bad, index_plane)
        )


# Lp pooling runs the kernels above staged (cypool._staging): for p = 1 and 2 the
# window sums of |x|**p by the average kernel with divisor 1 (exact), then the
# root; p = inf is max pooling of |x|.  Each is one pass over x, with no
# array-sized temporaries.  Other p, and every backward, go through NumPy here.


def _lp(plan, x, y, indices, extra, threads):
    # Other p: NumPy's SIMD power computes the terms 2.3x faster than the kernels'
    # scalar powf would (measured on W1's shape), at the cost of two temporaries.
    (p,) = plan.arguments
    compute = _args.compute_dtype(x.dtype, average=True)
    terms = np.abs(x.astype(compute, copy=False)) ** compute.type(p)
    sums = np.empty(y.shape, compute)
    _average(False)(
        _args.average_plan(plan.extent, plan.geometry, compute, False, 1),
        terms,
        sums,
        None,
        (),
        threads,
    )
    y[...] = np.power(sums, 1 / p, out=sums)


def _lp_backward(plan, grad, grad_in, indices, extra, threads):
    (p,) = plan.arguments
    (x,) = extra
    extent, geometry = plan.extent, plan.geometry
    compute = _args.compute_dtype(x.dtype, average=True)
    g = grad.astype(compute, copy=False)
    xc = x.astype(compute, copy=False)
    if np.isinf(p):
        # d max|x| / dx = sign(x) at the first maximum of |x| (max pooling's argmax).
        _, argmax = run(_args.max_plan(extent, geometry, compute, True), np.abs(xc), None, threads)
        routed = run(
            _args.route_plan(
                "max_pool_backward",
                dataclasses.replace(extent, spatial=geometry.out_size),
                extent,
                compute,
            ),
            g,
            None,
            threads,
            (argmax,),
        )
        grad_in[...] = routed * np.sign(xc)
        return
    # d/dx_i (sum_w |x|^p)^(1/p) = sign(x_i) |x_i|^(p-1) y^(1-p), summed over windows.
    if p in (1, 2) and x.dtype == compute:
        # Two staged kernel passes over x: the ratios g / y (p = 2) or g (p = 1), 0
        # where y = 0, straight from the window sums; then those ratios summed over
        # each element's windows, times x or sign(x) on the way out.
        ratio = np.empty(grad.shape, compute)
        _average(False)(
            _args.average_plan(extent, geometry, compute, False, 1, p),
            x,
            ratio,
            None,
            (g,),
            threads,
        )
        _average(True)(
            _args.average_plan(extent, geometry, compute, False, 1, p, True),
            ratio,
            grad_in,
            None,
            (x,),
            threads,
        )
        return
    y = run(_args.lp_plan(extent, geometry, compute, p), xc, None, threads)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(y > 0, g * y ** (1 - p), 0).astype(compute, copy=False)
        spread = run(
            _args.average_plan(extent, geometry, compute, False, 1, backward=True),
            ratio,
            None,
            threads,
        )
        weight = np.where(xc != 0, np.sign(xc) * np.abs(xc) ** (p - 1), 0)
    grad_in[...] = spread * weight


_LAUNCHERS = {
    "max": _max,
    "avg": _average(False),
    "avg_backward": _average(True),
    "adaptive_max": _adaptive_max,
    "adaptive_avg": _adaptive_average(False),
    "adaptive_avg_backward": _adaptive_average(True),
    "route": _route,
    "fractional": _fractional,
    "lp": _lp,
    "lp_backward": _lp_backward,
}
