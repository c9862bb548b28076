"""Max-type kernels: max pooling and adaptive max pooling forward (with or
without argmax indices), their shared backward scatter, and max-unpooling.

Every array is viewed as (outer, D, H, W, channels): channels-first input is
(N*C planes, D, H, W, 1), channels-last input is (N, D, H, W, C).  One loop nest
per operation serves both layouts and every dimensionality, so channels-first
and channels-last results are bit-identical by construction.
"""
cimport numpy as cnp
from cython.parallel cimport prange
from libc.stdint cimport (
    int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t)
from cpython.pycapsule cimport PyCapsule_New
from libc.stdlib cimport free, malloc
from libc.string cimport memset

from libc.math cimport INFINITY

from cypool._openmp cimport omp_get_thread_num
from cypool._staging cimport (
    convert_fn, flip_of, flipped_bf16s_to_floats, flipped_halves_to_floats,
    floats_to_flipped_bf16s, floats_to_flipped_halves, is_half, narrowing_of, staged_run,
    terms_of, work_item_of)
from cypool._typedefs cimport index_t, max_t
from cypool._window_pass cimport (
    ROW_CHUNKS_PER_THREAD, SWEEP_ELEMENTS, WINDOW_PASS_MAX_ROWS, cache_lines, chunk_start,
    interior_outputs, threads_for, window_reads, OP_MAX, OP_MAX_NAN_FREE, has_nan,
    interior_pass, is_nan, lowest_value, next_row, row_position, window_rows, type_code, cp_fill,
    cp_copy, cp_rows_max, cp_rows_max_into, cp_special, cp_window_max, choose_strategy,
    STRATEGY_ROW_TAPS, STRATEGY_WHOLE_WINDOWS, STRATEGY_SEPARABLE, STRATEGY_FEW_CHANNELS_INDEXED,
    STRATEGY_COUNT)
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_init_adaptive,
    window_table_free)

cnp.import_array()

cdef extern from *:
    """
    /* Forward calls per strategy since import (strategy_counts). */
    static long long cypool_strategy_calls[8];
    #define CYPOOL_COUNT_STRATEGY(s) __atomic_fetch_add(&cypool_strategy_calls[s], 1, \
                                                        __ATOMIC_RELAXED)
    """
    long long cypool_strategy_calls[8]
    void CYPOOL_COUNT_STRATEGY(int strategy) nogil

cdef enum:
    # Channels handled per work unit of the channels-last scatters (a unit owns them).
    CHANNEL_BLOCK = 64
    # Bytes a scatter zeroes ahead of the index it reached (see _route_block). Kept
    # small: glibc turns larger memsets into `rep stosb`, which on AMD Zen streams the
    # zeroes past the cache, and the scatter then reads every line back from memory
    # (channels-last W1 backward took 2x the channels-first time with 64 KB steps).
    ZERO_AHEAD_BYTES = 1024
    # Indices a scatter checks at once (a run of outputs, see _route_block).
    SCATTER_RUN = 32


