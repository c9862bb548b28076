"""Max pooling kernels, forward (with or without argmax indices) and backward.

Every array is viewed as (outer, D, H, W, channels): channels-first input is
(N*C planes, D, H, W, 1), channels-last input is (N, D, H, W, C).  One loop nest
serves both layouts, so the two give bit-identical results by construction.
"""
from cython.parallel cimport prange
from libc.stdint cimport int32_t, uint64_t
from libc.string cimport memset
from libc.stdlib cimport free, malloc
from cypool._openmp cimport omp_get_thread_num
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_free)

# Channels handled per work unit of the backward scatter (a unit owns them).
cdef enum:
    CHANNEL_BLOCK = 64


cdef inline bint _is_nan(max_t v) noexcept nogil:
    if max_t is float or max_t is double:
        return v != v
    else:
        return False


cdef inline void _max_window(const max_t* plane, max_t* y, index_t* indices,
                             const pool_geometry_t* g, const window_table_t* t,
                             int64_t od, int64_t oh, int64_t ow, int64_t channels) noexcept nogil:
    """y[c] = max over the window's in-bounds taps; PyTorch's tie and NaN rules."""
    cdef int64_t ih_size = g.in_size[1], iw_size = g.in_size[2]
    cdef int64_t fd = t.first[0][od], fh = t.first[1][oh], fw = t.first[2][ow]
    cdef int64_t nd = t.taps[0][od], nh = t.taps[1][oh], nw = t.taps[2][ow]
    cdef int64_t dd = g.dilation[0], dh = g.dilation[1], dw = g.dilation[2]
    cdef int64_t a, b, e, c, row_pos, pos
    cdef const max_t* src
    cdef max_t v
    pos = (fd * ih_size + fh) * iw_size + fw
    src = plane + pos * channels
    for c in range(channels):
        y[c] = src[c]
        if indices != NULL:
            indices[c] = pos
    # Starting from the first tap and revisiting it is harmless: it never wins
    # against itself unless it is NaN, and then it keeps its own index.
    for a in range(nd):
        for b in range(nh):
            row_pos = ((fd + a * dd) * ih_size + fh + b * dh) * iw_size + fw
            for e in range(nw):
                pos = row_pos + e * dw
                src = plane + pos * channels
                for c in range(channels):
                    v = src[c]
                    # Strict '>' keeps the first maximum; a later NaN always wins.
                    if v > y[c] or _is_nan(v):
                        y[c] = v
                        if indices != NULL:
                            indices[c] = pos


cdef inline void _max_update_run(const max_t* src, int64_t step, max_t* y, int32_t* winner,
                                 int32_t tap, int64_t count) noexcept nogil:
    """y[i] = max(y[i], src[i * step]) for i < count, PyTorch's rule; where the tap
    wins, winner[i] = tap (its offset from the window start) unless winner is NULL."""
    cdef int64_t i
    cdef max_t v
    cdef bint wins
    # Unconditional stores of selected values, and a 32-bit winner slot next to
    # 32-bit values, let the compiler vectorize both loops.
    if winner == NULL:
        for i in range(count):
            v = src[i * step]
            wins = (v > y[i]) | _is_nan(v)
            y[i] = v if wins else y[i]
    else:
        for i in range(count):
            v = src[i * step]
            wins = (v > y[i]) | _is_nan(v)
            y[i] = v if wins else y[i]
            winner[i] = tap if wins else winner[i]


cdef inline void _max_row_planar(const max_t* plane, max_t* y, index_t* indices, int32_t* winner,
                                 const pool_geometry_t* g, const window_table_t* t,
                                 int64_t od, int64_t oh) noexcept nogil:
    """One output row of a channels-first plane: border outputs window by window,
    interior outputs tap by tap across the whole row (taps in row-major order, so
    every output still sees its taps in PyTorch's order).  ``winner`` is scratch
    for the row's interior when indices are wanted."""
    cdef int64_t ih_size = g.in_size[1], iw_size = g.in_size[2]
    cdef int64_t lo = t.interior_lo[2], hi = t.interior_hi[2], ow_size = g.out_size[2]
    cdef int64_t s = g.stride[2]
    cdef int64_t a, b, e, ow, start, tap
    for ow in range(lo):
        _max_window(plane, y + ow, indices + ow if indices != NULL else NULL, g, t, od, oh, ow, 1)
    for ow in range(hi, ow_size):
        _max_window(plane, y + ow, indices + ow if indices != NULL else NULL, g, t, od, oh, ow, 1)
    if hi <= lo:
        return
    # Input position of the first tap of interior output lo; output lo + i starts i * s later.
    start = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size + lo * s - g.pad_before[2]
    for ow in range(lo, hi):
        y[ow] = plane[start + (ow - lo) * s]
        if indices != NULL:
            winner[ow] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            for e in range(g.kernel_size[2]):
                tap = (a * g.dilation[0] * ih_size + b * g.dilation[1]) * iw_size + e * g.dilation[2]
                _max_update_run(plane + start + tap, s, y + lo,
                                winner + lo if indices != NULL else NULL, <int32_t> tap, hi - lo)
    if indices != NULL:
        for ow in range(lo, hi):
            indices[ow] = start + (ow - lo) * s + winner[ow]


