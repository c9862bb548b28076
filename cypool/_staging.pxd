# Staged kernel calls: element types the kernels do not compute in (float16,
# integers for averages) and transformed inputs (Lp pooling's |x|**p) are
# converted slab by slab into per-thread scratch of the compute type, the float
# kernel runs on the slab, and its output is converted back (or written straight
# to the result).  A slab is a group of whole "outer" units (channels-first
# planes, or channels-last images), the unit every kernel is separable over, so
# the staged result equals the kernel's on a converted copy, bit for bit, while
# the extra memory is a few hundred KiB per thread instead of the whole array.
from cython.parallel cimport prange
from libc.stdint cimport int64_t
from libc.stdlib cimport free

from cypool._openmp cimport omp_get_thread_num

cdef extern from "cypool_convert.h":
    void* scratch_alloc "cypool_scratch_alloc"(size_t bytes) noexcept nogil
    void scratch_free "cypool_scratch_free"(void* scratch) noexcept nogil
    void halves_to_floats "cypool_halves_to_floats"(const void* source, void* target,
                                                    int64_t n, double unused,
                                                    const void* along) noexcept nogil
    void floats_to_halves "cypool_floats_to_halves"(const void* source, void* target,
                                                    int64_t n, double unused,
                                                    const void* along) noexcept nogil
    void bf16s_to_floats "cypool_bf16s_to_floats"(const void*, void*, int64_t, double,
                                                  const void*) noexcept nogil
    void floats_to_bf16s "cypool_floats_to_bf16s"(const void*, void*, int64_t, double,
                                                  const void*) noexcept nogil
    void terms_bf16 "cypool_terms_bf16"(const void*, void*, int64_t, double,
                                        const void*) noexcept nogil
    void root_bf16 "cypool_root_bf16"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void flip_sign_16 "cypool_flip_sign_16"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flip_sign_32 "cypool_flip_sign_32"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flip_sign_64 "cypool_flip_sign_64"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flip_bits_8 "cypool_flip_bits_8"(const void*, void*, int64_t, double,
                                          const void*) noexcept nogil
    void flip_bits_16 "cypool_flip_bits_16"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flip_bits_32 "cypool_flip_bits_32"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flip_bits_64 "cypool_flip_bits_64"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void flipped_halves_to_floats "cypool_flipped_halves_to_floats"(
        const void*, void*, int64_t, double, const void*) noexcept nogil
    void floats_to_flipped_halves "cypool_floats_to_flipped_halves"(
        const void*, void*, int64_t, double, const void*) noexcept nogil
    void flipped_bf16s_to_floats "cypool_flipped_bf16s_to_floats"(
        const void*, void*, int64_t, double, const void*) noexcept nogil
    void floats_to_flipped_bf16s "cypool_floats_to_flipped_bf16s"(
        const void*, void*, int64_t, double, const void*) noexcept nogil
    void lp_grad_f32 "cypool_lp_grad_f32"(const void*, void*, int64_t, double,
                                          const void*) noexcept nogil
    void lp_grad_f64 "cypool_lp_grad_f64"(const void*, void*, int64_t, double,
                                          const void*) noexcept nogil
    void lp_ratio_f32 "cypool_lp_ratio_f32"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void lp_ratio_f64 "cypool_lp_ratio_f64"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void terms_f16 "cypool_terms_f16"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_f32 "cypool_terms_f32"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_f64 "cypool_terms_f64"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_i8 "cypool_terms_i8"(const void*, void*, int64_t, double,
                                    const void*) noexcept nogil
    void terms_u8 "cypool_terms_u8"(const void*, void*, int64_t, double,
                                    const void*) noexcept nogil
    void terms_i16 "cypool_terms_i16"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_u16 "cypool_terms_u16"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_i32 "cypool_terms_i32"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_u32 "cypool_terms_u32"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_i64 "cypool_terms_i64"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void terms_u64 "cypool_terms_u64"(const void*, void*, int64_t, double,
                                      const void*) noexcept nogil
    void root_f16 "cypool_root_f16"(const void*, void*, int64_t, double,
                                    const void*) noexcept nogil
    void root_f32 "cypool_root_f32"(const void*, void*, int64_t, double,
                                    const void*) noexcept nogil
    void root_f64 "cypool_root_f64"(const void*, void*, int64_t, double,
                                    const void*) noexcept nogil
    void floats_to_doubles "cypool_floats_to_doubles"(const void*, void*, int64_t, double,
                                                      const void*) noexcept nogil
    void halves_to_doubles "cypool_halves_to_doubles"(const void*, void*, int64_t, double,
                                                      const void*) noexcept nogil
    void bf16s_to_doubles "cypool_bf16s_to_doubles"(const void*, void*, int64_t, double,
                                                    const void*) noexcept nogil
    void doubles_to_floats "cypool_doubles_to_floats"(const void*, void*, int64_t, double,
                                                      const void*) noexcept nogil
    void doubles_to_halves "cypool_doubles_to_halves"(const void*, void*, int64_t, double,
                                                      const void*) noexcept nogil
    void doubles_to_bf16s "cypool_doubles_to_bf16s"(const void*, void*, int64_t, double,
                                                    const void*) noexcept nogil
    void round_to_i8 "cypool_round_to_i8"(const void*, void*, int64_t, double,
                                          const void*) noexcept nogil
    void round_to_u8 "cypool_round_to_u8"(const void*, void*, int64_t, double,
                                          const void*) noexcept nogil
    void round_to_i16 "cypool_round_to_i16"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void round_to_u16 "cypool_round_to_u16"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void round_to_i32 "cypool_round_to_i32"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void round_to_u32 "cypool_round_to_u32"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void round_to_i64 "cypool_round_to_i64"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil
    void round_to_u64 "cypool_round_to_u64"(const void*, void*, int64_t, double,
                                            const void*) noexcept nogil

