/* cypool_convert.h: element conversions of the staged kernel calls (see
 * cypool/_staging.pxd): float16 and bfloat16 to and from float32 (F16C
 * instructions where the variant has them, the same bits without), min pooling's
 * order-reversing flips, Lp pooling's terms, roots and gradient factors, the
 * averages' dtype= conversions (float64 in, rounded out), and the scratch
 * allocator.  x86 intrinsics only inside the __F16C__ guard.
 */
#ifndef CYPOOL_CONVERT_H
#define CYPOOL_CONVERT_H

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

/* Scratch for staged slabs.  One block of 4 to 64 MiB is kept between calls and
 * lent to one call at a time: a fresh block is fresh pages, and the kernel's
 * zeroing of them was 17% of a channels-last float16 max pool of a 512 x 512 RGB
 * image (its whole image is one slab), repeated at one size.  Other calls, and a
 * call while the block is lent, get their own block.  Like NumPy's data, a large
 * block asks for transparent huge pages (aligned to them: a malloc'd block cost a
 * channels-last float16 max pool 13% more in TLB misses). */
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <stdlib.h>
#define CYPOOL_KEPT_MIN ((size_t) 4 << 20)
#define CYPOOL_KEPT_MAX ((size_t) 64 << 20)
static void* cypool_kept_block = NULL;
static size_t cypool_kept_bytes = 0;
static int cypool_kept_lent = 0;

