/* cypool_rows.h: the row primitives every pooling kernel is built from.
 *
 * Each primitive works on one run of outputs and takes its window sizes at run
 * time: speed comes from vectors spanning many outputs (or channels), not from
 * literal window sizes.  The vectors are GCC/Clang vector extensions, so this one
 * source compiles for every instruction set: setup.py builds it once per kernel
 * variant (baseline, avx2, avx512), and on any other architecture (arm64 NEON)
 * the compiler lowers the same code.  x86 intrinsics appear only inside
 * `#if defined(__AVX512F__)`-style guards, where they replace a portable
 * expression with one instruction.
 *
 * Exactness: every primitive applies the same IEEE operations to every output
 * in the same order as a plain loop over its taps would, so all variants give
 * the baseline's bits and PyTorch's (float sums add taps in row-major order, one
 * lane per output; the max keeps PyTorch's rule, a NaN wins and the first
 * maximum stays).  The order-free algorithms (running max) are used only where
 * the order cannot show: values without indices, planes free of NaN and -0.0.
 *
 * Types: f32 f64 i8 u8 i16 u16 i32 u32 i64 u64, one copy of each primitive per
 * type made by CP_DEFINE_ROWS at the end of the file.
 */
#ifndef CYPOOL_ROWS_H
#define CYPOOL_ROWS_H

#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__) || defined(__AVX__) || defined(__SSE2__)
#include <immintrin.h>
#endif

#if defined(__GNUC__)
/* Vectors passed between CP_INLINE functions, never across a library
   boundary: gcc's note that their ABI differs between variants does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

/* Every primitive is inlined into its caller, where the type and op of the
 * type-generic entry points are literals: the switches then fold away (gcc's size
 * estimate, taken before that folding, would otherwise refuse some of them). */
#if defined(__GNUC__)
#define CP_INLINE static inline __attribute__((always_inline))
#else
#define CP_INLINE static inline
#endif
/* The primitives over a whole run of outputs are functions of their own, called
 * once per row: inlined at every call site (each kernel module has dozens, for
 * each element type), their unrolled vector blocks doubled the compile time. */
#if defined(__GNUC__)
#define CP_ROW_FN static __attribute__((noinline))
#else
#define CP_ROW_FN static
#endif
/* gcc turns a copy or fill loop back into a memcpy or memset call, even of
 * explicit vectors; an empty asm on the loop counter keeps it a loop. */
#if defined(__GNUC__)
#define CP_KEEP_LOOP(m) __asm__("" : "+r"(m))
#else
#define CP_KEEP_LOOP(m)
#endif

/* Bytes per vector: one register of the variant's widest kind (a wider generic
 * vector would be kept in memory between operations by some compilers).  The lane
 * counts are literals, for the de-interleave's index lists. */
#if defined(__AVX512F__)
#define CP_VEC_BYTES 64
#define CP_LANES_1 64
#define CP_LANES_2 32
#define CP_LANES_4 16
#define CP_LANES_8 8
#elif defined(__AVX__)
#define CP_VEC_BYTES 32
#define CP_LANES_1 32
#define CP_LANES_2 16
#define CP_LANES_4 8
#define CP_LANES_8 4
#else
#define CP_VEC_BYTES 16
#define CP_LANES_1 16
#define CP_LANES_2 8
#define CP_LANES_4 4
#define CP_LANES_8 2
#endif

#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define CP_HAVE_SHUFFLEVECTOR 1
#endif
#endif

/* Even and odd lane indices of a pair of vectors, for the stride-2 de-interleave. */
#define CP_EVEN8(b) b, b + 2, b + 4, b + 6, b + 8, b + 10, b + 12, b + 14
#define CP_ODD8(b) b + 1, b + 3, b + 5, b + 7, b + 9, b + 11, b + 13, b + 15
#define CP_EVEN_2 0, 2
#define CP_ODD_2 1, 3
#define CP_EVEN_4 0, 2, 4, 6
#define CP_ODD_4 1, 3, 5, 7
#define CP_EVEN_8 CP_EVEN8(0)
#define CP_ODD_8 CP_ODD8(0)
#define CP_EVEN_16 CP_EVEN8(0), CP_EVEN8(16)
#define CP_ODD_16 CP_ODD8(0), CP_ODD8(16)
#define CP_EVEN_32 CP_EVEN_16, CP_EVEN8(32), CP_EVEN8(48)
#define CP_ODD_32 CP_ODD_16, CP_ODD8(32), CP_ODD8(48)
#define CP_EVEN_64 CP_EVEN_32, CP_EVEN8(64), CP_EVEN8(80), CP_EVEN8(96), CP_EVEN8(112)
#define CP_ODD_64 CP_ODD_32, CP_ODD8(64), CP_ODD8(80), CP_ODD8(96), CP_ODD8(112)
#define CP_CAT_(a, b) a##b
#define CP_CAT(a, b) CP_CAT_(a, b)

/* The plain max of NaN-free floats, `v > acc ? v : acc`, is what maxps computes
 * with v first: one instruction per register where the variant has it (the
 * portable select below costs a compare and a blend). */
#define CP_X86_MAX(NAME, VT, W, REG, MAXFN)                                               \
CP_INLINE VT NAME(VT v, VT acc) {                                                     \
    REG vv[CP_VEC_BYTES / W], aa[CP_VEC_BYTES / W];                                       \
    int i;                                                                                \
    memcpy(vv, &v, sizeof vv);                                                            \
    memcpy(aa, &acc, sizeof aa);                                                          \
    for (i = 0; i < CP_VEC_BYTES / W; i++) aa[i] = MAXFN(vv[i], aa[i]);                   \
    memcpy(&acc, aa, sizeof aa);                                                          \
    return acc;                                                                           \
}
#if defined(__AVX512F__)
#define CP_MAXPS_ARGS 64, __m512, _mm512_max_ps
#define CP_MAXPD_ARGS 64, __m512d, _mm512_max_pd
#elif defined(__AVX__)
#define CP_MAXPS_ARGS 32, __m256, _mm256_max_ps
#define CP_MAXPD_ARGS 32, __m256d, _mm256_max_pd
#elif defined(__SSE2__)
#define CP_MAXPS_ARGS 16, __m128, _mm_max_ps
#define CP_MAXPD_ARGS 16, __m128d, _mm_max_pd
#endif
#define CP_X86_MAX_(...) CP_X86_MAX(__VA_ARGS__)

