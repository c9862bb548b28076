/* cypool_integer_sums.h: exact window sums of 8- and 16-bit integer images.
 *
 * An average of integers is the exact sum of its window divided once: integer
 * addition has no rounding, so the order of the taps cannot show, and the
 * window can be summed separably (the kernel rows of a window added into one row,
 * then that row's runs of kernel_w columns).  The sums live in int32 lanes; the
 * caller checks that no window's sum can leave them (cp_isum_fits).  The float64
 * mean of an exact integer sum and an exact integer divisor is the one the staged
 * float64 path computes, so the results keep its bits.
 *
 * Portable loops that the compiler vectorizes for each kernel variant (widening
 * loads, lane-wise adds and the int32 -> float64 divide).
 */
#ifndef CYPOOL_INTEGER_SUMS_H
#define CYPOOL_INTEGER_SUMS_H

#include <math.h>
#include <stdint.h>

#include "cypool_rows.h"

/* acc[i] = row[i] (first row of the window) or acc[i] += row[i], for i < n. */
typedef void (*cp_isum_row_fn)(const void* row, int32_t* acc, int64_t n, int first);

#define CP_DEFINE_ISUM_ROW(S, T)                                                          \
    CP_ROW_FN void cp_isum_row_##S(const void* source, int32_t* acc, int64_t n,           \
                                   int first) {                                           \
        const T* row = (const T*) source;                                                 \
        int64_t i;                                                                        \
        if (first) {                                                                      \
            for (i = 0; i < n; i++) acc[i] = row[i];                                      \
        } else {                                                                          \
            for (i = 0; i < n; i++) acc[i] += row[i];                                     \
        }                                                                                 \
    }
CP_DEFINE_ISUM_ROW(i8, int8_t)
CP_DEFINE_ISUM_ROW(u8, uint8_t)
CP_DEFINE_ISUM_ROW(i16, int16_t)
CP_DEFINE_ISUM_ROW(u16, uint16_t)

/* The row summer of a stored integer type (NumPy kind 'i' or 'u', 1 or 2 bytes);
   NULL for every other type. */
static inline cp_isum_row_fn cp_isum_row_of(char kind, int size) {
    if (kind == 'u') return size == 1 ? cp_isum_row_u8 : size == 2 ? cp_isum_row_u16 : NULL;
    if (kind == 'i') return size == 1 ? cp_isum_row_i8 : size == 2 ? cp_isum_row_i16 : NULL;
    return NULL;
}

/* Whether int32 lanes hold every window sum: the largest magnitude of the type
   times the most taps of a window. */
static inline int cp_isum_fits(char kind, int size, int64_t most_taps) {
    int64_t largest = size == 1 ? (kind == 'u' ? 255 : 128) : (kind == 'u' ? 65535 : 32768);
    return most_taps > 0 && most_taps <= INT32_MAX / largest;
}

/* Pixels of a literal number of channels (inlined with CHANNELS a constant, so
   its loops unroll into straight adds): sums of pixel o over its k columns. */
CP_INLINE void cp_isum_pixels(const int32_t* acc, int32_t* sums, int64_t outputs,
                              const int64_t CHANNELS, int64_t k, int64_t stride,
                              int64_t gap) {
    int64_t o, c, e;
    for (o = 0; o < outputs; o++) {
        const int32_t* corner = acc + o * stride * CHANNELS;
        int32_t* out = sums + o * CHANNELS;
        for (c = 0; c < CHANNELS; c++) out[c] = corner[c];
        for (e = 1; e < k; e++) {
            const int32_t* tap = corner + e * gap * CHANNELS;
            for (c = 0; c < CHANNELS; c++) out[c] += tap[c];
        }
    }
}

/* sums[o * channels + c] = the sum over e < k of column (o * stride + e * gap) of
   the interleaved row acc (channels values a column), for o < outputs. */
CP_ROW_FN void cp_isum_windows(const int32_t* acc, int32_t* sums, int64_t outputs,
                               int64_t channels, int64_t k, int64_t stride, int64_t gap) {
    int64_t n = outputs * channels, m, o, e, step = gap * channels;
    if (stride == 1) {
        /* Output element m's taps are acc[m + e * step]: whole contiguous runs. */
        for (m = 0; m < n; m++) sums[m] = acc[m];
        for (e = 1; e < k; e++) {
            const int32_t* tap = acc + e * step;
            for (m = 0; m < n; m++) sums[m] += tap[m];
        }
    } else if (channels == 1 && stride == 2) {
        /* Even and odd columns: a de-interleave the compiler vectorizes. */
        for (o = 0; o < outputs; o++) sums[o] = acc[2 * o];
        for (e = 1; e < k; e++) {
            const int32_t* tap = acc + e * gap;
            for (o = 0; o < outputs; o++) sums[o] += tap[2 * o];
        }
    } else if (channels == 1) {
        cp_isum_pixels(acc, sums, outputs, 1, k, stride, gap);
    } else if (channels == 2) {
        cp_isum_pixels(acc, sums, outputs, 2, k, stride, gap);
    } else if (channels == 3) {
        cp_isum_pixels(acc, sums, outputs, 3, k, stride, gap);
    } else if (channels == 4) {
        cp_isum_pixels(acc, sums, outputs, 4, k, stride, gap);
    } else {
        cp_isum_pixels(acc, sums, outputs, channels, k, stride, gap);
    }
}

