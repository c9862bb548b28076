/* A plain C extension that pools NumPy arrays through cypool's C API.
 *
 * It needs no NumPy headers: arrays arrive through the buffer protocol, C-contiguous,
 * as (P, H, W) planes (channels-first, outer = P) or (N, H, W, C) (channels-last).
 * The caller allocates every output; geometry() gives the output size. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cypool/cypool_api.h"

/* A window over the last two spatial dims of a 3-D or 4-D buffer. */
typedef struct {
    int64_t outer, channels, in_size[2];
} planes;

static int planes_of(const Py_buffer *view, planes *p)
{
    if (view->ndim == 3) {
        p->outer = view->shape[0], p->channels = 1;
    } else if (view->ndim == 4) {
        p->outer = view->shape[0], p->channels = view->shape[3];
    } else {
        PyErr_SetString(PyExc_ValueError, "x must be (P, H, W) or (N, H, W, C)");
        return -1;
    }
    p->in_size[0] = view->shape[1], p->in_size[1] = view->shape[2];
    return 0;
}

static int make_geometry(cypool_geometry *g, const int64_t *in_size, long long kernel,
                         long long stride, long long padding, int ceil_mode)
{
    int64_t k[2] = {kernel, kernel}, s[2] = {stride, stride}, pad[2] = {padding, padding};
    int64_t dilation[2] = {1, 1};
    int bad_dim = -1;
    int status = cypool_geometry_init(g, 2, in_size, k, s, pad, pad, dilation, ceil_mode, 0,
                                      &bad_dim);
    if (status != CYPOOL_OK)
        PyErr_Format(PyExc_ValueError, "%s (spatial dim %d)", cypool_status_message(status),
                     bad_dim);
    return status;
}

static PyObject *raise_status(int status)
{
    PyErr_SetString(PyExc_RuntimeError, cypool_status_message(status));
    return NULL;
}

#define PYTHON_ERROR (-2) /* a Python exception is set */

/* The planes and the square window of a (P, H, W) or (N, H, W, C) buffer. */
static int window_of(const Py_buffer *view, planes *p, cypool_geometry *g, long long kernel,
                     long long stride, long long padding, int ceil_mode)
{
    if (planes_of(view, p) < 0)
        return PYTHON_ERROR;
    if (make_geometry(g, p->in_size, kernel, stride, padding, ceil_mode) != CYPOOL_OK)
        return PYTHON_ERROR;
    return CYPOOL_OK;
}

/* Views of C-contiguous buffers with their shapes and formats; the first `read_only`
 * of them read-only, the rest writable.  On failure nothing stays acquired. */
static int get_buffers(PyObject **objects, Py_buffer *views, int count, int read_only)
{
    for (int k = 0; k < count; k++) {
        int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (k < read_only ? 0 : PyBUF_WRITABLE);
        if (PyObject_GetBuffer(objects[k], &views[k], flags) < 0) {
            while (k-- > 0)
                PyBuffer_Release(&views[k]);
            return -1;
        }
    }
    return 0;
}

static void release_buffers(Py_buffer *views, int count)
{
    for (int k = 0; k < count; k++)
        PyBuffer_Release(&views[k]);
}

/* The format character of a buffer, folded to one letter per element type. */
static char type_of(const Py_buffer *view)
{
    char f = view->format[0] == '=' || view->format[0] == '<' ? view->format[1] : view->format[0];
    if ((f == 'l' || f == 'q') && view->itemsize == 8)
        return 'q';
    if ((f == 'L' || f == 'Q') && view->itemsize == 8)
        return 'Q';
    return f;
}

/* cypool's element types by the buffer format letter type_of() gives. */
#define FOR_EACH_BUFFER_TYPE(X)                                                          \
    X(f32, float, 'f') X(f64, double, 'd') X(i8, int8_t, 'b') X(u8, uint8_t, 'B')        \
    X(i16, int16_t, 'h') X(u16, uint16_t, 'H') X(i32, int32_t, 'i') X(u32, uint32_t, 'I') \
    X(i64, int64_t, 'q') X(u64, uint64_t, 'Q')

/* geometry(h, w, kernel, stride, padding, ceil_mode) -> (out_h, out_w) */
static PyObject *geometry(PyObject *self, PyObject *args)
{
    long long h, w, kernel, stride, padding;
    int ceil_mode;
    cypool_geometry g;
    (void)self;
    if (!PyArg_ParseTuple(args, "LLLLLp", &h, &w, &kernel, &stride, &padding, &ceil_mode))
        return NULL;
    int64_t in_size[2] = {h, w};
    if (make_geometry(&g, in_size, kernel, stride, padding, ceil_mode) != CYPOOL_OK)
        return NULL;
    return Py_BuildValue("LL", (long long)g.out_size[1], (long long)g.out_size[2]);
}

/* Release the views; None, or the exception of a Python error or a cypool status. */
static PyObject *finish(Py_buffer *views, int count, int status)
{
    release_buffers(views, count);
    if (status == PYTHON_ERROR || PyErr_Occurred())
        return NULL;
    return status == CYPOOL_OK ? Py_NewRef(Py_None) : raise_status(status);
}

#define MAX_FORWARD_CASE(suffix, type, code)                                             \
    case code:                                                                           \
        status = cypool_max_pool_forward_##suffix((const type *)x.buf, (type *)y.buf,    \
                                                  (int64_t *)indices.buf, &g, p.outer,  \
                                                  p.channels, num_threads);              \
        break;

