"""The installed package is typed: mypy --strict accepts a typed usage file, and the
stubs name every public function with its runtime signature's parameters."""
import inspect
import os
import subprocess
import sys

import pytest

import cypool

HERE = os.path.dirname(os.path.abspath(__file__))


def test_stubs_cover_the_public_api():
    with open(os.path.join(os.path.dirname(cypool.__file__), "__init__.pyi")) as f:
        stub = f.read()
    assert os.path.exists(os.path.join(os.path.dirname(cypool.__file__), "py.typed"))
    for name in cypool.__all__:
        assert "def %s(" % name in stub, name
        for parameter in inspect.signature(getattr(cypool, name)).parameters:
            assert parameter + ":" in stub, (name, parameter)


def test_mypy_strict_accepts_typed_usage():
    pytest.importorskip("mypy", reason="mypy is a test extra")
    # An installed cypool (CI) is found through site-packages; a source-tree build
    # (developers) needs its folder on MYPYPATH.
    folder = os.path.dirname(os.path.dirname(cypool.__file__))
    env = dict(os.environ)
    if "site-packages" not in folder:
        env["MYPYPATH"] = folder
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                             os.path.join(HERE, "typing", "usage.py")],
                            capture_output=True, text=True, cwd=HERE, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
