"""Build an extension from examples/ against the INSTALLED cypool, as a user would."""

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "examples")


def build_example(tmp_path_factory, example, files, cflags=""):
    """Copy examples/<example>/<files> to a temp dir and run its setup.py there (so the
    build sees the installed cypool, not the source tree); returns that folder."""
    if shutil.which((sysconfig.get_config_var("CC") or "cc").split()[0]) is None:
        pytest.skip("no C compiler available to build examples/%s" % example)
    build = tmp_path_factory.mktemp(example)
    for name in files:
        shutil.copy(os.path.join(EXAMPLES, example, name), build)
    env = dict(os.environ, PYTHONPATH="")
    if cflags:
        env["CFLAGS"] = cflags
    result = subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=build,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return str(build)


def load_module(build, name):
    """Import the extension module ``name`` built in ``build``."""
    path = os.path.join(build, name + sysconfig.get_config_var("EXT_SUFFIX"))
    assert os.path.exists(path), os.listdir(build)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
