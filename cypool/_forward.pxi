# The forward skeleton of max and average pooling: one call plan, one strategy per
# call (choose_strategy), one row driver and one per-window fallback for both,
# selected by the op (OP_MAX: PyTorch's max, with or without argmax indices;
# OP_SUM: PyTorch's sum of the in-bounds taps in row-major order, then its
# divisor).  cypool._max_pool and cypool._avg_pool only stage dtypes and call
# forward_table; min pooling is the max of flipped values (cypool/_staging.pxd).
# Included by both modules (not cimported): the row drivers stay functions of their
# own, which gcc vectorizes as it did the separate kernels' (inlined into one call
# function, the indexed max's loops were left scalar, 5x slower).  The row functions
# sweep_row_taps, max_row_few_channels and _window_row, and the border windows
# (border_window), are out of line, called once per row: gcc spent most of the
# module's compile time on register allocation and data flow of one forward_rows
# holding them all for every element type (61 s -> 36 s for the AVX-512 max module).
# reduce_row_whole stays inline: out of line it cost rows of 7 outputs 15%.
#
# kernel_t is the including module's fused element type, cimported under that name
# before the include (cypool._max_pool: every type; cypool._avg_pool: float and
# double), so each module compiles the skeleton for its own types only.
#
# Where a new fast path goes: a strategy in _window_pass.pxd's choose_strategy, its
# rows in forward_rows below, its vector loops in cypool/include/cypool_rows.h.
from cython.parallel cimport prange
from libc.stdint cimport int32_t, int64_t
from libc.stdlib cimport free, malloc

from cypool._geometry cimport pool_geometry_t, window_table_t
from cypool._openmp cimport omp_get_thread_num
from cypool._typedefs cimport index_t
from cypool._window_pass cimport (
    CP_KEEP_PAD, CP_SWEEP_ELEMENTS, OP_MAX, OP_MAX_NAN_FREE, OP_SUM, ROW_CHUNKS_PER_THREAD,
    STRATEGY_FEW_CHANNELS, STRATEGY_PLANE_SUMS, STRATEGY_ROW_TAPS, STRATEGY_SEPARABLE,
    STRATEGY_WHOLE_WINDOWS, STRATEGY_WINDOWS, WINDOW_PASS_MAX_ROWS, WINDOW_PASS_MAX_TAPS,
    cache_lines, choose_strategy, chunk_start, cp_copy, cp_fill, cp_keep_pixels,
    cp_max_indexed, cp_pixel_indices, cp_reduce_taps, cp_rows_max, cp_rows_max_into,
    cp_special, cp_window_max, has_nan, interior_outputs, interior_pass, is_nan, lowest_value,
    next_row, row_position, tap_interior, threads_for, type_code, window_reads, window_rows)

cdef extern from *:
    # The including module's op, OP_MAX or OP_SUM: a C macro it defines before the
    # include, so that gcc drops the other op's code from every function below.
    int FORWARD_OP

cdef extern from *:
    """
    /* Forward calls per strategy since import (strategy_counts), one table per
       kernel module. */
    static long long cypool_strategy_calls[8];
    #define CYPOOL_COUNT_STRATEGY(s) __atomic_fetch_add(&cypool_strategy_calls[s], 1, \
                                                        __ATOMIC_RELAXED)
    """
    long long cypool_strategy_calls[8]
    void CYPOOL_COUNT_STRATEGY(int strategy) nogil

cdef enum:
    # Whole planes (global averages) summed side by side: each plane's sum is a
    # chain of dependent adds, so one plane at a time waits on add latency.
    PLANES_AT_ONCE = 8


ctypedef struct forward_t:
    # One forward call: its table, and what every row of it shares.
    const window_table_t* t
    int strategy                 # STRATEGY_*, chosen once (choose_strategy)
    int64_t channels
    int64_t inner_lo             # the interior outputs of every row (interior_outputs)
    int64_t inner_hi
    bint count_include_pad       # OP_SUM: PyTorch's divisor rule
    int64_t divisor_override     # OP_SUM: 0, or the divisor of every window
    const void* w_divisor        # OP_SUM by row taps: the W factor of each output's divisor
    bint scan_nan                # OP_MAX by whole windows: check rows for NaN (plain max)
    int64_t kernel_h             # STRATEGY_SEPARABLE: the window and padding along H and W
    int64_t kernel_w
    int64_t pad_h
    int64_t pad_w


# --- Divisors (PyTorch's integer divide_factor, or per-dim tap counts) -------------

cdef inline int64_t window_divisor(const window_table_t* t, int64_t od, int64_t oh, int64_t ow,
                                   bint count_include_pad, int64_t divisor_override) noexcept nogil:
    """A regular window's divisor: PyTorch's integer divide_factor."""
    if divisor_override > 0:
        return divisor_override
    if count_include_pad:
        return t.padded_taps[0][od] * t.padded_taps[1][oh] * t.padded_taps[2][ow]
    return t.taps[0][od] * t.taps[1][oh] * t.taps[2][ow]


