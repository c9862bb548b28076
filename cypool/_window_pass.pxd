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
    # Kernel rows (D x H taps) a whole-window pass takes; more go row by row.
    WINDOW_PASS_MAX_ROWS = 4


cdef inline bint is_nan(max_t v) noexcept nogil:
    if max_t is float or max_t is double:
        return v != v
    else:
        return False


cdef inline max_t lowest_value(max_t like) noexcept nogil:
    """The value every element beats or ties: -inf, or the integer type's minimum."""
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


cdef inline int64_t window_rows(const max_t* plane, const window_table_t* t, int64_t od,
                                int64_t oh, int64_t ow, const max_t** rows) noexcept nogil:
    """Point rows[r] at the first tap of each in-bounds kernel row of window
    (od, oh, ow), row-major, and return their count (at most WINDOW_PASS_MAX_ROWS)."""
    cdef int64_t a, b, n_rows = 0
    cdef int64_t ih_size = t.in_size[1], iw_size = t.in_size[2]
    for a in range(t.taps[0][od]):
        for b in range(t.taps[1][oh]):
            rows[n_rows] = plane + ((t.first[0][od] + a * t.step[0]) * ih_size
                                    + t.first[1][oh] + b * t.step[1]) * iw_size + t.first[2][ow]
            n_rows += 1
    return n_rows


cdef inline void _pass(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                       max_t* y, int64_t count, bint take_max) noexcept nogil:
    cdef int64_t i, r, e
    cdef max_t acc, v
    cdef max_t start = lowest_value(y[0]) if take_max else 0
    for i in range(count):
        # The max starts from the lowest value, the sum from 0 (so all -0.0 taps
        # sum to +0.0), as in PyTorch.
        acc = start
        for r in range(n_rows):
            for e in range(k):
                v = rows[r][i * step + e]
                if take_max:
                    acc = v if (v > acc) | is_nan(v) else acc
                else:
                    acc = acc + v
        y[i] = acc


cdef inline void _pass_rows(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                            max_t* y, int64_t count, bint take_max) noexcept nogil:
    if n_rows == 1:
        _pass(rows, 1, step, k, y, count, take_max)
    elif n_rows == 2:
        _pass(rows, 2, step, k, y, count, take_max)
    elif n_rows == 3:
        _pass(rows, 3, step, k, y, count, take_max)
    else:
        _pass(rows, 4, step, k, y, count, take_max)


cdef inline bint window_pass_fits(int64_t n_rows, int64_t step, int64_t k) noexcept nogil:
    """Whether window_pass has a literal loop for these windows."""
    return 1 <= n_rows <= WINDOW_PASS_MAX_ROWS and (
        (step == 2 and (k == 2 or k == 3)) or (step == 1 and k == 3) or (step == 4 and k == 4))


cdef inline void window_pass(const max_t** rows, int64_t n_rows, int64_t step, int64_t k,
                             max_t* y, int64_t count, bint take_max) noexcept nogil:
    """y[i] = max (take_max) or sum of rows[r][i * step + e] over r < n_rows and
    e < k, in that order, for i < count.  Only where window_pass_fits."""
    if step == 2 and k == 2:
        _pass_rows(rows, n_rows, 2, 2, y, count, take_max)
    elif step == 2 and k == 3:
        _pass_rows(rows, n_rows, 2, 3, y, count, take_max)
    elif step == 1:
        _pass_rows(rows, n_rows, 1, 3, y, count, take_max)
    else:
        _pass_rows(rows, n_rows, 4, 4, y, count, take_max)
