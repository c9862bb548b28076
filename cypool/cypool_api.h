/*
 * cypool's C API: the pooling kernels for C and C++ extensions.
 *
 * Build with the include folder ``cypool.get_include()`` and include this file:
 *
 *     #include "cypool/cypool_api.h"
 *
 *     // once, in the module's init function (with the GIL held):
 *     if (import_cypool() < 0) return NULL;       // ImportError set, as import_array()
 *
 *     cypool_geometry g;
 *     int64_t in_size[2] = {h, w}, kernel[2] = {3, 3}, stride[2] = {2, 2};
 *     int64_t pad[2] = {1, 1}, dilation[2] = {1, 1};
 *     int bad_dim;
 *     int status = cypool_geometry_init(&g, 2, in_size, kernel, stride, pad, pad,
 *                                       dilation, 0, 0, &bad_dim);
 *     if (status != CYPOOL_OK) ... cypool_status_message(status) ...
 *     status = cypool_max_pool_forward_f32(x, y, indices, &g, n * c, 1, 2);
 *
 * The entry points are cypool's own kernels, in the variant (baseline, avx2,
 * avx512) that cypool chose for this CPU at import; they release nothing and
 * take no lock, so they may be called without the GIL and from inside the
 * caller's own threads (pass num_threads = 1 there).
 *
 * Conventions (the same as the Cython API, cypool/kernels.pxd):
 * - Arrays are C-contiguous (outer, D, H, W, channels).  Channels-first data
 *   passes outer = N * C and channels = 1; channels-last data passes outer = N
 *   and its C.  cypool_geometry_init puts 1-D and 2-D windows in the last dims
 *   (the leading sizes are 1), so the output plane is out_size[0..2] whatever
 *   ndim was.
 * - Indices are int64 flat indices into each (n, c) spatial plane, as
 *   PyTorch's.  Max pooling follows PyTorch: NaN wins, the first maximum wins,
 *   padding never does.
 * - num_threads is the OpenMP team size (>= 1).
 * - Every entry point returns a cypool_status: CYPOOL_OK, or why it did
 *   nothing (CYPOOL_NO_MEMORY, CYPOOL_BAD_ARGUMENT), or for the max backward
 *   CYPOOL_INDEX_OUT_OF_RANGE (those indices were skipped, the rest is done).
 *
 * Versions: CYPOOL_ABI_VERSION changes when a struct or a signature here
 * changes, and import_cypool() then refuses to bind (rebuild the extension);
 * CYPOOL_API_VERSION grows when entry points are appended, and import_cypool()
 * refuses a cypool older than the header the extension was built with.
 *
 * Each translation unit has its own table pointer: call import_cypool() in
 * every C file that calls cypool (it is cheap after the first import).
 */
#ifndef CYPOOL_API_H
#define CYPOOL_API_H

#include <Python.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CYPOOL_ABI_VERSION 1
#define CYPOOL_API_VERSION 1
#define CYPOOL_CAPSULE_NAME "cypool._c_api"

/* A pooling window over up to three spatial dims (the layout of the Cython
 * API's pool_geometry_t).  Fill it with cypool_geometry_init. */
typedef struct {
    int64_t in_size[3];
    int64_t out_size[3];
    int64_t kernel_size[3];
    int64_t stride[3];
    int64_t pad_before[3];
    int64_t pad_after[3];
    int64_t dilation[3];
    int ceil_mode;
} cypool_geometry;

typedef enum {
    CYPOOL_OK = 0,
    /* The window statuses of cypool_geometry_init (bad_dim names the dim). */
    CYPOOL_BAD_INPUT_SIZE = 1,
    CYPOOL_BAD_KERNEL_SIZE = 2,
    CYPOOL_BAD_STRIDE = 3,
    CYPOOL_BAD_DILATION = 4,
    CYPOOL_NEGATIVE_PADDING = 5,
    CYPOOL_EMPTY_OUTPUT = 6,
    CYPOOL_PADDING_ONLY_WINDOW = 7,
    /* The calls'. */
    CYPOOL_BAD_ARGUMENT = 8,
    CYPOOL_INDEX_OUT_OF_RANGE = 9,
    CYPOOL_NOT_IMPORTED = 10,
    CYPOOL_NO_MEMORY = -1
} cypool_status;

/* The element types, in the order of the tables below (cypool's max_t order).
 * Max pooling takes all of them; average pooling the first two. */
#define CYPOOL_FOR_EACH_MAX_TYPE(X)                                                \
    X(f32, float) X(f64, double) X(i8, int8_t) X(u8, uint8_t) X(i16, int16_t)      \
    X(u16, uint16_t) X(i32, int32_t) X(u32, uint32_t) X(i64, int64_t) X(u64, uint64_t)
#define CYPOOL_FOR_EACH_AVG_TYPE(X) X(f32, float) X(f64, double)

#define CYPOOL_TYPE_CODE_(suffix, type) CYPOOL_TYPE_##suffix,
enum { CYPOOL_FOR_EACH_MAX_TYPE(CYPOOL_TYPE_CODE_) CYPOOL_MAX_TYPES };
enum { CYPOOL_AVG_TYPES = 2 };