cdef inline kernel_t average_of(kernel_t total, const window_table_t* t, int64_t od, int64_t oh,
                                int64_t ow, bint count_include_pad,
                                int64_t divisor_override) noexcept nogil:
    """``total`` divided by the window's divisor, as PyTorch computes it (floats only)."""
    if kernel_t is float or kernel_t is double:
        if t.divide_per_dim:
            return (total / <kernel_t> t.taps[0][od] / <kernel_t> t.taps[1][oh]
                    / <kernel_t> t.taps[2][ow])
        return total / <kernel_t> window_divisor(t, od, oh, ow, count_include_pad, divisor_override)
    else:
        return total


cdef inline void share_window(kernel_t* target, const kernel_t* source, const window_table_t* t,
                              int64_t od, int64_t oh, int64_t ow, int64_t channels,
                              bint count_include_pad, int64_t divisor_override,
                              bint accumulate) noexcept nogil:
    """target[c] (+)= average_of(source[c], ...) for every channel, divisors hoisted:
    the window's average (target is source) or its gradient shares (accumulate)."""
    cdef int64_t c
    cdef kernel_t d0, d1, d2
    if kernel_t is float or kernel_t is double:
        if t.divide_per_dim:
            d0, d1 = <kernel_t> t.taps[0][od], <kernel_t> t.taps[1][oh]
            d2 = <kernel_t> t.taps[2][ow]
            if accumulate:
                for c in range(channels):
                    target[c] += source[c] / d0 / d1 / d2
            else:
                for c in range(channels):
                    target[c] = source[c] / d0 / d1 / d2
            return
        d0 = <kernel_t> window_divisor(t, od, oh, ow, count_include_pad, divisor_override)
        if accumulate:
            for c in range(channels):
                target[c] += source[c] / d0
        else:
            for c in range(channels):
                target[c] = source[c] / d0


cdef inline int64_t row_divisor(const window_table_t* t, int64_t od, int64_t oh,
                                bint count_include_pad, int64_t divisor_override) noexcept nogil:
    """The D and H factors of a row's divisors (the override itself, if any)."""
    if divisor_override > 0:
        return divisor_override
    if count_include_pad:
        return t.padded_taps[0][od] * t.padded_taps[1][oh]
    return t.taps[0][od] * t.taps[1][oh]


cdef inline bint divisors_are_small(const window_table_t* t, bint count_include_pad,
                                    int64_t divisor_override, size_t real_size) noexcept nogil:
    """Whether every divisor and its factors are exact in a float of real_size
    bytes, so that the product of the rounded factors is the rounded product."""
    cdef int64_t limit = (1 << 24) if real_size == 4 else (1 << 53)
    cdef int64_t largest = 1
    cdef int d
    cdef int64_t o, m
    if divisor_override > 0:
        return divisor_override < limit
    for d in range(3):
        m = 0
        for o in range(t.out_size[d]):
            m = max(m, t.padded_taps[d][o] if count_include_pad else t.taps[d][o])
        largest *= m
        if largest >= limit:
            return False
    return True


cdef inline kernel_t* new_w_divisors(const window_table_t* t, bint count_include_pad,
                                     int64_t divisor_override, kernel_t* like) noexcept nogil:
    """The W factor of every output's divisor (1 with an override); NULL when out
    of memory.  Only for tables that passed divisors_are_small."""
    cdef int64_t ow
    cdef kernel_t* w_divisor = <kernel_t*> malloc(t.out_size[2] * sizeof(kernel_t))
    if w_divisor != NULL:
        for ow in range(t.out_size[2]):
            if divisor_override > 0:
                w_divisor[ow] = 1
            elif count_include_pad:
                w_divisor[ow] = <kernel_t> t.padded_taps[2][ow]
            else:
                w_divisor[ow] = <kernel_t> t.taps[2][ow]
    return w_divisor


# --- Runs: one tap over a run of outputs --------------------------------------------

cdef inline void _update_strided(const kernel_t* src, int64_t step, kernel_t* y, int32_t* winner,
                                 int32_t tap, int64_t count) noexcept nogil:
    """y[i] op= src[i * step] for i < count: a sum, or PyTorch's max (where the tap
    wins, winner[i] = tap, its offset from the window start, unless winner is NULL)."""
    cdef int64_t i
    cdef kernel_t v
    cdef bint wins
    # Unconditional stores of selected values, and a 32-bit winner slot next to
    # 32-bit values, let the compiler vectorize every loop.
    if FORWARD_OP == OP_SUM:
        for i in range(count):
            y[i] += src[i * step]
    elif winner == NULL:
        for i in range(count):
            v = src[i * step]
            wins = (v > y[i]) | is_nan(v)
            y[i] = v if wins else y[i]
    else:
        for i in range(count):
            v = src[i * step]
            wins = (v > y[i]) | is_nan(v)
            y[i] = v if wins else y[i]
            winner[i] = tap if wins else winner[i]


cdef inline void update_run(const kernel_t* src, int64_t step, kernel_t* y, int32_t* winner,
                            int32_t tap, int64_t count) noexcept nogil:
    # Literal steps for the common strides: inlined, each becomes its own
    # vectorized loop (contiguous, or de-interleaving pairs).
    if step == 1:
        _update_strided(src, 1, y, winner, tap, count)
    elif step == 2:
        _update_strided(src, 2, y, winner, tap, count)
    else:
        _update_strided(src, step, y, winner, tap, count)


