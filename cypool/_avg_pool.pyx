"""Average kernels: average and adaptive average pooling, forward and backward.

Arrays are viewed as (outer, D, H, W, channels) exactly as in cypool._max_pool.
Sums run over the window's taps in row-major order in the array's own type and
are then divided, which is what PyTorch's CPU kernels do (adaptive pooling, like
PyTorch's, divides by each dim's tap count in turn).
"""
from cython.parallel cimport prange
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_init_adaptive,
    window_table_free, coverage_table_t, coverage_table_init, coverage_table_free)


cdef inline real_t _average_of(real_t total, const window_table_t* t, int64_t od, int64_t oh,
                               int64_t ow, bint count_include_pad,
                               int64_t divisor_override) noexcept nogil:
    """``total`` divided by the window's divisor, as PyTorch computes it."""
    cdef int64_t divisor
    if t.divide_per_dim:
        return total / <real_t> t.taps[0][od] / <real_t> t.taps[1][oh] / <real_t> t.taps[2][ow]
    if divisor_override > 0:
        divisor = divisor_override
    elif count_include_pad:
        divisor = t.padded_taps[0][od] * t.padded_taps[1][oh] * t.padded_taps[2][ow]
    else:
        divisor = t.taps[0][od] * t.taps[1][oh] * t.taps[2][ow]
    return total / <real_t> divisor


cdef inline void _average_window(const real_t* plane, real_t* y, const window_table_t* t,
                                 int64_t od, int64_t oh, int64_t ow, int64_t channels,
                                 bint count_include_pad, int64_t divisor_override) noexcept nogil:
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t fd = t.first[0][od], fh = t.first[1][oh], fw = t.first[2][ow]
    cdef int64_t a, b, e, c, row_pos
    cdef const real_t* src
    for c in range(channels):
        y[c] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            row_pos = ((fd + a * t.step[0]) * ih_size + fh + b * t.step[1]) * iw_size + fw
            for e in range(t.taps[2][ow]):
                src = plane + (row_pos + e * t.step[2]) * channels
                for c in range(channels):
                    y[c] += src[c]
    for c in range(channels):
        y[c] = _average_of(y[c], t, od, oh, ow, count_include_pad, divisor_override)


cdef inline void _add_run(const real_t* src, int64_t step, real_t* y, int64_t count) noexcept nogil:
    cdef int64_t i
    for i in range(count):
        y[i] += src[i * step]


