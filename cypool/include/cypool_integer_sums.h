/* cypool_integer_sums.h: exact window sums of 8- and 16-bit integer images.
 *
 * An average of integers is the exact sum of its window divided once: integer
 * addition has no rounding, so the order of the taps cannot show, and the
 * window can be summed separably (the kernel rows of a window added into one row,
 * then that row's runs of kernel_w columns).  The sums live in integer lanes as
 * narrow as they fit: 16 bits for windows of up to 257 uint8 (256 int8) taps,
 * else 32 bits (cp_isum_choose checks that no window's sum can leave them).  The
 * float64 mean of an exact integer sum and an exact integer divisor is the one the
 * staged float64 path computes, so the results keep its bits.
 *
 * Portable loops that the compiler vectorizes for each kernel variant (widening
 * loads, lane-wise adds, the divide and the rounding conversion).
 */
#ifndef CYPOOL_INTEGER_SUMS_H
#define CYPOOL_INTEGER_SUMS_H

#include <math.h>
#include <stdint.h>

#include "cypool_rows.h"

/* acc[i] = row[i] (the window's first row) or acc[i] += row[i], for i < n. */
#define CP_DEFINE_ISUM_ROW(NAME, T, L)                                                    \
    CP_ROW_FN void NAME(const void* source, void* lanes, int64_t n, int first) {          \
        const T* row = (const T*) source;                                                 \
        L* acc = (L*) lanes;                                                              \
        int64_t i;                                                                        \
        if (first) {                                                                      \
            for (i = 0; i < n; i++) acc[i] = (L) row[i];                                  \
        } else {                                                                          \
            for (i = 0; i < n; i++) acc[i] = (L) (acc[i] + row[i]);                       \
        }                                                                                 \
    }
CP_DEFINE_ISUM_ROW(cp_isum_row_u8_u16, uint8_t, uint16_t)
CP_DEFINE_ISUM_ROW(cp_isum_row_i8_i16, int8_t, int16_t)
CP_DEFINE_ISUM_ROW(cp_isum_row_u8_i32, uint8_t, int32_t)
CP_DEFINE_ISUM_ROW(cp_isum_row_i8_i32, int8_t, int32_t)
CP_DEFINE_ISUM_ROW(cp_isum_row_u16_i32, uint16_t, int32_t)
CP_DEFINE_ISUM_ROW(cp_isum_row_i16_i32, int16_t, int32_t)

/* Pixels of a literal number of channels (inlined with CHANNELS a constant, so
   its loops unroll into straight adds): the sums of pixel o over its k columns. */
#define CP_DEFINE_ISUM_PIXELS(LS, L)                                                      \
    CP_INLINE void cp_isum_pixels_##LS(const L* acc, L* sums, int64_t outputs,            \
                                       const int64_t CHANNELS, int64_t k, int64_t stride, \
                                       int64_t gap) {                                     \
        int64_t o, c, e;                                                                  \
        for (o = 0; o < outputs; o++) {                                                   \
            const L* corner = acc + o * stride * CHANNELS;                                \
            L* out = sums + o * CHANNELS;                                                 \
            for (c = 0; c < CHANNELS; c++) out[c] = corner[c];                            \
            for (e = 1; e < k; e++) {                                                     \
                const L* tap = corner + e * gap * CHANNELS;                               \
                for (c = 0; c < CHANNELS; c++) out[c] = (L) (out[c] + tap[c]);            \
            }                                                                             \
        }                                                                                 \
    }

/* sums[o * channels + c] = the sum over e < k of column (o * stride + e * gap) of
   the interleaved row acc (channels values a column), for o < outputs. */