cdef inline void _max_fused_strided(const kernel_t* src, int64_t step, int64_t k, kernel_t* y,
                                    int32_t* winner, int32_t tap, int64_t count) noexcept nogil:
    """The k adjacent taps (dilation 1) of each output i in one pass, in tap order,
    and their winners: the same updates as k runs of update_run, y in a register."""
    cdef int64_t i, e
    cdef kernel_t v
    cdef bint wins
    for i in range(count):
        for e in range(k):
            v = src[i * step + e]
            wins = (v > y[i]) | is_nan(v)
            y[i] = v if wins else y[i]
            winner[i] = <int32_t> (tap + e) if wins else winner[i]


cdef inline void fused_run(const kernel_t* src, int64_t step, int64_t k, kernel_t* y,
                           int32_t* winner, int32_t tap, int64_t count) noexcept nogil:
    """The k adjacent taps of each of count outputs, tap by tap (see update_run)."""
    cdef int64_t e
    # The max with indices of the common windows: literal (stride, kernel) pairs
    # become unrolled vector loops.  (Sums get here only at strides above 2.)
    if FORWARD_OP != OP_SUM and winner != NULL and step == 2 and k == 3:
        _max_fused_strided(src, 2, 3, y, winner, tap, count)
    elif FORWARD_OP != OP_SUM and winner != NULL and step == 2 and k == 2:
        _max_fused_strided(src, 2, 2, y, winner, tap, count)
    elif FORWARD_OP != OP_SUM and winner != NULL and step == 1 and k == 3:
        _max_fused_strided(src, 1, 3, y, winner, tap, count)
    else:
        for e in range(k):
            update_run(src + e, step, y, winner, <int32_t> (tap + e), count)


# --- Windows and rows ----------------------------------------------------------------