#define CP_FINISH(acc, divide, d0, d1, d2)                                                \
    if (!(divide)) return acc;                                                            \
    acc = acc / (d0);                                                                     \
    if ((d1) != 1) acc = acc / (d1);                                                      \
    if ((d2) != 1) acc = acc / (d2);                                                      \
    return acc

/* One copy of the primitives for element type T (suffix S), with I the signed
 * integer type of T's size and LANES = CP_VEC_BYTES / sizeof(T). */
#define CP_DEFINE_ROWS(S, T, I, LANES, IS_FLOAT)                                          \
typedef T cp_vec_##S __attribute__((vector_size(CP_VEC_BYTES)));                          \
typedef I cp_mask_##S __attribute__((vector_size(CP_VEC_BYTES)));                         \
                                                                                          \
CP_INLINE cp_vec_##S cp_load_##S(const T* p) {                                       \
    cp_vec_##S v;                                                                         \
    memcpy(&v, p, sizeof v);                                                              \
    return v;                                                                             \
}                                                                                         \
CP_INLINE void cp_store_##S(T* p, cp_vec_##S v) { memcpy(p, &v, sizeof v); }         \
CP_INLINE cp_vec_##S cp_splat_##S(T x) {                                              \
    cp_vec_##S v = {0};                                                                   \
    return v + x;                                                                         \
}                                                                                         \
CP_INLINE cp_vec_##S cp_select_##S(cp_mask_##S take, cp_vec_##S v, cp_vec_##S acc) { \
    return (cp_vec_##S) (((cp_mask_##S) v & take) | ((cp_mask_##S) acc & ~take));         \
}                                                                                         \
/* PyTorch's max rule for one tap: v wins when greater or NaN. */                        \
CP_INLINE cp_vec_##S cp_vmax_##S(cp_vec_##S acc, cp_vec_##S v) {                     \
    cp_mask_##S take = (cp_mask_##S) (v > acc);                                           \
    if (IS_FLOAT) take |= (cp_mask_##S) (v != v);                                         \
    return cp_select_##S(take, v, acc);                                                   \
}                                                                                         \
/* The same rule for taps known to hold no NaN. */                                       \
CP_INLINE cp_vec_##S cp_vmax_nan_free_##S(cp_vec_##S acc, cp_vec_##S v) {           \
    CP_PLAIN_MAX_##S(v, acc);                                                             \
    return cp_select_##S((cp_mask_##S) (v > acc), v, acc);                                \
}                                                                                         \
CP_INLINE cp_vec_##S cp_vsum_##S(cp_vec_##S acc, cp_vec_##S v) { return acc + v; }  \
CP_INLINE T cp_max_##S(T acc, T v) {                                                  \
    return (v > acc || (IS_FLOAT && v != v)) ? v : acc;                                   \
}                                                                                         \
CP_INLINE T cp_max_nan_free_##S(T acc, T v) { return v > acc ? v : acc; }            \
CP_INLINE T cp_sum_##S(T acc, T v) { return acc + v; }                                \
                                                                                          \
/* The window's result from its accumulator (a vector or one value): a max as it  */ \
/* is, a sum divided by d0, then by d1 and d2 unless they are 1 (x / 1 == x).       */ \
CP_INLINE cp_vec_##S cp_vfinish_##S(cp_vec_##S acc, int divide, T d0, T d1, T d2) {  \
    CP_FINISH(acc, divide, d0, d1, d2);                                                   \
}                                                                                         \
CP_INLINE T cp_finish_##S(T acc, int divide, T d0, T d1, T d2) {                      \
    CP_FINISH(acc, divide, d0, d1, d2);                                                   \
}                                                                                         \
/* A block's results: the first `vectors` of its accumulators (1, 2 or 4). */            \
CP_INLINE void cp_store_block_##S(T* y, int64_t m0, int64_t m1, int64_t m2, int64_t m3,   \
                                  int vectors, cp_vec_##S a0, cp_vec_##S a1,              \
                                  cp_vec_##S a2, cp_vec_##S a3, int divide, T d0, T d1,   \
                                  T d2) {                                                 \
    cp_store_##S(y + m0, cp_vfinish_##S(a0, divide, d0, d1, d2));                         \
    if (vectors > 1) cp_store_##S(y + m1, cp_vfinish_##S(a1, divide, d0, d1, d2));        \
    if (vectors > 2) {                                                                    \
        cp_store_##S(y + m2, cp_vfinish_##S(a2, divide, d0, d1, d2));                     \
        cp_store_##S(y + m3, cp_vfinish_##S(a3, divide, d0, d1, d2));                     \
    }                                                                                     \
}                                                                                         \
CP_DEFINE_TAPS(S, T, LANES, max, 0)                                                       \
CP_DEFINE_TAPS(S, T, LANES, max_nan_free, 0)                                              \
CP_DEFINE_TAPS(S, T, LANES, sum, IS_FLOAT)                                                \
CP_DEFINE_PAIRS(S, T, LANES, max, 0)                                                      \
CP_DEFINE_PAIRS(S, T, LANES, max_nan_free, 0)                                             \
CP_DEFINE_PAIRS(S, T, LANES, sum, IS_FLOAT)                                               \
CP_DEFINE_RUNNING(S, T, I, LANES)                                                         \
CP_DEFINE_KEEP(S, T, LANES)

/* The blocks over outputs [m, count), count >= LANES: BLOCK(m0, m1, m2, m3, vectors,  */
/* ...) computes the vectors at m0.. (the first `vectors` of them): blocks of four   */
/* along the run, then the rest, one to four vectors, the last one ending at count   */
/* and overlapping the one before (its lanes get the values they already had).       */
#define CP_BLOCKS(m, count, LANES, BLOCK, ...)                                            \
    do {                                                                                  \
        int64_t last_ = (count) - (LANES);                                                \
        for (; (m) + 4 * (LANES) <= (count); (m) += 4 * (LANES))                          \
            BLOCK((m), (m) + (LANES), (m) + 2 * (LANES), (m) + 3 * (LANES), 4, __VA_ARGS__);\
        if ((m) + 2 * (LANES) < (count))            /* three or four vectors */          \
            BLOCK((m), (m) + (LANES),                                                     \
                  (m) + 3 * (LANES) <= (count) ? (m) + 2 * (LANES) : last_, last_, 4,     \
                  __VA_ARGS__);                                                           \
        else if ((m) + (LANES) < (count))           /* two */                            \
            BLOCK((m), last_, last_, last_, 2, __VA_ARGS__);                              \
        else if ((m) < (count))                     /* one */                            \
            BLOCK(last_, last_, last_, last_, 1, __VA_ARGS__);                            \
        (m) = (count);                                                                    \
    } while (0)

