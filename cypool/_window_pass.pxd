# Whole-window passes over the interior of an output row, shared by the max and
# the average kernels.  An interior output has every W tap in bounds, so its window
# is n_rows input rows (its in-bounds D x H taps, in row-major order) times k
# adjacent columns.  The passes hand the window's taps, as pointers, to the row
# primitives of cypool/include/cypool_rows.h, which keep each output's running max
# or sum in a vector lane and take its taps in row-major order, PyTorch's order,
# so results stay bit-identical; the window sizes are run-time values there.
from libc.math cimport INFINITY
from libc.stdint cimport INT64_MIN, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, \
    uint32_t, uint64_t

from cypool._geometry cimport pool_geometry_t, window_table_t
from cypool._typedefs cimport max_t

cdef extern from "cypool_rows.h" nogil:
    enum:
        CP_F32
        CP_F64
        CP_I8
        CP_U8
        CP_I16
        CP_U16
        CP_I32
        CP_U32
        CP_I64
        CP_U64
        CP_VEC_BYTES
        CP_KEEP_PAD
        CP_SWEEP_ELEMENTS
    int64_t cp_reduce_taps(int type, int op, const void* const* taps, int64_t n_taps,
                           int64_t offset, void* y, int64_t count, const void* start,
                           int64_t d0, int64_t d1, int64_t d2)
    int64_t cp_reduce_pairs(int type, int op, const void* const* rows, int64_t n_rows,
                            int64_t k, void* y, int64_t count, const void* start,
                            int64_t d0, int64_t d1, int64_t d2)
    void cp_window_max(int type, const void* src, int64_t count, int64_t k, int64_t gap,
                       void* out, void* scratch)
    void cp_rows_max(int type, const void* a, const void* b, void* out, int64_t n)
    void cp_rows_max_into(int type, void* acc, const void* b, int64_t n)
    void cp_fill(int type, void* out, const void* value, int64_t n)
    void cp_copy(int type, void* out, const void* src, int64_t n)
    int cp_special(int type, const void* x, int64_t n)
    void cp_keep_pixels(int type, const void* acc, int64_t available, void* y, int64_t n,
                        int64_t pixel, int64_t channels)
    int cp_max_indexed(int type, const void* const* taps, const int32_t* tap_offsets,
                       int64_t n_taps, int64_t offset, void* acc, int32_t* won, int64_t count,
                       const void* start)
    void cp_sweep_pixels(int type, int op, const void* const* taps, int64_t n_taps,
                         int64_t pixel_step, int64_t channels, void* y, int64_t count,
                         const void* start, int64_t d0, int64_t d1, int64_t d2)
    void cp_pixel_indices(const int32_t* won, int64_t* indices, int64_t n, int64_t pixel,
                          int64_t channels, int64_t corner, int64_t step)

cdef enum:
    # The literal op of a whole-window pass: a sum, PyTorch's max (NaN wins, the
    # last NaN kept), or a max over taps known to hold no NaN, where that rule is
    # exactly ``v > acc ? v : acc`` (one maxps, 2.3x faster than the NaN-aware select).
    # (the values of cypool_rows.h's cp_op)
    OP_SUM = 0
    OP_MAX = 1
    OP_MAX_NAN_FREE = 2

cdef enum:
    # Taps (D x H x W) a whole-window pass takes; larger windows go tap by tap.
    WINDOW_PASS_MAX_TAPS = 1024
    # Kernel rows the indexed few-channel sweep takes (k31 windows have 31); the
    # row pointers and their indices live on the stack.
    WINDOW_PASS_MAX_ROWS = 32
    # Channels-last rows whose pixels are narrower than a vector are swept element
    # by element (cp_sweep_pixels); the indexed max does so below this many channels.
    WINDOW_PASS_FEW_CHANNELS = 8
    # Input elements a short channels-first row stages (_staged_pairs): enough for
    # 30 kernel rows of float32 or 7 of uint8 at 64-byte vectors.
    SHORT_ROW_ELEMENTS = 1024
    # Parallel forward passes split their output rows into this many contiguous
    # chunks per thread, handed out dynamically (this VM's threads stall at times).
    ROW_CHUNKS_PER_THREAD = 8
    # The least work (element reads, about 0.1 ms) worth a thread of its own: a
    # smaller call runs on fewer threads, so it never waits at the end of a parallel
    # region for a thread the OS has not scheduled (a busy core held a 0.5 ms call
    # for 20 ms), and pays no region start-up.
    WORK_PER_THREAD = 1 << 18


cdef inline bint is_nan(max_t v) noexcept nogil:
    if max_t is float or max_t is double:
        return v != v
    else:
        return False