cdef inline void reduce_window(const kernel_t* plane, kernel_t* y, index_t* indices,
                               int32_t* winner, const forward_t* f, int64_t od, int64_t oh,
                               int64_t ow) noexcept nogil:
    """y[c] = the op over one window's in-bounds taps, for every channel c at once
    (borders, adaptive windows, channels-last rows of many channels): the taps in
    row-major order, as the row kernels take them; ``winner`` (per-thread scratch)
    holds the max's tap offsets from the window's first in-bounds tap."""
    cdef const window_table_t* t = f.t
    cdef int64_t channels = f.channels
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t corner = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size + t.first[2][ow]
    cdef int64_t a, b, e, c, tap, row_tap, best_tap = 0
    cdef kernel_t start = 0 if FORWARD_OP == OP_SUM else lowest_value(y)
    cdef kernel_t best = start, v
    cdef const kernel_t* src
    cdef bint unordered = False
    if channels == 1 and FORWARD_OP != OP_SUM and indices == NULL:
        # The max value alone, by a select gcc makes branch-free, and a flag for
        # NaN; a window that holds one is taken again below by PyTorch's rule.  (A
        # branch on which tap wins mispredicts every few taps of real data: the
        # ResNet stem's k3 s2 p1 pool, one such border window a row, ran 19% slower.)
        for a in range(t.taps[0][od]):
            for b in range(t.taps[1][oh]):
                src = plane + corner + (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
                for e in range(t.taps[2][ow]):
                    v = src[e * t.step[2]]
                    best = v if v > best else best
                    unordered |= is_nan(v)
        if not unordered:
            y[0] = best
            return
        best = start
    if channels == 1:
        # One channel (channels-first borders and adaptive windows): in a register.
        for a in range(t.taps[0][od]):
            for b in range(t.taps[1][oh]):
                row_tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
                src = plane + corner + row_tap
                if FORWARD_OP == OP_SUM:
                    for e in range(t.taps[2][ow]):
                        best = best + src[e * t.step[2]]
                else:
                    for e in range(t.taps[2][ow]):
                        v = src[e * t.step[2]]
                        if v > best or is_nan(v):
                            best = v
                            best_tap = row_tap + e * t.step[2]
        if FORWARD_OP == OP_SUM:
            y[0] = average_of(best, t, od, oh, ow, f.count_include_pad, f.divisor_override)
        else:
            y[0] = best
            if indices != NULL:
                indices[0] = corner + best_tap
        return
    for c in range(channels):
        y[c] = start
        if indices != NULL:
            winner[c] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            for e in range(t.taps[2][ow]):
                tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size + e * t.step[2]
                update_run(plane + (corner + tap) * channels, 1, y,
                           winner if indices != NULL else NULL, <int32_t> tap, channels)
    if FORWARD_OP == OP_SUM:
        share_window(y, y, t, od, oh, ow, channels, f.count_include_pad, f.divisor_override,
                     False)
    elif indices != NULL:
        for c in range(channels):
            indices[c] = corner + winner[c]


cdef void border_window(const kernel_t* plane, kernel_t* y, index_t* indices, int32_t* winner,
                        const forward_t* f, int64_t od, int64_t oh, int64_t ow) noexcept nogil:
    """reduce_window, out of line: the row strategies' few border windows call
    this one copy (inlined into each, it was most of gcc's time on the module)."""
    reduce_window(plane, y, indices, winner, f, od, oh, ow)


cdef void sweep_row_taps(const kernel_t* plane, kernel_t* y, index_t* indices,
                         int32_t* winner, const forward_t* f, int64_t od,
                         int64_t oh) noexcept nogil:
    """One output row of a channels-first plane (regular windows), swept tap by
    tap: tap e updates outputs run_lo[e] <= o < run_hi[e] in one vectorizable loop.
    Taps come in row-major order, so each output sees its taps in PyTorch's order
    (the max from the lowest value and its first in-bounds tap, the sum from 0).
    ``winner`` is per-thread scratch (tap offsets from each window's corner)."""
    cdef const window_table_t* t = f.t
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2], ow_size = t.out_size[2]
    cdef int64_t s = t.stride_w, sw = t.step[2]
    cdef int64_t a, b, e, ow, tap, row_tap, part, lo, hi
    cdef int64_t inner_lo = f.inner_lo, inner_hi = f.inner_hi
    # Input position of the window corner (tap 0, 0, 0) of output 0; output o's is o * s later.
    cdef int64_t corner = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size - t.pad_w
    cdef kernel_t start = 0 if FORWARD_OP == OP_SUM else lowest_value(y)
    cdef const kernel_t* w_divisor = <const kernel_t*> f.w_divisor
    cdef kernel_t divisor
    cdef int32_t* won = winner if indices != NULL else NULL
    for ow in range(ow_size):
        y[ow] = start
    if indices != NULL:
        for ow in range(ow_size):
            winner[ow] = <int32_t> (t.first[2][ow] - (ow * s - t.pad_w))
    # Outputs [inner_lo, inner_hi) have every W tap in bounds: with adjacent taps
    # they take all of a row's taps in one fused pass; the rest go tap by tap.
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            row_tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
            for e in range(t.kernel_w):
                tap = row_tap + e * sw
                for part in range(2):   # the outputs left and right of the fused range
                    lo = t.run_lo[e] if part == 0 else max(t.run_lo[e], inner_hi)
                    hi = min(t.run_hi[e], inner_lo) if part == 0 else t.run_hi[e]
                    if hi > lo:
                        update_run(plane + corner + tap + lo * s, s, y + lo,
                                   won + lo if won != NULL else NULL, <int32_t> tap, hi - lo)
            if inner_hi > inner_lo:
                fused_run(plane + corner + row_tap + inner_lo * s, s, t.kernel_w, y + inner_lo,
                          won + inner_lo if won != NULL else NULL, <int32_t> row_tap,
                          inner_hi - inner_lo)
    if FORWARD_OP == OP_SUM:
        if w_divisor != NULL:   # small divisors (divisors_are_small): vectorized
            divisor = <kernel_t> row_divisor(t, od, oh, f.count_include_pad, f.divisor_override)
            for ow in range(ow_size):
                y[ow] = y[ow] / (divisor * w_divisor[ow])
        else:
            for ow in range(ow_size):
                y[ow] = average_of(y[ow], t, od, oh, ow, f.count_include_pad, f.divisor_override)
    elif indices != NULL:
        for ow in range(ow_size):
            indices[ow] = corner + ow * s + winner[ow]


cdef inline void reduce_row_whole(const kernel_t* plane, kernel_t* y, const forward_t* f,
                                  int64_t od, int64_t oh, bint nan_free) noexcept nogil:
    """One output row without indices (channels-first, or channels-last): the
    interior outputs whole windows at a time (interior_pass; the max by the plain
    max when its rows hold no NaN), the few border outputs one window at a time."""
    cdef const window_table_t* t = f.t
    cdef int64_t ow, channels = f.channels
    # The interior windows' divisor: PyTorch's one integer divisor, or equal
    # adaptive bins' per-dim tap counts (see window_table_init_adaptive).
    cdef int64_t d0 = 1, d1 = 1, d2 = 1
    # Each op a literal: its own inlined copy of the pass.
    if FORWARD_OP == OP_SUM:
        if t.divide_per_dim:
            d0, d1, d2 = t.taps[0][od], t.taps[1][oh], t.taps[2][f.inner_lo]
        else:
            d0 = window_divisor(t, od, oh, f.inner_lo, f.count_include_pad, f.divisor_override)
        interior_pass(plane, y, t, od, oh, f.inner_lo, f.inner_hi, channels, OP_SUM, d0, d1, d2)
    elif nan_free or not (kernel_t is float or kernel_t is double):
        interior_pass(plane, y, t, od, oh, f.inner_lo, f.inner_hi, channels, OP_MAX_NAN_FREE,
                      1, 1, 1)
    else:
        interior_pass(plane, y, t, od, oh, f.inner_lo, f.inner_hi, channels, OP_MAX, 1, 1, 1)
    for ow in range(f.inner_lo):
        border_window(plane, y + ow * channels, NULL, NULL, f, od, oh, ow)
    for ow in range(f.inner_hi, t.out_size[2]):
        border_window(plane, y + ow * channels, NULL, NULL, f, od, oh, ow)


