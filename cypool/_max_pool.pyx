"""Max-type kernels: max pooling and adaptive max pooling forward (with or
without argmax indices), their shared backward scatter, and max-unpooling.

Every array is viewed as (outer, D, H, W, channels): channels-first input is
(N*C planes, D, H, W, 1), channels-last input is (N, D, H, W, C).  One loop nest
per operation serves both layouts and every dimensionality, so channels-first
and channels-last results are bit-identical by construction.
"""
from cython.parallel cimport prange
from libc.stdint cimport int32_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memset

from cypool._openmp cimport omp_get_thread_num
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_init_adaptive,
    window_table_free)

cdef enum:
    # Channels handled per work unit of the channels-last scatters (a unit owns them).
    CHANNEL_BLOCK = 64


cdef inline bint _is_nan(max_t v) noexcept nogil:
    if max_t is float or max_t is double:
        return v != v
    else:
        return False


cdef inline void _max_window(const max_t* plane, max_t* y, index_t* indices,
                             const window_table_t* t, int64_t od, int64_t oh, int64_t ow,
                             int64_t channels) noexcept nogil:
    """y[c] = max over the window's in-bounds taps; PyTorch's tie and NaN rules."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t fd = t.first[0][od], fh = t.first[1][oh], fw = t.first[2][ow]
    cdef int64_t nd = t.taps[0][od], nh = t.taps[1][oh], nw = t.taps[2][ow]
    cdef int64_t sd = t.step[0], sh = t.step[1], sw = t.step[2]
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
            row_pos = ((fd + a * sd) * ih_size + fh + b * sh) * iw_size + fw
            for e in range(nw):
                pos = row_pos + e * sw
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
                                 const window_table_t* t, int64_t od, int64_t oh) noexcept nogil:
    """One output row of a channels-first plane (regular windows): border outputs
    window by window, interior outputs tap by tap across the whole row (taps in
    row-major order, so every output still sees its taps in PyTorch's order).
    ``winner`` is scratch for the row's interior when indices are wanted."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t lo = t.interior_lo, hi = t.interior_hi, ow_size = t.out_size[2]
    cdef int64_t s = t.stride_w
    cdef int64_t a, b, e, ow, start, tap
    for ow in range(lo):
        _max_window(plane, y + ow, indices + ow if indices != NULL else NULL, t, od, oh, ow, 1)
    for ow in range(hi, ow_size):
        _max_window(plane, y + ow, indices + ow if indices != NULL else NULL, t, od, oh, ow, 1)
    if hi <= lo:
        return
    # Input position of the first tap of interior output lo; output lo + i starts i * s later.
    start = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size + lo * s - t.pad_w
    for ow in range(lo, hi):
        y[ow] = plane[start + (ow - lo) * s]
        if indices != NULL:
            winner[ow] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            for e in range(t.kernel_w):
                tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size + e * t.step[2]
                _max_update_run(plane + start + tap, s, y + lo,
                                winner + lo if indices != NULL else NULL, <int32_t> tap, hi - lo)
    if indices != NULL:
        for ow in range(lo, hi):
            indices[ow] = start + (ow - lo) * s + winner[ow]


cdef inline bint _taps_fit_int32(const window_table_t* t) noexcept nogil:
    """Whether tap offsets from a window start (< the plane size) fit the 32-bit
    winner slots; planes of 2**31 elements or more take the window-by-window path."""
    return t.in_size[0] * t.in_size[1] * t.in_size[2] < 2147483647


cdef int _max_forward_table(const max_t* x, max_t* y, index_t* indices, const window_table_t* t,
                            int64_t outer, int64_t channels, int num_threads) noexcept nogil:
    cdef int64_t od_size = t.out_size[0], oh_size = t.out_size[1], ow_size = t.out_size[2]
    cdef int64_t in_plane = t.in_size[0] * t.in_size[1] * t.in_size[2]
    cdef int64_t rows = outer * od_size * oh_size
    cdef int64_t row, n, od, oh, ow, at
    cdef bint row_kernel = (channels == 1 and t.regular
                            and (indices == NULL or _taps_fit_int32(t)))
    # Winner scratch: one row's worth per thread, allocated once per call.
    cdef int32_t* winners = NULL
    if row_kernel and indices != NULL:
        winners = <int32_t*> malloc(max(num_threads, 1) * ow_size * sizeof(int32_t))
        if winners == NULL:
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
                            t, od, oh)
        else:
            for ow in range(ow_size):
                at = (row * ow_size + ow) * channels
                _max_window(x + n * in_plane * channels, y + at,
                            indices + at if indices != NULL else NULL,
                            t, od, oh, ow, channels)
    free(winners)
    return 0


cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = _max_forward_table(x, y, indices, &t, outer, channels, num_threads)
    window_table_free(&t)
    return status


cdef int adaptive_max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                                   const int64_t* in_size, const int64_t* out_size,
                                   int64_t outer, int64_t channels,
                                   int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init_adaptive(&t, in_size, out_size) < 0:
        return -1
    status = _max_forward_table(x, y, indices, &t, outer, channels, num_threads)
    window_table_free(&t)
    return status


