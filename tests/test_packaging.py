"""``python -m build`` makes an sdist (sources, no generated C) and a wheel built from
it; the wheel installs into a fresh virtual environment without Cython and works."""

import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.slow  # builds every extension again, from the sdist
@pytest.mark.skipif(
    not os.path.exists(os.path.join(ROOT, "pyproject.toml")), reason="needs the source checkout"
)
def test_sdist_and_wheel_build_and_install_into_a_fresh_venv(tmp_path):
    pytest.importorskip("build", reason="the 'build' package is a test extra")
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), ROOT],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    sdist = next(dist.glob("cypool-*.tar.gz"))
    wheel = next(dist.glob("cypool-*.whl"))
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    for needed in (
        "cypool/_max_pool.pyx",
        "cypool/kernels.pxd",
        "cypool/__init__.pyi",
        "cypool/py.typed",
        "examples/cimport_demo/cimport_demo.pyx",
        "setup.py",
    ):
        assert any(n.endswith(needed) for n in names), needed
    assert not any(n.endswith((".c", ".so")) for n in names)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    for needed in (
        "cypool/kernels.pxd",
        "cypool/_geometry.pxd",
        "cypool/py.typed",
        "cypool/__init__.pyi",
        "cypool/torch/__init__.py",
        "cypool/torch/_ops.py",
        "cypool/torch/nn.py",
        "cypool/benchmark/torch_ops.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("cypool/_max_pool.") and n.endswith(".so") for n in names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    check = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util, numpy as np, cypool;"
            "assert importlib.util.find_spec('Cython') is None;"
            "print(cypool.__version__, cypool.max_pool2d(np.arange(16.).reshape(1, 4, 4), 2)"
            ".ravel().tolist())",
        ],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["0.1.0", "[5.0,", "7.0,", "13.0,", "15.0]"]
