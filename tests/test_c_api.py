"""The C API (cypool/cypool_api.h): a plain C and a pybind11 C++ extension, built
against the INSTALLED cypool at test time, match the Python functions bit for bit."""

import ctypes
import os

import numpy as np
import pytest
from _examples import build_example, load_module

import cypool

MAX_TYPES = [np.float32, np.float64, np.int8, np.uint8, np.int16, np.uint16, np.int32,
             np.uint32, np.int64, np.uint64]  # fmt: skip
WINDOWS = [(2, 2, 0, False), (3, 2, 1, False), (3, 1, 1, False), (3, 2, 0, True), (4, 3, 2, True)]


# Every test of the built examples is marked slow: this fixture compiles them.
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    # The header must compile without a warning in C and in C++.
    build = build_example(
        tmp_path_factory,
        "c_api_demo",
        ["setup.py", "c_api_demo.c", "c_api_demo_cpp.cpp"],
        cflags="-Wall -Wextra -Werror",
    )
    return load_module(build, "c_api_demo"), load_module(build, "c_api_demo_cpp")


def _input(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)


def _layout(x):
    return "NHWC" if x.ndim == 4 else "NCHW"


def _out_shape(c, x, kernel, stride, padding, ceil_mode):
    spatial = x.shape[1:3]
    oh, ow = c.geometry(*spatial, kernel, stride, padding, ceil_mode)
    return (x.shape[0], oh, ow) + x.shape[3:]


@pytest.mark.slow
@pytest.mark.parametrize("dtype", MAX_TYPES)
@pytest.mark.parametrize("shape", [(6, 11, 9), (2, 10, 7, 5)])
@pytest.mark.parametrize("window", WINDOWS)
def test_c_max_pool_forward_equals_max_pool2d(built, dtype, shape, window):
    c, _ = built
    kernel, stride, padding, ceil_mode = window
    x = _input(dtype, shape, kernel + len(shape))
    out_shape = _out_shape(c, x, *window)
    y, indices = np.empty(out_shape, dtype), np.empty(out_shape, np.int64)
    c.max_forward(x, y, indices, kernel, stride, padding, ceil_mode, 2)
    expected, expected_indices = cypool.max_pool2d(
        x, kernel, stride, padding, ceil_mode=ceil_mode, return_indices=True, layout=_layout(x)
    )
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(indices, expected_indices)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", MAX_TYPES)
@pytest.mark.parametrize("shape", [(6, 11, 9), (2, 10, 7, 5)])
def test_c_max_pool_backward_equals_max_pool2d_backward(built, dtype, shape):
    c, _ = built
    x = _input(dtype, shape, 3)
    y, indices = cypool.max_pool2d(x, 3, 1, 1, return_indices=True, layout=_layout(x))
    grad_out = _input(dtype, y.shape, 4) // (1 if np.dtype(dtype).kind == "f" else 16)
    grad_in = np.full(x.shape, 7, dtype)  # the kernel zeroes it first
    assert c.max_backward(grad_out, indices, grad_in, 2) is True
    expected = cypool.max_pool2d_backward(grad_out, indices, x.shape, layout=_layout(x))
    np.testing.assert_array_equal(grad_in, expected)
    indices.flat[5] = x.shape[1] * x.shape[2]  # one past the plane: skipped, reported
    assert c.max_backward(grad_out, indices, grad_in, 1) is False


@pytest.mark.slow
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(6, 11, 9), (2, 10, 7, 5)])
@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("count_include_pad, divisor_override", [(True, 0), (False, 0), (True, 3)])
def test_c_avg_pool_equals_avg_pool2d(built, dtype, shape, window, count_include_pad,
                                      divisor_override):  # fmt: skip
    c, _ = built
    kernel, stride, padding, ceil_mode = window
    x = _input(dtype, shape, 5)
    arguments = dict(ceil_mode=ceil_mode, count_include_pad=count_include_pad,
                     divisor_override=divisor_override or None, layout=_layout(x))  # fmt: skip
    y = np.empty(_out_shape(c, x, *window), dtype)
    c.avg(False, x, y, kernel, stride, padding, ceil_mode, count_include_pad,
          divisor_override, 2)  # fmt: skip
    np.testing.assert_array_equal(y, cypool.avg_pool2d(x, kernel, stride, padding, **arguments))
    grad_in = np.empty_like(x)
    c.avg(True, y, grad_in, kernel, stride, padding, ceil_mode, count_include_pad,
          divisor_override, 2)  # fmt: skip
    expected = cypool.avg_pool2d_backward(y, x.shape, kernel, stride, padding, **arguments)
    np.testing.assert_array_equal(grad_in, expected)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
