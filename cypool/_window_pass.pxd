# Whole-window passes over the interior of a channels-first output row, shared by
# the max and the average row kernels.  An interior output has every W tap in
# bounds, so its window is n_rows input rows (its in-bounds D x H taps, in
# row-major order) times k adjacent columns starting at i * step.  One pass keeps
# each output's running max or sum in a register and takes its taps in
# row-major order, PyTorch's order, so results stay bit-identical; with the
# row count, stride and kernel width as literals gcc unrolls the taps and
# vectorizes across outputs.  That is 3-4 instructions per output for k2 s2
# (callgrind), against 15 for a pass per kernel row through memory.
from libc.math cimport INFINITY
from libc.stdint cimport INT64_MIN, int8_t, int16_t, int32_t, int64_t

from cypool._geometry cimport window_table_t
from cypool._typedefs cimport max_t

cdef enum:
    # The literal op of a whole-window pass: a sum, PyTorch's max (NaN wins, the
    # last NaN kept), or a max over taps known to hold no NaN, where that rule is
    # exactly ``v > acc ? v : acc`` (one maxps, 2.3x faster than the NaN-aware select).
    OP_SUM = 0
    OP_MAX = 1
    OP_MAX_NAN_FREE = 2

cdef enum:
    # Kernel rows (D x H taps) a whole-window pass takes; more go row by row.
    WINDOW_PASS_MAX_ROWS = 4
    # Channels-last rows of fewer channels are swept element by element
    # (_pass_channels): a vector across so few channels would be mostly empty.
    WINDOW_PASS_FEW_CHANNELS = 8
    # Accumulator elements per chunk of a channels-last sweep (_pass_channels): at
    # least a pixel (stride 4 x 7 channels), and on the stack of every thread.
    SWEEP_ELEMENTS = 1024
    # Parallel forward passes split their output rows into this many contiguous
    # chunks per thread, handed out dynamically (this VM's threads stall at times).
    ROW_CHUNKS_PER_THREAD = 8


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


cdef inline void interior_outputs(const window_table_t* t, int64_t* lo, int64_t* hi) noexcept nogil:
    """[lo, hi): the outputs of a regular table's rows whose W taps are all in
    bounds (lo = hi = 0 if none, or with a dilated W)."""
    cdef int64_t e
    lo[0] = 0
    hi[0] = t.out_size[2]
    for e in range(t.kernel_w):
        lo[0] = max(lo[0], t.run_lo[e])
        hi[0] = min(hi[0], t.run_hi[e])
    if t.step[2] != 1 or hi[0] <= lo[0]:
        lo[0] = hi[0] = 0


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


cdef inline max_t _take(max_t acc, max_t v, int op) noexcept nogil:
    """One tap of a window, in PyTorch's rule for ``op``."""
    if op == OP_SUM:
        return acc + v
    if op == OP_MAX_NAN_FREE:
        return v if v > acc else acc
    return v if (v > acc) | is_nan(v) else acc


cdef inline max_t _finish(max_t acc, int op, max_t d0, max_t d1, max_t d2) noexcept nogil:
    """A window's result: its max, or its sum divided by d0, d1 and d2 in turn
    (PyTorch's single divisor, then 1 and 1, which divide exactly; or adaptive
    pooling's per-dim tap counts)."""
    if op != OP_SUM:
        return acc
    if max_t is float or max_t is double:
        return acc / d0 / d1 / d2
    return acc