cdef inline bint has_nan(const max_t* x, int64_t count) noexcept nogil:
    """Whether x[0:count] holds a NaN (never, for integers): one vectorized compare
    per element, which buys the NaN-free max pass on the whole plane."""
    cdef int64_t i
    cdef bint found = False
    if max_t is float or max_t is double:
        for i in range(count):
            found = found | (x[i] != x[i])
    return found


cdef inline max_t lowest_value(const max_t* like) noexcept nogil:
    """The value every element beats or ties: -inf, or the integer type's minimum
    (``like`` only picks the type; it is never read)."""
    if max_t is float or max_t is double:
        return -INFINITY
    elif max_t is int8_t:
        return -128
    elif max_t is int16_t:
        return -32768
    elif max_t is int32_t:
        return -2147483648
    elif max_t is int64_t:
        return INT64_MIN
    else:
        return 0


cdef inline void tap_interior(const window_table_t* t, int64_t* lo, int64_t* hi) noexcept nogil:
    """[lo, hi): the outputs of a regular table's rows whose W taps are all in
    bounds, for any dilation (lo = hi = 0 if none)."""
    cdef int64_t e
    lo[0] = 0
    hi[0] = t.out_size[2]
    for e in range(t.kernel_w):
        lo[0] = max(lo[0], t.run_lo[e])
        hi[0] = min(hi[0], t.run_hi[e])
    if hi[0] <= lo[0]:
        lo[0] = hi[0] = 0


cdef inline void interior_outputs(const window_table_t* t, int64_t* lo, int64_t* hi) noexcept nogil:
    """tap_interior for the passes over adjacent taps: none with a dilated W."""
    tap_interior(t, lo, hi)
    if t.step[2] != 1:
        lo[0] = hi[0] = 0


cdef enum:
    # How a forward call computes its rows, chosen once per call by choose_strategy
    # (every row of the call runs the same code); cypool._strategy names them.
    # One window at a time, any table (adaptive bins, dilated rows, indices of
    # channels-last rows of many channels): the general fallback.
    STRATEGY_WINDOWS = 0
    # Channels-first rows tap by tap, each tap a vector run over the row's outputs
    # (max with indices; strides above 2; windows of more than WINDOW_PASS_MAX_TAPS).
    STRATEGY_ROW_TAPS = 1
    # Whole windows of the row's interior outputs in vector lanes (interior_pass),
    # borders one window at a time.
    STRATEGY_WHOLE_WINDOWS = 2
    # Max of stride-1 windows: a running max along W, then van Herk's block prefix
    # and suffix maxima along H; cost per output independent of the window.  Planes
    # holding NaN or -0.0 are redone by the strategy chosen without it.
    STRATEGY_SEPARABLE = 3
    # Max of channels-last rows of few channels, with indices or dilated taps: the
    # element sweep over the interleaved rows.
    STRATEGY_FEW_CHANNELS = 4
    # Averages of whole channels-first planes (global pooling), several at once.
    STRATEGY_PLANE_SUMS = 5
    # Averages of 8- and 16-bit integers: exact sums in int32 lanes, the window's
    # rows summed into one row, then its columns (cypool/include/cypool_integer_sums.h).
    # Chosen by cypool._avg_pool for those dtypes, not by choose_strategy.
    STRATEGY_INTEGER_SUMS = 6
    STRATEGY_COUNT = 7
    # Stride-1 max windows of at least this many taps run separably: below it whole
    # windows in registers cost less than the separable passes' extra rows.
    SEPARABLE_MIN_TAPS = 9


cdef inline int choose_strategy(int op, const window_table_t* t, const pool_geometry_t* g,
                                int64_t channels, bint with_indices) noexcept nogil:
    """The one strategy every row of a forward call runs: op OP_SUM (averages) or
    a max; g is NULL for adaptive tables (and to rule out STRATEGY_SEPARABLE)."""
    cdef int64_t inner_lo = 0, inner_hi = 0, sweep_lo = 0, sweep_hi = 0, most[3]
    cdef int d
    cdef int64_t o
    if (op == OP_SUM and channels == 1 and t.out_size[0] * t.out_size[1] * t.out_size[2] == 1
            and t.taps[0][0] * t.taps[1][0] * t.taps[2][0]
            == t.in_size[0] * t.in_size[1] * t.in_size[2]):
        return STRATEGY_PLANE_SUMS
    if not t.regular:
        return STRATEGY_WINDOWS
    interior_outputs(t, &inner_lo, &inner_hi)
    for d in range(3):      # the most taps a window has along each dim
        most[d] = 0
        for o in range(t.out_size[d]):
            most[d] = max(most[d], t.taps[d][o])
    # The element sweep: few channels, an interior (any dilation), its kernel rows
    # on the stack and at least one output pixel in a chunk.
    tap_interior(t, &sweep_lo, &sweep_hi)
    cdef bint sweep = (op != OP_SUM and 1 < channels < WINDOW_PASS_FEW_CHANNELS
                       and sweep_hi > sweep_lo and most[0] * most[1] <= WINDOW_PASS_MAX_ROWS
                       and t.stride_w * channels <= CP_SWEEP_ELEMENTS)
    if with_indices:
        if sweep:
            return STRATEGY_FEW_CHANNELS
        return STRATEGY_ROW_TAPS if channels == 1 else STRATEGY_WINDOWS
    if (op != OP_SUM and g != NULL and g.kernel_size[0] == 1 and g.stride[1] == 1
            and g.stride[2] == 1 and g.dilation[1] == 1 and g.dilation[2] == 1
            and g.kernel_size[1] * g.kernel_size[2] >= SEPARABLE_MIN_TAPS):
        return STRATEGY_SEPARABLE
    if (inner_hi > inner_lo and most[0] * most[1] * most[2] <= WINDOW_PASS_MAX_TAPS
            and not (channels == 1 and t.stride_w > 2)):
        return STRATEGY_WHOLE_WINDOWS
    if sweep:
        return STRATEGY_FEW_CHANNELS
    return STRATEGY_ROW_TAPS if channels == 1 else STRATEGY_WINDOWS