#define CP_DEFINE_ISUM_WINDOWS(LS, L)                                                     \
    CP_DEFINE_ISUM_PIXELS(LS, L)                                                          \
    CP_ROW_FN void cp_isum_windows_##LS(const void* lanes, void* out, int64_t outputs,    \
                                        int64_t channels, int64_t k, int64_t stride,      \
                                        int64_t gap) {                                    \
        const L* acc = (const L*) lanes;                                                  \
        L* sums = (L*) out;                                                               \
        int64_t n = outputs * channels, m, o, e, step = gap * channels;                   \
        if (stride == 1) {                                                                \
            /* Output element m's taps are acc[m + e * step]: contiguous runs. */         \
            for (m = 0; m < n; m++) sums[m] = acc[m];                                     \
            for (e = 1; e < k; e++) {                                                     \
                const L* tap = acc + e * step;                                            \
                for (m = 0; m < n; m++) sums[m] = (L) (sums[m] + tap[m]);                 \
            }                                                                             \
        } else if (channels == 1 && stride == 2) {                                        \
            /* Even and odd columns: a de-interleave the compiler vectorizes. */          \
            for (o = 0; o < outputs; o++) sums[o] = acc[2 * o];                           \
            for (e = 1; e < k; e++) {                                                     \
                const L* tap = acc + e * gap;                                             \
                for (o = 0; o < outputs; o++) sums[o] = (L) (sums[o] + tap[2 * o]);       \
            }                                                                             \
        } else if (channels == 1) {                                                       \
            cp_isum_pixels_##LS(acc, sums, outputs, 1, k, stride, gap);                   \
        } else if (channels == 2) {                                                       \
            cp_isum_pixels_##LS(acc, sums, outputs, 2, k, stride, gap);                   \
        } else if (channels == 3) {                                                       \
            cp_isum_pixels_##LS(acc, sums, outputs, 3, k, stride, gap);                   \
        } else if (channels == 4) {                                                       \
            cp_isum_pixels_##LS(acc, sums, outputs, 4, k, stride, gap);                   \
        } else {                                                                          \
            cp_isum_pixels_##LS(acc, sums, outputs, channels, k, stride, gap);            \
        }                                                                                 \
    }

/* means[m] = sums[m] / (factor * divisors[m]) in float64, for m < n: factor and
   divisors[m] are exact integers whose product is the window's divisor. */
#define CP_DEFINE_ISUM_MEANS(LS, L)                                                       \
    CP_ROW_FN void cp_isum_means_##LS(const void* lanes, const int32_t* divisors,         \
                                      double factor, double* means, int64_t n) {          \
        const L* sums = (const L*) lanes;                                                 \
        int64_t m;                                                                        \
        for (m = 0; m < n; m++) means[m] = (double) sums[m] / (factor * (double) divisors[m]); \
    }

/* Adaptive bins (windows of their own start and width along W): sums[o * channels
   + c] = the sum over e < taps[o] of column first[o] + e of acc, for o < outputs;
   then their float64 means as PyTorch's adaptive pooling divides, by each dim's
   tap count in turn (d0 and d1 for the row, taps[o] along W). */
#define CP_DEFINE_ISUM_BINS(LS, L)                                                        \
    CP_ROW_FN void cp_isum_bins_##LS(const void* lanes, void* out, int64_t outputs,       \
                                     int64_t channels, const int64_t* first,              \
                                     const int64_t* taps) {                               \
        const L* acc = (const L*) lanes;                                                  \
        L* sums = (L*) out;                                                               \
        int64_t o, c, e;                                                                  \
        for (o = 0; o < outputs; o++) {                                                   \
            const L* corner = acc + first[o] * channels;                                  \
            for (c = 0; c < channels; c++) sums[o * channels + c] = corner[c];            \
            for (e = 1; e < taps[o]; e++) {                                               \
                for (c = 0; c < channels; c++) {                                          \
                    sums[o * channels + c] =                                              \
                        (L) (sums[o * channels + c] + corner[e * channels + c]);          \
                }                                                                         \
            }                                                                             \
        }                                                                                 \
    }                                                                                     \
    CP_ROW_FN void cp_isum_bin_means_##LS(const void* lanes, const int32_t* divisors,     \
                                          double d0, double d1, double* means, int64_t n) { \
        const L* sums = (const L*) lanes;                                                 \
        int64_t m;                                                                        \
        for (m = 0; m < n; m++) means[m] = (double) sums[m] / d0 / d1 / (double) divisors[m]; \
    }

