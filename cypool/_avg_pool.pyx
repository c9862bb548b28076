"""Average pooling kernels, forward and backward.

Arrays are viewed as (outer, D, H, W, channels) exactly as in cypool._max_pool.
Sums run over the window's taps in row-major order in the array's own type and
are then divided by the divisor, which is what PyTorch's CPU kernels do.
"""
from cython.parallel cimport prange
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_free,
    coverage_table_t, coverage_table_init, coverage_table_free)


cdef inline int64_t _divisor(const window_table_t* t, int64_t od, int64_t oh, int64_t ow,
                             bint count_include_pad, int64_t divisor_override) noexcept nogil:
    if divisor_override > 0:
        return divisor_override
    if count_include_pad:
        return t.padded_taps[0][od] * t.padded_taps[1][oh] * t.padded_taps[2][ow]
    return t.taps[0][od] * t.taps[1][oh] * t.taps[2][ow]


cdef inline void _average_window(const real_t* plane, real_t* y, const pool_geometry_t* g,
                                 const window_table_t* t, int64_t od, int64_t oh, int64_t ow,
                                 int64_t channels, real_t divisor) noexcept nogil:
    cdef int64_t ih_size = g.in_size[1], iw_size = g.in_size[2]
    cdef int64_t fd = t.first[0][od], fh = t.first[1][oh], fw = t.first[2][ow]
    cdef int64_t dd = g.dilation[0], dh = g.dilation[1], dw = g.dilation[2]
    cdef int64_t a, b, e, c, row_pos
    cdef const real_t* src
    for c in range(channels):
        y[c] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            row_pos = ((fd + a * dd) * ih_size + fh + b * dh) * iw_size + fw
            for e in range(t.taps[2][ow]):
                src = plane + (row_pos + e * dw) * channels
                for c in range(channels):
                    y[c] += src[c]
    for c in range(channels):
        y[c] = y[c] / divisor


cdef inline void _add_run(const real_t* src, int64_t step, real_t* y, int64_t count) noexcept nogil:
    cdef int64_t i
    for i in range(count):
        y[i] += src[i * step]


cdef inline void _average_row_planar(const real_t* plane, real_t* y, const pool_geometry_t* g,
                                     const window_table_t* t, int64_t od, int64_t oh,
                                     bint count_include_pad, int64_t divisor_override) noexcept nogil:
    """One output row of a channels-first plane: border outputs window by window,
    interior outputs tap by tap across the row.  Each output still adds its taps
    in row-major order, so the result is bit-identical to the window-by-window sum."""
    cdef int64_t ih_size = g.in_size[1], iw_size = g.in_size[2]
    cdef int64_t lo = t.interior_lo[2], hi = t.interior_hi[2], ow_size = g.out_size[2]
    cdef int64_t s = g.stride[2], dw = g.dilation[2], kw = g.kernel_size[2]
    cdef int64_t fd = t.first[0][od], fh = t.first[1][oh]
    cdef int64_t a, b, e, ow, row_pos
    cdef real_t divisor
    for ow in range(lo):
        _average_window(plane, y + ow, g, t, od, oh, ow, 1,
                        <real_t> _divisor(t, od, oh, ow, count_include_pad, divisor_override))
    for ow in range(hi, ow_size):
        _average_window(plane, y + ow, g, t, od, oh, ow, 1,
                        <real_t> _divisor(t, od, oh, ow, count_include_pad, divisor_override))
    if hi <= lo:
        return
    for ow in range(lo, hi):
        y[ow] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            row_pos = ((fd + a * g.dilation[0]) * ih_size + fh + b * g.dilation[1]) * iw_size
            for e in range(kw):
                _add_run(plane + row_pos + lo * s - g.pad_before[2] + e * dw, s, y + lo, hi - lo)
    # Interior outputs share one divisor: all their W taps are in bounds.
    divisor = <real_t> _divisor(t, od, oh, lo, count_include_pad, divisor_override)
    for ow in range(lo, hi):
        y[ow] = y[ow] / divisor


