"""Every kernel variant this CPU runs gives the baseline's results bit for bit.

Bit for bit except a NaN's sign and payload: a sum holding both a NaN input and
the NaN of inf - inf keeps whichever NaN x86 finds in the instruction's first
operand, and vector and scalar code order the operands differently.  NaN
positions must agree, and every other element to the bit.

Each variant is forced with ``CYPOOL_KERNELS`` in its own interpreter (the
variant is chosen once, at import), runs the same sweep, and hands its results
back as an ``.npz``; the baseline's are the oracle.  The sweep covers every
kernel family, both layouts, float16/32/64 and integers, NaN and signed zeros,
and shapes long enough for the vector loops and their remainders.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from cypool import _variants

SWEEP = r'''
import sys
import numpy as np
import cypool
from cypool import _variants
import _cases

assert _variants.KERNEL_SET == sys.argv[2], (_variants.KERNEL_SET, sys.argv[2])
results = {}

def keep(name, value):
    for i, part in enumerate(value if isinstance(value, tuple) else (value,)):
        results["%s/%d" % (name, i)] = part

def special(x, seed):
    """Sprinkle NaN, +-0 and +-inf into floating input."""
    if x.dtype.kind == "f":
        rng = np.random.default_rng(seed)
        flat = x.reshape(-1)
        for value in (np.nan, 0.0, -0.0, np.inf, -np.inf):
            flat[rng.integers(0, flat.size, size=max(1, flat.size // 50))] = value
    return x

dtypes = (np.float16, np.float32, np.float64, np.uint8, np.int16, np.int64)
cases = _cases.generate(120, seed=7, dtypes=dtypes)
big = [((2, 3, 37, 41), "channels_first"), ((2, 37, 41, 3), "channels_last"),
       ((1, 19, 23, 64), "channels_last"), ((2, 4, 7, 9, 33), "channels_first")]
windows = [dict(kernel_size=2, stride=2), dict(kernel_size=3, stride=2, padding=1),
           dict(kernel_size=3, stride=1, padding=1), dict(kernel_size=4, stride=4),
           dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)]
for shape, layout in big:
    nd = len(shape) - 2
    for dtype in (np.float16, np.float32, np.float64, np.uint8):
        for w, window in enumerate(windows):
            cases.append(_cases.Case(nd, shape, layout, window, w % 2 == 0, None, dtype, w))
for k, case in enumerate(cases):
    x = special(case.input(), case.seed)
    nd, layout = case.ndim, case.layout
    y, idx = getattr(cypool, "max_pool%dd" % nd)(x, return_indices=True, layout=layout,
                                                  **case.window)
    keep("%d/max" % k, (y, idx))
    keep("%d/max_back" % k, getattr(cypool, "max_pool%dd_backward" % nd)(
        case.grad(y.shape), idx, x.shape, layout=layout))
    a = getattr(cypool, "avg_pool%dd" % nd)(x, layout=layout, **case.avg_window)
    keep("%d/avg" % k, a)
    keep("%d/avg_back" % k, getattr(cypool, "avg_pool%dd_backward" % nd)(
        case.grad(a.shape, a.dtype), x.shape, layout=layout, **case.avg_window))
    for p in (1, 2, 3.5, np.inf):
        keep("%d/lp%s" % (k, p), getattr(cypool, "lp_pool%dd" % nd)(x, p, layout=layout,
                                                                      **case.window))
    out_size = tuple(max(1, s // 2) for s in (x.shape[2:] if layout == "channels_first"
                                              else x.shape[1:-1]))[-nd:]
    if x.ndim == nd + 2:
        keep("%d/amax" % k, getattr(cypool, "adaptive_max_pool%dd" % nd)(
            x, out_size, return_indices=True, layout=layout))
        keep("%d/aavg" % k, getattr(cypool, "adaptive_avg_pool%dd" % nd)(x, out_size,
                                                                         layout=layout))
        keep("%d/gavg" % k, cypool.global_avg_pool(x, layout=layout))
np.savez(sys.argv[1], **results)
'''


def _run_sweep(variant, path):
    env = dict(os.environ, CYPOOL_KERNELS=variant)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.abspath(__file__))] + env.get("PYTHONPATH", "").split(os.pathsep)
    )
    # From the result's folder: "python -c" in the checkout would import its
    # unbuilt cypool/ source folder instead of the installed package.
    _python(SWEEP, env, os.path.dirname(str(path)), str(path), variant, timeout=600)
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def _same(expected, got):
    """Equal dtype, shape and bits, NaN payloads aside (see the module docstring)."""
    if expected.dtype != got.dtype or expected.shape != got.shape:
        return False
    if expected.dtype.kind != "f":
        return expected.tobytes() == got.tobytes()
    nan = np.isnan(expected)
    return (nan == np.isnan(got)).all() and expected[~nan].tobytes() == got[~nan].tobytes()


def _python(code, env, cwd, *args, timeout=120):
    """Run ``code`` in a fresh interpreter; its completed process, asserted to succeed."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(cwd),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_same_sees_a_flipped_bit_and_ignores_nan_signs():
    a = np.array([1.0, -0.0, np.nan], np.float32)
    assert _same(a, np.array([1.0, -0.0, -np.nan], np.float32))
    assert not _same(a, np.array([1.0, 0.0, np.nan], np.float32))
    assert not _same(a, np.array([1.0, -0.0, 1.0], np.float32))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _run_sweep("baseline", tmp_path_factory.mktemp("variants") / "baseline.npz")