cdef inline void _max_update_strided(const max_t* src, int64_t step, max_t* y, int32_t* winner,
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
            wins = (v > y[i]) | is_nan(v)
            y[i] = v if wins else y[i]
    else:
        for i in range(count):
            v = src[i * step]
            wins = (v > y[i]) | is_nan(v)
            y[i] = v if wins else y[i]
            winner[i] = tap if wins else winner[i]


cdef inline void _max_update_run(const max_t* src, int64_t step, max_t* y, int32_t* winner,
                                 int32_t tap, int64_t count) noexcept nogil:
    # Literal steps for the common strides: inlined, each becomes its own
    # vectorized loop (contiguous, or de-interleaving pairs).
    if step == 1:
        _max_update_strided(src, 1, y, winner, tap, count)
    elif step == 2:
        _max_update_strided(src, 2, y, winner, tap, count)
    else:
        _max_update_strided(src, step, y, winner, tap, count)


cdef inline void _max_fused_strided(const max_t* src, int64_t step, int64_t k, max_t* y,
                                    int32_t* winner, int32_t tap, int64_t count) noexcept nogil:
    """The k adjacent taps (dilation 1) of each output i in one pass, in tap order:
    the same updates as k runs of _max_update_run, with y kept in a register."""
    cdef int64_t i, e
    cdef max_t v
    cdef bint wins
    if winner == NULL:
        for i in range(count):
            for e in range(k):
                v = src[i * step + e]
                wins = (v > y[i]) | is_nan(v)
                y[i] = v if wins else y[i]
    else:
        for i in range(count):
            for e in range(k):
                v = src[i * step + e]
                wins = (v > y[i]) | is_nan(v)
                y[i] = v if wins else y[i]
                winner[i] = <int32_t> (tap + e) if wins else winner[i]


cdef inline void _max_fused_run(const max_t* src, int64_t step, int64_t k, max_t* y,
                                int32_t* winner, int32_t tap, int64_t count) noexcept nogil:
    cdef int64_t e
    # Literal (stride, kernel) pairs of the common windows become unrolled vector loops.
    if step == 2 and k == 2:
        _max_fused_strided(src, 2, 2, y, winner, tap, count)
    elif step == 2 and k == 3:
        _max_fused_strided(src, 2, 3, y, winner, tap, count)
    elif step == 1 and k == 3:
        _max_fused_strided(src, 1, 3, y, winner, tap, count)
    elif step == 1 and k == 2:
        _max_fused_strided(src, 1, 2, y, winner, tap, count)
    else:
        # Other windows: one vectorized run per tap (a runtime k would not vectorize).
        for e in range(k):
            _max_update_run(src + e, step, y, winner, <int32_t> (tap + e), count)


cdef inline void _max_window(const max_t* plane, max_t* y, index_t* indices, int32_t* winner,
                             const window_table_t* t, int64_t od, int64_t oh, int64_t ow,
                             int64_t channels) noexcept nogil:
    """y[c] = max over one window's in-bounds taps, for every channel c at once
    (the channels-last path, and adaptive windows): same rule and order as the
    row kernel, with ``winner`` (per-thread scratch) holding tap offsets from the
    window's first in-bounds tap."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    cdef int64_t corner = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size + t.first[2][ow]
    cdef int64_t a, b, e, c, tap, row_tap, best_tap = 0
    cdef max_t lowest = lowest_value(y)
    cdef max_t best = lowest, v
    cdef const max_t* src
    if channels == 1:
        # One channel (channels-first adaptive windows): the same scan, in registers.
        for a in range(t.taps[0][od]):
            for b in range(t.taps[1][oh]):
                row_tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
                src = plane + corner + row_tap
                for e in range(t.taps[2][ow]):
                    v = src[e * t.step[2]]
                    if v > best or is_nan(v):
                        best = v
                        best_tap = row_tap + e * t.step[2]
        y[0] = best
        if indices != NULL:
            indices[0] = corner + best_tap
        return
    for c in range(channels):
        y[c] = lowest
        if indices != NULL:
            winner[c] = 0
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            for e in range(t.taps[2][ow]):
                tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size + e * t.step[2]
                _max_update_run(plane + (corner + tap) * channels, 1, y,
                                winner if indices != NULL else NULL, <int32_t> tap, channels)
    if indices != NULL:
        for c in range(channels):
            indices[c] = corner + winner[c]


cdef inline void _max_row_planar(const max_t* plane, max_t* y, index_t* indices, int32_t* winner,
                                 const window_table_t* t, int64_t od, int64_t oh) noexcept nogil:
    """One output row of a channels-first plane (regular windows), swept tap by
    tap: tap e updates outputs run_lo[e] <= o < run_hi[e] in one vectorizable loop.
    Taps come in row-major order, so each output sees its taps in PyTorch's order,
    starting, as PyTorch does, from the lowest value and its first in-bounds tap.
    ``winner`` is per-thread scratch (tap offsets from each window's corner)."""
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2], ow_size = t.out_size[2]
    cdef int64_t s = t.stride_w, sw = t.step[2]
    cdef int64_t a, b, e, ow, tap, row_tap, part
    # Input position of the window corner (tap 0, 0, 0) of output 0; output o's is o * s later.
    cdef int64_t corner = (t.first[0][od] * ih_size + t.first[1][oh]) * iw_size - t.pad_w
    cdef max_t lowest = lowest_value(y)
    for ow in range(ow_size):
        y[ow] = lowest
    if indices != NULL:
        for ow in range(ow_size):
            winner[ow] = <int32_t> (t.first[2][ow] - (ow * s - t.pad_w))
    # Outputs [inner_lo, inner_hi) have every W tap in bounds: with adjacent taps
    # they take all of a row's taps in one fused pass; the rest go tap by tap.
    cdef int64_t inner_lo, inner_hi, lo, hi
    interior_outputs(t, &inner_lo, &inner_hi)
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            row_tap = (a * t.step[0] * ih_size + b * t.step[1]) * iw_size
            for e in range(t.kernel_w):
                tap = row_tap + e * sw
                for part in range(2):   # the outputs left and right of the fused range
                    lo = t.run_lo[e] if part == 0 else max(t.run_lo[e], inner_hi)
                    hi = min(t.run_hi[e], inner_lo) if part == 0 else t.run_hi[e]
                    if hi > lo:
                        _max_update_run(plane + corner + tap + lo * s, s, y + lo,
                                        winner + lo if indices != NULL else NULL,
                                        <int32_t> tap, hi - lo)
            if inner_hi > inner_lo:
                _max_fused_run(plane + corner + row_tap + inner_lo * s, s, t.kernel_w,
                               y + inner_lo, winner + inner_lo if indices != NULL else NULL,
                               <int32_t> row_tap, inner_hi - inner_lo)
    if indices != NULL:
        for ow in range(ow_size):
            indices[ow] = corner + ow * s + winner[ow]


cdef inline void _border_windows(const max_t* plane, max_t* y, index_t* indices,
                                 int32_t* winner, const window_table_t* t, int64_t od,
                                 int64_t oh, int64_t inner_lo, int64_t inner_hi,
                                 int64_t channels) noexcept nogil:
    """The outputs of row (od, oh) left and right of its interior [inner_lo,
    inner_hi), one window at a time (y and indices point at the row's start)."""
    cdef int64_t ow
    for ow in range(inner_lo):
        _max_window(plane, y + ow * channels, indices + ow * channels if indices != NULL else NULL,
                    winner, t, od, oh, ow, channels)
    for ow in range(inner_hi, t.out_size[2]):
        _max_window(plane, y + ow * channels, indices + ow * channels if indices != NULL else NULL,
                    winner, t, od, oh, ow, channels)


cdef inline bint _max_row_whole(const max_t* plane, max_t* y, const window_table_t* t,
                                int64_t od, int64_t oh, int64_t inner_lo, int64_t inner_hi,
                                int64_t channels, bint nan_free) noexcept nogil:
    """One output row without indices (channels-first, or channels-last with few
    channels): the interior outputs [inner_lo, inner_hi) whole windows at a time
    (_window_pass.pxd; by the plain max when the plane holds no NaN), the few
    border outputs one window at a time.  False, with nothing written, for
    windows window_pass has no loop for."""
    cdef bint done
    if max_t is float or max_t is double:
        if nan_free:
            done = interior_pass(plane, y, t, od, oh, inner_lo, inner_hi, channels,
                                 OP_MAX_NAN_FREE, 1, 1, 1)
        else:
            done = interior_pass(plane, y, t, od, oh, inner_lo, inner_hi, channels, OP_MAX, 1,
                                 1, 1)
    else:   # integers hold no NaN: one copy of the pass
        done = interior_pass(plane, y, t, od, oh, inner_lo, inner_hi, channels, OP_MAX_NAN_FREE,
                             1, 1, 1)
    if not done:
        return False
    _border_windows(plane, y, NULL, NULL, t, od, oh, inner_lo, inner_hi, channels)
    return True


cdef inline bint _max_row_few_channels_indexed(const max_t* plane, max_t* y, index_t* indices,
                                               const window_table_t* t, int64_t od, int64_t oh,
                                               int64_t inner_lo, int64_t inner_hi,
                                               int64_t channels) noexcept nogil:
    """The interior outputs [inner_lo, inner_hi) of a channels-last row of few
    channels, with indices: the element sweep of _pass_channels (every position
    of the interleaved row, tap by tap in row-major order), remembering each
    position's winning tap.  False, with nothing written, past 4 kernel rows."""
    cdef const max_t* rows[WINDOW_PASS_MAX_ROWS]
    cdef int64_t row_at[WINDOW_PASS_MAX_ROWS]
    cdef max_t acc[SWEEP_ELEMENTS]
    cdef int32_t won[SWEEP_ELEMENTS]
    cdef const max_t* src
    cdef max_t v, lowest = lowest_value(y)
    cdef int64_t k = t.kernel_w, s = t.stride_w, pixel = t.stride_w * channels
    cdef int64_t per_chunk = SWEEP_ELEMENTS // pixel
    cdef int64_t r, e, m, i, c, n, span, n_rows, first = 0
    cdef int32_t tap
    cdef bint wins
    if inner_hi <= inner_lo or t.taps[0][od] * t.taps[1][oh] > WINDOW_PASS_MAX_ROWS:
        return False
    # Each kernel row, and its flat spatial index, at output inner_lo's first W tap.
    n_rows = window_rows(plane, t, od, oh, inner_lo, channels, rows, row_at)
    y += inner_lo * channels
    indices += inner_lo * channels
    while first < inner_hi - inner_lo:
        n = min(per_chunk, inner_hi - inner_lo - first)
        span = (n - 1) * pixel + channels
        for m in range(span):
            acc[m] = lowest
            won[m] = 0
        for r in range(n_rows):
            for e in range(k):
                src = rows[r] + first * pixel + e * channels
                tap = <int32_t> (r * k + e)
                for m in range(span):
                    v = src[m]
                    wins = (v > acc[m]) | is_nan(v)
                    acc[m] = v if wins else acc[m]
                    won[m] = tap if wins else won[m]
        for i in range(n):
            for c in range(channels):
                m = i * pixel + c
                y[(first + i) * channels + c] = acc[m]
                indices[(first + i) * channels + c] = (row_at[won[m] // k] + (first + i) * s
                                                       + won[m] % k)
        first += n
    return True


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


cdef bint _windows_overlap(const window_table_t* t) noexcept nogil:
    """Whether a plane's windows take more taps than it has elements (k > s
    somewhere): then the max passes are compute-bound, and scanning each plane
    for NaN first (to take the plain max) pays; without overlap they are
    memory-bound, and the scan would only add a pass over memory."""
    cdef int64_t taps = 1, per_dim, o
    cdef int d
    for d in range(3):
        per_dim = 0
        for o in range(t.out_size[d]):
            per_dim += t.taps[d][o]
        taps *= per_dim
    return taps > t.in_size[0] * t.in_size[1] * t.in_size[2]


ctypedef struct separable_t:
    # The window along H and W of a STRATEGY_SEPARABLE call (stride 1, dilation 1).
    int64_t kernel_h
    int64_t kernel_w
    int64_t pad_h
    int64_t pad_w


cdef inline int64_t _separable_scratch(const window_table_t* t, const separable_t* w,
                                       int64_t channels) noexcept nogil:
    """Elements of per-thread scratch _separable_rows needs: a padded input row,
    the running max's two levels, and three blocks of kernel_h output rows."""
    cdef int64_t row_in = (t.out_size[2] + w.kernel_w - 1) * channels
    return 3 * row_in + 3 * w.kernel_h * t.out_size[2] * channels


cdef inline bint _window_row(const max_t* plane, max_t* out, int64_t v, const window_table_t* t,
                             const separable_t* w, int64_t channels,
                             max_t* scratch) noexcept nogil:
    """out = the running max along W of input row v of ``plane`` (rows outside the
    input are all lowest values); True if the row holds a NaN or a -0.0."""
    cdef int64_t in_w = t.in_size[2] * channels, row_out = t.out_size[2] * channels
    cdef int64_t row_in = row_out + (w.kernel_w - 1) * channels
    cdef int64_t before = min(w.pad_w * channels, row_in)
    cdef int code = type_code(out)
    cdef max_t lowest = lowest_value(out)
    cdef const max_t* src
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
    cp_window_max(code, src, row_out, w.kernel_w, channels, out, scratch + row_in)
    return cp_special(code, plane + v * in_w, in_w) != 0


cdef bint _separable_rows(const max_t* plane, max_t* y, const window_table_t* t,
                          const separable_t* w, int64_t oh0, int64_t oh1, int64_t channels,
                          max_t* scratch) noexcept nogil:
    """Output rows oh0 <= oh < oh1 of one (n, d) plane of stride-1 windows, y at
    row oh0.  Along H, van Herk's blocks of kernel_h rows: window j of a block is
    the suffix max of the block's rows from j and the prefix max of the next
    block's rows before j; each row's running max along W is computed once.  The
    plain max, so the caller redoes the rows when this returns True (a NaN or a
    -0.0 was seen, where the order of the taps shows)."""
    cdef int64_t kh = w.kernel_h, row_out = t.out_size[2] * channels
    cdef int64_t row_in = row_out + (w.kernel_w - 1) * channels
    cdef max_t* work = scratch                   # padded row and running-max levels
    cdef max_t* suffix = scratch + 3 * row_in    # block b's suffix maxima
    cdef max_t* rows = suffix + kh * row_out     # block b + 1's rows, then its suffixes
    cdef max_t* prefix = rows + kh * row_out     # block b + 1's prefix maxima
    cdef max_t* swap
    cdef int64_t base = oh0 - w.pad_h, block, j, here, needed
    cdef int code = type_code(y)
    cdef bint special = False, more
    if kh == 1:
        for j in range(oh1 - oh0):
            special |= _window_row(plane, y + j * row_out, base + j, t, w, channels, work)
        return special
    for j in range(kh):
        special |= _window_row(plane, suffix + j * row_out, base + j, t, w, channels, work)
    for j in range(kh - 2, -1, -1):
        cp_rows_max_into(code, suffix + j * row_out, suffix + (j + 1) * row_out, row_out)
    block = 0
    while oh0 + block * kh < oh1:
        here = min(kh, oh1 - oh0 - block * kh)
        more = oh0 + (block + 1) * kh < oh1
        needed = kh if more else here - 1
        for j in range(needed):
            special |= _window_row(plane, rows + j * row_out, base + (block + 1) * kh + j, t, w,
                                   channels, work)
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


cdef void _max_separable_chunk(const max_t* x, max_t* y, const window_table_t* t,
                               const separable_t* w, int64_t first, int64_t end,
                               int64_t channels, max_t* scratch) noexcept nogil:
    """Output rows first <= row < end (row = (n, od, oh)) by _separable_rows, one
    (n, od) plane at a time; a plane whose rows met a NaN or -0.0 is redone, with
    PyTorch's rule, by the strategy the call would otherwise have run."""
    cdef int64_t oh_size = t.out_size[1], od_size = t.out_size[0]
    cdef int64_t in_hw = t.in_size[1] * t.in_size[2] * channels
    cdef int64_t row_out = t.out_size[2] * channels
    cdef int64_t row = first, n, od, oh, stop, inner_lo, inner_hi
    while row < end:
        row_position(row, od_size, oh_size, &n, &od, &oh)
        stop = min(end, row - oh + oh_size)
        if _separable_rows(x + (n * t.in_size[0] + t.first[0][od]) * in_hw, y + row * row_out, t,
                           w, oh, oh + stop - row, channels, scratch):
            # the strategy the call would run without the separable one (g NULL)
            interior_outputs(t, &inner_lo, &inner_hi)
            _max_forward_rows(x, y, NULL, NULL, t, row, stop, channels,
                              choose_strategy(OP_MAX, t, NULL, channels, False), inner_lo, inner_hi,
                              False)
        row = stop


cdef void _max_forward_rows(const max_t* x, max_t* y, index_t* indices, int32_t* winner,
                            const window_table_t* t, int64_t first, int64_t end, int64_t channels,
                            int strategy, int64_t inner_lo, int64_t inner_hi,
                            bint scan_nan) noexcept nogil:
    """Output rows first <= row < end of _max_forward_table, row = (n, od, oh), by
    ``strategy`` (any but STRATEGY_SEPARABLE)."""
    cdef int64_t ow_size = t.out_size[2]
    cdef int64_t in_plane = t.in_size[0] * t.in_size[1] * t.in_size[2]
    cdef int64_t row, n, od, oh, ow, at, scanned_plane = -1, scanned_to = 0, needed
    cdef int64_t row_length = t.in_size[2] * channels
    cdef bint nan_seen = True
    cdef const max_t* plane
    row_position(first, t.out_size[0], t.out_size[1], &n, &od, &oh)
    for row in range(first, end):
        plane = x + n * in_plane * channels
        if strategy == STRATEGY_WHOLE_WINDOWS:
            if scan_nan:
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
            _max_row_whole(plane, y + row * ow_size * channels, t, od, oh, inner_lo, inner_hi,
                           channels, not nan_seen)
        elif strategy == STRATEGY_FEW_CHANNELS_INDEXED:
            _max_row_few_channels_indexed(plane, y + row * ow_size * channels,
                                          indices + row * ow_size * channels, t, od, oh,
                                          inner_lo, inner_hi, channels)
            _border_windows(plane, y + row * ow_size * channels,
                            indices + row * ow_size * channels, winner, t, od, oh, inner_lo,
                            inner_hi, channels)
        elif strategy == STRATEGY_ROW_TAPS:
            _max_row_planar(x + n * in_plane, y + row * ow_size,
                            indices + row * ow_size if indices != NULL else NULL, winner, t,
                            od, oh)
        else:
            for ow in range(ow_size):
                at = (row * ow_size + ow) * channels
                _max_window(plane, y + at, indices + at if indices != NULL else NULL, winner,
                            t, od, oh, ow, channels)
        next_row(t.out_size[0], t.out_size[1], &n, &od, &oh)


cdef int _max_forward_table(const max_t* x, max_t* y, index_t* indices, const window_table_t* t,
                            const pool_geometry_t* g, int64_t outer, int64_t channels,
                            int num_threads) noexcept nogil:
    cdef int64_t rows = outer * t.out_size[0] * t.out_size[1]
    cdef int64_t chunk, chunks
    cdef int strategy = choose_strategy(OP_MAX, t, g, channels, indices != NULL)
    cdef separable_t w
    # Per-thread scratch, allocated once, each thread's padded to whole cache
    # lines (threads writing neighbouring slots of one line would keep stealing it
    # from each other): winner slots for one row (or one window) with indices; the
    # separable strategy's rows.
    cdef int64_t scratch = 0
    cdef void* scratches = NULL
    cdef size_t item = sizeof(int32_t)
    cdef int64_t inner_lo = 0, inner_hi = 0
    cdef bint scan_nan = False
    CYPOOL_COUNT_STRATEGY(strategy)
    # Separable passes read each element about five times, whatever the window.
    cdef int64_t reads = 5 if strategy == STRATEGY_SEPARABLE else window_reads(t)
    num_threads = threads_for(rows * t.out_size[2] * channels * reads, num_threads)
    if max_t is float or max_t is double:
        scan_nan = strategy == STRATEGY_WHOLE_WINDOWS and _windows_overlap(t)
    if t.regular:
        interior_outputs(t, &inner_lo, &inner_hi)
    if strategy == STRATEGY_SEPARABLE:
        w.kernel_h, w.kernel_w = g.kernel_size[1], g.kernel_size[2]
        w.pad_h, w.pad_w = g.pad_before[1], g.pad_before[2]
        item = sizeof(max_t)
        scratch = cache_lines(_separable_scratch(t, &w, channels), item)
    elif indices != NULL:
        if not _taps_fit_int32(t):
            return -2
        scratch = cache_lines(t.out_size[2] if strategy == STRATEGY_ROW_TAPS else channels, item)
    if scratch > 0:
        scratches = malloc(max(num_threads, 1) * scratch * item)
        if scratches == NULL:
            return -1
    if num_threads <= 1:
        # No parallel region: opening one costs more than a small call's work.
        if strategy == STRATEGY_SEPARABLE:
            _max_separable_chunk(x, y, t, &w, 0, rows, channels, <max_t*> scratches)
        else:
            _max_forward_rows(x, y, indices, <int32_t*> scratches, t, 0, rows, channels,
                              strategy, inner_lo, inner_hi, scan_nan)
    else:
        # Chunks of whole output rows: rows never share output memory.
        chunks = min(rows, num_threads * ROW_CHUNKS_PER_THREAD)
        for chunk in prange(chunks, num_threads=num_threads, schedule="dynamic"):
            if strategy == STRATEGY_SEPARABLE:
                _max_separable_chunk(x, y, t, &w, chunk_start(rows, chunks, chunk),
                                     chunk_start(rows, chunks, chunk + 1), channels,
                                     <max_t*> scratches + omp_get_thread_num() * scratch)
            else:
                _max_forward_rows(x, y, indices,
                                  <int32_t*> scratches + omp_get_thread_num() * scratch
                                  if scratches != NULL else NULL, t,
                                  chunk_start(rows, chunks, chunk),
                                  chunk_start(rows, chunks, chunk + 1), channels, strategy,
                                  inner_lo, inner_hi, scan_nan)
    free(scratches)
    return 0


cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = _max_forward_table(x, y, indices, &t, g, outer, channels, num_threads)
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
    status = _max_forward_table(x, y, indices, &t, NULL, outer, channels, num_threads)
    window_table_free(&t)
    return status


cdef inline void _fractional_window(const max_t* plane, int64_t stride, int64_t corner,
                                    int64_t hw_size, int64_t w_size, int64_t k0, int64_t k1,
                                    int64_t k2, max_t* y, index_t* indices) noexcept nogil:
    """The window of k0 x k1 x k2 taps at flat position ``corner`` of a plane whose
    elements are ``stride`` apart, in row-major order with max pooling's rule (the
    first maximum wins, a NaN wins and stays), branch-free: on real data each
    comparison is a coin toss a branch predictor would lose."""
    cdef max_t v, best = lowest_value(y)
    cdef int64_t best_at = corner, row, kd, kh, kw
    cdef bint wins
    for kd in range(k0):
        for kh in range(k1):
            row = corner + kd * hw_size + kh * w_size
            for kw in range(k2):
                v = plane[(row + kw) * stride]
                wins = (v > best) | is_nan(v)
                best = v if wins else best
                best_at = row + kw if wins else best_at
    y[0] = best
    if indices != NULL:
        indices[0] = best_at


cdef int fractional_max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                                     const int64_t* starts, const int64_t* in_size,
                                     const int64_t* out_size, const int64_t* kernel,
                                     int64_t outer, int64_t channels,
                                     int num_threads) noexcept nogil:
    """Each plane (n, c) has its own windows, so a thread takes whole planes."""
    # Sizes in locals: the output stores could alias the size arrays otherwise.
    cdef int64_t od_size = out_size[0], oh_size = out_size[1], ow_size = out_size[2]
    cdef int64_t w_size = in_size[2], hw_size = in_size[1] * in_size[2]
    cdef int64_t k0 = kernel[0], k1 = kernel[1], k2 = kernel[2]
    cdef int64_t in_plane = in_size[0] * hw_size
    cdef int64_t out_plane = od_size * oh_size * ow_size
    cdef int64_t per_plane = od_size + oh_size + ow_size
    cdef int64_t plane, n, c, od, oh, ow, corner, out_at
    cdef const int64_t* start_d
    cdef const int64_t* start_h
    cdef const int64_t* start_w
    cdef const max_t* source
    for plane in prange(outer * channels, nogil=True, num_threads=num_threads,
                        schedule="static"):
        n = plane // channels
        c = plane - n * channels
        start_d = starts + plane * per_plane
        start_h = start_d + od_size
        start_w = start_h + oh_size
        source = x + n * in_plane * channels + c
        out_at = n * out_plane * channels + c
        for od in range(od_size):
            for oh in range(oh_size):
                for ow in range(ow_size):
                    corner = start_d[od] * hw_size + start_h[oh] * w_size + start_w[ow]
                    if channels == 1:   # a literal stride: the common channels-first case
                        _fractional_window(source, 1, corner, hw_size, w_size, k0, k1, k2,
                                           y + out_at,
                                           indices + out_at if indices != NULL else NULL)
                    else:
                        _fractional_window(source, channels, corner, hw_size, w_size, k0, k1,
                                           k2, y + out_at,
                                           indices + out_at if indices != NULL else NULL)
                    out_at = out_at + channels
    return 0


cdef inline void _zero_channels(max_t* target, int64_t first, int64_t end, int64_t channels,
                                int64_t c0, int64_t c1) noexcept nogil:
    """Zero channels c0 <= c < c1 of target positions first <= p < end."""
    cdef int64_t p, c
    if c0 == 0 and c1 == channels:     # the unit owns every channel: one contiguous block
        if end > first:
            memset(target + first * channels, 0, (end - first) * channels * sizeof(max_t))
        return
    for p in range(first, end):
        for c in range(c0, c1):
            target[p * channels + c] = 0


cdef inline int64_t _zero_up_to(max_t* target, int64_t zeroed, int64_t index, int64_t ahead,
                                int64_t target_size, int64_t channels, int64_t c0,
                                int64_t c1) noexcept nogil:
    """Advance the zeroing watermark past ``index`` (and ``ahead`` beyond); the new mark."""
    cdef int64_t end = min(max(index + 1, zeroed + ahead), target_size)
    _zero_channels(target, zeroed, end, channels, c0, c1)
    return end


cdef inline int64_t _route_block(const max_t* source, const index_t* indices, max_t* target,
                                 int64_t count, int64_t target_size, int64_t channels,
                                 int64_t c0, int64_t c1, bint accumulate) noexcept nogil:
    """For channels c0 <= c < c1 of one channels-last slice, in increasing o:
    target[indices[o, c], c] (+)= source[o, c], after zeroing those channels of
    every target position.  Returns how many indices fall outside [0, target_size).

    Zeroing is lazy: positions below the watermark ``zeroed`` are zero or
    written; an index at or past it first zeroes up to it and a little beyond.
    Pooling's indices mostly grow with o, so the zeroes are written just ahead of
    the scatter, in cache, instead of in a separate pass over memory.  The outputs
    go in runs of about SCATTER_RUN indices: a run first takes its largest index (a
    vector reduction); when that is in range, one watermark check covers the run and
    its scatter runs unchecked, else the run is checked index by index."""
    cdef int64_t o, c, e, q, first, last, i, bad = 0, zeroed = 0
    cdef uint64_t largest
    cdef bint whole_rows = c0 == 0 and c1 == channels
    cdef int64_t per_run = max(1, SCATTER_RUN // (c1 - c0))
    cdef int64_t ahead = max(1, ZERO_AHEAD_BYTES // (channels * <int64_t> sizeof(max_t)))
    for q in range((count + per_run - 1) // per_run):
        first = q * per_run
        last = min(first + per_run, count)
        largest = 0
        if whole_rows:      # the run's indices are contiguous
            for e in range(first * channels, last * channels):
                largest = max(largest, <uint64_t> indices[e])
        else:
            for o in range(first, last):
                for c in range(c0, c1):
                    largest = max(largest, <uint64_t> indices[o * channels + c])
        if largest < <uint64_t> target_size:
            if <int64_t> largest >= zeroed:
                zeroed = _zero_up_to(target, zeroed, largest, ahead, target_size, channels,
                                     c0, c1)
            for o in range(first, last):
                for c in range(c0, c1):
                    e = o * channels + c
                    if accumulate:
                        target[indices[e] * channels + c] += source[e]
                    else:
                        target[indices[e] * channels + c] = source[e]
            continue
        for o in range(first, last):
            for c in range(c0, c1):
                e = o * channels + c
                i = indices[e]
                if <uint64_t> i >= <uint64_t> target_size:
                    bad += 1
                    continue
                if i >= zeroed:
                    zeroed = _zero_up_to(target, zeroed, i, ahead, target_size, channels,
                                         c0, c1)
                if accumulate:
                    target[i * channels + c] += source[e]
                else:
                    target[i * channels + c] = source[e]
    _zero_channels(target, zeroed, target_size, channels, c0, c1)
    return bad


cdef int64_t _route(const max_t* source, const index_t* indices, max_t* target, int64_t outer,
                    int64_t channels, int64_t count, int64_t target_size, bint accumulate,
                    int num_threads) noexcept nogil:
    # A unit owns one (n, channel block) of target: it alone zeroes and writes those
    # elements, in increasing source order, so results do not depend on the thread
    # count (and sums match PyTorch's serial scatter bit for bit).
    cdef int64_t blocks = (channels + CHANNEL_BLOCK - 1) // CHANNEL_BLOCK
    cdef int64_t unit, n, c0, c1
    cdef int64_t bad = 0
    num_threads = threads_for(outer * channels * (count + target_size), num_threads)
    for unit in prange(outer * blocks, num_threads=num_threads, schedule="static"):
        n = unit // blocks
        c0 = (unit % blocks) * CHANNEL_BLOCK
        c1 = min(c0 + CHANNEL_BLOCK, channels)
        if channels == 1:     # literal sizes: the channel loops fold away
            bad += _route_block(source + n * count, indices + n * count,
                                target + n * target_size, count, target_size, 1, 0, 1,
                                accumulate)
        else:
            bad += _route_block(source + n * count * channels, indices + n * count * channels,
                                target + n * target_size * channels, count, target_size,
                                channels, c0, c1, accumulate)
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
    cdef int64_t unit, o, c, i, at
    cdef int64_t bad = 0
    num_threads = threads_for(outer * channels * in_plane, num_threads)
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


# --- Python entry points -----------------------------------------------------------------
# The façade hands over C-contiguous arrays of one accepted dtype (it validated them);
# one switch on the dtype picks the kernel specialization, cheaper than a fused def.
# float16, and Lp pooling's |x| (transform=inf), run staged (cypool._staging) in
# float32, or float64 for the |x| of integers and float64.

ctypedef struct _call_t:
    int entry
    const pool_geometry_t* geometry
    int64_t in_size[3]
    int64_t out_size[3]
    int64_t outer
    int64_t channels
    int64_t source_plane
    int64_t target_plane
    index_t* indices
    char work_kind     # the type a staged call's kernel runs on (kind, itemsize)
    int work_size
    const int64_t* starts       # fractional pooling's interval starts (see the .pxd)
    int64_t kernel[3]
    int num_threads

cdef enum:
    FORWARD = 0
    ADAPTIVE_FORWARD = 1
    BACKWARD = 2
    UNPOOL_FORWARD = 3
    UNPOOL_BACKWARD = 4
    FRACTIONAL_FORWARD = 5


cdef int64_t _run(max_t* tag, const void* source, void* target,
                  const _call_t* call) noexcept nogil:
    cdef const max_t* src = <const max_t*> source
    cdef max_t* dst = <max_t*> target
    if call.entry == FORWARD:
        return max_pool_forward(src, dst, call.indices, call.geometry, call.outer, call.channels,
                                call.num_threads)
    if call.entry == ADAPTIVE_FORWARD:
        return adaptive_max_pool_forward(src, dst, call.indices, call.in_size, call.out_size,
                                         call.outer, call.channels, call.num_threads)
    if call.entry == FRACTIONAL_FORWARD:
        return fractional_max_pool_forward(src, dst, call.indices, call.starts, call.in_size,
                                           call.out_size, call.kernel, call.outer,
                                           call.channels, call.num_threads)
    if call.entry == BACKWARD:
        return max_pool_backward(src, call.indices, dst, call.outer, call.channels,
                                 call.source_plane, call.target_plane, call.num_threads)
    if call.entry == UNPOOL_FORWARD:
        return max_unpool_forward(src, call.indices, dst, call.outer, call.channels,
                                  call.source_plane, call.target_plane, call.num_threads)
    return max_unpool_backward(src, call.indices, dst, call.outer, call.channels,
                               call.target_plane, call.source_plane, call.num_threads)


cdef inline int64_t _product(const int64_t* sizes) noexcept nogil:
    return sizes[0] * sizes[1] * sizes[2]


cdef void _slabs(const _call_t* call, int64_t* source_slab, int64_t* target_slab,
                 int64_t* index_slab) noexcept nogil:
    """Elements of one outer unit in the source, the target and the indices."""
    if call.entry == FORWARD:
        source_slab[0] = _product(call.geometry.in_size) * call.channels
        target_slab[0] = _product(call.geometry.out_size) * call.channels
    elif call.entry == ADAPTIVE_FORWARD or call.entry == FRACTIONAL_FORWARD:
        source_slab[0] = _product(call.in_size) * call.channels
        target_slab[0] = _product(call.out_size) * call.channels
    else:
        source_slab[0] = call.source_plane * call.channels
        target_slab[0] = call.target_plane * call.channels
    # Indices are shaped like the pooled side: the forward output, or the scatter's
    # source; unpool backward's like its target.
    index_slab[0] = target_slab[0] if call.entry in (FORWARD, ADAPTIVE_FORWARD,
                                                     FRACTIONAL_FORWARD,
                                                     UNPOOL_BACKWARD) else source_slab[0]


cdef int64_t _run_typed(char kind, int size, const void* source, void* target,
                        const _call_t* call) noexcept nogil:
    """_run for the element type (kind, itemsize); -9 for a type with no kernel."""
    if kind == b'f':
        if size == 4:
            return _run(<float*> NULL, source, target, call)
        if size == 8:
            return _run(<double*> NULL, source, target, call)
    elif kind == b'i':
        if size == 1:
            return _run(<int8_t*> NULL, source, target, call)
        if size == 2:
            return _run(<int16_t*> NULL, source, target, call)
        if size == 4:
            return _run(<int32_t*> NULL, source, target, call)
        if size == 8:
            return _run(<int64_t*> NULL, source, target, call)
    elif kind == b'u':
        if size == 1:
            return _run(<uint8_t*> NULL, source, target, call)
        if size == 2:
            return _run(<uint16_t*> NULL, source, target, call)
        if size == 4:
            return _run(<uint32_t*> NULL, source, target, call)
        if size == 8:
            return _run(<uint64_t*> NULL, source, target, call)
    return -9


cdef int64_t _run_slab(const void* source, void* target, int64_t first, int64_t count,
                       const void* context, int num_threads) noexcept nogil:
    """The kernel on outer units [first, first + count) of a staged call."""
    cdef _call_t call = (<const _call_t*> context)[0]
    cdef int64_t source_slab, target_slab, index_slab
    _slabs(&call, &source_slab, &target_slab, &index_slab)
    call.outer = count
    call.num_threads = num_threads
    if call.indices != NULL:
        call.indices = call.indices + first * index_slab
    if call.entry == FRACTIONAL_FORWARD:     # the slab's planes' own interval starts
        call.starts = call.starts + first * call.channels * (
            call.out_size[0] + call.out_size[1] + call.out_size[2])
    return _run_typed(call.work_kind, call.work_size, source, target, &call)


cdef int64_t _stage_and_run(cnp.ndarray source, cnp.ndarray target, object indices,
                            _call_t* call, double transform=0, bint flip=False) except? -9:
    """Run ``call`` on the arrays' type, staged (cypool._staging) where the kernels
    do not compute in it: float16 and bfloat16 in float32, |x| for Lp pooling with
    p = inf (``transform``), order-reversed bits for min pooling (``flip``)."""
    cdef void* a = cnp.PyArray_DATA(source)
    cdef void* b = cnp.PyArray_DATA(target)
    cdef char kind = source.descr.kind
    cdef int size = source.descr.itemsize
    cdef int64_t result, source_slab, target_slab, index_slab
    cdef convert_fn stage_in = terms_of(kind, size)
    cdef convert_fn stage_out = NULL
    cdef size_t target_item = target.descr.itemsize
    cdef bint half = is_half(kind, size)
    call.indices = NULL if indices is None else <index_t*> cnp.PyArray_DATA(indices)
    call.work_kind, call.work_size = b'f', work_item_of(kind, size)
    if flip and half:
        stage_in = flipped_halves_to_floats if kind == b'f' else flipped_bf16s_to_floats
        stage_out = floats_to_flipped_halves if kind == b'f' else floats_to_flipped_bf16s
    elif flip:      # the stored type itself, bits reversed in and out
        stage_in = stage_out = flip_of(kind, size)
        call.work_kind, call.work_size = kind, size
    elif half:
        stage_out = narrowing_of(kind)
    elif transform != 0 and (target.descr.itemsize != work_item_of(kind, size)
                             or target.descr.kind != b'f'):
        raise TypeError("internal: no staged max kernel from %s to %s"
                        % (source.dtype, target.dtype))
    if transform != 0 or half or flip:
        _slabs(call, &source_slab, &target_slab, &index_slab)
        with nogil:
            result = staged_run(a, b, call.outer, source_slab, target_slab, size,
                                target_item, call.work_size, stage_in, stage_out, transform,
                                _run_slab, call, call.num_threads)
        if result == -9:
            raise TypeError("internal: no max kernel for dtype %s" % source.dtype)
        return result
    if source.descr.type_num != target.descr.type_num:
        raise TypeError("internal: source and target dtypes differ")
    with nogil:
        result = _run_typed(kind, size, a, b, call)
    if result == -9:
        raise TypeError("internal: no max kernel for dtype %s" % source.dtype)
    return result


def strategy_counts():
    """Max forward calls per strategy since import, indexed by the STRATEGY_*
    values of cypool/_window_pass.pxd (cypool._strategy names them)."""
    return [cypool_strategy_calls[s] for s in range(STRATEGY_COUNT)]


def _raise_for(int64_t status, str name):
    if status == -1:
        raise MemoryError("%s: cannot allocate the kernel's work tables" % name)
    if status == -2:
        raise ValueError("kernel_size: %s with return_indices needs every window to span "
                         "fewer than 2**31 input positions" % name)


def max_pool_forward_call(cnp.ndarray x, cnp.ndarray y, object indices, Geometry geometry,
                          int64_t outer, int64_t channels, int num_threads,
                          bint absolute=False, bint minimum=False):
    """Run max_pool_forward (``indices`` may be None); with ``absolute``, of |x|
    (Lp pooling with p = inf: y is float64 for integer x); with ``minimum``, min
    pooling (max pooling of order-reversed values, so its rules mirror max's)."""
    cdef _call_t call
    call.entry = FORWARD
    call.geometry = &geometry.c
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    _raise_for(_stage_and_run(x, y, indices, &call, INFINITY if absolute else 0, minimum),
               "min_pool" if minimum else "max_pool")


def adaptive_max_pool_forward_call(cnp.ndarray x, cnp.ndarray y, object indices,
                                   tuple in_size, tuple out_size, int64_t outer,
                                   int64_t channels, int num_threads, bint minimum=False):
    """Run adaptive_max_pool_forward (of order-reversed values with ``minimum``);
    sizes are 3-tuples (leading 1s for 1-D/2-D)."""
    cdef _call_t call
    call.entry = ADAPTIVE_FORWARD
    call.in_size = in_size
    call.out_size = out_size
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    _raise_for(_stage_and_run(x, y, indices, &call, 0, minimum), "adaptive_max_pool")


def fractional_max_pool_forward_call(cnp.ndarray x, cnp.ndarray y, object indices,
                                     cnp.ndarray starts, tuple in_size, tuple out_size,
                                     tuple kernel, int64_t outer, int64_t channels,
                                     int num_threads):
    """Run fractional_max_pool_forward; sizes are 3-tuples (leading 1s for 2-D),
    ``starts`` a C-contiguous int64 array (outer * channels, sum(out_size)), every
    window inside the input (the caller checks)."""
    cdef _call_t call
    call.entry = FRACTIONAL_FORWARD
    call.in_size = in_size
    call.out_size = out_size
    call.kernel = kernel
    call.starts = <const int64_t*> cnp.PyArray_DATA(starts)
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    _raise_for(_stage_and_run(x, y, indices, &call), "fractional_max_pool")


def route_call(str operation, cnp.ndarray source, cnp.ndarray indices, cnp.ndarray target,
               int64_t outer, int64_t channels, int64_t source_plane, int64_t target_plane,
               int num_threads):
    """Run max_pool_backward, max_unpool_forward or max_unpool_backward (by name);
    returns the number of out-of-range indices."""
    cdef _call_t call
    call.entry = {"max_pool_backward": BACKWARD, "max_unpool_forward": UNPOOL_FORWARD,
                  "max_unpool_backward": UNPOOL_BACKWARD}[operation]
    call.outer, call.channels, call.num_threads = outer, channels, num_threads
    call.source_plane, call.target_plane = source_plane, target_plane
    result = _stage_and_run(source, target, indices, &call)
    _raise_for(result, operation)
    return result


# The C API (cypool/cypool_api.h) takes this module's specialisations in max_t's
# order; cypool._c_api copies them from the variant that cypool._variants loaded.
cdef void* _c_entry_points[20]
_c_entry_points[:10] = [
    <void*> max_pool_forward[float], <void*> max_pool_forward[double],
    <void*> max_pool_forward[int8_t], <void*> max_pool_forward[uint8_t],
    <void*> max_pool_forward[int16_t], <void*> max_pool_forward[uint16_t],
    <void*> max_pool_forward[int32_t], <void*> max_pool_forward[uint32_t],
    <void*> max_pool_forward[int64_t], <void*> max_pool_forward[uint64_t]]
_c_entry_points[10:] = [
    <void*> max_pool_backward[float], <void*> max_pool_backward[double],
    <void*> max_pool_backward[int8_t], <void*> max_pool_backward[uint8_t],
    <void*> max_pool_backward[int16_t], <void*> max_pool_backward[uint16_t],
    <void*> max_pool_backward[int32_t], <void*> max_pool_backward[uint32_t],
    <void*> max_pool_backward[int64_t], <void*> max_pool_backward[uint64_t]]


def c_entry_points():
    """A capsule of void*[20]: max_pool_forward, then max_pool_backward, per max_t type."""
    return PyCapsule_New(<void*> _c_entry_points, b"cypool.max_pool_entry_points", NULL)