cdef inline bint _taps_fit_int32(const pool_geometry_t* g) noexcept nogil:
    """Whether every tap offset from its window start fits the 32-bit winner slots."""
    cdef int64_t span = (((g.kernel_size[0] - 1) * g.dilation[0] * g.in_size[1]
                          + (g.kernel_size[1] - 1) * g.dilation[1]) * g.in_size[2]
                         + (g.kernel_size[2] - 1) * g.dilation[2])
    return span < 2147483647


cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int64_t od_size = g.out_size[0], oh_size = g.out_size[1], ow_size = g.out_size[2]
    cdef int64_t in_plane = g.in_size[0] * g.in_size[1] * g.in_size[2]
    cdef int64_t rows = outer * od_size * oh_size
    cdef int64_t row, n, od, oh, ow, at
    cdef bint row_kernel = channels == 1 and (indices == NULL or _taps_fit_int32(g))
    # Winner scratch: one row's worth per thread, allocated once per call.
    cdef int32_t* winners = NULL
    if window_table_init(&t, g) < 0:
        return -1
    if row_kernel and indices != NULL:
        winners = <int32_t*> malloc(max(num_threads, 1) * ow_size * sizeof(int32_t))
        if winners == NULL:
            window_table_free(&t)
            return -1
    # One output row (n, od, oh) per iteration: rows never share output memory.
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (od_size * oh_size)
        od = (row // oh_size) % od_size
        oh = row % oh_size
        if row_kernel:
            _max_row_planar(x + n * in_plane, y + row * ow_size,
                            indices + row * ow_size if indices != NULL else NULL,
                            winners + omp_get_thread_num() * ow_size if winners != NULL else NULL,
                            g, &t, od, oh)
        else:
            for ow in range(ow_size):
                at = (row * ow_size + ow) * channels
                _max_window(x + n * in_plane * channels, y + at,
                            indices + at if indices != NULL else NULL,
                            g, &t, od, oh, ow, channels)
    free(winners)
    window_table_free(&t)
    return 0


cdef inline int64_t _scatter_plane(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                                   int64_t out_plane, int64_t in_plane) noexcept nogil:
    """Channels-first plane: zero it, then add each gradient at its index (in
    increasing output order, as PyTorch does).  Returns the out-of-range count."""
    cdef int64_t o, i, bad = 0
    memset(grad_in, 0, in_plane * sizeof(max_t))
    for o in range(out_plane):
        i = indices[o]
        if <uint64_t> i < <uint64_t> in_plane:
            grad_in[i] += grad_out[o]
        else:
            bad += 1
    return bad


cdef int64_t max_pool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                               int64_t outer, int64_t channels, int64_t out_plane,
                               int64_t in_plane, int num_threads) noexcept nogil:
    # A unit owns one (n, channel block): it alone zeroes and writes those grad_in
    # elements, adding in increasing output order, so the sums do not depend on
    # the thread count and match PyTorch's serial scatter bit for bit.
    cdef int64_t blocks = (channels + CHANNEL_BLOCK - 1) // CHANNEL_BLOCK
    cdef int64_t unit, n, c0, c1, o, c, i, p
    cdef int64_t bad = 0
    if channels == 1:
        for n in prange(outer, num_threads=num_threads, schedule="static"):
            bad += _scatter_plane(grad_out + n * out_plane, indices + n * out_plane,
                                  grad_in + n * in_plane, out_plane, in_plane)
        return bad
    for unit in prange(outer * blocks, num_threads=num_threads, schedule="static"):
        n = unit // blocks
        c0 = (unit % blocks) * CHANNEL_BLOCK
        c1 = min(c0 + CHANNEL_BLOCK, channels)
        for p in range(in_plane):
            for c in range(c0, c1):
                grad_in[(n * in_plane + p) * channels + c] = 0
        for o in range(out_plane):
            for c in range(c0, c1):
                i = indices[(n * out_plane + o) * channels + c]
                if <uint64_t> i < <uint64_t> in_plane:
                    grad_in[(n * in_plane + i) * channels + c] += grad_out[(n * out_plane + o) * channels + c]
                else:
                    bad += 1
    return bad


def max_pool_forward_call(const max_t[::1] x, max_t[::1] y, index_t[::1] indices,
                          Geometry geometry, int64_t outer, int64_t channels, int num_threads):
    """Run max_pool_forward on flat contiguous buffers (``indices`` may be None)."""
    cdef index_t* idx = NULL
    cdef int status
    if indices is not None:
        idx = &indices[0]
    with nogil:
        status = max_pool_forward(&x[0], &y[0], idx, &geometry.c, outer, channels, num_threads)
    if status < 0:
        raise MemoryError("max_pool: cannot allocate the window tables")


def max_pool_backward_call(const max_t[::1] grad_out, const index_t[::1] indices,
                           max_t[::1] grad_in, int64_t outer, int64_t channels,
                           int64_t out_plane, int64_t in_plane, int num_threads):
    """Run max_pool_backward on flat buffers; returns the count of out-of-range indices."""
    cdef int64_t bad
    with nogil:
        bad = max_pool_backward(&grad_out[0], &indices[0], &grad_in[0], outer, channels,
                                out_plane, in_plane, num_threads)
    return bad
