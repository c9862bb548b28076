"""Window geometry: validation, output sizes and the tables kernels iterate.

This module owns the output-size arithmetic (PyTorch's rule, extended with
asymmetric and "same" padding) for every pooling function.  ``cypool._args``
parses Python arguments and turns the status codes returned here into
messages; other extensions use the same rules through ``geometry_resolve``.
"""
from libc.stdlib cimport malloc, free
from libc.string cimport memset


cdef inline int64_t _ceil_div(int64_t a, int64_t b) noexcept nogil:
    # a >= 0, b > 0
    return (a + b - 1) // b


cdef inline int64_t _first_valid_tap(int64_t start, int64_t dilation) noexcept nogil:
    # Smallest tap t with start + t * dilation >= 0.
    if start >= 0:
        return 0
    return _ceil_div(-start, dilation)


cdef int _check_window(const int64_t* kernel_size, const int64_t* stride,
                       const int64_t* dilation, const int64_t* pad_before,
                       const int64_t* pad_after, int ndim, int* bad_dim) noexcept nogil:
    """The one check of the window arguments (pooling and unpooling): kernel_size,
    stride and dilation >= 1 and padding >= 0 in every dim ("same" pads are
    resolved later and are never negative)."""
    cdef int d
    for d in range(ndim):
        bad_dim[0] = d
        if kernel_size[d] < 1:
            return GEOMETRY_BAD_KERNEL_SIZE
        if stride[d] < 1:
            return GEOMETRY_BAD_STRIDE
        if dilation[d] < 1:
            return GEOMETRY_BAD_DILATION
        if pad_before[d] < 0 or pad_after[d] < 0:
            return GEOMETRY_NEGATIVE_PADDING
    bad_dim[0] = -1
    return GEOMETRY_OK


cdef int geometry_resolve(pool_geometry_t* g, bint same_padding, int* bad_dim) noexcept nogil:
    """Validate ``g`` and fill its output sizes (and pads, for "same").

    Returns GEOMETRY_OK or the first problem found, with its dim in ``bad_dim``.
    """
    cdef int d
    cdef int64_t n, k, s, dil, extent, total, span, out, o, start, t0
    cdef int status
    if same_padding:    # the pads are computed below; whatever the caller left is ignored
        for d in range(MAX_SPATIAL_DIMS):
            g.pad_before[d] = 0
            g.pad_after[d] = 0
    status = _check_window(g.kernel_size, g.stride, g.dilation, g.pad_before, g.pad_after,
                           MAX_SPATIAL_DIMS, bad_dim)
    if status != GEOMETRY_OK:
        return status
    for d in range(MAX_SPATIAL_DIMS):
        bad_dim[0] = d
        n = g.in_size[d]
        k = g.kernel_size[d]
        s = g.stride[d]
        dil = g.dilation[d]
        if n < 1:
            return GEOMETRY_BAD_INPUT_SIZE
        extent = dil * (k - 1) + 1
        if same_padding:
            # TensorFlow/ONNX SAME_UPPER: output = ceil(n / s), odd padding at the end.
            total = (_ceil_div(n, s) - 1) * s + extent - n
            if total < 0:
                total = 0
            g.pad_before[d] = total // 2
            g.pad_after[d] = total - total // 2
        span = n + g.pad_before[d] + g.pad_after[d] - extent
        if span < 0:
            return GEOMETRY_EMPTY_OUTPUT
        if g.ceil_mode:
            out = _ceil_div(span, s) + 1
            # PyTorch: the last window must start inside the input or the left padding.
            if (out - 1) * s >= n + g.pad_before[d]:
                out -= 1
        else:
            out = span // s + 1
        g.out_size[d] = out
        for o in range(out):
            start = o * s - g.pad_before[d]
            t0 = _first_valid_tap(start, dil)
            if t0 >= k or start + t0 * dil >= n:
                return GEOMETRY_PADDING_ONLY_WINDOW
    bad_dim[0] = -1
    return GEOMETRY_OK


