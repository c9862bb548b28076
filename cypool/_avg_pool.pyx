"""Average kernels: average and adaptive average pooling, forward and backward.

Arrays are viewed as (outer, D, H, W, channels) exactly as in cypool._max_pool.
Sums run over the window's taps in row-major order in the array's own type and
are then divided, which is what PyTorch's CPU kernels do (adaptive pooling, like
PyTorch's, divides by each dim's tap count in turn).
"""
cimport numpy as cnp
from cython.parallel cimport prange
from libc.stdint cimport int32_t, int64_t
from cpython.pycapsule cimport PyCapsule_New
from libc.stdlib cimport free, malloc
from libc.string cimport memset

from cypool._openmp cimport omp_get_thread_num
from cypool._staging cimport (
    convert_fn, is_half, lp_grad_f32, lp_grad_f64, lp_ratio_f32, lp_ratio_f64, narrowing_to,
    root_bf16, root_f16, root_f32, root_f64, staged_run, terms_of, widening_to, work_item_of)
from cypool._typedefs cimport real_t
from cypool._window_pass cimport (
    OP_SUM, ROW_CHUNKS_PER_THREAD, STRATEGY_COUNT, STRATEGY_INTEGER_SUMS, cache_lines,
    chunk_start, threads_for, window_reads, row_position, next_row)

# The forward skeleton, for float and double and the sum.
cdef extern from *:
    """
    #define FORWARD_OP CP_OP_SUM
    """
from cypool._typedefs cimport real_t as kernel_t
include "_forward.pxi"

cnp.import_array()
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_init_adaptive,
    window_table_free, coverage_table_t, coverage_table_init, coverage_table_free)


cdef inline void _scatter_plane(const real_t* grad_plane, real_t* gi,
                                const window_table_t* t) noexcept nogil:
    """Gradient of one channels-first plane of adaptive windows, window by window."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t od, oh, ow, a, b, e, o = 0
    cdef real_t share
    cdef real_t* row
    memset(gi, 0, t.in_size[0] * ih_size * iw_size * sizeof(real_t))
    for od in range(t.out_size[0]):
        for oh in range(t.out_size[1]):
            for ow in range(t.out_size[2]):
                share = average_of(grad_plane[o], t, od, oh, ow, False, 0)
                o += 1
                for a in range(t.taps[0][od]):
                    for b in range(t.taps[1][oh]):
                        row = gi + ((t.first[0][od] + a * t.step[0]) * ih_size
                                    + t.first[1][oh] + b * t.step[1]) * iw_size + t.first[2][ow]
                        for e in range(t.taps[2][ow]):
                            row[e * t.step[2]] += share


cdef inline void _spread_strided(const real_t* shares, real_t* gi, int64_t step,
                                 int64_t count) noexcept nogil:
    cdef int64_t i
    for i in range(count):
        gi[i * step] += shares[i]


cdef inline void _spread_run(const real_t* shares, real_t* gi, int64_t step,
                             int64_t count) noexcept nogil:
    # Literal common strides: each inlined copy is its own vectorized loop.
    if step == 1:
        _spread_strided(shares, gi, 1, count)
    elif step == 2:
        _spread_strided(shares, gi, 2, count)
    else:
        _spread_strided(shares, gi, step, count)


cdef inline void _row_shares(const real_t* go, const real_t* w_divisor, real_t row_factor,
                             real_t row_d1, bint per_dim, real_t* shares,
                             int64_t count) noexcept nogil:
    """The gradient share of each window of an output row: go / its divisor, as
    PyTorch divides (once per window, whatever number of taps it spreads to)."""
    cdef int64_t i
    if per_dim and row_factor == 1:    # 2-D bins: x / 1 is x exactly, skip it
        for i in range(count):
            shares[i] = go[i] / row_d1 / w_divisor[i]
    elif per_dim:   # equal adaptive bins: divide by each dim's tap count in turn
        for i in range(count):
            shares[i] = go[i] / row_factor / row_d1 / w_divisor[i]
    else:
        for i in range(count):
            shares[i] = go[i] / (row_factor * w_divisor[i])


cdef inline void _gather_row_planar(const real_t* grad_plane, real_t* gi, const window_table_t* t,
                                    const coverage_table_t* cover, const real_t* w_divisor,
                                    bint count_include_pad, int64_t divisor_override,
                                    int64_t i_d, int64_t i_h, real_t* shares,
                                    int64_t* shares_of) noexcept nogil:
    """Gradient of one channels-first input row (regular windows, small divisors).
    For each covering output row (ascending), its shares are added tap by tap,
    last tap first: so every input element visits its windows in ascending output
    order, the order in which PyTorch's scatter adds them: bit-identical sums.
    A window's divisor is row_factor * w_divisor[ow], exactly PyTorch's; equal
    adaptive bins divide by each dim's tap count in turn, as PyTorch does.
    ``shares`` is per-thread scratch for one output row's shares, those of the
    plane's output row ``shares_of[0]`` (-1: none yet)."""
    cdef int64_t oh_size = t.out_size[1], ow_size = t.out_size[2], iw_size = t.in_size[2]
    cdef int64_t s = t.stride_w
    cdef int64_t a, b, e, od, oh, lo
    cdef real_t row_factor, row_d1 = 1
    for lo in range(iw_size):
        gi[lo] = 0
    for a in range(cover.offsets[0][i_d], cover.offsets[0][i_d + 1]):
        od = cover.outputs[0][a]
        for b in range(cover.offsets[1][i_h], cover.offsets[1][i_h + 1]):
            oh = cover.outputs[1][b]
            if t.divide_per_dim:
                row_factor, row_d1 = <real_t> t.taps[0][od], <real_t> t.taps[1][oh]
            else:
                row_factor = <real_t> row_divisor(t, od, oh, count_include_pad, divisor_override)
            if shares_of[0] != od * oh_size + oh:     # else still there from the last row
                _row_shares(grad_plane + (od * oh_size + oh) * ow_size, w_divisor, row_factor,
                            row_d1, t.divide_per_dim, shares, ow_size)
                shares_of[0] = od * oh_size + oh
            for e in range(t.kernel_w - 1, -1, -1):
                lo = t.run_lo[e]
                if t.run_hi[e] > lo:
                    _spread_run(shares + lo, gi + lo * s + e * t.step[2] - t.pad_w, s,
                                t.run_hi[e] - lo)


