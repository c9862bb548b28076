"""The installed package is typed: the stub is generated from the code, stubtest
finds it consistent with the runtime, and mypy --strict accepts a typed usage file."""

import os
import subprocess
import sys

import pytest

import cypool

HERE = os.path.dirname(os.path.abspath(__file__))


def _repository_file(*parts):
    return os.path.join(os.path.dirname(HERE), *parts)


def test_stub_is_generated_from_the_code():
    """The stub is tools/make_stub.py's output for this cypool: signatures, types and
    docstrings cannot drift from the code."""
    sys.path.insert(0, _repository_file("tools"))
    try:
        import make_stub
    finally:
        sys.path.pop(0)
    with open(os.path.join(os.path.dirname(cypool.__file__), "__init__.pyi")) as f:
        assert f.read() == make_stub.render(), "run python tools/make_stub.py"
    assert os.path.exists(os.path.join(os.path.dirname(cypool.__file__), "py.typed"))


def _run_mypy(*arguments):
    """``python -m mypy <arguments>`` against the cypool under test: an installed one
    (CI) is found through site-packages, a source-tree build (developers) needs its
    folder on MYPYPATH and PYTHONPATH."""
    pytest.importorskip("mypy", reason="mypy is a test extra")
    folder = os.path.dirname(os.path.dirname(cypool.__file__))
    env = dict(os.environ)
    if "site-packages" not in folder:
        env["MYPYPATH"] = folder
        env["PYTHONPATH"] = folder + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", *arguments],
        capture_output=True,
        text=True,
        cwd=HERE,
        timeout=900,
        env=env,
    )


@pytest.mark.slow  # mypy analyses numpy and cypool from scratch
def test_stubtest_finds_the_stub_consistent_with_the_runtime():
    result = _run_mypy(
        "mypy.stubtest",
        "cypool",
        "--mypy-config-file",
        os.path.join(HERE, "stubtest_mypy.ini"),
        "--allowlist",
        os.path.join(HERE, "stubtest_allowlist.txt"),
        # entries for optional packages go unused where those are installed
        "--ignore-unused-allowlist",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow  # mypy --no-incremental
def test_mypy_strict_accepts_typed_usage():
    result = _run_mypy(
        "mypy", "--strict", "--no-incremental", os.path.join(HERE, "typing", "usage.py")
    )
    assert result.returncode == 0, result.stdout + result.stderr