/* means[m] = sums[m] / (factor * divisors[m]) in float64, for m < n: factor and
   divisors[m] are exact integers whose product is the window's divisor. */
CP_ROW_FN void cp_isum_means(const int32_t* sums, const int32_t* divisors, double factor,
                             double* means, int64_t n) {
    int64_t m;
    for (m = 0; m < n; m++) means[m] = (double) sums[m] / (factor * (double) divisors[m]);
}

/* The same means rounded to x's own type: saturated to [LOW, HIGH] (integers, so
 * clamping first changes nothing), then converted to nearest, ties to even, in the
 * default rounding mode (np.rint's result; cvtps2dq and its kin on x86, so the
 * loop vectorizes).
 *
 * F is float64, or float32 when every sum and divisor is exact in it and the
 * divisors are below 2**16 (cp_isum_float_divide): for |mean| < 256 float32's
 * rounding error is at most 2**-17, while a mean that is not exactly q + 0.5 lies
 * at least 1 / (2 * divisor) > 2**-17 from it, so rounding to an integer gives
 * float64's result. */
#if defined(__GNUC__) && !defined(__clang__)
#define CP_IRINT_float(q) __builtin_irintf(q)
#define CP_IRINT_double(q) __builtin_irint(q)
#else
#define CP_IRINT_float(q) ((int32_t) lrintf(q))
#define CP_IRINT_double(q) ((int32_t) lrint(q))
#endif
#define CP_DEFINE_ISUM_ROUND(NAME, T, F, LOW, HIGH)                                      \
    CP_ROW_FN void NAME(const int32_t* sums, const int32_t* divisors, double factor,     \
                        void* target, int64_t n) {                                       \
        const F low = (LOW), high = (HIGH), row_factor = (F) factor;                     \
        T* y = (T*) target;                                                              \
        int64_t m;                                                                       \
        for (m = 0; m < n; m++) {                                                        \
            F q = (F) sums[m] / (row_factor * (F) divisors[m]);                          \
            q = q < low ? low : q;                                                       \
            q = high < q ? high : q;                                                     \
            y[m] = (T) CP_IRINT_##F(q);                                                  \
        }                                                                                \
    }
CP_DEFINE_ISUM_ROUND(cp_isum_round_i8, int8_t, double, -128.0, 127.0)
CP_DEFINE_ISUM_ROUND(cp_isum_round_u8, uint8_t, double, 0.0, 255.0)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i16, int16_t, double, -32768.0, 32767.0)
CP_DEFINE_ISUM_ROUND(cp_isum_round_u16, uint16_t, double, 0.0, 65535.0)
CP_DEFINE_ISUM_ROUND(cp_isum_round_i8_f32, int8_t, float, -128.0f, 127.0f)
CP_DEFINE_ISUM_ROUND(cp_isum_round_u8_f32, uint8_t, float, 0.0f, 255.0f)

/* Sums of a row -> its results in x's own integer type. */
typedef void (*cp_isum_round_fn)(const int32_t* sums, const int32_t* divisors, double factor,
                                 void* target, int64_t n);

/* Whether the 8-bit rounders may divide in float32 (see CP_DEFINE_ISUM_ROUND):
   every window sum below 2**24 in magnitude (256 * 2**16) and every divisor below
   2**16. */
static inline int cp_isum_float_divide(int size, int64_t most_taps, int64_t largest_divisor) {
    return size == 1 && most_taps <= (1 << 16) && largest_divisor < (1 << 16);
}

/* The rounder into x's own type (kind, size), when the result type is that type
   itself; NULL otherwise.  in_float: cp_isum_float_divide holds. */
static inline cp_isum_round_fn cp_isum_round_of(char kind, int size, char result_kind,
                                                int result_size, int in_float) {
    if (result_kind != kind || result_size != size) return NULL;
    if (kind == 'u' && size == 1) return in_float ? cp_isum_round_u8_f32 : cp_isum_round_u8;
    if (kind == 'i' && size == 1) return in_float ? cp_isum_round_i8_f32 : cp_isum_round_i8;
    if (size == 2) return kind == 'u' ? cp_isum_round_u16 : kind == 'i' ? cp_isum_round_i16 : NULL;
    return NULL;
}

#endif /* CYPOOL_INTEGER_SUMS_H */