cdef int avg_pool_forward(const real_t* x, real_t* y, const pool_geometry_t* g,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int64_t od_size = g.out_size[0], oh_size = g.out_size[1], ow_size = g.out_size[2]
    cdef int64_t in_plane = g.in_size[0] * g.in_size[1] * g.in_size[2]
    cdef int64_t rows = outer * od_size * oh_size
    cdef int64_t row, n, od, oh, ow
    if window_table_init(&t, g) < 0:
        return -1
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (od_size * oh_size)
        od = (row // oh_size) % od_size
        oh = row % oh_size
        if channels == 1:
            _average_row_planar(x + n * in_plane, y + row * ow_size, g, &t, od, oh,
                                count_include_pad, divisor_override)
        else:
            for ow in range(ow_size):
                _average_window(x + n * in_plane * channels, y + (row * ow_size + ow) * channels,
                                g, &t, od, oh, ow, channels,
                                <real_t> _divisor(&t, od, oh, ow, count_include_pad,
                                                  divisor_override))
    window_table_free(&t)
    return 0


cdef inline void _gather_row_planar(const real_t* grad_plane, real_t* gi, const pool_geometry_t* g,
                                    const window_table_t* t, const coverage_table_t* cover,
                                    int64_t i_d, int64_t i_h, bint count_include_pad,
                                    int64_t divisor_override) noexcept nogil:
    """Gradient of one channels-first input row.  For each covering output row
    (ascending), its shares are added tap by tap, last tap first: for any input
    element that visits its windows in ascending output order, the order in
    which PyTorch's scatter adds them, so the sums are bit-identical."""
    cdef int64_t oh_size = g.out_size[1], ow_size = g.out_size[2], iw_size = g.in_size[2]
    cdef int64_t s = g.stride[2], dw = g.dilation[2], pw = g.pad_before[2]
    cdef int64_t a, b, e, od, oh, ow, lo, hi, offset
    cdef const real_t* go
    for ow in range(iw_size):
        gi[ow] = 0
    for a in range(cover.offsets[0][i_d], cover.offsets[0][i_d + 1]):
        od = cover.outputs[0][a]
        for b in range(cover.offsets[1][i_h], cover.offsets[1][i_h + 1]):
            oh = cover.outputs[1][b]
            go = grad_plane + (od * oh_size + oh) * ow_size
            for e in range(g.kernel_size[2] - 1, -1, -1):
                offset = e * dw - pw
                # outputs whose tap e lands inside [0, iw_size)
                lo = 0 if offset >= 0 else (-offset + s - 1) // s
                hi = min(ow_size, (iw_size - 1 - offset) // s + 1) if iw_size - 1 - offset >= 0 else 0
                for ow in range(lo, hi):
                    gi[ow * s + offset] += go[ow] / <real_t> _divisor(
                        t, od, oh, ow, count_include_pad, divisor_override)


cdef int avg_pool_backward(const real_t* grad_out, real_t* grad_in, const pool_geometry_t* g,
                           int64_t outer, int64_t channels, bint count_include_pad,
                           int64_t divisor_override, int num_threads) noexcept nogil:
    # Gather, not scatter: each input row is written by the one thread that owns
    # it, summing its windows' shares in increasing output order (the order in
    # which PyTorch's scatter adds them), so no thread count changes a bit.
    cdef window_table_t t
    cdef coverage_table_t cover
    cdef int64_t od_size = g.out_size[0], oh_size = g.out_size[1], ow_size = g.out_size[2]
    cdef int64_t id_size = g.in_size[0], ih_size = g.in_size[1], iw_size = g.in_size[2]
    cdef int64_t out_plane = od_size * oh_size * ow_size
    cdef int64_t rows = outer * id_size * ih_size
    cdef int64_t row, n, i_d, i_h, i_w, a, b, e, od, oh, ow, c
    cdef real_t* gi
    cdef const real_t* go
    cdef real_t divisor
    if window_table_init(&t, g) < 0:
        return -1
    if coverage_table_init(&cover, g) < 0:
        window_table_free(&t)
        return -1
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (id_size * ih_size)
        i_d = (row // ih_size) % id_size
        i_h = row % ih_size
        if channels == 1:
            _gather_row_planar(grad_out + n * out_plane, grad_in + row * iw_size, g, &t, &cover,
                               i_d, i_h, count_include_pad, divisor_override)
            continue
        for i_w in range(iw_size):
            gi = grad_in + (row * iw_size + i_w) * channels
            for c in range(channels):
                gi[c] = 0
            for a in range(cover.offsets[0][i_d], cover.offsets[0][i_d + 1]):
                od = cover.outputs[0][a]
                for b in range(cover.offsets[1][i_h], cover.offsets[1][i_h + 1]):
                    oh = cover.outputs[1][b]
                    for e in range(cover.offsets[2][i_w], cover.offsets[2][i_w + 1]):
                        ow = cover.outputs[2][e]
                        divisor = <real_t> _divisor(&t, od, oh, ow, count_include_pad,
                                                    divisor_override)
                        go = grad_out + (((n * od_size + od) * oh_size + oh) * ow_size + ow) * channels
                        for c in range(channels):
                            gi[c] += go[c] / divisor
    coverage_table_free(&cover)
    window_table_free(&t)
    return 0


def avg_pool_forward_call(const real_t[::1] x, real_t[::1] y, Geometry geometry,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads):
    """Run avg_pool_forward on flat contiguous buffers (divisor_override 0 = none)."""
    cdef int status
    with nogil:
        status = avg_pool_forward(&x[0], &y[0], &geometry.c, outer, channels,
                                  count_include_pad, divisor_override, num_threads)
    if status < 0:
        raise MemoryError("avg_pool: cannot allocate the window tables")


def avg_pool_backward_call(const real_t[::1] grad_out, real_t[::1] grad_in, Geometry geometry,
                           int64_t outer, int64_t channels, bint count_include_pad,
                           int64_t divisor_override, int num_threads):
    """Run avg_pool_backward on flat contiguous buffers (divisor_override 0 = none)."""
    cdef int status
    with nogil:
        status = avg_pool_backward(&grad_out[0], &grad_in[0], &geometry.c, outer, channels,
                                   count_include_pad, divisor_override, num_threads)
    if status < 0:
        raise MemoryError("avg_pool_backward: cannot allocate the window tables")