/* cp_<op>_taps_S: y[m] = op over t < n_taps, in that order, of taps[t][offset + m],  */
/* for m < count, starting from `start`; sums are then divided (d0, d1, d2).  One    */
/* lane per output, the accumulators in registers.  Returns count.                    */
/* Each tap is one dependent op per accumulator, so a block keeps up to four vectors */
/* in flight (one alone would wait on the op's latency at every tap): CP_BLOCKS.     */
#define CP_DEFINE_TAPS(S, T, LANES, OP, DIVIDE)                                           \
CP_INLINE void cp_##OP##_taps_block_##S(int64_t m0, int64_t m1, int64_t m2, int64_t m3, \
                                            int vectors, const T* const* taps,            \
                                            int64_t n_taps, int64_t offset, T* y, T start,\
                                            T d0, T d1, T d2) {                           \
    int64_t t;                                                                            \
    const cp_vec_##S first = cp_splat_##S(start);                                         \
    cp_vec_##S a0 = first, a1 = first, a2 = first, a3 = first;                            \
    for (t = 0; t < n_taps; t++) {                                                        \
        const T* p = taps[t] + offset;                                                    \
        a0 = cp_v##OP##_##S(a0, cp_load_##S(p + m0));                                     \
        if (vectors > 1) a1 = cp_v##OP##_##S(a1, cp_load_##S(p + m1));                    \
        if (vectors > 2) {                                                                \
            a2 = cp_v##OP##_##S(a2, cp_load_##S(p + m2));                                 \
            a3 = cp_v##OP##_##S(a3, cp_load_##S(p + m3));                                 \
        }                                                                                 \
    }                                                                                     \
    cp_store_block_##S(y, m0, m1, m2, m3, vectors, a0, a1, a2, a3, DIVIDE, d0, d1, d2);  \
}                                                                                         \
CP_ROW_FN int64_t cp_##OP##_taps_##S(const T* const* taps, int64_t n_taps,           \
                                         int64_t offset, T* y, int64_t count, T start,    \
                                         T d0, T d1, T d2) {                              \
    int64_t m = 0, t;                                                                     \
    if (count >= (LANES))                                                                 \
        CP_BLOCKS(m, count, LANES, cp_##OP##_taps_block_##S, taps, n_taps, offset, y,     \
                  start, d0, d1, d2);                                                     \
    for (; m < count; m++) {                                                              \
        T a = start;                                                                      \
        for (t = 0; t < n_taps; t++) a = cp_##OP##_##S(a, taps[t][offset + m]);           \
        y[m] = cp_finish_##S(a, DIVIDE, d0, d1, d2);                                      \
    }                                                                                     \
    return count;                                                                         \
}

/* cp_<op>_pairs_S: stride-2 windows of adjacent taps:                                */
/* y[m] = op over r < n_rows, e < k (row-major) of rows[r][2 * m + e], m < count.     */
/* Each pair of taps (e, e + 1) comes from one double-width load split into its even */
/* and odd lanes; blocks of up to four vectors as in cp_<op>_taps_S, the last one    */
/* ending at count.  Returns how many outputs it wrote: count, or 0 (fewer outputs   */
/* than lanes, one tap, or no shuffle builtin), and then the caller computes them.    */
#if defined(CP_HAVE_SHUFFLEVECTOR)
#define CP_PAIR_TAPS(S, OP, LANES, acc, p, k)                                             \
    do {                                                                                  \
        int64_t e_;                                                                       \
        for (e_ = 0; e_ + 1 < (k); e_ += 2) {                                             \
            cp_vec_##S lo_ = cp_load_##S((p) + e_), hi_ = cp_load_##S((p) + e_ + (LANES));\
            acc = cp_v##OP##_##S(acc, __builtin_shufflevector(lo_, hi_, CP_CAT(CP_EVEN_, LANES))); \
            acc = cp_v##OP##_##S(acc, __builtin_shufflevector(lo_, hi_, CP_CAT(CP_ODD_, LANES)));  \
        }                                                                                 \
        /* the last tap of an odd k: the odd lanes of the pair before it */              \
        if (e_ < (k)) {                                                                   \
            cp_vec_##S lo_ = cp_load_##S((p) + e_ - 1), hi_ = cp_load_##S((p) + e_ - 1 + (LANES)); \
            acc = cp_v##OP##_##S(acc, __builtin_shufflevector(lo_, hi_, CP_CAT(CP_ODD_, LANES)));  \
        }                                                                                 \
    } while (0)
#define CP_DEFINE_PAIRS(S, T, LANES, OP, DIVIDE)                                          \
CP_INLINE void cp_##OP##_pairs_block_##S(int64_t m0, int64_t m1, int64_t m2, int64_t m3,\
                                             int vectors, const T* const* rows,           \
                                             int64_t n_rows, int64_t k, T* y, T start,    \
                                             T d0, T d1, T d2) {                          \
    int64_t r;                                                                            \
    const cp_vec_##S first = cp_splat_##S(start);                                         \
    cp_vec_##S a0 = first, a1 = first, a2 = first, a3 = first;                            \
    for (r = 0; r < n_rows; r++) {                                                        \
        CP_PAIR_TAPS(S, OP, LANES, a0, rows[r] + 2 * m0, k);                              \
        if (vectors > 1) CP_PAIR_TAPS(S, OP, LANES, a1, rows[r] + 2 * m1, k);             \
        if (vectors > 2) {                                                                \
            CP_PAIR_TAPS(S, OP, LANES, a2, rows[r] + 2 * m2, k);                          \
            CP_PAIR_TAPS(S, OP, LANES, a3, rows[r] + 2 * m3, k);                          \
        }                                                                                 \
    }                                                                                     \
    cp_store_block_##S(y, m0, m1, m2, m3, vectors, a0, a1, a2, a3, DIVIDE, d0, d1, d2);  \
}                                                                                         \
CP_ROW_FN int64_t cp_##OP##_pairs_##S(const T* const* rows, int64_t n_rows,          \
                                          int64_t k, T* y, int64_t count, T start,        \
                                          T d0, T d1, T d2) {                             \
    int64_t m = 0;                                                                        \
    if (k < 2 || count < (LANES)) return 0;  /* one tap, or too few outputs: the caller's */\
    CP_BLOCKS(m, count, LANES, cp_##OP##_pairs_block_##S, rows, n_rows, k, y, start, d0,  \
              d1, d2);                                                                    \
    return count;                                                                         \
}
#else
#define CP_DEFINE_PAIRS(S, T, LANES, OP, DIVIDE)                                          \
CP_INLINE int64_t cp_##OP##_pairs_##S(const T* const* rows, int64_t n_rows,          \
                                          int64_t k, T* y, int64_t count, T start,        \
                                          T d0, T d1, T d2) {                             \
    (void) rows; (void) n_rows; (void) k; (void) y; (void) count; (void) start;           \
    (void) d0; (void) d1; (void) d2;                                                      \
    return 0;                                                                             \
}
#endif

