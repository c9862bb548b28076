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
from libc.string cimport memset

from libc.math cimport INFINITY

from cypool._staging cimport (
    convert_fn, flip_of, flipped_bf16s_to_floats, flipped_halves_to_floats,
    floats_to_flipped_bf16s, floats_to_flipped_halves, is_half, narrowing_of, staged_run,
    terms_of, work_item_of)
from cypool._typedefs cimport index_t, max_t
from cypool._window_pass cimport (
    OP_MAX, STRATEGY_COUNT, is_nan, lowest_value, threads_for)
from cypool._geometry cimport (
    Geometry, pool_geometry_t, window_table_t, window_table_init, window_table_init_adaptive,
    window_table_free)

# The forward skeleton, for every element type and the max.
cdef extern from *:
    """
    #define FORWARD_OP CP_OP_MAX
    """
from cypool._typedefs cimport max_t as kernel_t
include "_forward.pxi"

cnp.import_array()

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


cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil:
    cdef window_table_t t
    cdef int status
    if window_table_init(&t, g) < 0:
        return -1
    status = forward_table(x, y, indices, &t, g, outer, channels, False, 0, num_threads)
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
    status = forward_table(x, y, indices, &t, NULL, outer, channels, False, 0, num_threads)
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