cdef void max_row_few_channels(const kernel_t* plane, kernel_t* y, index_t* indices,
                               int32_t* winner, const forward_t* f, int64_t od,
                               int64_t oh) noexcept nogil:
    """A channels-last row of few channels: its interior outputs by the element
    sweep (every position of the interleaved row, tap by tap in row-major order,
    remembering each position's winning tap when indices are asked), the border
    outputs one window at a time.  Taps may be dilated."""
    cdef const window_table_t* t = f.t
    cdef int64_t channels = f.channels
    cdef const kernel_t* rows[WINDOW_PASS_MAX_ROWS]
    cdef int64_t row_at[WINDOW_PASS_MAX_ROWS]
    cdef const kernel_t* taps[WINDOW_PASS_MAX_TAPS]
    cdef int32_t tap_offsets[WINDOW_PASS_MAX_TAPS]
    cdef kernel_t acc[CP_SWEEP_ELEMENTS + CP_KEEP_PAD]
    cdef int32_t won[CP_SWEEP_ELEMENTS]
    cdef const kernel_t* src
    cdef kernel_t v, lowest = lowest_value(y)
    cdef int64_t k = t.kernel_w, s = t.stride_w, gap = t.step[2], pixel = t.stride_w * channels
    cdef int64_t per_chunk = CP_SWEEP_ELEMENTS // pixel, count = f.inner_hi - f.inner_lo
    cdef int64_t r, e, m, n, span, n_rows, first = 0, ow
    cdef int code = type_code(y)
    cdef int32_t tap
    cdef bint wins, swept
    # Each kernel row, and its flat spatial index, at output inner_lo's first W tap
    # (choose_strategy checked there are at most WINDOW_PASS_MAX_ROWS).
    n_rows = window_rows(plane, t, od, oh, f.inner_lo, channels, rows, row_at)
    # A tap's winner slot holds its flat offset from the window's first tap (it fits
    # 32 bits: _taps_fit_int32), so an index is one add, not a division by k.
    cdef bint vector_taps = n_rows * k <= WINDOW_PASS_MAX_TAPS
    if vector_taps:
        for r in range(n_rows):
            for e in range(k):
                taps[r * k + e] = rows[r] + e * gap * channels
                tap_offsets[r * k + e] = <int32_t> (row_at[r] - row_at[0] + e * gap)
    cdef kernel_t* inner_y = y + f.inner_lo * channels
    while first < count:
        n = min(per_chunk, count - first)
        span = (n - 1) * pixel + channels
        # The row primitives where they apply: the max (and its winner, for types
        # of 4 and 8 bytes) kept in registers across the taps.
        swept = False
        if vector_taps:
            if indices == NULL:
                cp_reduce_taps(code, OP_MAX, <const void* const*> taps, n_rows * k, first * pixel,
                               acc, span, &lowest, 1, 1, 1)
                swept = True
            else:
                swept = cp_max_indexed(code, <const void* const*> taps, tap_offsets, n_rows * k,
                                       first * pixel, acc, won, span, &lowest) != 0
        if not swept:
            for m in range(span):
                acc[m] = lowest
            if indices != NULL:
                for m in range(span):
                    won[m] = 0
            for r in range(n_rows):
                for e in range(k):
                    src = rows[r] + first * pixel + e * gap * channels
                    tap = <int32_t> (row_at[r] - row_at[0] + e * gap)
                    if indices == NULL:
                        for m in range(span):
                            v = src[m]
                            wins = (v > acc[m]) | is_nan(v)
                            acc[m] = v if wins else acc[m]
                    else:
                        for m in range(span):
                            v = src[m]
                            wins = (v > acc[m]) | is_nan(v)
                            acc[m] = v if wins else acc[m]
                            won[m] = tap if wins else won[m]
        cp_keep_pixels(code, acc, CP_SWEEP_ELEMENTS + CP_KEEP_PAD,
                       inner_y + first * channels, n, pixel, channels)
        if indices != NULL:
            cp_pixel_indices(won, indices + (f.inner_lo + first) * channels, n, pixel, channels,
                             row_at[0] + first * s, s)
        first += n
    for ow in range(f.inner_lo):
        border_window(plane, y + ow * channels, indices + ow * channels if indices != NULL
                      else NULL, winner, f, od, oh, ow)
    for ow in range(f.inner_hi, t.out_size[2]):
        border_window(plane, y + ow * channels, indices + ow * channels if indices != NULL
                      else NULL, winner, f, od, oh, ow)


# --- The separable running max (STRATEGY_SEPARABLE) ----------------------------------

cdef inline int64_t separable_scratch(const forward_t* f) noexcept nogil:
    """Elements of per-thread scratch separable_rows needs: a padded input row,
    the running max's two levels, and three blocks of kernel_h output rows."""
    cdef int64_t row_in = (f.t.out_size[2] + f.kernel_w - 1) * f.channels
    return 3 * row_in + 3 * f.kernel_h * f.t.out_size[2] * f.channels