/* Running max for stride-1 windows whose cost does not grow with k.
 *
 * cp_window_max_S: out[m] = max over e < k of src[m + e * gap], m < count, by
 * doubling: windows of 2, 4, 8, ... taps from the previous level, then one max of
 * two overlapping power-of-two windows; log2(k) + 1 vector passes.  `scratch`
 * holds 2 * (count + (k - 1) * gap) elements (two levels, so no pass reads what
 * it writes).  The plain max, so only for rows free of
 * NaN and -0.0 (cp_special_S tells), where it gives every order's result.
 *
 * cp_rows_max_S: out[m] = max(a[m], b[m]); cp_rows_max_into_S: acc[m] = max(acc[m], b[m]).
 * cp_special_S: whether x[0:n] holds a NaN or a -0.0 (never, for integers).  */
#define CP_DEFINE_RUNNING(S, T, I, LANES)                                                 \
CP_INLINE void cp_rows_max_##S(const T* restrict a, const T* restrict b,             \
                                   T* restrict out, int64_t n) {                          \
    int64_t m;                                                                            \
    for (m = 0; m < n; m++) out[m] = b[m] > a[m] ? b[m] : a[m];                           \
}                                                                                         \
CP_INLINE void cp_rows_max_into_##S(T* restrict acc, const T* restrict b, int64_t n) { \
    int64_t m;                                                                            \
    for (m = 0; m < n; m++) acc[m] = b[m] > acc[m] ? b[m] : acc[m];                       \
}                                                                                         \
CP_INLINE void cp_copy_##S(T* restrict out, const T* restrict src, int64_t n) {          \
    int64_t m = 0;                                                                        \
    for (; m + (LANES) <= n; m += (LANES)) {                                              \
        cp_store_##S(out + m, cp_load_##S(src + m));                                      \
        CP_KEEP_LOOP(m);                                                                  \
    }                                                                                     \
    for (; m < n; m++) out[m] = src[m];                                                   \
}                                                                                         \
CP_INLINE void cp_fill_##S(T* restrict out, T value, int64_t n) {                     \
    int64_t m = 0;                                                                        \
    const cp_vec_##S v = cp_splat_##S(value);                                             \
    for (; m + (LANES) <= n; m += (LANES)) {                                              \
        cp_store_##S(out + m, v);                                                         \
        CP_KEEP_LOOP(m);                                                                  \
    }                                                                                     \
    for (; m < n; m++) out[m] = value;                                                    \
}                                                                                         \
CP_ROW_FN void cp_window_max_##S(const T* src, int64_t count, int64_t k, int64_t gap,\
                                     T* restrict out, T* restrict scratch) {              \
    int64_t width = 1, span = count + (k - 1) * gap, n;                                   \
    const T* level = src;                                                                 \
    T* next = scratch;                                                                    \
    if (k == 1) {                                                                         \
        cp_copy_##S(out, src, count);                                                     \
        return;                                                                           \
    }                                                                                     \
    while (4 * width <= k) {                                                              \
        /* windows of 2 * width taps, for every start a later level reads */             \
        n = span - (2 * width - 1) * gap;                                                 \
        cp_rows_max_##S(level, level + width * gap, next, n);                             \
        level = next;                                                                     \
        next = next == scratch ? scratch + span : scratch;                                \
        width *= 2;                                                                       \
    }                                                                                     \
    /* the last level: two windows of width..2*width taps overlapping to cover k */      \
    if (2 * width <= k) {                                                                 \
        n = span - (2 * width - 1) * gap;                                                 \
        cp_rows_max_##S(level, level + width * gap, next, n);                             \
        level = next;                                                                     \
        width *= 2;                                                                       \
    }                                                                                     \
    if (width == k)                                                                       \
        cp_copy_##S(out, level, count);                                                   \
    else                                                                                  \
        cp_rows_max_##S(level, level + (k - width) * gap, out, count);                    \
}                                                                                         \
CP_INLINE int cp_special_##S(const T* x, int64_t n) {                                 \
    int64_t m;                                                                            \
    I found = 0;                                                                          \
    if (!IS_FLOAT_##S) return 0;                                                          \
    for (m = 0; m < n; m++) {                                                             \
        I bits;                                                                           \
        memcpy(&bits, x + m, sizeof bits);                                                \
        /* NaN: not equal to itself; -0.0: the sign bit alone */                          \
        found |= (I) (x[m] != x[m]) | (I) (bits == (I) ((uint64_t) 1 << (8 * sizeof(I) - 1))); \
    }                                                                                     \
    return found != 0;                                                                    \
}

/* Keeping every pixel_step-th pixel of an interleaved channels-last row.
 *
 * cp_keep_pixels_S: y[i * C + c] = acc[i * P + c] for i < n, c < C (P = C * the
 * pixel step); acc has `available` readable elements, at least
 * (n - 1) * P + C + CP_KEEP_PAD (the lanes past the run are loaded, never
 * stored).  The few-channel sweeps reduce every element of the row, as if the
 * stride were 1, then keep these.  For the common (C, P) pairs the whole pixels
 * of two vectors are compacted into one by a constant shuffle (the compiler picks
 * the instructions: vpermt2ps/pd/w on AVX-512, byte shuffles for 8-bit types); a
 * plain loop moved one element per store. */
#define CP_KEEP_PAD 128
#define CP_KEEP_PER(LANES, C, P) ((LANES) / (C) < 2 * (LANES) / (P) ? (LANES) / (C) : 2 * (LANES) / (P))
#define CP_KEEP_LANE_(j, C, P, PER) ((j) < (PER) * (C) ? (j) / (C) * (P) + (j) % (C) : 0)
#define CP_SEQ8(F, b, ...)                                                                \
    F((b), __VA_ARGS__), F((b) + 1, __VA_ARGS__), F((b) + 2, __VA_ARGS__),                \
    F((b) + 3, __VA_ARGS__), F((b) + 4, __VA_ARGS__), F((b) + 5, __VA_ARGS__),            \
    F((b) + 6, __VA_ARGS__), F((b) + 7, __VA_ARGS__)