cdef void _avg_backward_rows(const real_t* grad_out, real_t* grad_in, const window_table_t* t,
                             const coverage_table_t* cover, int64_t first, int64_t end,
                             int64_t channels, bint row_kernel, const real_t* w_divisor,
                             bint count_include_pad, int64_t divisor_override,
                             real_t* shares) noexcept nogil:
    """Input rows first <= row < end of _avg_backward_table, row = (n, i_d, i_h)."""
    cdef int64_t od_size = t.out_size[0], oh_size = t.out_size[1], ow_size = t.out_size[2]
    cdef int64_t iw_size = t.in_size[2]
    cdef int64_t out_plane = od_size * oh_size * ow_size
    cdef int64_t row, n, i_d, i_h, i_w, a, b, e, od, oh, ow, c
    cdef real_t* gi
    cdef const real_t* go
    cdef int64_t shares_of = -1, plane = -1
    row_position(first, t.in_size[0], t.in_size[1], &n, &i_d, &i_h)
    for row in range(first, end):
        if row_kernel:
            if n != plane:
                shares_of, plane = -1, n
            _gather_row_planar(grad_out + n * out_plane, grad_in + row * iw_size, t, cover,
                               w_divisor, count_include_pad, divisor_override, i_d, i_h, shares,
                               &shares_of)
        else:
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
                            go = grad_out + (((n * od_size + od) * oh_size + oh) * ow_size
                                             + ow) * channels
                            share_window(gi, go, t, od, oh, ow, channels, count_include_pad,
                                         divisor_override, True)
        next_row(t.in_size[0], t.in_size[1], &n, &i_d, &i_h)


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
    cdef int64_t n, chunk, chunks
    cdef bint row_kernel = channels == 1 and t.regular
    cdef real_t* w_divisor = NULL
    num_threads = threads_for(rows * iw_size * channels * window_reads(t), num_threads)
    if row_kernel and not t.divide_per_dim:
        row_kernel = divisors_are_small(t, count_include_pad, divisor_override, sizeof(real_t))
    if row_kernel:
        # Equal adaptive bins (divide_per_dim) have no padding: W factors = taps.
        w_divisor = new_w_divisors(t, count_include_pad and not t.divide_per_dim,
                                   0 if t.divide_per_dim else divisor_override, w_divisor)
        if w_divisor == NULL:
            return -1
    if channels == 1 and not t.regular:
        # Channels-first adaptive windows: a plane's windows scatter their shares
        # (each computed once) in ascending output order, PyTorch's order; the
        # plane is one work unit, so the scatter is race-free.
        for n in prange(outer, num_threads=num_threads, schedule="static"):
            _scatter_plane(grad_out + n * out_plane, grad_in + n * id_size * ih_size * iw_size, t)
        return 0
    if coverage_table_init(&cover, t) < 0:
        free(w_divisor)
        return -1
    # Per-thread scratch: one output row of gradient shares, in whole cache lines.
    cdef int64_t scratch = cache_lines(ow_size, sizeof(real_t))
    cdef real_t* shares = <real_t*> malloc(max(num_threads, 1) * scratch * sizeof(real_t))
    if shares == NULL:
        coverage_table_free(&cover)
        free(w_divisor)
        return -1
    if num_threads <= 1:
        _avg_backward_rows(grad_out, grad_in, t, &cover, 0, rows, channels, row_kernel,
                           w_divisor, count_include_pad, divisor_override, shares)
    else:
        chunks = min(rows, num_threads * ROW_CHUNKS_PER_THREAD)
        for chunk in prange(chunks, num_threads=num_threads, schedule="dynamic"):
            _avg_backward_rows(grad_out, grad_in, t, &cover, chunk_start(rows, chunks, chunk),
                               chunk_start(rows, chunks, chunk + 1), channels, row_kernel,
                               w_divisor, count_include_pad, divisor_override,
                               shares + omp_get_thread_num() * scratch)
    free(shares)
    coverage_table_free(&cover)
    free(w_divisor)
    return 0