cdef bint _window_row(const kernel_t* plane, kernel_t* out, int64_t v, const forward_t* f,
                      kernel_t* scratch) noexcept nogil:
    """out = the running max along W of input row v of ``plane`` (rows outside the
    input are all lowest values); True if the row holds a NaN or a -0.0."""
    cdef const window_table_t* t = f.t
    cdef int64_t channels = f.channels
    cdef int64_t in_w = t.in_size[2] * channels, row_out = t.out_size[2] * channels
    cdef int64_t row_in = row_out + (f.kernel_w - 1) * channels
    cdef int64_t before = min(f.pad_w * channels, row_in)
    cdef int code = type_code(out)
    cdef kernel_t lowest = lowest_value(out)
    cdef const kernel_t* src
    if v < 0 or v >= t.in_size[1]:
        cp_fill(code, out, &lowest, row_out)
        return False
    src = plane + v * in_w
    if before > 0 or in_w < row_in:    # the padding as lowest values around a copy
        cp_fill(code, scratch, &lowest, before)
        cp_copy(code, scratch + before, src, min(in_w, row_in - before))
        if row_in > before + in_w:
            cp_fill(code, scratch + before + in_w, &lowest, row_in - before - in_w)
        src = scratch
    cp_window_max(code, src, row_out, f.kernel_w, channels, out, scratch + row_in)
    return cp_special(code, plane + v * in_w, in_w) != 0


cdef bint separable_rows(const kernel_t* plane, kernel_t* y, const forward_t* f, int64_t oh0,
                         int64_t oh1, kernel_t* scratch) noexcept nogil:
    """Output rows oh0 <= oh < oh1 of one (n, d) plane of stride-1 windows, y at
    row oh0.  Along H, van Herk's blocks of kernel_h rows: window j of a block is
    the suffix max of the block's rows from j and the prefix max of the next
    block's rows before j; each row's running max along W is computed once.  The
    plain max, so the caller redoes the rows when this returns True (a NaN or a
    -0.0 was seen, where the order of the taps shows)."""
    cdef int64_t kh = f.kernel_h, row_out = f.t.out_size[2] * f.channels
    cdef int64_t row_in = row_out + (f.kernel_w - 1) * f.channels
    cdef kernel_t* work = scratch                   # padded row and running-max levels
    cdef kernel_t* suffix = scratch + 3 * row_in    # block b's suffix maxima
    cdef kernel_t* rows = suffix + kh * row_out     # block b + 1's rows, then its suffixes
    cdef kernel_t* prefix = rows + kh * row_out     # block b + 1's prefix maxima
    cdef kernel_t* swap
    cdef int64_t base = oh0 - f.pad_h, block, j, here, needed
    cdef int code = type_code(y)
    cdef bint special = False, more
    if kh == 1:
        for j in range(oh1 - oh0):
            special |= _window_row(plane, y + j * row_out, base + j, f, work)
        return special
    for j in range(kh):
        special |= _window_row(plane, suffix + j * row_out, base + j, f, work)
    for j in range(kh - 2, -1, -1):
        cp_rows_max_into(code, suffix + j * row_out, suffix + (j + 1) * row_out, row_out)
    block = 0
    while oh0 + block * kh < oh1:
        here = min(kh, oh1 - oh0 - block * kh)
        more = oh0 + (block + 1) * kh < oh1
        needed = kh if more else here - 1
        for j in range(needed):
            special |= _window_row(plane, rows + j * row_out, base + (block + 1) * kh + j, f,
                                   work)
        if here > 1:
            cp_copy(code, prefix, rows, row_out)
            for j in range(1, here - 1):
                cp_rows_max(code, prefix + (j - 1) * row_out, rows + j * row_out,
                            prefix + j * row_out, row_out)
        cp_copy(code, y + block * kh * row_out, suffix, row_out)
        for j in range(1, here):
            cp_rows_max(code, suffix + j * row_out, prefix + (j - 1) * row_out,
                        y + (block * kh + j) * row_out, row_out)
        if more:
            for j in range(kh - 2, -1, -1):
                cp_rows_max_into(code, rows + j * row_out, rows + (j + 1) * row_out, row_out)
            swap = suffix
            suffix = rows
            rows = swap
        block += 1
    return special


# --- The row driver and the call -----------------------------------------------------

cdef inline void _sum_plane_group(const kernel_t* x, kernel_t* y, const forward_t* f,
                                  int64_t first) noexcept nogil:
    """Averages of planes first .. first + PLANES_AT_ONCE - 1 of a table whose one
    window is the whole plane: each sum still runs in the plane's row-major order."""
    cdef const window_table_t* t = f.t
    cdef int64_t plane = t.in_size[0] * t.in_size[1] * t.in_size[2]
    cdef int64_t j, p
    cdef kernel_t total[PLANES_AT_ONCE]
    cdef const kernel_t* base = x + first * plane
    for p in range(PLANES_AT_ONCE):
        total[p] = 0
    for j in range(plane):
        for p in range(PLANES_AT_ONCE):
            total[p] = total[p] + base[p * plane + j]
    for p in range(PLANES_AT_ONCE):
        y[first + p] = average_of(total[p], t, 0, 0, 0, f.count_include_pad, f.divisor_override)