typedef int (*cypool_geometry_init_fn)(cypool_geometry *g, int ndim, const int64_t *in_size,
                                       const int64_t *kernel_size, const int64_t *stride,
                                       const int64_t *pad_before, const int64_t *pad_after,
                                       const int64_t *dilation, int ceil_mode,
                                       int same_padding, int *bad_dim);

/* The table behind the capsule cypool._c_api.  Entries are appended, never
 * reordered; the kernels' types are restored by the typed functions below. */
typedef struct {
    uint32_t abi_version;
    uint32_t api_version;
    uint32_t geometry_size;           /* sizeof(cypool_geometry) in cypool's build */
    const char *kernel_set;           /* "baseline", "avx2" or "avx512" */
    cypool_geometry_init_fn geometry_init;
    void *max_pool_forward[CYPOOL_MAX_TYPES];
    void *max_pool_backward[CYPOOL_MAX_TYPES];
    void *avg_pool_forward[CYPOOL_AVG_TYPES];
    void *avg_pool_backward[CYPOOL_AVG_TYPES];
} cypool_c_api;

#ifndef CYPOOL_API_TABLE_ONLY   /* cypool's own build defines it: it fills the table */

static const cypool_c_api *cypool_api = NULL;

/* Bind cypool's table; 0 on success, -1 with a Python ImportError set. */
static inline int import_cypool(void)
{
    PyObject *module, *capsule;
    const cypool_c_api *api;
    module = PyImport_ImportModule("cypool");
    if (module == NULL)
        return -1;
    capsule = PyObject_GetAttrString(module, "_c_api");
    Py_DECREF(module);
    if (capsule == NULL)
        return -1;
    /* The package keeps the capsule (and the kernels' modules) alive. */
    api = (const cypool_c_api *)PyCapsule_GetPointer(capsule, CYPOOL_CAPSULE_NAME);
    Py_DECREF(capsule);
    if (api == NULL)
        return -1;
    if (api->abi_version != CYPOOL_ABI_VERSION) {
        PyErr_Format(PyExc_ImportError,
                     "cypool C API: this extension was built against ABI version %d, but the "
                     "installed cypool has ABI version %d; rebuild the extension against the "
                     "installed cypool (include folder: cypool.get_include())",
                     (int)CYPOOL_ABI_VERSION, (int)api->abi_version);
        return -1;
    }
    if (api->api_version < CYPOOL_API_VERSION || api->geometry_size != sizeof(cypool_geometry)) {
        PyErr_Format(PyExc_ImportError,
                     "cypool C API: this extension needs API version %d or newer, but the "
                     "installed cypool provides version %d; upgrade cypool",
                     (int)CYPOOL_API_VERSION, (int)api->api_version);
        return -1;
    }
    cypool_api = api;
    return 0;
}

/* A short English sentence for a status, for the caller's error message. */
static inline const char *cypool_status_message(int status)
{
    switch (status) {
    case CYPOOL_OK: return "ok";
    case CYPOOL_BAD_INPUT_SIZE: return "the input's spatial sizes must be >= 1";
    case CYPOOL_BAD_KERNEL_SIZE: return "kernel_size must be >= 1";
    case CYPOOL_BAD_STRIDE: return "stride must be >= 1";
    case CYPOOL_BAD_DILATION: return "dilation must be >= 1";
    case CYPOOL_NEGATIVE_PADDING: return "padding must be >= 0";
    case CYPOOL_EMPTY_OUTPUT:
        return "kernel_size (dilated) is larger than the padded input, so the output would be "
               "empty";
    case CYPOOL_PADDING_ONLY_WINDOW:
        return "padding is so large that a window would sample only padding";
    case CYPOOL_BAD_ARGUMENT:
        return "a pointer is NULL, a count is negative or num_threads is < 1";
    case CYPOOL_INDEX_OUT_OF_RANGE:
        return "some indices fall outside the input plane; they were skipped";
    case CYPOOL_NOT_IMPORTED: return "import_cypool() has not succeeded in this file";
    case CYPOOL_NO_MEMORY: return "out of memory for the window tables";
    default: return "unknown cypool status";
    }
}

/* Fill g for ndim (1..3) spatial dims from per-dim arrays and check it;
 * same_padding computes TensorFlow's "SAME" pads into g (pad arrays ignored).
 * On a window status, *bad_dim is the failing dim counted in the caller's ndim. */
static inline int cypool_geometry_init(cypool_geometry *g, int ndim, const int64_t *in_size,
                                       const int64_t *kernel_size, const int64_t *stride,
                                       const int64_t *pad_before, const int64_t *pad_after,
                                       const int64_t *dilation, int ceil_mode, int same_padding,
                                       int *bad_dim)
{
    if (cypool_api == NULL)
        return CYPOOL_NOT_IMPORTED;
    if (g == NULL || bad_dim == NULL || in_size == NULL || kernel_size == NULL ||
        stride == NULL || dilation == NULL || ndim < 1 || ndim > 3 ||
        (!same_padding && (pad_before == NULL || pad_after == NULL)))
        return CYPOOL_BAD_ARGUMENT;
    return cypool_api->geometry_init(g, ndim, in_size, kernel_size, stride, pad_before,
                                     pad_after, dilation, ceil_mode, same_padding, bad_dim);
}