cdef inline void _average_row_planar(const real_t* plane, real_t* y, const window_table_t* t,
                                     int64_t od, int64_t oh, bint count_include_pad,
                                     int64_t divisor_override) noexcept nogil:
    """One output row of a channels-first plane (regular windows): border outputs
    window by window, interior outputs tap by tap across the row.  Each output
    still adds its taps in row-major order: bit-identical to window by window."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t lo = t.interior_lo, hi = t.interior_hi, ow_size = t.out_size[2]
    cdef int64_t s = t.stride_w
    cdef int64_t a, b, e, ow, start
    for ow in range(lo):
        _average_window(plane, y + ow, t, od, oh, ow, 1, count_include_pad, divisor_override)
    for ow in range(hi, ow_size):
        _average_window(plane, y + ow, t, od, oh, ow, 1, count_include_pad, divisor_override)
    if hi <= lo:
        return
    for ow in range(lo, hi):
        y[ow] = 0
    start = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size + lo * s - t.pad_w
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            for e in range(t.kernel_w):
                _add_run(plane + start + (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
                         + e * t.step[2], s, y + lo, hi - lo)
    # Interior outputs share the divisor of output lo: all their W taps are in bounds.
    for ow in range(lo, hi):
        y[ow] = _average_of(y[ow], t, od, oh, lo, count_include_pad, divisor_override)


cdef int _avg_forward_table(const real_t* x, real_t* y, const window_table_t* t, int64_t outer,
                            int64_t channels, bint count_include_pad, int64_t divisor_override,
                            int num_threads) noexcept nogil:
    cdef int64_t od_size = t.out_size[0], oh_size = t.out_size[1], ow_size = t.out_size[2]
    cdef int64_t in_plane = t.in_size[0] * t.in_size[1] * t.in_size[2]
    cdef int64_t rows = outer * od_size * oh_size
    cdef int64_t row, n, od, oh, ow
    cdef bint row_kernel = channels == 1 and t.regular
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (od_size * oh_size)
        od = (row // oh_size) % od_size
        oh = row % oh_size
        if row_kernel:
            _average_row_planar(x + n * in_plane, y + row * ow_size, t, od, oh,
                                count_include_pad, divisor_override)
        else:
            for ow in range(ow_size):
                _average_window(x + n * in_plane * channels, y + (row * ow_size + ow) * channels,
                                t, od, oh, ow, channels, count_include_pad, divisor_override)
    return 0


cdef inline void _gather_row_planar(const real_t* grad_plane, real_t* gi, const window_table_t* t,
                                    const coverage_table_t* cover, int64_t i_d, int64_t i_h,
                                    bint count_include_pad, int64_t divisor_override) noexcept nogil:
    """Gradient of one channels-first input row (regular windows).  For each
    covering output row (ascending), its shares are added tap by tap, last tap
    first: so every input element visits its windows in ascending output order,
    the order in which PyTorch's scatter adds them, and the sums are bit-identical."""
    cdef int64_t oh_size = t.out_size[1], ow_size = t.out_size[2], iw_size = t.in_size[2]
    cdef int64_t s = t.stride_w
    cdef int64_t a, b, e, od, oh, ow, lo, hi, offset
    cdef const real_t* go
    for ow in range(iw_size):
        gi[ow] = 0
    for a in range(cover.offsets[0][i_d], cover.offsets[0][i_d + 1]):
        od = cover.outputs[0][a]
        for b in range(cover.offsets[1][i_h], cover.offsets[1][i_h + 1]):
            oh = cover.outputs[1][b]
            go = grad_plane + (od * oh_size + oh) * ow_size
            for e in range(t.kernel_w - 1, -1, -1):
                offset = e * t.step[2] - t.pad_w
                # the outputs whose tap e lands inside [0, iw_size)
                lo = 0 if offset >= 0 else (-offset + s - 1) // s
                hi = min(ow_size, (iw_size - 1 - offset) // s + 1) if iw_size - 1 >= offset else 0
                for ow in range(lo, hi):
                    gi[ow * s + offset] += _average_of(go[ow], t, od, oh, ow, count_include_pad,
                                                       divisor_override)


cdef int _avg_backward_table(const real_t* grad_out, real_t* grad_in, const window_table_t* t,
                             int64_t outer, int64_t channels, bint count_include_pad,
                             int64_t divisor_override, int num_threads) noexcept nogil:
    # Gather, not scatter: each input row is written by the one thread that owns
    # it, summing its windows' shares in increasing output order (the order in
    # which PyTorch's scatter adds them), so no thread count changes a bit.
    cdef coverage_table_t cover
    cdef int64_t od_size = t.out_size[0], oh_size = t.out_size[1], ow_size = t.out_size[2]
    cdef int64_t id_size = t.in_size[0], ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t out_plane = od_size * oh_size * ow_size
    cdef int64_t rows = outer * id_size * ih_size
    cdef int64_t row, n, i_d, i_h, i_w, a, b, e, od, oh, ow, c
    cdef bint row_kernel = channels == 1 and t.regular
    cdef real_t* gi
    cdef const real_t* go
    if coverage_table_init(&cover, t) < 0:
        return -1
    for row in prange(rows, num_threads=num_threads, schedule="static"):
        n = row // (id_size * ih_size)
        i_d = (row // ih_size) % id_size
        i_h = row % ih_size
        if row_kernel:
            _gather_row_planar(grad_out + n * out_plane, grad_in + row * iw_size, t, &cover,
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
                        go = grad_out + (((n * od_size + od) * oh_size + oh) * ow_size + ow) * channels
                        for c in range(channels):
                            gi[c] += _average_of(go[c], t, od, oh, ow, count_include_pad,
                                                 divisor_override)
    coverage_table_free(&cover)
    return 0


cdef int avg_pool_forward(const real_t* x, real_t* y, const pool_geometry_t* g,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = _avg_forward_table(x, y, &t, outer, channels, count_include_pad, divisor_override,
                                num_threads)
    window_table_free(&t)
    return status


cdef int avg_pool_backward(const real_t* grad_out, real_t* grad_in, const pool_geometry_t* g,
                           int64_t outer, int64_t channels, bint count_include_pad,
                           int64_t divisor_override, int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = _avg_backward_table(grad_out, grad_in, &t, outer, channels, count_include_pad,
                                 divisor_override, num_threads)
    window_table_free(&t)
    return status


cdef int adaptive_avg_pool_forward(const real_t* x, real_t* y, const int64_t* in_size,
                                   const int64_t* out_size, int64_t outer, int64_t channels,
                                   int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init_adaptive(&t, in_size, out_size) < 0:
        return -1
    status = _avg_forward_table(x, y, &t, outer, channels, False, 0, num_threads)
    window_table_free(&t)
    return status


cdef int adaptive_avg_pool_backward(const real_t* grad_out, real_t* grad_in,
                                    const int64_t* in_size, const int64_t* out_size,
                                    int64_t outer, int64_t channels,
                                    int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init_adaptive(&t, in_size, out_size) < 0:
        return -1
    status = _avg_backward_table(grad_out, grad_in, &t, outer, channels, False, 0, num_threads)
    window_table_free(&t)
    return status


# --- Python entry points (flat contiguous buffers; validation is the façade's job) ----------

def avg_pool_call(bint backward, const real_t[::1] source, real_t[::1] target,
                  Geometry geometry, int64_t outer, int64_t channels, bint count_include_pad,
                  int64_t divisor_override, int num_threads):
    """Run avg_pool_forward (source x, target y) or avg_pool_backward (source
    grad_output, target grad_input); divisor_override 0 means none."""
    cdef int status
    with nogil:
        if backward:
            status = avg_pool_backward(&source[0], &target[0], &geometry.c, outer, channels,
                                       count_include_pad, divisor_override, num_threads)
        else:
            status = avg_pool_forward(&source[0], &target[0], &geometry.c, outer, channels,
                                      count_include_pad, divisor_override, num_threads)
    if status < 0:
        raise MemoryError("avg_pool: cannot allocate the window tables")


def adaptive_avg_pool_call(bint backward, const real_t[::1] source, real_t[::1] target,
                           tuple in_size, tuple out_size, int64_t outer, int64_t channels,
                           int num_threads):
    """Run adaptive_avg_pool_forward or _backward; sizes are 3-tuples."""
    cdef int64_t ins[3]
    cdef int64_t outs[3]
    cdef int status
    ins = in_size
    outs = out_size
    with nogil:
        if backward:
            status = adaptive_avg_pool_backward(&source[0], &target[0], ins, outs, outer,
                                                channels, num_threads)
        else:
            status = adaptive_avg_pool_forward(&source[0], &target[0], ins, outs, outer,
                                               channels, num_threads)
    if status < 0:
        raise MemoryError("adaptive_avg_pool: cannot allocate the window tables")