@pytest.mark.parametrize("variant", [v for v in _variants.VARIANTS if v != "baseline"])
def test_variant_equals_baseline_bit_for_bit(variant, baseline, tmp_path):
    if variant not in _variants.available():
        pytest.skip("the %s variant was not built or this CPU cannot run it" % variant)
    results = _run_sweep(variant, tmp_path / (variant + ".npz"))
    assert results.keys() == baseline.keys()
    assert len(results) > 1000
    differ = [name for name in baseline if not _same(baseline[name], results[name])]
    assert not differ, "%d results differ from the baseline's, e.g. %s" % (len(differ), differ[:5])


def test_kernels_variable_picks_the_variant(tmp_path):
    env = dict(os.environ, CYPOOL_KERNELS="baseline")
    code = "import cypool; print(cypool.show_config()['kernels'])"
    done = _python(code, env, tmp_path)
    assert done.stdout.strip().splitlines()[-1].endswith("baseline")


def test_kernels_variable_rejects_unknown_names(tmp_path):
    env = dict(os.environ, CYPOOL_KERNELS="sse9")
    done = subprocess.run(
        [sys.executable, "-c", "import cypool"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    assert done.returncode != 0
    assert "CYPOOL_KERNELS must be one of baseline, avx2, avx512" in done.stderr


def test_a_variant_imported_first_leaves_the_baseline_its_name(tmp_path):
    """setup.py compiles each variant from the baseline's C, renamed: a variant module
    imported before the baseline (as ``import cypool`` does on a CPU that runs one) must
    register under its own name only, so that ``import cypool._max_pool`` (and every
    cimport of it) still loads the baseline."""
    built = [v for v in _variants.VARIANTS if v != "baseline" and v in _variants.available()]
    if not built:
        pytest.skip("no kernel variant besides the baseline was built for this CPU")
    code = (
        "import importlib, os, sys\n"
        "import cypool\n"
        "assert cypool._variants.KERNEL_SET != 'baseline'\n"
        "for kernel in ('_max_pool', '_avg_pool'):\n"
        "    for variant in sys.argv[1:]:\n"
        "        name = 'cypool.%s_%s' % (kernel, variant)\n"
        "        module = importlib.import_module(name)\n"
        "        assert module.__name__ == name, (name, module.__name__)\n"
        "        assert 'cypool.' + kernel not in sys.modules, (name, kernel)\n"
        "    baseline = importlib.import_module('cypool.' + kernel)\n"
        "    assert baseline.__name__ == 'cypool.' + kernel, baseline.__name__\n"
        "    assert os.path.basename(baseline.__file__).startswith(kernel + '.')\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CYPOOL_KERNELS"}
    done = _python(code, env, tmp_path, *built)
    assert done.stdout.strip() == "ok"