cdef inline void _pass(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                       max_t* y, int64_t count, int op, int64_t channels, max_t d0, max_t d1,
                       max_t d2) noexcept nogil:
    """Whole windows of one (channels == 1, a literal: vectorized across outputs)
    or many channels (vectorized across channels)."""
    cdef int64_t i, c, r, e
    cdef max_t acc
    cdef max_t start = lowest_value(y) if op != OP_SUM else 0
    # The max starts from the lowest value, the sum from 0 (so all -0.0 taps sum
    # to +0.0), as in PyTorch.
    if channels == 1:
        # No channel loop at all: even a literal one-trip loop around the taps kept
        # gcc from vectorizing across outputs (14 instead of 2.5 instructions per
        # output on 1-D rows, callgrind).
        for i in range(count):
            acc = start
            for r in range(n_rows):
                for e in range(k):
                    acc = _take(acc, rows[r][i * step + e], op)
            y[i] = _finish(acc, op, d0, d1, d2)
        return
    # Many channels: per output, a contiguous loop over channels per tap, the
    # running values in the output row (in L1).  Keeping them in registers needs
    # gcc to vectorize the channel loop around the unrolled taps, which it did
    # for some windows only (W6's k4 s4: 6x slower than this).
    cdef max_t* out
    cdef const max_t* src
    for i in range(count):
        out = y + i * channels
        for c in range(channels):
            out[c] = start
        for r in range(n_rows):
            for e in range(k):
                src = rows[r] + (i * step + e) * channels
                for c in range(channels):
                    out[c] = _take(out[c], src[c], op)
        if op == OP_SUM:
            for c in range(channels):
                out[c] = _finish(out[c], op, d0, d1, d2)


cdef inline void _pass_channels(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                                max_t* y, int64_t count, int op, int64_t channels,
                                max_t d0, max_t d1, max_t d2) noexcept nogil:
    """_pass for channels-last rows of a few channels (n_rows <= WINDOW_PASS_MAX_ROWS).
    Output i's taps in window row r are rows[r][(i * step + e) * channels + c], so
    every element position m of the interleaved row is swept tap by tap, tap (r, e)
    at offset e * channels, in contiguous vector loops (row-major tap order, as
    PyTorch takes them); then every step-th pixel is kept.  Positions between
    them (step > 1) are computed and dropped: cheaper than per-channel registers,
    which do not vectorize for 3 channels."""
    cdef max_t acc[SWEEP_ELEMENTS]
    cdef const max_t* src
    cdef max_t start = lowest_value(y) if op != OP_SUM else 0
    cdef int64_t pixel = step * channels
    cdef int64_t per_chunk = SWEEP_ELEMENTS // pixel
    cdef int64_t first = 0, n, span, i, c, m, r, e
    while first < count:
        n = min(per_chunk, count - first)
        span = (n - 1) * pixel + channels       # through the chunk's last output
        for m in range(span):
            acc[m] = start
        for r in range(n_rows):
            for e in range(k):
                src = rows[r] + first * pixel + e * channels
                for m in range(span):
                    acc[m] = _take(acc[m], src[m], op)
        for i in range(n):
            for c in range(channels):
                y[(first + i) * channels + c] = _finish(acc[i * pixel + c], op, d0, d1, d2)
        first += n


cdef inline bint window_pass_fits(int64_t n_rows, int64_t step, int64_t k) noexcept nogil:
    """Whether window_pass has a literal loop for these windows (others run too,
    through its runtime-size fallback, but slowly: callers pick another path)."""
    return 1 <= n_rows <= WINDOW_PASS_MAX_ROWS and (
        (step == 2 and (k == 2 or k == 3)) or (step == 1 and k == 3) or (step == 4 and k == 4))