cdef inline int threads_for(int64_t work, int num_threads) noexcept nogil:
    """The threads a call of ``work`` element reads runs on: at most num_threads,
    each with at least WORK_PER_THREAD of it."""
    return <int> max(1, min(<int64_t> num_threads, work // WORK_PER_THREAD))


cdef inline int64_t window_reads(const window_table_t* t) noexcept nogil:
    """Element reads per output of a table's largest window (its tap count)."""
    cdef int64_t reads = 1, most, o
    cdef int d
    for d in range(3):
        most = 0
        for o in range(t.out_size[d]):
            most = max(most, t.taps[d][o])
        reads *= most
    return reads


cdef inline int64_t cache_lines(int64_t count, size_t item_size) noexcept nogil:
    """``count`` items rounded up to whole 64-byte cache lines, counted in items:
    the stride of per-thread scratch, so that threads never share a line."""
    cdef int64_t per_line = max(<int64_t> (64 // item_size), 1)
    return (count + per_line - 1) // per_line * per_line


cdef inline int64_t chunk_start(int64_t rows, int64_t chunks, int64_t chunk) noexcept nogil:
    """First row of chunk ``chunk`` of ``chunks`` near-equal contiguous chunks."""
    return (rows // chunks) * chunk + min(chunk, rows % chunks)


cdef inline void row_position(int64_t row, int64_t d_size, int64_t h_size, int64_t* n,
                              int64_t* d, int64_t* h) noexcept nogil:
    """(n, d, h) of row ``row`` of an (outer, d_size, h_size) grid of rows: three
    divisions, so kernels compute it once per chunk of rows and then step with
    next_row."""
    n[0] = row // (d_size * h_size)
    d[0] = (row // h_size) % d_size
    h[0] = row % h_size


cdef inline void next_row(int64_t d_size, int64_t h_size, int64_t* n, int64_t* d,
                          int64_t* h) noexcept nogil:
    h[0] += 1
    if h[0] == h_size:
        h[0] = 0
        d[0] += 1
        if d[0] == d_size:
            d[0] = 0
            n[0] += 1


cdef inline int64_t window_rows(const max_t* plane, const window_table_t* t, int64_t od,
                                int64_t oh, int64_t ow, int64_t channels, const max_t** rows,
                                int64_t* row_at=NULL) noexcept nogil:
    """Point rows[r] at the first tap of each in-bounds kernel row of window
    (od, oh, ow), row-major, and return their count (at most WINDOW_PASS_MAX_ROWS);
    row_at[r], unless NULL, gets that tap's flat index in the spatial plane."""
    cdef int64_t a, b, at, n_rows = 0
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            at = ((t.first[0][od] + a * t.step[0]) * ih_size + t.first[1][oh]
                  + b * t.step[1]) * iw_size + t.first[2][ow]
            rows[n_rows] = plane + at * channels
            if row_at != NULL:
                row_at[n_rows] = at
            n_rows += 1
    return n_rows


cdef inline int type_code(const max_t* like) noexcept nogil:
    """cypool_rows.h's code of max_t (``like`` only picks the type)."""
    if max_t is float:
        return CP_F32
    elif max_t is double:
        return CP_F64
    elif max_t is int8_t:
        return CP_I8
    elif max_t is uint8_t:
        return CP_U8
    elif max_t is int16_t:
        return CP_I16
    elif max_t is uint16_t:
        return CP_U16
    elif max_t is int32_t:
        return CP_I32
    elif max_t is uint32_t:
        return CP_U32
    elif max_t is int64_t:
        return CP_I64
    else:
        return CP_U64


cdef inline int64_t _staged_pairs(int code, int op, const max_t* const* rows, int64_t n_rows,
                                  int64_t k, max_t* y, int64_t count, max_t start, int64_t d0,
                                  int64_t d1, int64_t d2) noexcept nogil:
    """cp_reduce_pairs for a row of fewer outputs than a vector has lanes (7 for
    a 14 -> 7 adaptive pool, 56 uint8 outputs at 64 lanes): the rows' taps copied
    into padded rows, one vector of outputs computed, the first ``count`` kept.
    One output at a time cost 3-4x more for the max (its branches on the winning
    tap mispredict).  Returns count, or 0 when the rows do not fit the stack."""
    cdef int64_t lanes = CP_VEC_BYTES // sizeof(max_t), width = 2 * lanes + k
    cdef int64_t used = 2 * count + k - 2, r
    cdef max_t staged[SHORT_ROW_ELEMENTS]
    cdef max_t results[64]      # a vector's lanes, 64 bytes of uint8 at most
    cdef const max_t* staged_rows[WINDOW_PASS_MAX_ROWS]
    if n_rows > WINDOW_PASS_MAX_ROWS or n_rows * width > SHORT_ROW_ELEMENTS or lanes > 64:
        return 0
    for r in range(n_rows):
        cp_copy(code, staged + r * width, rows[r], used)
        cp_fill(code, staged + r * width + used, &start, width - used)
        staged_rows[r] = staged + r * width
    if cp_reduce_pairs(code, op, <const void* const*> staged_rows, n_rows, k, results, lanes,
                       &start, d0, d1, d2) == 0:
        return 0
    cp_copy(code, y, results, count)
    return count


cdef inline bint interior_pass(const max_t* plane, max_t* y, const window_table_t* t,
                               int64_t od, int64_t oh, int64_t inner_lo, int64_t inner_hi,
                               int64_t channels, int op, int64_t d0, int64_t d1,
                               int64_t d2) noexcept nogil:
    """The interior outputs [inner_lo, inner_hi) (interior_outputs) of output row
    (od, oh), whose first output is y: maxima (op OP_MAX, or OP_MAX_NAN_FREE for
    taps known to hold no NaN), or sums divided by d0, then d1 and d2 (OP_SUM).
    False, with nothing written, for windows it has no vector loop for
    (channels-first strides above 2, more than WINDOW_PASS_MAX_TAPS taps)."""
    cdef const max_t* rows[WINDOW_PASS_MAX_TAPS]
    cdef const max_t* taps[WINDOW_PASS_MAX_TAPS]
    cdef int64_t n_rows = t.taps[0][od] * t.taps[1][oh]
    cdef int64_t k = t.kernel_w, s = t.stride_w, count = inner_hi - inner_lo
    cdef int64_t r, e, i, done
    cdef int code = type_code(y)
    cdef max_t start = lowest_value(y) if op != OP_SUM else 0
    # The max starts from the lowest value, the sum from 0 (so all -0.0 taps sum
    # to +0.0), as in PyTorch.
    if count <= 0 or n_rows * k > WINDOW_PASS_MAX_TAPS or (channels == 1 and s > 2):
        return False
    window_rows(plane, t, od, oh, inner_lo, channels, rows)
    y += inner_lo * channels
    for r in range(n_rows):
        for e in range(k):
            taps[r * k + e] = rows[r] + e * channels
    if s == 1:      # every layout: the row's elements are the outputs' lanes
        cp_reduce_taps(code, op, <const void* const*> taps, n_rows * k, 0, y, count * channels,
                       &start, d0, d1, d2)
    elif channels == 1:     # stride 2: pairs of taps from one load, de-interleaved
        done = cp_reduce_pairs(code, op, <const void* const*> rows, n_rows, k, y, count, &start,
                               d0, d1, d2)
        if done == 0 and k >= 2 and op != OP_SUM:
            # (Sums have no branch to mispredict: there the copies did not pay.)
            done = _staged_pairs(code, op, rows, n_rows, k, y, count, start, d0, d1, d2)
        for i in range(done, count):
            cp_reduce_taps(code, op, <const void* const*> taps, n_rows * k, 2 * i, y + i, 1,
                           &start, d0, d1, d2)
    elif (channels * <int64_t> sizeof(max_t) >= CP_VEC_BYTES
          or s * channels > CP_SWEEP_ELEMENTS // 4):
        for i in range(count):     # pixels of whole vectors: one run of channels each
            cp_reduce_taps(code, op, <const void* const*> taps, n_rows * k, i * s * channels,
                           y + i * channels, channels, &start, d0, d1, d2)
    else:
        cp_sweep_pixels(code, op, <const void* const*> taps, n_rows * k, s, channels, y, count,
                        &start, d0, d1, d2)
    return True