cdef inline int64_t _route_block(const max_t* source, const index_t* indices, max_t* target,
                                 int64_t count, int64_t target_size, int64_t channels,
                                 int64_t c0, int64_t c1, bint accumulate) noexcept nogil:
    """For channels c0 <= c < c1 of one (outer) slice, in increasing o:
    target[indices[o, c], c] (+)= source[o, c].  Returns how many indices fall
    outside [0, target_size)."""
    cdef int64_t o, c, i, bad = 0
    for o in range(count):
        for c in range(c0, c1):
            i = indices[o * channels + c]
            if <uint64_t> i < <uint64_t> target_size:
                if accumulate:
                    target[i * channels + c] += source[o * channels + c]
                else:
                    target[i * channels + c] = source[o * channels + c]
            else:
                bad += 1
    return bad


cdef int64_t _route(const max_t* source, const index_t* indices, max_t* target, int64_t outer,
                    int64_t channels, int64_t count, int64_t target_size, bint accumulate,
                    int num_threads) noexcept nogil:
    # A unit owns one (n, channel block) of target: it alone zeroes and writes those
    # elements, in increasing source order, so results do not depend on the thread
    # count (and sums match PyTorch's serial scatter bit for bit).
    cdef int64_t blocks = (channels + CHANNEL_BLOCK - 1) // CHANNEL_BLOCK
    cdef int64_t unit, n, c0, c1, c, p
    cdef int64_t bad = 0
    for unit in prange(outer * blocks, num_threads=num_threads, schedule="static"):
        n = unit // blocks
        c0 = (unit % blocks) * CHANNEL_BLOCK
        c1 = min(c0 + CHANNEL_BLOCK, channels)
        if channels == 1:
            memset(target + n * target_size, 0, target_size * sizeof(max_t))
        else:
            for p in range(target_size):
                for c in range(c0, c1):
                    target[(n * target_size + p) * channels + c] = 0
        bad += _route_block(source + n * count * channels, indices + n * count * channels,
                            target + n * target_size * channels, count, target_size, channels,
                            c0, c1, accumulate)
    return bad


cdef int64_t max_pool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                               int64_t outer, int64_t channels, int64_t out_plane,
                               int64_t in_plane, int num_threads) noexcept nogil:
    return _route(grad_out, indices, grad_in, outer, channels, out_plane, in_plane, True,
                  num_threads)


cdef int64_t max_unpool_forward(const max_t* x, const index_t* indices, max_t* y,
                                int64_t outer, int64_t channels, int64_t in_plane,
                                int64_t out_plane, int num_threads) noexcept nogil:
    return _route(x, indices, y, outer, channels, in_plane, out_plane, False, num_threads)


cdef int64_t max_unpool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                                 int64_t outer, int64_t channels, int64_t in_plane,
                                 int64_t out_plane, int num_threads) noexcept nogil:
    # grad_in[o] = grad_out[indices[o]]: a gather, every element written once.
    cdef int64_t unit, n, o, c, i, at
    cdef int64_t bad = 0
    for unit in prange(outer, num_threads=num_threads, schedule="static"):
        for o in range(in_plane):
            for c in range(channels):
                at = (unit * in_plane + o) * channels + c
                i = indices[at]
                if <uint64_t> i < <uint64_t> out_plane:
                    grad_in[at] = grad_out[(unit * out_plane + i) * channels + c]
                else:
                    grad_in[at] = 0
                    bad += 1
    return bad


# --- Python entry points (flat contiguous buffers; validation is the façade's job) ----------

def max_pool_forward_call(const max_t[::1] x, max_t[::1] y, index_t[::1] indices,
                          Geometry geometry, int64_t outer, int64_t channels, int num_threads):
    """Run max_pool_forward (``indices`` may be None)."""
    cdef index_t* idx = NULL
    cdef int status
    if indices is not None:
        idx = &indices[0]
    with nogil:
        status = max_pool_forward(&x[0], &y[0], idx, &geometry.c, outer, channels, num_threads)
    if status < 0:
        raise MemoryError("max_pool: cannot allocate the window tables")


def adaptive_max_pool_forward_call(const max_t[::1] x, max_t[::1] y, index_t[::1] indices,
                                   tuple in_size, tuple out_size, int64_t outer,
                                   int64_t channels, int num_threads):
    """Run adaptive_max_pool_forward; sizes are 3-tuples (leading 1s for 1-D/2-D)."""
    cdef index_t* idx = NULL
    cdef int64_t ins[3]
    cdef int64_t outs[3]
    cdef int status
    ins = in_size
    outs = out_size
    if indices is not None:
        idx = &indices[0]
    with nogil:
        status = adaptive_max_pool_forward(&x[0], &y[0], idx, ins, outs, outer, channels,
                                           num_threads)
    if status < 0:
        raise MemoryError("adaptive_max_pool: cannot allocate the window tables")


def route_call(str operation, const max_t[::1] source, const index_t[::1] indices,
               max_t[::1] target, int64_t outer, int64_t channels, int64_t source_plane,
               int64_t target_plane, int num_threads):
    """Run max_pool_backward, max_unpool_forward or max_unpool_backward (by name);
    returns the number of out-of-range indices."""
    cdef int64_t bad
    cdef int which = {"max_pool_backward": 0, "max_unpool_forward": 1,
                      "max_unpool_backward": 2}[operation]
    with nogil:
        if which == 0:
            bad = max_pool_backward(&source[0], &indices[0], &target[0], outer, channels,
                                    source_plane, target_plane, num_threads)
        elif which == 1:
            bad = max_unpool_forward(&source[0], &indices[0], &target[0], outer, channels,
                                     source_plane, target_plane, num_threads)
        else:
            bad = max_unpool_backward(&source[0], &indices[0], &target[0], outer, channels,
                                      target_plane, source_plane, num_threads)
    return bad