static void* cypool_large_alloc(size_t bytes) {
    void* p = NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Aligned to a huge page, so that the whole block can be backed by them. */
    if (bytes >= CYPOOL_KEPT_MIN) {
        if (posix_memalign(&p, (size_t) 2 << 20, bytes) != 0)
            return NULL;
        madvise(p, bytes, MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(bytes);
}

static void* cypool_scratch_alloc(size_t bytes) {
    void* p;
    if (bytes < CYPOOL_KEPT_MIN || bytes > CYPOOL_KEPT_MAX
            || __atomic_exchange_n(&cypool_kept_lent, 1, __ATOMIC_ACQUIRE))
        return cypool_large_alloc(bytes);
    /* This call holds the kept block: it alone changes it. */
    if (cypool_kept_bytes >= bytes)
        return cypool_kept_block;
    p = cypool_kept_block;
    __atomic_store_n(&cypool_kept_block, NULL, __ATOMIC_RELEASE);
    free(p);
    p = cypool_large_alloc(bytes);
    cypool_kept_bytes = p != NULL ? bytes : 0;
    __atomic_store_n(&cypool_kept_block, p, __ATOMIC_RELEASE);
    if (p == NULL)
        __atomic_store_n(&cypool_kept_lent, 0, __ATOMIC_RELEASE);
    return p;
}

/* Frees what cypool_scratch_alloc gave, or hands the kept block back. */
static void cypool_scratch_free(void* p) {
    if (p != NULL && p == __atomic_load_n(&cypool_kept_block, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&cypool_kept_lent, 0, __ATOMIC_RELEASE);
        return;
    }
    free(p);
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

/* --- the averages' dtype= (API.md): widening into float64, narrowing out of it --- */

/* Exact widenings into the float64 a wider-dtype average computes in. */
#define CYPOOL_WIDEN_TO_DOUBLE(NAME, T, LOAD)                                      \
    static inline void NAME(const void* source, void* target, int64_t n,          \
                            double unused, const void* along) {                   \
        const T* s = (const T*) source; double* d = (double*) target; int64_t i;  \
        (void) unused; (void) along;                                              \
        for (i = 0; i < n; i++) d[i] = (double) LOAD(s[i]);                       \
    }
#define CYPOOL_AS_IS(v) (v)
CYPOOL_WIDEN_TO_DOUBLE(cypool_floats_to_doubles, float, CYPOOL_AS_IS)
CYPOOL_WIDEN_TO_DOUBLE(cypool_halves_to_doubles, uint16_t, cypool_half_to_float)
CYPOOL_WIDEN_TO_DOUBLE(cypool_bf16s_to_doubles, uint16_t, cypool_bf16_to_float)

/* float64 -> float32, nearest even (NumPy's astype). */
static inline void cypool_doubles_to_floats(const void* source, void* target, int64_t n,
                                            double unused, const void* along) {
    const double* s = (const double*) source;
    float* d = (float*) target;
    int64_t i;
    (void) unused; (void) along;
    for (i = 0; i < n; i++)
        d[i] = (float) s[i];
}

/* float64 -> float32 rounded to odd: the nearest float below or above, the one
   with an odd significand unless the value is exact (NaN and infinities as they
   are; beyond the float range, FLT_MAX with its sign).  Rounding that once more
   to nearest even in a format at least two bits narrower (float16's 11, bfloat16's
   8 against float32's 24) gives the float64's own nearest-even rounding, so
   float64 -> float16/bfloat16 rounds once, as NumPy and ml_dtypes do, through
   the float32 narrowings above. */
static inline float cypool_double_to_float_odd(double v) {
    float f = (float) v;
    uint32_t bits;
    if ((double) f == v || v != v)
        return f;
    memcpy(&bits, &f, 4);
    if (!(bits & 1u)) {   /* even: step to the neighbour on v's side of f */
        if (fabs((double) f) > fabs(v))
            bits -= 1u;   /* toward zero (from inf: FLT_MAX) */
        else
            bits += 1u;
    }
    memcpy(&f, &bits, 4);
    return f;
}

#define CYPOOL_NARROW_DOUBLES(NAME, NARROW)                                        \
    static inline void NAME(const void* source, void* target, int64_t n,          \
                            double unused, const void* along) {                   \
        const double* s = (const double*) source; uint16_t* d = (uint16_t*) target; \
        float block[256]; int64_t i, j, m;                                        \
        (void) unused; (void) along;                                              \
        for (i = 0; i < n; i += m) {                                              \
            m = n - i < 256 ? n - i : 256;                                        \
            for (j = 0; j < m; j++) block[j] = cypool_double_to_float_odd(s[i + j]); \
            NARROW(block, d + i, m, 0, NULL);                                     \
        }                                                                         \
    }
CYPOOL_NARROW_DOUBLES(cypool_doubles_to_halves, cypool_floats_to_halves)
CYPOOL_NARROW_DOUBLES(cypool_doubles_to_bf16s, cypool_floats_to_bf16s)

/* float64 means -> x's own integer type: nearest, ties to even (np.rint; the
   default rounding mode, which cypool never changes), saturated to the type's
   range.  LOW and HIGH_EDGE are exact doubles: the type's minimum and the first
   value past its maximum (2**63 and 2**64 for the 64-bit types, whose maxima a
   double cannot hold).  A NaN cannot reach here (integer sums are finite). */
#define CYPOOL_ROUND_TO(NAME, T, LOW, HIGH_EDGE, MAX)                               \
    static inline void NAME(const void* source, void* target, int64_t n,          \
                            double unused, const void* along) {                   \
        const double* s = (const double*) source; T* d = (T*) target; int64_t i;  \
        (void) unused; (void) along;                                              \
        for (i = 0; i < n; i++) {                                                 \
            double r = nearbyint(s[i]);                                           \
            d[i] = r >= (HIGH_EDGE) ? (T) (MAX) : r <= (LOW) ? (T) (LOW) : (T) r; \
        }                                                                         \
    }
CYPOOL_ROUND_TO(cypool_round_to_i8, int8_t, -128.0, 128.0, INT8_MAX)
CYPOOL_ROUND_TO(cypool_round_to_u8, uint8_t, 0.0, 256.0, UINT8_MAX)
CYPOOL_ROUND_TO(cypool_round_to_i16, int16_t, -32768.0, 32768.0, INT16_MAX)
CYPOOL_ROUND_TO(cypool_round_to_u16, uint16_t, 0.0, 65536.0, UINT16_MAX)
CYPOOL_ROUND_TO(cypool_round_to_i32, int32_t, -2147483648.0, 2147483648.0, INT32_MAX)
CYPOOL_ROUND_TO(cypool_round_to_u32, uint32_t, 0.0, 4294967296.0, UINT32_MAX)
CYPOOL_ROUND_TO(cypool_round_to_i64, int64_t, -9223372036854775808.0, 9223372036854775808.0,
                INT64_MAX)
CYPOOL_ROUND_TO(cypool_round_to_u64, uint64_t, 0.0, 18446744073709551616.0, UINT64_MAX)

#endif /* CYPOOL_CONVERT_H */