cdef int _table_alloc(window_table_t* table, const int64_t* in_size,
                      const int64_t* out_size, int64_t runs) noexcept nogil:
    cdef int d
    cdef int64_t total = 2 * runs
    cdef int64_t* cursor
    for d in range(MAX_SPATIAL_DIMS):
        total += 3 * out_size[d]
    table.block = <int64_t*> malloc(total * sizeof(int64_t))
    if table.block == NULL:
        return -1
    cursor = table.block
    for d in range(MAX_SPATIAL_DIMS):
        table.in_size[d] = in_size[d]
        table.out_size[d] = out_size[d]
        table.first[d] = cursor
        table.taps[d] = cursor + out_size[d]
        table.padded_taps[d] = cursor + 2 * out_size[d]
        cursor += 3 * out_size[d]
    table.run_lo = cursor
    table.run_hi = cursor + runs
    return 0


cdef int window_table_init(window_table_t* table, const pool_geometry_t* g) noexcept nogil:
    cdef int d
    cdef int64_t o, start, t0, t_last, t_padded, dil, n, e, offset, w = MAX_SPATIAL_DIMS - 1
    if _table_alloc(table, g.in_size, g.out_size, g.kernel_size[w]) < 0:
        return -1
    for d in range(MAX_SPATIAL_DIMS):
        dil = g.dilation[d]
        n = g.in_size[d]
        table.step[d] = dil
        for o in range(g.out_size[d]):
            start = o * g.stride[d] - g.pad_before[d]
            # geometry_resolve guarantees start + t0 * dil <= n - 1, so these are >= 0.
            if dil == 1:    # no divisions: they would cost more than the pooling of a row
                t0 = max(0, -start)
                t_last = min(g.kernel_size[d] - 1, n - 1 - start)
                t_padded = min(g.kernel_size[d] - 1, n + g.pad_after[d] - 1 - start)
            else:
                t0 = _first_valid_tap(start, dil)
                t_last = min(g.kernel_size[d] - 1, (n - 1 - start) // dil)
                t_padded = min(g.kernel_size[d] - 1, (n + g.pad_after[d] - 1 - start) // dil)
            table.first[d][o] = start + t0 * dil
            table.taps[d][o] = t_last - t0 + 1
            table.padded_taps[d][o] = t_padded + 1
    table.regular = 1
    table.divide_per_dim = 0
    table.kernel_w = g.kernel_size[w]
    table.stride_w = g.stride[w]
    table.pad_w = g.pad_before[w]
    # Tap e of output o reads column o * stride - pad + e * dilation: in bounds for
    # run_lo[e] <= o < run_hi[e].
    n = g.in_size[w]
    for e in range(g.kernel_size[w]):
        offset = e * g.dilation[w] - g.pad_before[w]
        table.run_lo[e] = 0 if offset >= 0 else min(_ceil_div(-offset, g.stride[w]),
                                                    g.out_size[w])
        table.run_hi[e] = table.run_lo[e]
        if n - 1 - offset >= 0:
            table.run_hi[e] = max(table.run_lo[e],
                                  min(g.out_size[w], (n - 1 - offset) // g.stride[w] + 1))
    return 0


cdef int window_table_init_adaptive(window_table_t* table, const int64_t* in_size,
                                    const int64_t* out_size) noexcept nogil:
    """PyTorch's adaptive bins: output o of n_out covers [floor(o*n/n_out), ceil((o+1)*n/n_out))."""
    cdef int d
    cdef int64_t o, start, end
    cdef pool_geometry_t even
    cdef bint divisible = out_size[MAX_SPATIAL_DIMS - 1] > 1
    for d in range(MAX_SPATIAL_DIMS):
        divisible = divisible and in_size[d] % out_size[d] == 0
    if divisible:
        # Bins of equal size are plain windows (kernel = stride = in / out): a
        # regular table lets the row kernels run.  Global pooling (one output
        # along W) keeps the window-at-a-time path, which suits one long window.
        for d in range(MAX_SPATIAL_DIMS):
            even.in_size[d] = in_size[d]
            even.out_size[d] = out_size[d]
            even.kernel_size[d] = even.stride[d] = in_size[d] // out_size[d]
            even.pad_before[d] = even.pad_after[d] = 0
            even.dilation[d] = 1
        even.ceil_mode = 0
        if window_table_init(table, &even) < 0:
            return -1
        table.divide_per_dim = 1
        return 0
    if _table_alloc(table, in_size, out_size, 0) < 0:
        return -1
    for d in range(MAX_SPATIAL_DIMS):
        table.step[d] = 1
        for o in range(out_size[d]):
            start = (o * in_size[d]) // out_size[d]
            end = _ceil_div((o + 1) * in_size[d], out_size[d])
            table.first[d][o] = start
            table.taps[d][o] = end - start
            table.padded_taps[d][o] = end - start
    table.regular = 0
    table.divide_per_dim = 1
    table.kernel_w = 0
    table.stride_w = 0
    table.pad_w = 0
    return 0


cdef void window_table_free(window_table_t* table) noexcept nogil:
    free(table.block)
    table.block = NULL


cdef int coverage_table_init(coverage_table_t* table, const window_table_t* windows) noexcept nogil:
    cdef int d
    cdef int64_t total = 0, o, i, x, step
    cdef int64_t* cursor
    for d in range(MAX_SPATIAL_DIMS):
        total += windows.in_size[d] + 1
        for o in range(windows.out_size[d]):
            total += windows.taps[d][o]
    table.block = <int64_t*> malloc(total * sizeof(int64_t))
    if table.block == NULL:
        return -1
    cursor = table.block
    for d in range(MAX_SPATIAL_DIMS):
        step = windows.step[d]
        table.offsets[d] = cursor
        cursor += windows.in_size[d] + 1
        table.outputs[d] = cursor
        memset(table.offsets[d], 0, (windows.in_size[d] + 1) * sizeof(int64_t))
        for o in range(windows.out_size[d]):
            for i in range(windows.taps[d][o]):
                table.offsets[d][windows.first[d][o] + i * step + 1] += 1
        for x in range(windows.in_size[d]):
            table.offsets[d][x + 1] += table.offsets[d][x]
        cursor += table.offsets[d][windows.in_size[d]]
        # Fill in increasing output order, so each list comes out sorted; the
        # offsets array doubles as the fill cursor and is restored afterwards.
        for o in range(windows.out_size[d]):
            for i in range(windows.taps[d][o]):
                x = windows.first[d][o] + i * step
                table.outputs[d][table.offsets[d][x]] = o
                table.offsets[d][x] += 1
        for x in range(windows.in_size[d] - 1, 0, -1):
            table.offsets[d][x] = table.offsets[d][x - 1]
        table.offsets[d][0] = 0
    return 0


cdef void coverage_table_free(coverage_table_t* table) noexcept nogil:
    free(table.block)
    table.block = NULL


cdef int geometry_init(pool_geometry_t* g, int ndim, const int64_t* in_size,
                       const int64_t* kernel_size, const int64_t* stride,
                       const int64_t* pad_before, const int64_t* pad_after,
                       const int64_t* dilation, bint ceil_mode, bint same_padding,
                       int* bad_dim) noexcept nogil:
    cdef int lead = MAX_SPATIAL_DIMS - ndim
    cdef int d, status
    if ndim < 1 or ndim > MAX_SPATIAL_DIMS:
        bad_dim[0] = -1
        return GEOMETRY_BAD_INPUT_SIZE
    for d in range(MAX_SPATIAL_DIMS):
        if d < lead:
            g.in_size[d] = 1
            g.kernel_size[d] = 1
            g.stride[d] = 1
            g.pad_before[d] = 0
            g.pad_after[d] = 0
            g.dilation[d] = 1
        else:
            g.in_size[d] = in_size[d - lead]
            g.kernel_size[d] = kernel_size[d - lead]
            g.stride[d] = stride[d - lead]
            g.pad_before[d] = pad_before[d - lead]
            g.pad_after[d] = pad_after[d - lead]
            g.dilation[d] = dilation[d - lead]
        g.out_size[d] = 0
    g.ceil_mode = ceil_mode
    status = geometry_resolve(g, same_padding, bad_dim)
    if bad_dim[0] >= 0:
        bad_dim[0] -= lead
    return status


cdef class Geometry:
    """Resolved window geometry over ``ndim`` spatial dims (immutable from Python).

    Built by ``cypool._args.window_geometry``; kernels read the C struct directly.
    """

    def __cinit__(self, in_size, kernel_size, stride, pad_before, pad_after, dilation,
                  bint ceil_mode, bint same_padding=False):
        cdef int64_t values[6][3]
        cdef int nd = len(in_size)
        cdef int d, bad = -1
        if not 1 <= nd <= MAX_SPATIAL_DIMS:
            raise ValueError("between 1 and 3 spatial dims are supported, got %d" % nd)
        for d in range(nd):
            values[0][d] = in_size[d]
            values[1][d] = kernel_size[d]
            values[2][d] = stride[d]
            values[3][d] = pad_before[d]
            values[4][d] = pad_after[d]
            values[5][d] = dilation[d]
        self.ndim = nd
        with nogil:
            self.status = geometry_init(&self.c, nd, values[0], values[1], values[2], values[3],
                                        values[4], values[5], ceil_mode, same_padding, &bad)
        self.bad_dim = bad

    cdef tuple _trailing(self, const int64_t* values):
        return tuple(values[d] for d in range(MAX_SPATIAL_DIMS - self.ndim, MAX_SPATIAL_DIMS))

    @property
    def in_size(self):
        return self._trailing(self.c.in_size)

    @property
    def out_size(self):
        return self._trailing(self.c.out_size)

    @property
    def kernel_size(self):
        return self._trailing(self.c.kernel_size)

    @property
    def stride(self):
        return self._trailing(self.c.stride)

    @property
    def pad_before(self):
        return self._trailing(self.c.pad_before)

    @property
    def pad_after(self):
        return self._trailing(self.c.pad_after)

    @property
    def dilation(self):
        return self._trailing(self.c.dilation)

    @property
    def ceil_mode(self):
        return bool(self.c.ceil_mode)

    def __repr__(self):
        return ("Geometry(in_size=%r, out_size=%r, kernel_size=%r, stride=%r, pad_before=%r, "
                "pad_after=%r, dilation=%r, ceil_mode=%r)" % (
                    self.in_size, self.out_size, self.kernel_size, self.stride,
                    self.pad_before, self.pad_after, self.dilation, self.ceil_mode))


def check_window(kernel_size, stride, dilation, pad_before, pad_after):
    """(status, bad dim) of window arguments alone (equal-length int sequences): the
    rule ``Geometry`` applies, for callers with no input size (max_unpool)."""
    cdef int64_t values[5][3]
    cdef int nd = len(kernel_size)
    cdef int d, bad = -1, status
    if not 1 <= nd <= MAX_SPATIAL_DIMS:
        raise ValueError("between 1 and 3 spatial dims are supported, got %d" % nd)
    for d in range(nd):
        values[0][d] = kernel_size[d]
        values[1][d] = stride[d]
        values[2][d] = dilation[d]
        values[3][d] = pad_before[d]
        values[4][d] = pad_after[d]
    status = _check_window(values[0], values[1], values[2], values[3], values[4], nd, &bad)
    return status, bad


GEOMETRY_STATUS = {
    "ok": GEOMETRY_OK,
    "bad_input_size": GEOMETRY_BAD_INPUT_SIZE,
    "bad_kernel_size": GEOMETRY_BAD_KERNEL_SIZE,
    "bad_stride": GEOMETRY_BAD_STRIDE,
    "bad_dilation": GEOMETRY_BAD_DILATION,
    "negative_padding": GEOMETRY_NEGATIVE_PADDING,
    "empty_output": GEOMETRY_EMPTY_OUTPUT,
    "padding_only_window": GEOMETRY_PADDING_ONLY_WINDOW,
}