cdef inline void _literal_pass(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                               max_t* y, int64_t count, int op, int64_t channels, max_t d0,
                               max_t d1, max_t d2) noexcept nogil:
    """_pass with literal (rows, stride, kernel) where window_pass_fits, so that
    each inlined copy has its tap loops unrolled; runtime sizes otherwise."""
    if n_rows == 1 and step == 2 and k == 2:
        _pass(rows, 1, 2, 2, y, count, op, channels, d0, d1, d2)
    elif n_rows == 2 and step == 2 and k == 2:
        _pass(rows, 2, 2, 2, y, count, op, channels, d0, d1, d2)
    elif n_rows == 3 and step == 2 and k == 2:
        _pass(rows, 3, 2, 2, y, count, op, channels, d0, d1, d2)
    elif n_rows == 4 and step == 2 and k == 2:
        _pass(rows, 4, 2, 2, y, count, op, channels, d0, d1, d2)
    elif n_rows == 1 and step == 2 and k == 3:
        _pass(rows, 1, 2, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 2 and step == 2 and k == 3:
        _pass(rows, 2, 2, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 3 and step == 2 and k == 3:
        _pass(rows, 3, 2, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 4 and step == 2 and k == 3:
        _pass(rows, 4, 2, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 1 and step == 1 and k == 3:
        _pass(rows, 1, 1, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 2 and step == 1 and k == 3:
        _pass(rows, 2, 1, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 3 and step == 1 and k == 3:
        _pass(rows, 3, 1, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 4 and step == 1 and k == 3:
        _pass(rows, 4, 1, 3, y, count, op, channels, d0, d1, d2)
    elif n_rows == 1 and step == 4 and k == 4:
        _pass(rows, 1, 4, 4, y, count, op, channels, d0, d1, d2)
    elif n_rows == 2 and step == 4 and k == 4:
        _pass(rows, 2, 4, 4, y, count, op, channels, d0, d1, d2)
    elif n_rows == 3 and step == 4 and k == 4:
        _pass(rows, 3, 4, 4, y, count, op, channels, d0, d1, d2)
    elif n_rows == 4 and step == 4 and k == 4:
        _pass(rows, 4, 4, 4, y, count, op, channels, d0, d1, d2)
    else:
        _pass(rows, n_rows, step, k, y, count, op, channels, d0, d1, d2)


cdef inline void window_pass(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                             max_t* y, int64_t count, int op, int64_t channels,
                             max_t d0, max_t d1, max_t d2) noexcept nogil:
    """y[i * channels + c] = max (op OP_MAX / OP_MAX_NAN_FREE), or sum divided by
    d0, d1, d2 (OP_SUM), of rows[r][(i * step + e) * channels + c] over r < n_rows
    and e < k, in that order, for i < count and c < channels.  Fast where
    window_pass_fits; correct for any window."""
    # Every helper is inlined (the kernel modules build with CYTHON_INLINE =
    # always_inline), so each branch is its own copy with literal sizes.
    if channels == 1:
        _literal_pass(rows, n_rows, step, k, y, count, op, 1, d0, d1, d2)
    elif channels == 3:     # RGB images: a literal pixel size for the sweep's compaction
        _pass_channels(rows, n_rows, step, k, y, count, op, 3, d0, d1, d2)
    elif channels < WINDOW_PASS_FEW_CHANNELS:
        _pass_channels(rows, n_rows, step, k, y, count, op, channels, d0, d1, d2)
    else:
        _literal_pass(rows, n_rows, step, k, y, count, op, channels, d0, d1, d2)


cdef inline bint interior_pass(const max_t* plane, max_t* y, const window_table_t* t,
                               int64_t od, int64_t oh, int64_t inner_lo, int64_t inner_hi,
                               int64_t channels, int op, max_t d0, max_t d1,
                               max_t d2) noexcept nogil:
    """The interior outputs [inner_lo, inner_hi) (interior_outputs) of output row
    (od, oh), whose first output is y, by window_pass: maxima, or sums divided by
    d0, d1, d2.  False, with nothing written, for windows window_pass has no loop for."""
    cdef const max_t* rows[WINDOW_PASS_MAX_ROWS]
    cdef int64_t n_rows = t.taps[0][od] * t.taps[1][oh]
    if inner_hi <= inner_lo or not window_pass_fits(n_rows, t.stride_w, t.kernel_w):
        return False
    if channels == 1 and n_rows == 1:
        # Measured, not understood: since the pass got its op and channel literals,
        # gcc's copies for one kernel row of one channel cost ~10 more instructions
        # per output than the row kernels' fused taps (1-D W6: 107 against ~30 ms).
        return False
    window_pass(rows, window_rows(plane, t, od, oh, inner_lo, channels, rows), t.stride_w,
                t.kernel_w, y + inner_lo * channels, inner_hi - inner_lo, op, channels, d0, d1,
                d2)
    return True