static inline int cypool_check_call_(const void *a, const void *b, const void *g,
                                     int64_t outer, int64_t channels, int num_threads)
{
    if (cypool_api == NULL)
        return CYPOOL_NOT_IMPORTED;
    if (a == NULL || b == NULL || g == NULL || outer < 0 || channels < 1 || num_threads < 1)
        return CYPOOL_BAD_ARGUMENT;
    return CYPOOL_OK;
}

/* cypool_max_pool_forward_<t>: y (and indices, unless NULL) of shape
 *   (outer, out_size..., channels) from x of shape (outer, in_size..., channels).
 * cypool_max_pool_backward_<t>: grad_in (outer, in_plane, channels) = 0, then
 *   grad_in[indices] += grad_out, over out_plane outputs per (outer, channel). */
#define CYPOOL_MAX_ENTRY_POINTS_(suffix, type)                                              \
    static inline int cypool_max_pool_forward_##suffix(                                     \
        const type *x, type *y, int64_t *indices, const cypool_geometry *g, int64_t outer,  \
        int64_t channels, int num_threads)                                                  \
    {                                                                                       \
        typedef int (*fn)(const type *, type *, int64_t *, const cypool_geometry *, int64_t, \
                          int64_t, int);                                                    \
        int status = cypool_check_call_(x, y, g, outer, channels, num_threads);             \
        if (status != CYPOOL_OK)                                                            \
            return status;                                                                  \
        return ((fn)cypool_api->max_pool_forward[CYPOOL_TYPE_##suffix])(                    \
            x, y, indices, g, outer, channels, num_threads);                                \
    }                                                                                       \
    static inline int cypool_max_pool_backward_##suffix(                                    \
        const type *grad_out, const int64_t *indices, type *grad_in, int64_t outer,         \
        int64_t channels, int64_t out_plane, int64_t in_plane, int num_threads)             \
    {                                                                                       \
        typedef int64_t (*fn)(const type *, const int64_t *, type *, int64_t, int64_t,      \
                              int64_t, int64_t, int);                                       \
        int status = cypool_check_call_(grad_out, grad_in, indices, outer, channels,        \
                                        num_threads);                                       \
        if (status != CYPOOL_OK)                                                            \
            return status;                                                                  \
        if (out_plane < 0 || in_plane < 0)                                                  \
            return CYPOOL_BAD_ARGUMENT;                                                     \
        return ((fn)cypool_api->max_pool_backward[CYPOOL_TYPE_##suffix])(                   \
                   grad_out, indices, grad_in, outer, channels, out_plane, in_plane,        \
                   num_threads) == 0                                                        \
                   ? CYPOOL_OK                                                              \
                   : CYPOOL_INDEX_OUT_OF_RANGE;                                             \
    }
CYPOOL_FOR_EACH_MAX_TYPE(CYPOOL_MAX_ENTRY_POINTS_)

/* cypool_avg_pool_forward_<t> / _backward_<t>: PyTorch's avg_pool (padding
 * counts when count_include_pad; divisor_override > 0 replaces the divisor).
 * The backward writes every element of grad_in. */
#define CYPOOL_AVG_ENTRY_POINT_(direction, suffix, type)                                    \
    static inline int cypool_avg_pool_##direction##_##suffix(                               \
        const type *source, type *target, const cypool_geometry *g, int64_t outer,          \
        int64_t channels, int count_include_pad, int64_t divisor_override, int num_threads) \
    {                                                                                       \
        typedef int (*fn)(const type *, type *, const cypool_geometry *, int64_t, int64_t,  \
                          int, int64_t, int);                                               \
        int status = cypool_check_call_(source, target, g, outer, channels, num_threads);   \
        if (status != CYPOOL_OK)                                                            \
            return status;                                                                  \
        return ((fn)cypool_api->avg_pool_##direction[CYPOOL_TYPE_##suffix])(                \
            source, target, g, outer, channels, count_include_pad, divisor_override,        \
            num_threads);                                                                   \
    }
/* forward: source x, target y; backward: source grad_out, target grad_in. */
#define CYPOOL_AVG_ENTRY_POINTS_(suffix, type)                                              \
    CYPOOL_AVG_ENTRY_POINT_(forward, suffix, type)                                          \
    CYPOOL_AVG_ENTRY_POINT_(backward, suffix, type)
CYPOOL_FOR_EACH_AVG_TYPE(CYPOOL_AVG_ENTRY_POINTS_)

#endif /* CYPOOL_API_TABLE_ONLY */

#ifdef __cplusplus
}
#endif

#endif /* CYPOOL_API_H */