@pytest.mark.parametrize("kernel, stride, padding", [(2, 2, 0), (3, 2, 1)])
def test_cpp_max_pool_equals_max_pool2d(built, dtype, kernel, stride, padding):
    _, cpp = built
    x = _input(dtype, (7, 13, 10), kernel)
    y, indices, grad_in = cpp.max_pool_planes(x, kernel, stride, padding)
    expected, expected_indices = cypool.max_pool2d(x, kernel, stride, padding, return_indices=True)
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(indices, expected_indices)
    np.testing.assert_array_equal(grad_in, cypool.max_pool2d_backward(y, indices, x.shape))


@pytest.mark.slow
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_cpp_avg_pool_equals_avg_pool2d(built, count_include_pad):
    _, cpp = built
    x = _input(np.float64, (7, 13, 10), 9)
    y, grad_in = cpp.avg_pool_planes(x, 3, 2, 1, count_include_pad)
    expected = cypool.avg_pool2d(x, 3, 2, 1, count_include_pad=count_include_pad)
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(
        grad_in,
        cypool.avg_pool2d_backward(y, x.shape, 3, 2, 1, count_include_pad=count_include_pad),
    )


@pytest.mark.slow
def test_the_c_api_runs_the_kernels_the_python_functions_run(built):
    c, cpp = built
    assert c.rebind() == cpp.kernel_set == cypool.show_config()["kernels"]


@pytest.mark.slow
def test_bad_windows_and_arguments_get_the_status_messages(built):
    c, cpp = built
    with pytest.raises(ValueError, match=r"^stride must be >= 1 \(spatial dim 0\)$"):
        c.geometry(8, 8, 2, 0, 0, False)
    with pytest.raises(ValueError, match="padding is so large"):
        cpp.max_pool_planes(np.zeros((1, 8, 8), np.float32), 2, 2, 5)
    x = np.zeros((1, 8, 8), np.float32)
    y, indices = np.empty((1, 4, 4), np.float32), np.empty((1, 4, 4), np.int64)
    with pytest.raises(RuntimeError, match="num_threads is < 1"):
        c.max_forward(x, y, indices, 2, 2, 0, False, 0)


@pytest.mark.slow
def test_import_cypool_refuses_another_abi_version(built, monkeypatch):
    c, _ = built
    # A table claiming ABI version 99, in a capsule of the right name.
    fake = (ctypes.c_uint32 * 4)(99, 1, 0, 0)
    new_capsule = ctypes.pythonapi.PyCapsule_New
    new_capsule.restype = ctypes.py_object
    new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    name = ctypes.create_string_buffer(b"cypool._c_api")
    monkeypatch.setattr(cypool, "_c_api", new_capsule(ctypes.addressof(fake), name, None))
    with pytest.raises(ImportError, match="built against ABI version 1, but the installed cypool "
                       "has ABI version 99; rebuild"):  # fmt: skip
        c.rebind()
    monkeypatch.setattr(cypool, "_c_api", object())
    with pytest.raises(ValueError, match="invalid PyCapsule"):  # PyCapsule_GetPointer says
        c.rebind()
    monkeypatch.undo()
    assert c.rebind() == cypool.show_config()["kernels"]


def test_get_include_holds_the_c_header():
    header = os.path.join(cypool.get_include(), "cypool", "cypool_api.h")
    assert os.path.isfile(header)
    with open(header) as f:
        text = f.read()
    assert "#define CYPOOL_ABI_VERSION %d" % cypool._c_api_table.abi_version in text