cdef int avg_pool_forward(const real_t* x, real_t* y, const pool_geometry_t* g,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = forward_table(x, y, NULL, &t, g, outer, channels, count_include_pad,
                           divisor_override, num_threads)
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
    status = forward_table(x, y, NULL, &t, NULL, outer, channels, False, 0, num_threads)
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


# --- Integer images: exact sums in integer lanes (STRATEGY_INTEGER_SUMS) -----------------
# 8- and 16-bit integer averages: each output row's window rows are summed into one
# padded row of 16- or 32-bit lanes, its runs of kernel_w columns summed, and each
# sum divided once (cypool/include/cypool_integer_sums.h), rounded or cast to the
# result type row by row: no float64 copy of the input, and the staged path's bits.

cdef extern from "cypool_integer_sums.h" nogil:
    ctypedef struct isum_kernels_t "cp_isum_kernels":
        int lane_bytes
        void (*sum_row)(const void* row, void* lanes, int64_t n, int first) noexcept nogil
        void (*sum_windows)(const void* lanes, void* sums, int64_t outputs, int64_t channels,
                            int64_t k, int64_t stride, int64_t gap) noexcept nogil
        void (*means)(const void* sums, const int32_t* divisors, double factor,
                      double* means, int64_t n) noexcept nogil
        void (*round)(const void* sums, const int32_t* divisors, double factor,
                      void* target, int64_t n) noexcept nogil
        void (*sum_bins)(const void* lanes, void* sums, int64_t outputs, int64_t channels,
                         const int64_t* first, const int64_t* taps) noexcept nogil
        void (*bin_means)(const void* sums, const int32_t* divisors, double d0, double d1,
                          double* means, int64_t n) noexcept nogil
    bint cp_isum_takes(char kind, int size)
    bint cp_isum_choose(isum_kernels_t* k, char kind, int size, int64_t most_taps,
                        int64_t largest_divisor, char result_kind, int result_size)


ctypedef struct _integer_call_t:
    const window_table_t* t
    isum_kernels_t k            # the row functions for this call's types and windows
    int64_t channels
    int64_t row_in              # columns of the zero-padded row buffer, times channels
    size_t source_item
    convert_fn finish           # float64 means -> the result type; NULL: y is float64
    size_t target_item
    const int32_t* divisors     # each row element's W factor of its divisor
    bint count_include_pad
    int64_t divisor_override


cdef void _integer_rows(const char* x, char* y, const _integer_call_t* call, int64_t first,
                        int64_t end, char* scratch) noexcept nogil:
    """Output rows first <= row < end, row = (n, od, oh); scratch is the thread's."""
    cdef const window_table_t* t = call.t
    cdef int64_t channels = call.channels
    cdef int64_t in_row = t.in_size[2] * channels, row_out = t.out_size[2] * channels
    cdef size_t lane = call.k.lane_bytes
    cdef char* acc = scratch
    cdef char* sums = acc + cache_lines(call.row_in, lane) * lane
    cdef double* means = <double*> (sums + cache_lines(row_out, lane) * lane)
    cdef int64_t row, n, od, oh, a, b, input_row
    cdef bint first_tap
    cdef double factor
    cdef char* target
    # The padding columns stay zero: only the input's columns are ever summed into.
    memset(acc, 0, call.row_in * lane)
    row_position(first, t.out_size[0], t.out_size[1], &n, &od, &oh)
    for row in range(first, end):
        first_tap = True
        for a in range(t.taps[0][od]):
            for b in range(t.taps[1][oh]):
                input_row = ((n * t.in_size[0] + t.first[0][od] + a * t.step[0]) * t.in_size[1]
                             + t.first[1][oh] + b * t.step[1])
                call.k.sum_row(x + input_row * in_row * <int64_t> call.source_item,
                               acc + t.pad_w * channels * lane, in_row, first_tap)
                first_tap = False
        target = y + row * row_out * <int64_t> call.target_item
        if t.divide_per_dim:
            # Adaptive bins, divided by each dim's tap count in turn (as PyTorch does).
            call.k.sum_bins(acc, sums, t.out_size[2], channels, t.first[2], t.taps[2])
            call.k.bin_means(sums, call.divisors, <double> t.taps[0][od], <double> t.taps[1][oh],
                             <double*> target if call.finish == NULL else means, row_out)
            if call.finish != NULL:
                call.finish(means, target, row_out, 0, NULL)
            next_row(t.out_size[0], t.out_size[1], &n, &od, &oh)
            continue
        call.k.sum_windows(acc, sums, t.out_size[2], channels, t.kernel_w, t.stride_w,
                           t.step[2])
        factor = <double> row_divisor(t, od, oh, call.count_include_pad, call.divisor_override)
        if call.k.round != NULL:
            call.k.round(sums, call.divisors, factor, target, row_out)
        elif call.finish == NULL:
            call.k.means(sums, call.divisors, factor, <double*> target, row_out)
        else:
            call.k.means(sums, call.divisors, factor, means, row_out)
            call.finish(means, target, row_out, 0, NULL)
        next_row(t.out_size[0], t.out_size[1], &n, &od, &oh)


cdef int integer_average_forward(const void* x, void* y, const pool_geometry_t* g,
                                 const int64_t* in_size, const int64_t* out_size,
                                 int64_t outer, int64_t channels, bint count_include_pad,
                                 int64_t divisor_override, char kind, int size,
                                 char target_kind, int target_size, convert_fn finish,
                                 int num_threads) noexcept nogil:
    """The average of an 8- or 16-bit integer x into y (float64, or the type
    ``finish`` converts float64 means to), over the windows of geometry g, or
    (g NULL) the adaptive bins from in_size to out_size.  0; -1 when out of
    memory; 1 when this path does not apply (another type, or a window sum or
    divisor too large for 32-bit lanes): the caller stages."""
    cdef window_table_t t
    cdef _integer_call_t call
    cdef int64_t rows, ow, c, chunk, chunks, most_taps = 1, largest_divisor = 1, o, stride
    cdef int d
    cdef int64_t longest, widest
    cdef int32_t* divisors = NULL
    cdef char* scratches = NULL
    if not cp_isum_takes(kind, size):
        return 1
    if (window_table_init(&t, g) if g != NULL
            else window_table_init_adaptive(&t, in_size, out_size)) < 0:
        return -1
    for d in range(3):
        longest = widest = 0
        for o in range(t.out_size[d]):
            longest = max(longest, t.taps[d][o])
            widest = max(widest, t.padded_taps[d][o] if count_include_pad else t.taps[d][o])
        most_taps *= longest
        largest_divisor *= widest
    if divisor_override > 0:
        largest_divisor = divisor_override
    if not cp_isum_choose(&call.k, kind, size, most_taps, largest_divisor, target_kind,
                          target_size):
        window_table_free(&t)
        return 1
    CYPOOL_COUNT_STRATEGY(STRATEGY_INTEGER_SUMS)
    if t.divide_per_dim:
        call.k.round = NULL     # three roundings, as the staged path's: its converters
    call.t, call.channels = &t, channels
    call.source_item, call.finish, call.target_item = size, finish, target_size
    call.count_include_pad, call.divisor_override = count_include_pad, divisor_override
    # Columns the windows reach: the left padding, the input, and (ceil_mode) past it.
    call.row_in = t.in_size[2]
    if t.regular and not t.divide_per_dim:
        call.row_in = max(t.pad_w + t.in_size[2],
                          (t.out_size[2] - 1) * t.stride_w + (t.kernel_w - 1) * t.step[2] + 1)
    call.row_in *= channels
    rows = outer * t.out_size[0] * t.out_size[1]
    num_threads = threads_for(rows * t.out_size[2] * channels * window_reads(&t), num_threads)
    stride = (cache_lines(call.row_in, call.k.lane_bytes) * call.k.lane_bytes
              + cache_lines(t.out_size[2] * channels, call.k.lane_bytes) * call.k.lane_bytes
              + cache_lines(t.out_size[2] * channels, sizeof(double)) * sizeof(double))
    divisors = <int32_t*> malloc(t.out_size[2] * channels * sizeof(int32_t))
    scratches = <char*> malloc(max(num_threads, 1) * stride)
    if divisors == NULL or scratches == NULL:
        free(divisors)
        free(scratches)
        window_table_free(&t)
        return -1
    for ow in range(t.out_size[2]):
        for c in range(channels):
            divisors[ow * channels + c] = <int32_t> (
                1 if divisor_override > 0 else
                t.padded_taps[2][ow] if count_include_pad and not t.divide_per_dim
                else t.taps[2][ow])
    call.divisors = divisors
    if num_threads <= 1:
        _integer_rows(<const char*> x, <char*> y, &call, 0, rows, scratches)
    else:
        chunks = min(rows, num_threads * ROW_CHUNKS_PER_THREAD)
        for chunk in prange(chunks, num_threads=num_threads, schedule="dynamic"):
            _integer_rows(<const char*> x, <char*> y, &call, chunk_start(rows, chunks, chunk),
                          chunk_start(rows, chunks, chunk + 1),
                          scratches + omp_get_thread_num() * stride)
    free(scratches)
    free(divisors)
    window_table_free(&t)
    return 0


# --- Python entry points -----------------------------------------------------------------
# The façade hands over C-contiguous arrays (it validated them), the result in the
# dtype cypool._args.average_dtype chose.  float32/float64 into their own type run
# as they are; other pairs (float16, integers, a dtype= other than the default),
# and Lp pooling's |x|**p (power > 0), run staged (cypool._staging): in float32
# when source and result are float32 or narrower, else float64.

ctypedef struct _avg_call_t:
    bint backward
    bint adaptive
    const pool_geometry_t* geometry
    int64_t in_size[3]
    int64_t out_size[3]
    int64_t outer
    int64_t channels
    bint count_include_pad
    int64_t divisor_override
    bint wide          # a staged call computes in float64 (else float32)
    int num_threads


cdef int _run(real_t* tag, const void* source, void* target,
              const _avg_call_t* call) noexcept nogil:
    cdef const real_t* src = <const real_t*> source
    cdef real_t* dst = <real_t*> target
    if call.adaptive:
        if call.backward:
            return adaptive_avg_pool_backward(src, dst, call.in_size, call.out_size, call.outer,
                                              call.channels, call.num_threads)
        return adaptive_avg_pool_forward(src, dst, call.in_size, call.out_size, call.outer,
                                         call.channels, call.num_threads)
    if call.backward:
        return avg_pool_backward(src, dst, call.geometry, call.outer, call.channels,
                                 call.count_include_pad, call.divisor_override, call.num_threads)
    return avg_pool_forward(src, dst, call.geometry, call.outer, call.channels,
                            call.count_include_pad, call.divisor_override, call.num_threads)


cdef int64_t _run_slab(const void* source, void* target, int64_t first, int64_t count,
                       const void* context, int num_threads) noexcept nogil:
    """The float kernel on outer units [first, first + count) of a staged call."""
    cdef _avg_call_t call = (<const _avg_call_t*> context)[0]
    call.outer = count
    call.num_threads = num_threads
    if call.wide:
        return _run(<double*> NULL, source, target, &call)
    return _run(<float*> NULL, source, target, &call)


cdef _stage_and_run(cnp.ndarray source, cnp.ndarray target, _avg_call_t* call, double power,
                    cnp.ndarray along=None):
    cdef void* a = cnp.PyArray_DATA(source)
    cdef void* b = cnp.PyArray_DATA(target)
    cdef const void* x = NULL if along is None else cnp.PyArray_DATA(along)
    cdef char kind = source.descr.kind
    cdef int size = source.descr.itemsize
    cdef char target_kind = target.descr.kind
    cdef int target_size = target.descr.itemsize
    cdef int64_t status
    cdef int64_t in_plane = (call.in_size[0] * call.in_size[1] * call.in_size[2]) * call.channels
    cdef int64_t out_plane = ((call.out_size[0] * call.out_size[1] * call.out_size[2])
                              * call.channels)
    cdef int64_t source_slab = out_plane if call.backward else in_plane
    cdef int64_t target_slab = in_plane if call.backward else out_plane
    cdef convert_fn stage_in = terms_of(kind, size)
    cdef convert_fn stage_out = NULL
    cdef size_t target_item = target_size
    cdef size_t work_item = work_item_of(kind, size)
    cdef bint float_source = kind == b'f' or is_half(kind, size)
    cdef bint staged
    cdef bint half = is_half(kind, size)    # float16 or bfloat16: kept, computed in float32
    cdef bint valid
    cdef char result_kind
    cdef size_t result_item
    if power == 0 and along is None:
        # A plain average into the result dtype cypool._args.average_dtype chose:
        # computed in the wider of the source's and the result's float types
        # (float64 for integer sources), converted in and out slab by slab.
        if not float_source or (target_kind == b'f' and target_size == 8):
            work_item = 8
        stage_in = widening_to(kind, size, work_item)
        stage_out = narrowing_to(target_kind, target_size, work_item)
        valid = (stage_in != NULL or (kind == b'f' and <size_t> size == work_item)) and (
            (target_kind == b'f' and target_size in (2, 4, 8)) or is_half(target_kind, target_size)
            or (target_kind == kind and target_size == size and not float_source))
        staged = stage_in != NULL or stage_out != NULL
    else:
        # Lp pooling: its terms' type (float16 and bfloat16 kept), float64 for integers.
        staged = True
        result_kind = kind if half else b'f'
        result_item = size if kind == b'f' or half else 8
        valid = (stage_in != NULL and target_kind == result_kind
                 and target_item == result_item) and (
            along is None or (along.descr.type_num == target.descr.type_num
                              and source.descr.type_num == target.descr.type_num
                              and size in (4, 8) and power in (1, 2)))
    if not valid:
        raise TypeError("internal: no average kernel from %s to %s" % (source.dtype,
                                                                       target.dtype))
    if power == 0 and along is None and not call.backward:
        # 8- and 16-bit integers: exact sums in the kernel, no staged float64 copy.
        with nogil:
            status = integer_average_forward(
                a, b, NULL if call.adaptive else call.geometry, call.in_size, call.out_size,
                call.outer, call.channels, call.count_include_pad,
                call.divisor_override, kind, size, target_kind, target_size, stage_out,
                call.num_threads)
        if status < 0:
            raise MemoryError("avg_pool: cannot allocate the kernel's work tables")
        if status == 0:
            return
    if staged:
        call.wide = work_item == 8
        if along is not None and call.backward:   # Lp's gradient: ratios spread, times x's weight
            stage_in = NULL
            stage_out = lp_grad_f32 if size == 4 else lp_grad_f64
        elif along is not None:    # the ratios g / y Lp's gradient spreads, g = along
            stage_out = lp_ratio_f32 if size == 4 else lp_ratio_f64
        elif power > 0:
            stage_out = (root_f16 if kind == b'f' else root_bf16) if half else (
                root_f64 if call.wide else root_f32)
        with nogil:
            status = staged_run(a, b, call.outer, source_slab, target_slab, size, target_item,
                                work_item, stage_in, stage_out, power, _run_slab,
                                call, call.num_threads, x, target_item)
    else:
        with nogil:
            if size == 4:
                status = _run(<float*> NULL, a, b, call)
            else:
                status = _run(<double*> NULL, a, b, call)
    if status < 0:
        raise MemoryError("avg_pool: cannot allocate the kernel's work tables")


def strategy_counts():
    """Average forward calls per strategy since import, indexed by the STRATEGY_*
    values of cypool/_window_pass.pxd (cypool._strategy names them)."""
    return [cypool_strategy_calls[s] for s in range(STRATEGY_COUNT)]


def avg_pool_call(bint backward, cnp.ndarray source, cnp.ndarray target, Geometry geometry,
                  int64_t outer, int64_t channels, bint count_include_pad,
                  int64_t divisor_override, int num_threads, double power=0,
                  cnp.ndarray along=None):
    """Run avg_pool_forward (source x, target y) or avg_pool_backward (source
    grad_output, target grad_input); divisor_override 0 means none.  With power
    p > 0, forward: Lp pooling, (sum of |x|**p over the window) ** (1/p).  For Lp's
    gradient (float32/64, p = 1 or 2): forward with ``along`` = grad_output gives
    the ratios g / y**(p-1) (0 where y is 0); backward with ``along`` = x spreads
    them over the windows and multiplies by sign(x) or x."""
    cdef _avg_call_t call
    call.backward, call.adaptive = backward, False
    call.geometry = &geometry.c
    call.in_size = geometry.c.in_size
    call.out_size = geometry.c.out_size
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    call.count_include_pad, call.divisor_override = count_include_pad, divisor_override
    _stage_and_run(source, target, &call, power, along)


def adaptive_avg_pool_call(bint backward, cnp.ndarray source, cnp.ndarray target,
                           tuple in_size, tuple out_size, int64_t outer, int64_t channels,
                           int num_threads):
    """Run adaptive_avg_pool_forward or _backward; sizes are 3-tuples."""
    cdef _avg_call_t call
    call.backward, call.adaptive = backward, True
    call.geometry = NULL
    call.in_size = in_size
    call.out_size = out_size
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    call.count_include_pad, call.divisor_override = False, 0
    _stage_and_run(source, target, &call, 0)


# The C API (cypool/cypool_api.h) takes this module's specialisations in real_t's
# order; cypool._c_api copies them from the variant that cypool._variants loaded.
cdef void* _c_entry_points[4]
_c_entry_points[:] = [
    <void*> avg_pool_forward[float], <void*> avg_pool_forward[double],
    <void*> avg_pool_backward[float], <void*> avg_pool_backward[double]]


def c_entry_points():
    """A capsule of void*[4]: avg_pool_forward, then avg_pool_backward, per real_t type."""
    return PyCapsule_New(<void*> _c_entry_points, b"cypool.avg_pool_entry_points", NULL)