#define CP_SEQ_2(F, ...) F(0, __VA_ARGS__), F(1, __VA_ARGS__)
#define CP_SEQ_4(F, ...) CP_SEQ_2(F, __VA_ARGS__), F(2, __VA_ARGS__), F(3, __VA_ARGS__)
#define CP_SEQ_8(F, ...) CP_SEQ8(F, 0, __VA_ARGS__)
#define CP_SEQ_16(F, ...) CP_SEQ8(F, 0, __VA_ARGS__), CP_SEQ8(F, 8, __VA_ARGS__)
#define CP_SEQ_32(F, ...) CP_SEQ_16(F, __VA_ARGS__), CP_SEQ8(F, 16, __VA_ARGS__),          \
    CP_SEQ8(F, 24, __VA_ARGS__)
#define CP_SEQ_64(F, ...) CP_SEQ_32(F, __VA_ARGS__), CP_SEQ8(F, 32, __VA_ARGS__),          \
    CP_SEQ8(F, 40, __VA_ARGS__), CP_SEQ8(F, 48, __VA_ARGS__), CP_SEQ8(F, 56, __VA_ARGS__)
#if defined(CP_HAVE_SHUFFLEVECTOR)
/* PER pixels per shuffle: whole-vector stores while they stay inside the run    */
/* (a store's lanes past its pixels are rewritten by the next one), then stores  */
/* of exactly PER pixels, then one pixel at a time.                                */
#define CP_KEEP_SHUFFLED(S, T, LANES, C, P)                                               \
    if (channels == (C) && pixel == (P) && CP_KEEP_PER(LANES, C, P) > 0) {                \
        const int64_t per_ = CP_KEEP_PER(LANES, C, P);                                    \
        cp_vec_##S kept_;                                                                 \
        for (; i + per_ <= n && i * (P) + 2 * (LANES) <= available; i += per_) {          \
            kept_ = __builtin_shufflevector(cp_load_##S(acc + i * (P)),                   \
                                            cp_load_##S(acc + i * (P) + (LANES)),         \
                                            CP_CAT(CP_SEQ_, LANES)(CP_KEEP_LANE_, C, P,   \
                                                                  CP_KEEP_PER(LANES, C, P)));\
            if (i * (C) + (LANES) <= n * (C))                                             \
                cp_store_##S(y + i * (C), kept_);                                         \
            else                                                                          \
                memcpy(y + i * (C), &kept_, CP_KEEP_PER(LANES, C, P) * (C) * sizeof(T));  \
        }                                                                                 \
        for (; i < n; i++)                                                                \
            for (c = 0; c < (C); c++) y[i * (C) + c] = acc[i * (P) + c];                  \
        return;                                                                           \
    }
#else
#define CP_KEEP_SHUFFLED(S, T, LANES, C, P)
#endif
#define CP_DEFINE_KEEP(S, T, LANES)                                                       \
CP_ROW_FN void cp_keep_pixels_##S(const T* restrict acc, int64_t available,          \
                                      T* restrict y, int64_t n, int64_t pixel,            \
                                      int64_t channels) {                                 \
    int64_t i = 0, c;                                                                     \
    if (pixel == channels) {                                                              \
        cp_copy_##S(y, acc, n * channels);                                                \
        return;                                                                           \
    }                                                                                     \
    CP_KEEP_SHUFFLED(S, T, LANES, 2, 4)                                                   \
    CP_KEEP_SHUFFLED(S, T, LANES, 3, 6)                                                   \
    CP_KEEP_SHUFFLED(S, T, LANES, 4, 8)                                                   \
    CP_KEEP_SHUFFLED(S, T, LANES, 2, 6)                                                   \
    CP_KEEP_SHUFFLED(S, T, LANES, 3, 9)                                                   \
    CP_KEEP_SHUFFLED(S, T, LANES, 4, 12)                                                  \
    for (; i < n; i++)                                                                    \
        for (c = 0; c < channels; c++) y[i * channels + c] = acc[i * pixel + c];          \
}

/* cp_max_indexed_S: PyTorch's max with the winning tap, for types of 4 or 8 bytes:
 * acc[m] = the max over t < n_taps, in that order, of taps[t][offset + m], and
 * won[m] = tap_offsets[t] of the tap that won (a NaN wins, the last NaN stays,
 * the first maximum stays), m < count, starting from `start` and offset 0.
 * Maxima and winners stay in registers across the taps (blocks of up to four
 * vectors, as cp_<op>_taps_S); the winners in lanes of T's width, so one compare
 * mask serves both selects, stored as int32. */