cdef void forward_rows(const kernel_t* x, kernel_t* y, index_t* indices, int32_t* winner,
                       const forward_t* f, int64_t first, int64_t end,
                       kernel_t* scratch) noexcept nogil:
    """Output rows first <= row < end of the call, row = (n, od, oh), by its
    strategy; ``winner`` and ``scratch`` are the thread's own scratch."""
    cdef const window_table_t* t = f.t
    cdef int64_t channels = f.channels, ow_size = t.out_size[2]
    cdef int64_t in_plane = t.in_size[0] * t.in_size[1] * t.in_size[2]
    cdef int64_t in_hw = t.in_size[1] * t.in_size[2] * channels
    cdef int64_t row_out = ow_size * channels, row_length = t.in_size[2] * channels
    cdef int64_t row, n, od, oh, ow, at, stop, scanned_plane = -1, scanned_to = 0, needed
    cdef bint nan_seen = True
    cdef const kernel_t* plane
    cdef forward_t exact
    if f.strategy == STRATEGY_SEPARABLE:
        row = first
        while row < end:    # one (n, od) plane at a time
            row_position(row, t.out_size[0], t.out_size[1], &n, &od, &oh)
            stop = min(end, row - oh + t.out_size[1])
            if separable_rows(x + (n * t.in_size[0] + t.first[0][od]) * in_hw, y + row * row_out,
                              f, oh, oh + stop - row, scratch):
                # A NaN or -0.0 showed: the rows again, by the strategy the call
                # would run without the separable one, with PyTorch's rule.
                exact = f[0]
                exact.strategy = choose_strategy(FORWARD_OP, t, NULL, channels, False)
                exact.scan_nan = False
                forward_rows(x, y, NULL, NULL, &exact, row, stop, NULL)
            row = stop
        return
    row_position(first, t.out_size[0], t.out_size[1], &n, &od, &oh)
    for row in range(first, end):
        plane = x + n * in_plane * channels
        at = row * row_out
        if f.strategy == STRATEGY_WHOLE_WINDOWS:
            if f.scan_nan:
                # The input rows this output row reads first (its windows' rows only
                # move forward in a plane) are checked for NaN as the sweep reaches
                # them, while they are still in cache: a separate pass over each plane
                # first cost more than it saved.  Once a NaN is seen, the plane's
                # remaining rows take PyTorch's NaN rule.
                if n != scanned_plane:
                    scanned_plane = n
                    scanned_to = t.first[0][od] * t.in_size[1] + t.first[1][oh]
                    nan_seen = False
                needed = ((t.first[0][od] + (t.taps[0][od] - 1) * t.step[0]) * t.in_size[1]
                          + t.first[1][oh] + (t.taps[1][oh] - 1) * t.step[1] + 1)
                if needed > scanned_to and not nan_seen:
                    nan_seen = has_nan(plane + scanned_to * row_length,
                                       (needed - scanned_to) * row_length)
                    scanned_to = needed
            reduce_row_whole(plane, y + at, f, od, oh, not nan_seen)
        elif f.strategy == STRATEGY_FEW_CHANNELS:
            max_row_few_channels(plane, y + at, indices + at if indices != NULL else NULL,
                                 winner, f, od, oh)
        elif f.strategy == STRATEGY_ROW_TAPS:
            sweep_row_taps(x + n * in_plane, y + at, indices + at if indices != NULL else NULL,
                           winner, f, od, oh)
        else:
            for ow in range(ow_size):
                reduce_window(plane, y + at + ow * channels,
                              indices + at + ow * channels if indices != NULL else NULL,
                              winner, f, od, oh, ow)
        next_row(t.out_size[0], t.out_size[1], &n, &od, &oh)


cdef inline bint _taps_fit_int32(const window_table_t* t) noexcept nogil:
    """Whether every tap's offset from its window's corner fits the 32-bit winner
    slots: true unless one window spans 2**31 input positions."""
    cdef int64_t most[3]
    cdef int d
    cdef int64_t o
    for d in range(3):
        most[d] = 0
        for o in range(t.out_size[d]):
            most[d] = max(most[d], t.taps[d][o])
    most[2] = max(most[2], t.kernel_w)
    return (((most[0] - 1) * t.step[0] * t.in_size[1] + (most[1] - 1) * t.step[1])
            * t.in_size[2] + (most[2] - 1) * t.step[2] + t.pad_w) < 2147483647


cdef inline bint _windows_overlap(const window_table_t* t) noexcept nogil:
    """Whether a plane's windows take more taps than it has elements (k > s
    somewhere): then the max passes are compute-bound, and checking the rows for
    NaN (to take the plain max) pays; without overlap they are memory-bound."""
    cdef int64_t taps = 1, per_dim, o
    cdef int d
    for d in range(3):
        per_dim = 0
        for o in range(t.out_size[d]):
            per_dim += t.taps[d][o]
        taps *= per_dim
    return taps > t.in_size[0] * t.in_size[1] * t.in_size[2]