# source (count elements) -> target, with a parameter (Lp's p; unused elsewhere) and
# a companion array aligned with the target (Lp's x for its gradient; else unused).
ctypedef void (*convert_fn)(const void* source, void* target, int64_t count,
                            double parameter, const void* along) noexcept nogil
# The float kernel on outer units [first, first + count) of a call, whose source
# and target are the staged slabs; returns the kernel's status or count.
ctypedef int64_t (*slab_fn)(const void* source, void* target, int64_t first, int64_t count,
                            const void* call, int num_threads) noexcept nogil

cdef enum:
    # Source bytes staged per slab: the slab, its output and the kernel's reads
    # stay in L2.
    STAGE_BYTES = 256 * 1024
    # Kernel statuses are >= 0 (a count) or one of these failures.
    STAGE_NO_MEMORY = -1


cdef inline convert_fn terms_of(char kind, int size) noexcept nogil:
    """The stage-in converter of a stored dtype (kind, itemsize): float16 and
    float32 become float32, everything else float64; NULL for none."""
    if kind == b'f':
        return terms_f16 if size == 2 else terms_f32 if size == 4 else terms_f64
    if kind == b'V' and size == 2:     # bfloat16 (ml_dtypes)
        return terms_bf16
    if kind == b'i':
        return (terms_i8 if size == 1 else terms_i16 if size == 2 else terms_i32 if size == 4
                else terms_i64)
    if kind == b'u':
        return (terms_u8 if size == 1 else terms_u16 if size == 2 else terms_u32 if size == 4
                else terms_u64)
    return NULL


cdef inline size_t work_item_of(char kind, int size) noexcept nogil:
    """Bytes of the compute type terms_of converts a stored dtype to."""
    return 4 if (kind == b'f' and size <= 4) or (kind == b'V' and size == 2) else 8


cdef inline bint is_half(char kind, int size) noexcept nogil:
    """float16 or bfloat16: stored in 2 bytes, computed in float32."""
    return size == 2 and (kind == b'f' or kind == b'V')


cdef inline convert_fn narrowing_of(char kind) noexcept nogil:
    """float32 -> the stored half type (float16 or bfloat16)."""
    return floats_to_halves if kind == b'f' else floats_to_bf16s


cdef inline convert_fn widening_to(char kind, int size, size_t work_item) noexcept nogil:
    """The stage-in converter of a stored dtype into a float work type of
    ``work_item`` bytes (an average's dtype= may ask for a wider one than
    ``terms_of``'s); NULL when the kernel reads the stored type as it is."""
    if (kind == b'f' and <size_t> size == work_item) or work_item not in (4, 8):
        return NULL
    if work_item == 4 or kind == b'i' or kind == b'u':
        return terms_of(kind, size)
    if kind == b'f':
        return halves_to_doubles if size == 2 else floats_to_doubles
    if kind == b'V' and size == 2:
        return bf16s_to_doubles
    return NULL


cdef inline convert_fn narrowing_to(char kind, int size, size_t work_item) noexcept nogil:
    """The stage-out converter from a float work type of ``work_item`` bytes into
    an average's result dtype (kind, itemsize): floats rounded to nearest even,
    x's own integer type rounded half to even and saturated; NULL when the kernel
    writes the result type itself (the caller checks the pair is an average's)."""
    if kind == b'f' and <size_t> size == work_item:
        return NULL
    if work_item == 4:
        return narrowing_of(kind) if is_half(kind, size) else NULL
    if is_half(kind, size):
        return doubles_to_halves if kind == b'f' else doubles_to_bf16s
    if kind == b'f' and size == 4:
        return doubles_to_floats
    if kind == b'i':
        return (round_to_i8 if size == 1 else round_to_i16 if size == 2 else round_to_i32
                if size == 4 else round_to_i64)
    if kind == b'u':
        return (round_to_u8 if size == 1 else round_to_u16 if size == 2 else round_to_u32
                if size == 4 else round_to_u64)
    return NULL