#define CP_DEFINE_INDEXED(S, T, I, LANES)                                                 \
typedef int32_t cp_won_##S __attribute__((vector_size((LANES) * 4)));                     \
CP_INLINE void cp_max_indexed_tap_##S(cp_vec_##S* acc, cp_mask_##S* won, cp_vec_##S v,   \
                                          I offset) {                                     \
    CP_INDEXED_TAP_##S(acc, won, v, offset);                                              \
    cp_mask_##S take = (cp_mask_##S) (v > *acc);                                          \
    if (IS_FLOAT_##S) take |= (cp_mask_##S) (v != v);                                     \
    *acc = cp_select_##S(take, v, *acc);                                                  \
    *won = (take & offset) | (*won & ~take);                                              \
}                                                                                         \
CP_INLINE void cp_max_indexed_store_##S(T* acc, int32_t* won, int64_t m, cp_vec_##S a,  \
                                            cp_mask_##S w) {                              \
    cp_won_##S narrow = __builtin_convertvector(w, cp_won_##S);                           \
    cp_store_##S(acc + m, a);                                                             \
    memcpy(won + m, &narrow, sizeof narrow);                                              \
}                                                                                         \
CP_INLINE void cp_max_indexed_block_##S(int64_t m0, int64_t m1, int64_t m2, int64_t m3, \
                                            int vectors, const T* const* taps,            \
                                            const int32_t* tap_offsets, int64_t n_taps,   \
                                            int64_t offset, T* acc, int32_t* won, T start) {\
    int64_t t;                                                                            \
    const cp_vec_##S first = cp_splat_##S(start);                                         \
    const cp_mask_##S none = {0};                                                         \
    cp_vec_##S a0 = first, a1 = first, a2 = first, a3 = first;                            \
    cp_mask_##S w0 = none, w1 = none, w2 = none, w3 = none;                               \
    for (t = 0; t < n_taps; t++) {                                                        \
        const T* p = taps[t] + offset;                                                    \
        const I o = (I) tap_offsets[t];                                                   \
        cp_max_indexed_tap_##S(&a0, &w0, cp_load_##S(p + m0), o);                         \
        if (vectors > 1) cp_max_indexed_tap_##S(&a1, &w1, cp_load_##S(p + m1), o);        \
        if (vectors > 2) {                                                                \
            cp_max_indexed_tap_##S(&a2, &w2, cp_load_##S(p + m2), o);                     \
            cp_max_indexed_tap_##S(&a3, &w3, cp_load_##S(p + m3), o);                     \
        }                                                                                 \
    }                                                                                     \
    cp_max_indexed_store_##S(acc, won, m0, a0, w0);                                       \
    if (vectors > 1) cp_max_indexed_store_##S(acc, won, m1, a1, w1);                      \
    if (vectors > 2) {                                                                    \
        cp_max_indexed_store_##S(acc, won, m2, a2, w2);                                   \
        cp_max_indexed_store_##S(acc, won, m3, a3, w3);                                   \
    }                                                                                     \
}                                                                                         \
CP_ROW_FN int cp_max_indexed_##S(const T* const* taps, const int32_t* tap_offsets,       \
                                     int64_t n_taps, int64_t offset, T* acc,              \
                                     int32_t* won, int64_t count, T start) {              \
    int64_t m = 0, t;                                                                     \
    if (count >= (LANES))                                                                 \
        CP_BLOCKS(m, count, LANES, cp_max_indexed_block_##S, taps, tap_offsets, n_taps,   \
                  offset, acc, won, start);                                               \
    for (; m < count; m++) {                                                              \
        T a = start;                                                                      \
        int32_t w = 0;                                                                    \
        for (t = 0; t < n_taps; t++) {                                                    \
            T v = taps[t][offset + m];                                                    \
            if (v > a || (IS_FLOAT_##S && v != v)) {                                      \
                a = v;                                                                    \
                w = tap_offsets[t];                                                       \
            }                                                                             \
        }                                                                                 \
        acc[m] = a;                                                                       \
        won[m] = w;                                                                       \
    }                                                                                     \
    return 1;                                                                             \
}
/* The 1- and 2-byte types: their lanes cannot hold a tap's offset (0: not done). */
#define CP_DEFINE_NO_INDEXED(S, T)                                                        \
CP_INLINE int cp_max_indexed_##S(const T* const* taps, const int32_t* tap_offsets,       \
                                     int64_t n_taps, int64_t offset, T* acc,              \
                                     int32_t* won, int64_t count, T start) {              \
    (void) taps; (void) tap_offsets; (void) n_taps; (void) offset; (void) acc;            \
    (void) won; (void) count; (void) start;                                               \
    return 0;                                                                             \
}

#define IS_FLOAT_f32 1
#define IS_FLOAT_f64 1
#define IS_FLOAT_i8 0
#define IS_FLOAT_u8 0
#define IS_FLOAT_i16 0
#define IS_FLOAT_u16 0
#define IS_FLOAT_i32 0
#define IS_FLOAT_u32 0
#define IS_FLOAT_i64 0
#define IS_FLOAT_u64 0

/* The plain NaN-free max per type: the x86 instruction for floats where there is
 * one (the macro returns early), else the portable select that follows it. */
#if defined(CP_MAXPS_ARGS)
CP_X86_MAX_(cp_maxps_vec, float __attribute__((vector_size(CP_VEC_BYTES))), CP_MAXPS_ARGS)
CP_X86_MAX_(cp_maxpd_vec, double __attribute__((vector_size(CP_VEC_BYTES))), CP_MAXPD_ARGS)
#define CP_PLAIN_MAX_f32(v, acc) return cp_maxps_vec(v, acc)
#define CP_PLAIN_MAX_f64(v, acc) return cp_maxpd_vec(v, acc)
#else
#define CP_PLAIN_MAX_f32(v, acc)
#define CP_PLAIN_MAX_f64(v, acc)
#endif
#define CP_PLAIN_MAX_i8(v, acc)
#define CP_PLAIN_MAX_u8(v, acc)
#define CP_PLAIN_MAX_i16(v, acc)
#define CP_PLAIN_MAX_u16(v, acc)
#define CP_PLAIN_MAX_i32(v, acc)
#define CP_PLAIN_MAX_u32(v, acc)
#define CP_PLAIN_MAX_i64(v, acc)
#define CP_PLAIN_MAX_u64(v, acc)

/* The indexed max's tap for floats on AVX-512: the two selects as masked moves
 * of the compare mask (the portable select is two xors per register, and the
 * float64 sweep was bound by them).  The macro returns early, as CP_PLAIN_MAX_S. */
#if defined(__AVX512F__)
#define CP_X86_INDEXED_TAP(NAME, REG, INT, CMP, MOV, SET1)                                \
CP_INLINE void NAME(void* acc, void* won, const void* v, INT offset) {                    \
    REG a, x;                                                                             \
    __m512i w;                                                                            \
    memcpy(&a, acc, 64);                                                                  \
    memcpy(&x, v, 64);                                                                    \
    memcpy(&w, won, 64);                                                                  \
    const __mmask16 take = CMP(x, a, _CMP_GT_OQ) | CMP(x, x, _CMP_UNORD_Q);               \
    a = MOV(a, take, x);                                                                  \
    w = SET1(w, take, offset);                                                            \
    memcpy(acc, &a, 64);                                                                  \
    memcpy(won, &w, 64);                                                                  \
}
CP_X86_INDEXED_TAP(cp_x86_indexed_tap_f32, __m512, int32_t, _mm512_cmp_ps_mask,
                   _mm512_mask_mov_ps, _mm512_mask_set1_epi32)
CP_X86_INDEXED_TAP(cp_x86_indexed_tap_f64, __m512d, int64_t, _mm512_cmp_pd_mask,
                   _mm512_mask_mov_pd, _mm512_mask_set1_epi64)
#define CP_INDEXED_TAP_f32(acc, won, v, offset)                                           \
    do { cp_x86_indexed_tap_f32(acc, won, &v, offset); return; } while (0)
#define CP_INDEXED_TAP_f64(acc, won, v, offset)                                           \
    do { cp_x86_indexed_tap_f64(acc, won, &v, offset); return; } while (0)
