"""The cimport example builds against the INSTALLED cypool and matches the façade."""

import os

import numpy as np
import pytest
from _examples import build_example, load_module

import cypool


# Every test of the built example is marked slow: this fixture compiles it.
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    pytest.importorskip("Cython", reason="Cython is needed to build the cimport example")
    build = build_example(tmp_path_factory, "cimport_demo", ["setup.py", "cimport_demo.pyx"])
    return load_module(build, "cimport_demo")


@pytest.mark.slow
@pytest.mark.parametrize("kernel_size, stride, padding", [(2, 2, 0), (3, 2, 1), (3, 1, 1)])
def test_cimport_example_equals_the_facade_bit_for_bit(demo, kernel_size, stride, padding):
    x = np.random.default_rng(kernel_size).standard_normal((7, 13, 10))
    y_max, indices, y_avg, g_max, g_avg = demo.pool_planes(x, kernel_size, stride, padding)
    y, idx = cypool.max_pool2d(x, kernel_size, stride, padding, return_indices=True)
    np.testing.assert_array_equal(y_max, y)
    np.testing.assert_array_equal(indices, idx)
    np.testing.assert_array_equal(y_avg, cypool.avg_pool2d(x, kernel_size, stride, padding))
    np.testing.assert_array_equal(g_max, cypool.max_pool2d_backward(y, idx, x.shape))
    np.testing.assert_array_equal(
        g_avg, cypool.avg_pool2d_backward(y_avg, x.shape, kernel_size, stride, padding)
    )


@pytest.mark.slow
def test_cimport_example_reports_bad_windows(demo):
    with pytest.raises(ValueError, match="spatial dim"):
        demo.pool_planes(np.zeros((1, 4, 4)), 0, 1, 0)


def test_get_include_holds_the_public_pxd_files():
    folder = os.path.join(cypool.get_include(), "cypool")
    for name in ("kernels.pxd", "_geometry.pxd", "_max_pool.pxd", "_avg_pool.pxd", "_typedefs.pxd"):
        assert os.path.isfile(os.path.join(folder, name)), name