cdef inline convert_fn flip_of(char kind, int size) noexcept nogil:
    """The order-reversing bit flip of a stored type (see CYPOOL_FLIP)."""
    if kind == b'f':
        return flip_sign_32 if size == 4 else flip_sign_64
    return (flip_bits_8 if size == 1 else flip_bits_16 if size == 2 else flip_bits_32
            if size == 4 else flip_bits_64)


cdef inline int64_t _staged_slab(const char* source, char* target, int64_t first, int64_t count,
                                 int64_t source_slab, int64_t target_slab, size_t source_item,
                                 size_t target_item, size_t work_item, convert_fn stage_in,
                                 convert_fn stage_out, double parameter, const char* along,
                                 size_t along_item, slab_fn kernel, const void* call,
                                 char* scratch, int num_threads) noexcept nogil:
    """Units [first, first + count): convert in, run, convert out."""
    cdef const char* kernel_source = source + first * source_slab * source_item
    cdef char* result = target + first * target_slab * target_item
    cdef char* staged_out = scratch
    cdef int64_t status
    if stage_in != NULL:
        stage_in(kernel_source, scratch, count * source_slab, parameter, NULL)
        kernel_source = scratch
        staged_out = scratch + count * source_slab * work_item
    if stage_out == NULL:
        return kernel(kernel_source, result, first, count, call, num_threads)
    status = kernel(kernel_source, staged_out, first, count, call, num_threads)
    stage_out(staged_out, result, count * target_slab, parameter,
              along + first * target_slab * along_item if along != NULL else NULL)
    return status


cdef inline int64_t staged_run(const void* source, void* target, int64_t outer,
                               int64_t source_slab, int64_t target_slab, size_t source_item,
                               size_t target_item, size_t work_item, convert_fn stage_in,
                               convert_fn stage_out, double parameter, slab_fn kernel,
                               const void* call, int num_threads, const void* along=NULL,
                               size_t along_item=0) noexcept nogil:
    """Run ``kernel`` over ``outer`` units of ``source_slab`` source and
    ``target_slab`` target elements, staged through work_item-sized scratch:
    stage_in converts each slab's source (NULL: the kernel reads it in place);
    stage_out converts its output into target, given the slab of ``along``, an
    array shaped like the target (NULL: the kernel writes target itself).
    Returns the kernels' counts summed, or the first failure status."""
    cdef int64_t per = max(1, min(outer, <int64_t> STAGE_BYTES
                                  // max(1, max(source_slab, target_slab) * <int64_t> work_item)))
    cdef int64_t groups = (outer + per - 1) // per
    cdef int64_t scratch_items = per * ((source_slab if stage_in != NULL else 0)
                                        + (target_slab if stage_out != NULL else 0))
    # Each thread's scratch starts on its own cache line.
    cdef int64_t stride = (scratch_items * <int64_t> work_item + 63) // 64 * 64
    cdef int64_t group, first, status, total = 0, failures = 0
    cdef int team = num_threads if num_threads > 1 and groups >= 2 * num_threads else 1
    cdef char* scratch = <char*> scratch_alloc(max(1, team * stride))
    if scratch == NULL:
        return STAGE_NO_MEMORY
    if team == 1:
        # Few slabs (a large channels-last image): the kernel's own threads share each.
        for group in range(groups):
            first = group * per
            status = _staged_slab(<const char*> source, <char*> target, first,
                                  min(per, outer - first), source_slab, target_slab,
                                  source_item, target_item, work_item, stage_in, stage_out,
                                  parameter, <const char*> along, along_item, kernel, call,
                                  scratch, num_threads)
            if status < 0:
                scratch_free(scratch)
                return status
            total += status
    else:
        # A slab is one thread's work: it alone writes that slab's target.
        for group in prange(groups, num_threads=team, schedule="dynamic"):
            first = group * per
            status = _staged_slab(<const char*> source, <char*> target, first,
                                  min(per, outer - first), source_slab, target_slab,
                                  source_item, target_item, work_item, stage_in, stage_out,
                                  parameter, <const char*> along, along_item, kernel, call,
                                  scratch + omp_get_thread_num() * stride, 1)
            if status < 0:
                failures |= -status    # -1 -> 1, -2 -> 2
            else:
                total += status
        if failures:
            total = -2 if failures & 2 else STAGE_NO_MEMORY
    scratch_free(scratch)
    return total