#else
#define CP_INDEXED_TAP_f32(acc, won, v, offset)
#define CP_INDEXED_TAP_f64(acc, won, v, offset)
#endif
#define CP_INDEXED_TAP_i32(acc, won, v, offset)
#define CP_INDEXED_TAP_u32(acc, won, v, offset)
#define CP_INDEXED_TAP_i64(acc, won, v, offset)
#define CP_INDEXED_TAP_u64(acc, won, v, offset)

CP_DEFINE_ROWS(f32, float, int32_t, CP_LANES_4, 1)
CP_DEFINE_ROWS(f64, double, int64_t, CP_LANES_8, 1)
CP_DEFINE_ROWS(i8, int8_t, int8_t, CP_LANES_1, 0)
CP_DEFINE_ROWS(u8, uint8_t, int8_t, CP_LANES_1, 0)
CP_DEFINE_ROWS(i16, int16_t, int16_t, CP_LANES_2, 0)
CP_DEFINE_ROWS(u16, uint16_t, int16_t, CP_LANES_2, 0)
CP_DEFINE_ROWS(i32, int32_t, int32_t, CP_LANES_4, 0)
CP_DEFINE_ROWS(u32, uint32_t, int32_t, CP_LANES_4, 0)
CP_DEFINE_ROWS(i64, int64_t, int64_t, CP_LANES_8, 0)
CP_DEFINE_ROWS(u64, uint64_t, int64_t, CP_LANES_8, 0)
CP_DEFINE_INDEXED(f32, float, int32_t, CP_LANES_4)
CP_DEFINE_INDEXED(f64, double, int64_t, CP_LANES_8)
CP_DEFINE_INDEXED(i32, int32_t, int32_t, CP_LANES_4)
CP_DEFINE_INDEXED(u32, uint32_t, int32_t, CP_LANES_4)
CP_DEFINE_INDEXED(i64, int64_t, int64_t, CP_LANES_8)
CP_DEFINE_INDEXED(u64, uint64_t, int64_t, CP_LANES_8)
CP_DEFINE_NO_INDEXED(i8, int8_t)
CP_DEFINE_NO_INDEXED(u8, uint8_t)
CP_DEFINE_NO_INDEXED(i16, int16_t)
CP_DEFINE_NO_INDEXED(u16, uint16_t)

/* Type-generic entry points for the Cython kernels: `type` and `op` are literals
 * at every call site (a fused specialization), so after inlining each call is the
 * one primitive it names.  Element values (start) are passed by address, divisors
 * as the integers they are, so nothing is rounded on the way. */
enum cp_type { CP_F32, CP_F64, CP_I8, CP_U8, CP_I16, CP_U16, CP_I32, CP_U32, CP_I64, CP_U64 };
enum cp_op { CP_OP_SUM = 0, CP_OP_MAX = 1, CP_OP_MAX_NAN_FREE = 2 };

#define CP_FOR_TYPE(type, CASE)                                                           \
    switch (type) {                                                                       \
    case CP_F32: CASE(f32, float)                                                         \
    case CP_F64: CASE(f64, double)                                                        \
    case CP_I8: CASE(i8, int8_t)                                                          \
    case CP_U8: CASE(u8, uint8_t)                                                         \
    case CP_I16: CASE(i16, int16_t)                                                       \
    case CP_U16: CASE(u16, uint16_t)                                                      \
    case CP_I32: CASE(i32, int32_t)                                                       \
    case CP_U32: CASE(u32, uint32_t)                                                      \
    case CP_I64: CASE(i64, int64_t)                                                       \
    case CP_U64: CASE(u64, uint64_t)                                                      \
    }

#define CP_REDUCE_CASE(KIND, S, T)                                                        \
    if (op == CP_OP_SUM)                                                                  \
        return cp_sum_##KIND##_##S(CP_ARGS_##KIND(T), *(const T*) start, (T) d0, (T) d1,  \
                                   (T) d2);                                               \
    if (op == CP_OP_MAX_NAN_FREE)                                                         \
        return cp_max_nan_free_##KIND##_##S(CP_ARGS_##KIND(T), *(const T*) start, 0, 1, 1);\
    return cp_max_##KIND##_##S(CP_ARGS_##KIND(T), *(const T*) start, 0, 1, 1);
#define CP_ARGS_taps(T) (const T* const*) taps, n_taps, offset, (T*) y, count
#define CP_ARGS_pairs(T) (const T* const*) rows, n_rows, k, (T*) y, count
#define CP_TAPS_CASE(S, T) CP_REDUCE_CASE(taps, S, T)
#define CP_PAIRS_CASE(S, T) CP_REDUCE_CASE(pairs, S, T)

/* y[m] = op over taps[t][offset + m] (see CP_DEFINE_TAPS); returns count. */
CP_INLINE int64_t cp_reduce_taps(int type, int op, const void* const* taps,
                                     int64_t n_taps, int64_t offset, void* y, int64_t count,
                                     const void* start, int64_t d0, int64_t d1, int64_t d2) {
    CP_FOR_TYPE(type, CP_TAPS_CASE)
    return 0;
}

/* Stride-2 windows (see CP_DEFINE_PAIRS); returns how many outputs it wrote. */
CP_INLINE int64_t cp_reduce_pairs(int type, int op, const void* const* rows,
                                      int64_t n_rows, int64_t k, void* y, int64_t count,
                                      const void* start, int64_t d0, int64_t d1, int64_t d2) {
    CP_FOR_TYPE(type, CP_PAIRS_CASE)
    return 0;
}

#define CP_WINDOW_MAX_CASE(S, T)                                                          \
    cp_window_max_##S((const T*) src, count, k, gap, (T*) out, (T*) scratch);             \
    return;
/* out[m] = max over e < k of src[m + e * gap], NaN- and -0.0-free rows only. */
CP_INLINE void cp_window_max(int type, const void* src, int64_t count, int64_t k,
                                 int64_t gap, void* out, void* scratch) {
    CP_FOR_TYPE(type, CP_WINDOW_MAX_CASE)
}

#define CP_ROWS_MAX_CASE(S, T)                                                            \
    cp_rows_max_##S((const T*) a, (const T*) b, (T*) out, n);                             \
    return;
/* out[m] = max(a[m], b[m]) (out must not overlap a or b). */
CP_INLINE void cp_rows_max(int type, const void* a, const void* b, void* out, int64_t n) {
    CP_FOR_TYPE(type, CP_ROWS_MAX_CASE)
}

#define CP_ROWS_MAX_INTO_CASE(S, T)                                                       \
    cp_rows_max_into_##S((T*) acc, (const T*) b, n);                                      \
    return;
