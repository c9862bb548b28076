"""The cimport example builds against the INSTALLED cypool and matches the façade."""

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

import cypool

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "cimport_demo")


def _compiler():
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if _compiler() is None:
        pytest.skip("no C compiler available to build the cimport example")
    pytest.importorskip("Cython", reason="Cython is needed to build the cimport example")
    build = tmp_path_factory.mktemp("cimport_demo")
    for name in ("setup.py", "cimport_demo.pyx"):
        shutil.copy(os.path.join(EXAMPLE, name), build)
    # Run from the temp dir: the subprocess sees the installed cypool, not the source tree.
    env = dict(os.environ, PYTHONPATH="")
    result = subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=build,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    built = [
        f
        for f in os.listdir(build)
        if f.startswith("cimport_demo") and f.endswith(sysconfig.get_config_var("EXT_SUFFIX"))
    ]
    assert built, os.listdir(build)
    spec = importlib.util.spec_from_file_location("cimport_demo", os.path.join(build, built[0]))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_cimport_example_reports_bad_windows(demo):
    with pytest.raises(ValueError, match="spatial dim"):
        demo.pool_planes(np.zeros((1, 4, 4)), 0, 1, 0)


def test_get_include_holds_the_public_pxd_files():
    folder = os.path.join(cypool.get_include(), "cypool")
    for name in ("kernels.pxd", "_geometry.pxd", "_max_pool.pxd", "_avg_pool.pxd", "_typedefs.pxd"):
        assert os.path.isfile(os.path.join(folder, name)), name