cdef int forward_table(const kernel_t* x, kernel_t* y, index_t* indices, const window_table_t* t,
                       const pool_geometry_t* g, int64_t outer, int64_t channels,
                       bint count_include_pad, int64_t divisor_override,
                       int num_threads) noexcept nogil:
    """The forward call of x, (outer, D, H, W, channels), into y (and the max's
    flat indices, unless NULL) over table t (g: its geometry; NULL for adaptive
    tables).  0, -1 when out of memory, -2 when a window is too wide for the
    32-bit tap offsets of the indexed max."""
    cdef forward_t f
    cdef int64_t rows = outer * t.out_size[0] * t.out_size[1]
    cdef int64_t chunk, chunks, group, groups
    # Per-thread scratch, allocated once, each thread's padded to whole cache
    # lines (threads writing neighbouring slots of one line would keep stealing it
    # from each other): winner slots for one row (or one window) with indices; the
    # separable strategy's rows.
    cdef int64_t winners = 0, elements = 0
    cdef char* scratches = NULL
    cdef int64_t stride = 0
    cdef kernel_t* w_divisor = NULL
    cdef int64_t reads
    f.t, f.channels = t, channels
    f.count_include_pad, f.divisor_override = count_include_pad, divisor_override
    f.strategy = choose_strategy(FORWARD_OP, t, g, channels, indices != NULL)
    f.w_divisor, f.scan_nan = NULL, False
    f.inner_lo = f.inner_hi = 0
    f.kernel_h = f.kernel_w = f.pad_h = f.pad_w = 0
    CYPOOL_COUNT_STRATEGY(f.strategy)
    # Separable passes read each element about five times, whatever the window.
    reads = 5 if f.strategy == STRATEGY_SEPARABLE else window_reads(t)
    num_threads = threads_for(rows * t.out_size[2] * channels * reads, num_threads)
    if f.strategy == STRATEGY_FEW_CHANNELS:
        tap_interior(t, &f.inner_lo, &f.inner_hi)
    elif t.regular:
        interior_outputs(t, &f.inner_lo, &f.inner_hi)
    if FORWARD_OP == OP_SUM:
        if (f.strategy == STRATEGY_ROW_TAPS and not t.divide_per_dim
                and divisors_are_small(t, count_include_pad, divisor_override, sizeof(kernel_t))):
            w_divisor = new_w_divisors(t, count_include_pad, divisor_override, y)
            if w_divisor == NULL:
                return -1
            f.w_divisor = w_divisor
    elif kernel_t is float or kernel_t is double:
        f.scan_nan = f.strategy == STRATEGY_WHOLE_WINDOWS and _windows_overlap(t)
    if f.strategy == STRATEGY_SEPARABLE:
        f.kernel_h, f.kernel_w = g.kernel_size[1], g.kernel_size[2]
        f.pad_h, f.pad_w = g.pad_before[1], g.pad_before[2]
        elements = separable_scratch(&f)
    elif indices != NULL:
        if not _taps_fit_int32(t):
            return -2
        winners = t.out_size[2] if f.strategy == STRATEGY_ROW_TAPS else channels
    # Each thread's slot: its winners, then its elements.
    cdef int64_t winner_bytes = cache_lines(winners, sizeof(int32_t)) * sizeof(int32_t)
    stride = winner_bytes + cache_lines(elements, sizeof(kernel_t)) * sizeof(kernel_t)
    if stride > 0:
        scratches = <char*> malloc(max(num_threads, 1) * stride)
        if scratches == NULL:
            free(w_divisor)
            return -1
    if f.strategy == STRATEGY_PLANE_SUMS:
        # Global averages of channels-first planes: several planes at once, the
        # last few (outer % PLANES_AT_ONCE) one window at a time.
        groups = outer // PLANES_AT_ONCE
        if num_threads <= 1:
            for group in range(groups):
                _sum_plane_group(x, y, &f, group * PLANES_AT_ONCE)
        else:
            for group in prange(groups, num_threads=num_threads, schedule="static"):
                _sum_plane_group(x, y, &f, group * PLANES_AT_ONCE)
        f.strategy = STRATEGY_WINDOWS
        forward_rows(x, y, indices, NULL, &f, groups * PLANES_AT_ONCE, rows, NULL)
    elif num_threads <= 1:
        # No parallel region: opening one costs more than a small call's work.
        forward_rows(x, y, indices, <int32_t*> scratches, &f, 0, rows,
                     <kernel_t*> (scratches + winner_bytes) if scratches != NULL else NULL)
    else:
        # Chunks of whole output rows: rows never share output memory.
        chunks = min(rows, num_threads * ROW_CHUNKS_PER_THREAD)
        for chunk in prange(chunks, num_threads=num_threads, schedule="dynamic"):
            forward_rows(x, y, indices,
                         <int32_t*> (scratches + omp_get_thread_num() * stride)
                         if scratches != NULL else NULL,
                         &f, chunk_start(rows, chunks, chunk), chunk_start(rows, chunks, chunk + 1),
                         <kernel_t*> (scratches + omp_get_thread_num() * stride + winner_bytes)
                         if scratches != NULL else NULL)
    free(scratches)
    free(w_divisor)
    return 0