CP_DEFINE_ISUM_WINDOWS(u16, uint16_t)
CP_DEFINE_ISUM_WINDOWS(i16, int16_t)
CP_DEFINE_ISUM_WINDOWS(i32, int32_t)
CP_DEFINE_ISUM_MEANS(u16, uint16_t)
CP_DEFINE_ISUM_MEANS(i16, int16_t)
CP_DEFINE_ISUM_MEANS(i32, int32_t)
CP_DEFINE_ISUM_BINS(u16, uint16_t)
CP_DEFINE_ISUM_BINS(i16, int16_t)
CP_DEFINE_ISUM_BINS(i32, int32_t)

/* The same means rounded to x's own type T: to nearest, ties to even, in the
 * default rounding mode (np.rint's result; cvtps2dq and its kin on x86, so the
 * loop vectorizes), then saturated to [LOW, HIGH] with int32 min and max (float
 * compares and selects there cost more than the division).  Every mean fits int32:
 * |sum| < 2**31, divisors are at least 1, and float32 divides only sums below 2**24.
 *
 * F is float64, or float32 when every sum and divisor is exact in it and the
 * divisors are below 2**16 (8-bit types, see cp_isum_choose): for |mean| < 256
 * float32's rounding error is at most 2**-17, while a mean that is not exactly
 * q + 0.5 lies at least 1 / (2 * divisor) > 2**-17 from it, so rounding to an
 * integer gives float64's result. */
#if defined(__GNUC__) && !defined(__clang__)
#define CP_IRINT_float(q) __builtin_irintf(q)
#define CP_IRINT_double(q) __builtin_irint(q)
#else
#define CP_IRINT_float(q) ((int32_t) lrintf(q))
#define CP_IRINT_double(q) ((int32_t) lrint(q))
#endif
#define CP_DEFINE_ISUM_ROUND(NAME, L, T, F, LOW, HIGH)                                    \
    CP_ROW_FN void NAME(const void* lanes, const int32_t* divisors, double factor,        \
                        void* target, int64_t n) {                                        \
        const L* sums = (const L*) lanes;                                                 \
        const F row_factor = (F) factor;                                                  \
        T* y = (T*) target;                                                               \
        int64_t m;                                                                        \
        for (m = 0; m < n; m++) {                                                         \
            int32_t r = CP_IRINT_##F((F) sums[m] / (row_factor * (F) divisors[m]));       \
            r = r < (LOW) ? (LOW) : r;                                                    \
            y[m] = (T) (r > (HIGH) ? (HIGH) : r);                                         \
        }                                                                                 \
    }
CP_DEFINE_ISUM_ROUND(cp_isum_round_u16_u8, uint16_t, uint8_t, float, 0, 255)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i16_i8, int16_t, int8_t, float, -128, 127)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_u8_f32, int32_t, uint8_t, float, 0, 255)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_i8_f32, int32_t, int8_t, float, -128, 127)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_u8, int32_t, uint8_t, double, 0, 255)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_i8, int32_t, int8_t, double, -128, 127)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_u16, int32_t, uint16_t, double, 0, 65535)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i32_i16, int32_t, int16_t, double, -32768, 32767)