/* acc[m] = max(acc[m], b[m]) (acc must not overlap b). */
CP_INLINE void cp_rows_max_into(int type, void* acc, const void* b, int64_t n) {
    CP_FOR_TYPE(type, CP_ROWS_MAX_INTO_CASE)
}

#define CP_COPY_CASE(S, T)                                                                \
    cp_copy_##S((T*) out, (const T*) src, n);                                             \
    return;
/* out[m] = src[m] for m < n: a plain vector loop (the short rows of the running max
 * stay in cache; glibc's memcpy takes `rep movsb` there, slow on AMD Zen). */
CP_INLINE void cp_copy(int type, void* out, const void* src, int64_t n) {
    CP_FOR_TYPE(type, CP_COPY_CASE)
}

#define CP_FILL_CASE(S, T)                                                                \
    cp_fill_##S((T*) out, *(const T*) value, n);                                          \
    return;
/* out[m] = *value for m < n. */
CP_INLINE void cp_fill(int type, void* out, const void* value, int64_t n) {
    CP_FOR_TYPE(type, CP_FILL_CASE)
}

#define CP_KEEP_CASE(S, T)                                                                \
    cp_keep_pixels_##S((const T*) acc, available, (T*) y, n, pixel, channels);           \
    return;
/* y = the first `channels` of every pixel-th element of acc[0:available], n pixels. */
CP_INLINE void cp_keep_pixels(int type, const void* acc, int64_t available, void* y,
                                  int64_t n, int64_t pixel, int64_t channels) {
    CP_FOR_TYPE(type, CP_KEEP_CASE)
}

/* indices[i * C + c] = corner + i * step + won[i * P + c], i < n, c < C: the flat
 * indices of n output pixels from their winning taps' offsets, read where the
 * few-channel sweep left them (every P-th element), as cp_keep_pixels keeps the
 * values.  Literal channel counts for the common ones: with a run-time count the
 * inner loop was not unrolled. */
#define CP_PIXEL_INDICES(C)                                                               \
    for (i = 0; i < n; i++)                                                               \
        for (c = 0; c < (C); c++)                                                         \
            indices[i * (C) + c] = corner + i * step + won[i * pixel + c];
CP_ROW_FN void cp_pixel_indices(const int32_t* restrict won, int64_t* restrict indices,
                                int64_t n, int64_t pixel, int64_t channels, int64_t corner,
                                int64_t step) {
    int64_t i = 0, c, j, block = 8 * channels, pattern[8 * 8];
    if (pixel == channels && channels <= 8) {
        /* Stride 1, the winners contiguous: blocks of 8 pixels share one pattern
         * of (i % 8) * step, a plain vector add over the block's 8 * C slots. */
        for (j = 0; j < block; j++) pattern[j] = j / channels * step;
        for (; i + 8 <= n; i += 8)
            for (j = 0; j < block; j++)
                indices[i * channels + j] = corner + i * step + pattern[j] + won[i * channels + j];
        for (j = i * channels; j < n * channels; j++)
            indices[j] = corner + j / channels * step + won[j];
    } else if (channels == 2) {
        CP_PIXEL_INDICES(2)
    } else if (channels == 3) {
        CP_PIXEL_INDICES(3)
    } else if (channels == 4) {
        CP_PIXEL_INDICES(4)
    } else {
        CP_PIXEL_INDICES(channels)
    }
}

#define CP_INDEXED_CASE(S, T)                                                             \
    return cp_max_indexed_##S((const T* const*) taps, tap_offsets, n_taps, offset, (T*) acc,\
                              won, count, *(const T*) start);
/* The max and its winning tap's offset (see CP_DEFINE_INDEXED); 0, with nothing
 * written, for the 1- and 2-byte types, whose lanes cannot hold an offset. */
CP_INLINE int cp_max_indexed(int type, const void* const* taps, const int32_t* tap_offsets,
                                 int64_t n_taps, int64_t offset, void* acc, int32_t* won,
                                 int64_t count, const void* start) {
    CP_FOR_TYPE(type, CP_INDEXED_CASE)
    return 0;
}

#define CP_SIZE_CASE(S, T) return sizeof(T);
CP_INLINE int64_t cp_type_size(int type) {
    CP_FOR_TYPE(type, CP_SIZE_CASE)
    return 1;
}

/* Accumulator elements per chunk of a channels-last sweep: at least a pixel
 * (stride 4 x 64 bytes); a chunk of any type, and CP_KEEP_PAD more, fits the
 * sweeps' stack buffers. */
#define CP_SWEEP_ELEMENTS 1024
#define CP_SWEEP_BYTES ((CP_SWEEP_ELEMENTS + CP_KEEP_PAD) * 8)

/* Channels-last outputs of pixels narrower than a vector, at a pixel step > 1:
 * y[i * C + c] = op over the taps of taps[t][i * P + c] (P = C * pixel_step),
 * i < count.  Every element position of the interleaved row, through a chunk's
 * last output, is reduced as if the stride were 1 (cp_reduce_taps), then every
 * P-th pixel kept (cp_keep_pixels): cheaper than per-pixel vectors mostly empty.
 * A function of its own, so that its buffer is on the stack only while it runs
 * (in its callers' frames it shifted their other arrays, and a channels-first
 * average that never sweeps ran 13% slower). */
CP_ROW_FN void cp_sweep_pixels(int type, int op, const void* const* taps, int64_t n_taps,
                               int64_t pixel_step, int64_t channels, void* y, int64_t count,
                               const void* start, int64_t d0, int64_t d1, int64_t d2) {
    unsigned char acc[CP_SWEEP_BYTES] __attribute__((aligned(64)));
    const int64_t pixel = pixel_step * channels, size = cp_type_size(type);
    const int64_t per_chunk = CP_SWEEP_ELEMENTS / pixel;
    int64_t first = 0, n;
    while (first < count) {
        n = count - first < per_chunk ? count - first : per_chunk;
        cp_reduce_taps(type, op, taps, n_taps, first * pixel, acc, (n - 1) * pixel + channels,
                       start, d0, d1, d2);
        cp_keep_pixels(type, acc, CP_SWEEP_BYTES / size, (unsigned char*) y + first * channels * size,
                       n, pixel, channels);
        first += n;
    }
}

#define CP_SPECIAL_CASE(S, T) return cp_special_##S((const T*) x, n);
/* Whether x[0:n] holds a NaN or a -0.0 (never for integers). */
CP_INLINE int cp_special(int type, const void* x, int64_t n) {
    CP_FOR_TYPE(type, CP_SPECIAL_CASE)
    return 0;
}

#endif /* CYPOOL_ROWS_H */
