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

cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #include <math.h>
    #if defined(__F16C__)
    #include <immintrin.h>
    #endif

    /* IEEE binary16 <-> binary32, exactly as F16C's vcvtph2ps / vcvtps2ph (round to
       nearest even; NaN payloads kept and quietened), so every kernel variant,
       with or without F16C, gives the same bits. */
    static inline float cypool_half_to_float(uint16_t h) {
        uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu;
        uint32_t bits;
        float f;
        if (e == 0x1Fu) {
            bits = sign | 0x7F800000u | (m << 13) | (m ? 0x400000u : 0u);
        } else if (e == 0) {
            f = (float)m * 5.9604644775390625e-08f;   /* m * 2**-24, exact */
            memcpy(&bits, &f, 4);
            bits |= sign;
        } else {
            bits = sign | ((e + 112u) << 23) | (m << 13);
        }
        memcpy(&f, &bits, 4);
        return f;
    }

    static inline uint16_t cypool_float_to_half(float f) {
        uint32_t x, absx, sign;
        memcpy(&x, &f, 4);
        sign = (x >> 16) & 0x8000u;
        absx = x & 0x7FFFFFFFu;
        if (absx > 0x7F800000u)                   /* NaN */
            return (uint16_t)(sign | 0x7E00u | ((absx >> 13) & 0x3FFu));
        if (absx >= 0x477FF000u)                  /* rounds to 65536 or more: inf */
            return (uint16_t)(sign | 0x7C00u);
        if (absx < 0x38800000u) {                 /* below 2**-14: subnormal or zero */
            float a;
            memcpy(&a, &absx, 4);
            return (uint16_t)(sign | (uint32_t)nearbyintf(a * 16777216.0f));
        }
        absx += 0xFFFu + ((absx >> 13) & 1u);     /* round to nearest even */
        return (uint16_t)(sign | ((absx - 0x38000000u) >> 13));
    }

    /* Scratch for staged slabs.  A large block is fresh mmap memory on every call;
       like NumPy's data, it asks for transparent huge pages, so that touching it
       costs a few faults instead of one per 4 KiB page. */
    #if defined(__linux__)
    #include <sys/mman.h>
    #endif
    #include <stdlib.h>
    static void* cypool_scratch_alloc(size_t bytes) {
        void* p = NULL;
    #if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (bytes >= ((size_t) 4 << 20)) {
            if (posix_memalign(&p, (size_t) 2 << 20, bytes) != 0)
                return NULL;
            madvise(p, bytes, MADV_HUGEPAGE);
            return p;
        }
    #endif
        return malloc(bytes);
    }

    static inline void cypool_halves_to_floats(const void* source, void* target, int64_t n,
                                        double unused, const void* along) {
        const uint16_t* s = (const uint16_t*) source;
        float* d = (float*) target;
        int64_t i = 0;
        (void) unused; (void) along;
    #if defined(__F16C__)
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(s + i))));
    #endif
        for (; i < n; i++)
            d[i] = cypool_half_to_float(s[i]);
    }

    static inline void cypool_floats_to_halves(const void* source, void* target, int64_t n,
                                        double unused, const void* along) {
        const float* s = (const float*) source;
        uint16_t* d = (uint16_t*) target;
        int64_t i = 0;
        (void) unused; (void) along;
    #if defined(__F16C__)
        for (; i + 8 <= n; i += 8)
            _mm_storeu_si128((__m128i*)(d + i),
                             _mm256_cvtps_ph(_mm256_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT));
    #endif
        for (; i < n; i++)
            d[i] = cypool_float_to_half(s[i]);
    }

    /* bfloat16 <-> binary32: widening is exact (bfloat16 is binary32's top half);
       narrowing rounds to nearest even, and a NaN stays that NaN's top half,
       quietened, as ml_dtypes does. */
    static inline float cypool_bf16_to_float(uint16_t h) {
        uint32_t bits = (uint32_t) h << 16;
        float f;
        memcpy(&f, &bits, 4);
        return f;
    }

    static inline uint16_t cypool_float_to_bf16(float f) {
        uint32_t x;
        memcpy(&x, &f, 4);
        if ((x & 0x7FFFFFFFu) > 0x7F800000u)
            return (uint16_t) ((x >> 16) | 0x40u);
        x += 0x7FFFu + ((x >> 16) & 1u);
        return (uint16_t) (x >> 16);
    }

    static inline void cypool_bf16s_to_floats(const void* source, void* target, int64_t n,
                                              double unused, const void* along) {
        const uint16_t* s = (const uint16_t*) source;
        float* d = (float*) target;
        int64_t i;
        (void) unused; (void) along;
        for (i = 0; i < n; i++)
            d[i] = cypool_bf16_to_float(s[i]);
    }

    static inline void cypool_floats_to_bf16s(const void* source, void* target, int64_t n,
                                              double unused, const void* along) {
        const float* s = (const float*) source;
        uint16_t* d = (uint16_t*) target;
        int64_t i;
        (void) unused; (void) along;
        for (i = 0; i < n; i++)
            d[i] = cypool_float_to_bf16(s[i]);
    }

    /* Min pooling is max pooling of order-reversed bits: a float with its sign bit
       flipped (its exact negation; a NaN stays a NaN) or an integer with every bit
       inverted (~x reverses the order of signed and unsigned integers alike).
       Flipping again restores every bit of the winner. */
    #define CYPOOL_FLIP(NAME, T, MASK)                                                \
        static inline void NAME(const void* source, void* target, int64_t n,          \
                                double unused, const void* along) {                   \
            const T* s = (const T*) source; T* d = (T*) target; int64_t i;            \
            (void) unused; (void) along;                                              \
            for (i = 0; i < n; i++) d[i] = (T) (s[i] ^ (T) (MASK));                   \
        }
    CYPOOL_FLIP(cypool_flip_sign_16, uint16_t, 0x8000u)
    CYPOOL_FLIP(cypool_flip_sign_32, uint32_t, 0x80000000u)
    CYPOOL_FLIP(cypool_flip_sign_64, uint64_t, 0x8000000000000000ull)
    CYPOOL_FLIP(cypool_flip_bits_8, uint8_t, 0xFFu)
    CYPOOL_FLIP(cypool_flip_bits_16, uint16_t, 0xFFFFu)
    CYPOOL_FLIP(cypool_flip_bits_32, uint32_t, 0xFFFFFFFFu)
    CYPOOL_FLIP(cypool_flip_bits_64, uint64_t, 0xFFFFFFFFFFFFFFFFull)

    /* Kernel input from the stored type, in the compute type W: p == 0 the value
       itself, p == 1 or inf |x|, p == 2 x*x, else |x|**p (Lp pooling's terms). */
    #define CYPOOL_TERMS_LOOP(W, ABS, POW, LOAD)                                      \
        if (p == 0) { for (i = 0; i < n; i++) d[i] = (W) LOAD; }                      \
        else if (p == 1 || isinf(p)) { for (i = 0; i < n; i++) d[i] = ABS((W) LOAD); } \
        else if (p == 2) { for (i = 0; i < n; i++) { W a = (W) LOAD; d[i] = a * a; } } \
        else { W q = (W) p; for (i = 0; i < n; i++) d[i] = POW(ABS((W) LOAD), q); }
    #define CYPOOL_TERMS(NAME, T, W, ABS, POW)                                         \
        static inline void NAME(const void* source, void* target, int64_t n, double p,      \
                                const void* along) {                                  \
            const T* s = (const T*) source; W* d = (W*) target; int64_t i;            \
            (void) along;                                                             \
            CYPOOL_TERMS_LOOP(W, ABS, POW, s[i])                                      \
        }
    CYPOOL_TERMS(cypool_terms_f32, float, float, fabsf, powf)
    CYPOOL_TERMS(cypool_terms_f64, double, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_i8, int8_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_u8, uint8_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_i16, int16_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_u16, uint16_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_i32, int32_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_u32, uint32_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_i64, int64_t, double, fabs, pow)
    CYPOOL_TERMS(cypool_terms_u64, uint64_t, double, fabs, pow)

    static inline void cypool_terms_f16(const void* source, void* target, int64_t n, double p,
                                        const void* along) {
        float* d = (float*) target;
        int64_t i;
        cypool_halves_to_floats(source, target, n, 0, along);
        if (p != 0) {   /* the terms of the converted values, in place */
            CYPOOL_TERMS_LOOP(float, fabsf, powf, d[i])
        }
    }

    /* Lp pooling's result from the window sums: sum ** (1/p), in place, then stored. */
    #define CYPOOL_ROOT_LOOP(W, SQRT, POW)                                             \
        if (p == 2) { for (i = 0; i < n; i++) s[i] = SQRT(s[i]); }                    \
        else if (p != 1 && !isinf(p)) { W r = (W) (1.0 / p);                          \
                                         for (i = 0; i < n; i++) s[i] = POW(s[i], r); }
    static inline void cypool_root_f32(const void* source, void* target, int64_t n, double p,
                                        const void* along) {
        float* s = (float*) source; int64_t i;
        CYPOOL_ROOT_LOOP(float, sqrtf, powf)
        memcpy(target, s, n * sizeof(float));
    }
    static inline void cypool_root_f64(const void* source, void* target, int64_t n, double p,
                                        const void* along) {
        double* s = (double*) source; int64_t i;
        CYPOOL_ROOT_LOOP(double, sqrt, pow)
        memcpy(target, s, n * sizeof(double));
    }
    /* Lp pooling's gradient from the window-summed ratios g / y**(p-1) (source) and
       x (along): times sign(x) for p = 1, times x for p = 2. */
    #define CYPOOL_LP_GRAD(NAME, W)                                                    \
        static inline void NAME(const void* source, void* target, int64_t n, double p, \
                                const void* along) {                                  \
            const W* s = (const W*) source; const W* x = (const W*) along;            \
            W* d = (W*) target; int64_t i;                                            \
            if (p == 2) { for (i = 0; i < n; i++) d[i] = s[i] * x[i]; }               \
            else { for (i = 0; i < n; i++)                                            \
                       d[i] = x[i] > 0 ? s[i] : x[i] < 0 ? -s[i] : x[i] == 0 ? 0 : x[i]; } \
        }
    CYPOOL_LP_GRAD(cypool_lp_grad_f32, float)
    CYPOOL_LP_GRAD(cypool_lp_grad_f64, double)

    /* The ratios Lp's gradient spreads, from the window sums of |x|**p (source) and
       grad_output (along): g / y for p = 2 (y = sqrt(sum)), g for p = 1; 0 where y
       is 0 (or NaN). */
    #define CYPOOL_LP_RATIO(NAME, W, SQRT)                                             \
        static inline void NAME(const void* source, void* target, int64_t n, double p, \
                                const void* along) {                                  \
            const W* s = (const W*) source; const W* g = (const W*) along;            \
            W* d = (W*) target; int64_t i;                                            \
            if (p == 2) { for (i = 0; i < n; i++) d[i] = s[i] > 0 ? g[i] / SQRT(s[i]) : 0; } \
            else { for (i = 0; i < n; i++) d[i] = s[i] > 0 ? g[i] : 0; }              \
        }
    CYPOOL_LP_RATIO(cypool_lp_ratio_f32, float, sqrtf)
    CYPOOL_LP_RATIO(cypool_lp_ratio_f64, double, sqrt)

    static inline void cypool_terms_bf16(const void* source, void* target, int64_t n,
                                         double p, const void* along) {
        float* d = (float*) target;
        int64_t i;
        cypool_bf16s_to_floats(source, target, n, 0, along);
        if (p != 0) {
            CYPOOL_TERMS_LOOP(float, fabsf, powf, d[i])
        }
    }

    static inline void cypool_root_bf16(const void* source, void* target, int64_t n, double p,
                                        const void* along) {
        float* s = (float*) source; int64_t i;
        CYPOOL_ROOT_LOOP(float, sqrtf, powf)
        cypool_floats_to_bf16s(s, target, n, 0, along);
    }

    /* float16 and bfloat16 min pooling: widened and negated in one pass, and back. */
    #define CYPOOL_FLIPPED_WIDEN(NAME, WIDEN)                                         \
        static inline void NAME(const void* source, void* target, int64_t n,          \
                                double unused, const void* along) {                   \
            float* d = (float*) target; int64_t i;                                    \
            WIDEN(source, target, n, unused, along);                                  \
            for (i = 0; i < n; i++) d[i] = -d[i];                                     \
        }
    #define CYPOOL_FLIPPED_NARROW(NAME, NARROW)                                       \
        static inline void NAME(const void* source, void* target, int64_t n,          \
                                double unused, const void* along) {                   \
            uint16_t* d = (uint16_t*) target; int64_t i;                              \
            NARROW(source, target, n, unused, along);                                 \
            for (i = 0; i < n; i++) d[i] ^= 0x8000u;                                  \
        }
    CYPOOL_FLIPPED_WIDEN(cypool_flipped_halves_to_floats, cypool_halves_to_floats)
    CYPOOL_FLIPPED_NARROW(cypool_floats_to_flipped_halves, cypool_floats_to_halves)
    CYPOOL_FLIPPED_WIDEN(cypool_flipped_bf16s_to_floats, cypool_bf16s_to_floats)
    CYPOOL_FLIPPED_NARROW(cypool_floats_to_flipped_bf16s, cypool_floats_to_bf16s)

    static inline void cypool_root_f16(const void* source, void* target, int64_t n, double p,
                                        const void* along) {
        float* s = (float*) source; int64_t i;
        CYPOOL_ROOT_LOOP(float, sqrtf, powf)
        cypool_floats_to_halves(s, target, n, 0, along);
    }
    """
    void* scratch_alloc "cypool_scratch_alloc"(size_t bytes) noexcept nogil
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
                free(scratch)
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
    free(scratch)
    return total