/* max_forward(x, y, indices, kernel, stride, padding, ceil_mode, num_threads) */
static PyObject *max_forward(PyObject *self, PyObject *args)
{
    PyObject *objects[3];
    Py_buffer views[3], x, y, indices;
    long long kernel, stride, padding;
    int ceil_mode, num_threads, status;
    planes p;
    cypool_geometry g;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOLLLpi", &objects[0], &objects[1], &objects[2], &kernel,
                          &stride, &padding, &ceil_mode, &num_threads) ||
        get_buffers(objects, views, 3, 1) < 0)
        return NULL;
    x = views[0], y = views[1], indices = views[2];
    status = window_of(&x, &p, &g, kernel, stride, padding, ceil_mode);
    if (status == CYPOOL_OK) {
        Py_BEGIN_ALLOW_THREADS
        switch (type_of(&x)) {
            FOR_EACH_BUFFER_TYPE(MAX_FORWARD_CASE)
        default:
            status = CYPOOL_BAD_ARGUMENT;
        }
        Py_END_ALLOW_THREADS
    }
    return finish(views, 3, status);
}

#define MAX_BACKWARD_CASE(suffix, type, code)                                            \
    case code:                                                                           \
        status = cypool_max_pool_backward_##suffix(                                      \
            (const type *)grad_out.buf, (const int64_t *)indices.buf, (type *)grad_in.buf, \
            p.outer, p.channels, out_plane, p.in_size[0] * p.in_size[1], num_threads);   \
        break;

/* max_backward(grad_out, indices, grad_in, num_threads) -> True if every index was in range */
static PyObject *max_backward(PyObject *self, PyObject *args)
{
    PyObject *objects[3];
    Py_buffer views[3], grad_out, indices, grad_in;
    int num_threads, status = CYPOOL_BAD_ARGUMENT;
    planes p, q;
    int64_t out_plane;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOi", &objects[0], &objects[1], &objects[2], &num_threads) ||
        get_buffers(objects, views, 3, 2) < 0)
        return NULL;
    grad_out = views[0], indices = views[1], grad_in = views[2];
    if (planes_of(&grad_in, &p) == 0 && planes_of(&grad_out, &q) == 0) {
        out_plane = q.in_size[0] * q.in_size[1];
        Py_BEGIN_ALLOW_THREADS
        switch (type_of(&grad_in)) {
            FOR_EACH_BUFFER_TYPE(MAX_BACKWARD_CASE)
        default:
            break;
        }
        Py_END_ALLOW_THREADS
    }
    release_buffers(views, 3);
    if (PyErr_Occurred())
        return NULL;
    if (status == CYPOOL_INDEX_OUT_OF_RANGE)
        Py_RETURN_FALSE;
    return status == CYPOOL_OK ? Py_NewRef(Py_True) : raise_status(status);
}

#define AVG_CALL(direction, suffix, type)                                                    \
    cypool_avg_pool_##direction##_##suffix((const type *)source.buf, (type *)target.buf, &g,  \
                                           p.outer, p.channels, count_include_pad,            \
                                           divisor_override, num_threads)

/* avg(backward, source, target, kernel, stride, padding, ceil_mode, count_include_pad,
 *     divisor_override, num_threads): forward source = x, target = y; backward
 *     source = grad_out, target = grad_in.  float32 or float64. */
static PyObject *avg(PyObject *self, PyObject *args)
{
    PyObject *objects[2];
    Py_buffer views[2], source, target;
    long long kernel, stride, padding, divisor_override;
    int backward, ceil_mode, count_include_pad, num_threads, status;
    planes p;
    cypool_geometry g;
    (void)self;
    if (!PyArg_ParseTuple(args, "pOOLLLppLi", &backward, &objects[0], &objects[1], &kernel,
                          &stride, &padding, &ceil_mode, &count_include_pad, &divisor_override,
                          &num_threads) ||
        get_buffers(objects, views, 2, 1) < 0)
        return NULL;
    source = views[0], target = views[1];
    status = window_of(backward ? &target : &source, &p, &g, kernel, stride, padding, ceil_mode);
    if (status == CYPOOL_OK) {
        char type = type_of(&source);
        Py_BEGIN_ALLOW_THREADS
        if (type == 'f')
            status = backward ? AVG_CALL(backward, f32, float) : AVG_CALL(forward, f32, float);
        else if (type == 'd')
            status = backward ? AVG_CALL(backward, f64, double) : AVG_CALL(forward, f64, double);
        else
            status = CYPOOL_BAD_ARGUMENT;
        Py_END_ALLOW_THREADS
    }
    return finish(views, 2, status);
}

/* rebind() runs import_cypool() again, for the ABI check's test. */
static PyObject *rebind(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    if (import_cypool() < 0)
        return NULL;
    return PyUnicode_FromString(cypool_api->kernel_set);
}

static PyMethodDef methods[] = {
    {"geometry", geometry, METH_VARARGS, "geometry(h, w, k, s, p, ceil) -> (oh, ow)"},
    {"max_forward", max_forward, METH_VARARGS, "max pooling through the C API"},
    {"max_backward", max_backward, METH_VARARGS, "max pooling's backward"},
    {"avg", avg, METH_VARARGS, "average pooling, forward or backward"},
    {"rebind", rebind, METH_NOARGS, "import_cypool() again; returns the kernel set"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "c_api_demo", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit_c_api_demo(void)
{
    if (import_cypool() < 0)
        return NULL;
    return PyModule_Create(&module);
}