/* The row functions of one call. */
typedef struct {
    int lane_bytes;
    /* a window row summed into the lanes (first: assigned) */
    void (*sum_row)(const void* row, void* lanes, int64_t n, int first);
    /* the lanes' runs of columns summed into one sum per output element */
    void (*sum_windows)(const void* lanes, void* sums, int64_t outputs, int64_t channels,
                        int64_t k, int64_t stride, int64_t gap);
    /* the sums divided into float64 means */
    void (*means)(const void* sums, const int32_t* divisors, double factor, double* means,
                  int64_t n);
    /* the sums divided and rounded into x's own type; NULL for other result types */
    void (*round)(const void* sums, const int32_t* divisors, double factor, void* target,
                  int64_t n);
    /* adaptive bins: their sums, and their means divided per dim */
    void (*sum_bins)(const void* lanes, void* sums, int64_t outputs, int64_t channels,
                     const int64_t* first, const int64_t* taps);
    void (*bin_means)(const void* sums, const int32_t* divisors, double d0, double d1,
                      double* means, int64_t n);
} cp_isum_kernels;

/* Whether x's type (NumPy kind, itemsize) is one this path sums: 8- and 16-bit
   integers.  Callers ask before building a window table. */
static inline int cp_isum_takes(char kind, int size) {
    return (kind == 'u' || kind == 'i') && (size == 1 || size == 2);
}

/* Fill k for an x of NumPy kind 'i' or 'u' and itemsize 1 or 2 whose windows have
 * at most most_taps taps and divisors at most largest_divisor, averaged into a
 * result of (result_kind, result_size).  0 (k untouched) when this path does not
 * apply: another type, or sums or divisors too large for 32-bit lanes. */
static inline int cp_isum_choose(cp_isum_kernels* k, char kind, int size, int64_t most_taps,
                                 int64_t largest_divisor, char result_kind, int result_size) {
    int64_t largest = size == 1 ? (kind == 'u' ? 255 : 128) : (kind == 'u' ? 65535 : 32768);
    int own = result_kind == kind && result_size == size;
    int in_float = size == 1 && most_taps <= (1 << 16) && largest_divisor < (1 << 16);
    if (!cp_isum_takes(kind, size) || most_taps <= 0
        || most_taps > INT32_MAX / largest || largest_divisor > INT32_MAX) {
        return 0;
    }
    if (in_float && most_taps * largest <= (kind == 'u' ? 65535 : 32768)) {
        k->lane_bytes = 2;
        k->sum_row = kind == 'u' ? cp_isum_row_u8_u16 : cp_isum_row_i8_i16;
        k->sum_windows = kind == 'u' ? cp_isum_windows_u16 : cp_isum_windows_i16;
        k->means = kind == 'u' ? cp_isum_means_u16 : cp_isum_means_i16;
        k->round = !own ? NULL : kind == 'u' ? cp_isum_round_u16_u8 : cp_isum_round_i16_i8;
        k->sum_bins = kind == 'u' ? cp_isum_bins_u16 : cp_isum_bins_i16;
        k->bin_means = kind == 'u' ? cp_isum_bin_means_u16 : cp_isum_bin_means_i16;
        return 1;
    }
    k->lane_bytes = 4;
    k->sum_windows = cp_isum_windows_i32;
    k->means = cp_isum_means_i32;
    k->sum_bins = cp_isum_bins_i32;
    k->bin_means = cp_isum_bin_means_i32;
    if (size == 1) {
        k->sum_row = kind == 'u' ? cp_isum_row_u8_i32 : cp_isum_row_i8_i32;
        k->round = !own ? NULL
                   : kind == 'u' ? (in_float ? cp_isum_round_i32_u8_f32 : cp_isum_round_i32_u8)
                   : (in_float ? cp_isum_round_i32_i8_f32 : cp_isum_round_i32_i8);
    } else {
        k->sum_row = kind == 'u' ? cp_isum_row_u16_i32 : cp_isum_row_i16_i32;
        k->round = !own ? NULL : kind == 'u' ? cp_isum_round_i32_u16 : cp_isum_round_i32_i16;
    }
    return 1;
}

#endif /* CYPOOL_INTEGER_SUMS_H */
