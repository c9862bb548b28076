"""Max pooling kernels, forward (with or without argmax indices) and backward.

Every array is viewed as (outer, D, H, W, channels): channels-first input is
(N*C planes, D, H, W, 1), channels-last input is (N, D, H, W, C).  One loop nest
serves both layouts, so the two give bit-identical results by construction.
"""
from cython.parallel cimport prange
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


cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int64_t od_size = g.out_size[0], oh_size = g.out_size[1], ow_size = g.out_size[2]
    cdef int64_t in_plane = g.in_size[0] * g.in_size[1] * g.in_size[2]
    cdef int64_t rows = outer * od_size * oh_size
    cdef int64_t row, n, od, oh, ow, at
    if window_table_init(&t, g) < 0:
        return -1
    # One output row (n, od, oh) per iteration: rows never share output memory.
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (od_size * oh_size)
        od = (row // oh_size) % od_size
        oh = row % oh_size
        for ow in range(ow_size):
            at = (row * ow_size + ow) * channels
            _max_window(x + n * in_plane * channels, y + at,
                        indices + at if indices != NULL else NULL,
                        g, &t, od, oh, ow, channels)
    window_table_free(&t)
    return 0


cdef int64_t max_pool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                               int64_t outer, int64_t channels, int64_t out_plane,
                               int64_t in_plane, int num_threads) noexcept nogil:
    # A unit owns one (n, channel block): it alone writes those grad_in elements,
    # and it adds in increasing output order, so the sums do not depend on the
    # thread count and match PyTorch's serial scatter bit for bit.
    cdef int64_t blocks = (channels + CHANNEL_BLOCK - 1) // CHANNEL_BLOCK
    cdef int64_t unit, n, c0, c1, o, c, i
    cdef int64_t bad = 0
    for unit in prange(outer * blocks, num_threads=num_threads, schedule="static"):
        n = unit // blocks
        c0 = (unit % blocks) * CHANNEL_BLOCK
        c1 = min(c0 + CHANNEL_BLOCK, channels)
        for o in range(out_plane):
            for c in range(c0, c1):
                i = indices[(n * out_plane + o) * channels + c]
                if 0 <= i < in_plane:
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
