"""``out=`` buffers, thread-count control, bit-identical results across thread counts
and ``show_config``'s facts checked against the compiled modules themselves."""

import glob
import importlib
import importlib.machinery
import os
import re
import subprocess
import sys
import threading

import numpy as np
import pytest
from cypool._runtime import openmp_enabled

import cypool
from cypool import _threads


@pytest.fixture
def x():
    return np.random.default_rng(0).standard_normal((4, 8, 33, 31)).astype(np.float32)


def test_out_is_filled_and_returned(x):
    out = np.empty((4, 8, 17, 16), np.float32)
    assert cypool.avg_pool2d(x, 3, 2, 1, out=out) is out
    np.testing.assert_array_equal(out, cypool.avg_pool2d(x, 3, 2, 1))
    values, indices = np.empty_like(out), np.empty(out.shape, np.int64)
    y, idx = cypool.max_pool2d(x, 3, 2, 1, return_indices=True, out=(values, indices))
    assert y is values and idx is indices
    ref_y, ref_idx = cypool.max_pool2d(x, 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(values, ref_y)
    np.testing.assert_array_equal(indices, ref_idx)
    grad = np.full(x.shape, np.nan, np.float32)  # must be fully overwritten
    assert cypool.max_pool2d_backward(ref_y, ref_idx, x.shape, out=grad) is grad
    np.testing.assert_array_equal(grad, cypool.max_pool2d_backward(ref_y, ref_idx, x.shape))
    grad[...] = np.nan
    assert cypool.avg_pool2d_backward(ref_y, x.shape, 3, 2, 1, out=grad) is grad
    np.testing.assert_array_equal(grad, cypool.avg_pool2d_backward(ref_y, x.shape, 3, 2, 1))


def test_out_float16_runs_in_float32():
    x = np.random.default_rng(1).standard_normal((2, 3, 6, 6)).astype(np.float16)
    out = np.empty((2, 3, 3, 3), np.float16)
    assert cypool.avg_pool2d(x, 2, out=out) is out
    np.testing.assert_array_equal(out, cypool.avg_pool2d(x, 2))


@pytest.fixture
def spy_threads(monkeypatch):
    """The thread counts the kernel launches of the test resolve to, in call order."""
    resolved = []
    resolve = _threads.resolve

    def spy(num_threads, work_units):
        resolved.append(resolve(num_threads, work_units))
        return resolved[-1]

    monkeypatch.setattr(_threads, "resolve", spy)
    return resolved


@pytest.mark.parametrize("threads", [2, 3])
def test_thread_counts_give_bit_identical_results(threads, spy_threads):
    if not openmp_enabled():
        if os.environ.get("CYPOOL_REQUIRE_OPENMP"):
            pytest.fail("CI requires an OpenMP build (CYPOOL_REQUIRE_OPENMP)")
        pytest.skip("a serial build runs every call in one thread: nothing to compare")
    # Large enough that every call below is split between the threads asked for, even
    # with a PyTorch-like grain of 32768 outputs per thread (checked at the end: the
    # comparison is meaningless if both sides ran in one thread).
    x = np.random.default_rng(0).standard_normal((4, 16, 97, 91)).astype(np.float32)
    x[0, 0, ::7, ::5] = np.nan  # NaN and ties keep the index rules in play
    x[1, 2, :, 10:20] = 1.5
    one = dict(num_threads=1)
    many = dict(num_threads=threads)
    for kwargs in (
        dict(kernel_size=3, stride=1, padding=1),
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=(1, 0), ceil_mode=True),
    ):
        del spy_threads[:]
        y1, i1 = cypool.max_pool2d(x, return_indices=True, **kwargs, **one)
        yn, iN = cypool.max_pool2d(x, return_indices=True, **kwargs, **many)
        np.testing.assert_array_equal(y1, yn)
        np.testing.assert_array_equal(i1, iN)
        g = np.random.default_rng(1).standard_normal(y1.shape).astype(np.float32)
        np.testing.assert_array_equal(
            cypool.max_pool2d_backward(g, i1, x.shape, **one),
            cypool.max_pool2d_backward(g, i1, x.shape, **many),
        )
        a1 = cypool.avg_pool2d(x, **kwargs, **one)
        np.testing.assert_array_equal(a1, cypool.avg_pool2d(x, **kwargs, **many))
        np.testing.assert_array_equal(
            cypool.avg_pool2d_backward(g, x.shape, **kwargs, **one),
            cypool.avg_pool2d_backward(g, x.shape, **kwargs, **many),
        )
        # Every call ran: the 1-thread ones in one thread, the others in `threads`.
        assert spy_threads == [1, threads] * 4, (kwargs, spy_threads)


def test_thread_settings_resolution():
    default = cypool.get_num_threads()
    assert default >= 1
    cypool.set_num_threads(3)
    try:
        assert cypool.get_num_threads() == 3
        with cypool.num_threads(1):
            assert cypool.get_num_threads() == 1
            with cypool.num_threads(2):
                assert cypool.get_num_threads() == 2
            assert cypool.get_num_threads() == 1
        assert cypool.get_num_threads() == 3
    finally:
        cypool.set_num_threads(None)
    assert cypool.get_num_threads() == default


def test_context_setting_is_per_thread():
    seen = {}
    barrier = threading.Barrier(2)

    def worker(name, n):
        with cypool.num_threads(n):
            barrier.wait()
            seen[name] = cypool.get_num_threads()

    threads = [
        threading.Thread(target=worker, args=("a", 1)),
        threading.Thread(target=worker, args=("b", 2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": 1, "b": 2}


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_bad_thread_counts(bad, x):
    with pytest.raises((ValueError, TypeError), match="num_threads"):
        cypool.max_pool2d(x, 2, num_threads=bad)
    with pytest.raises((ValueError, TypeError), match="n must"):
        cypool.set_num_threads(bad)


# --- show_config: each fact checked against evidence that setup.py did not write ----------

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANT_FLAG = {"avx2": "-mavx2", "avx512": "-mavx512f"}  # one of each variant's flags
VARIANT_CPU_FLAGS = {  # /proc/cpuinfo's names of what each variant's instructions need
    "avx2": {"avx2", "fma", "f16c"},
    "avx512": {"avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512dq"},
}


def _binary(module):
    """The bytes of one of cypool's compiled modules (its shared object)."""
    with open(importlib.import_module("cypool." + module).__file__, "rb") as f:
        return f.read()


def _recorded_flags(binary):
    """The compile flags gcc recorded in the object's DWARF producer string (builds
    with -g record them; CPython's own CFLAGS carry -g), or None without one."""
    found = re.findall(rb"GNU C[0-9A-Za-z]* [0-9][0-9.]* ([^\x00]*-fPIC[^\x00]*)\x00", binary)
    return found[0].decode().split() if found else None


def test_show_config_prints_what_it_returns(capsys):
    info = cypool.show_config()
    printed = dict(
        (part.strip() for part in line.split(" : ", 1))
        for line in capsys.readouterr().out.splitlines()
    )
    assert printed == {key: str(value) for key, value in info.items()}


def test_show_config_thread_count_follows_the_settings_and_openmp(tmp_path):
    with cypool.num_threads(3):
        assert cypool.show_config()["num_threads"] == 3
    if not openmp_enabled():
        assert cypool.show_config()["num_threads"] == 1
        return
    # The default is OpenMP's own, which reads OMP_NUM_THREADS at start-up.
    # The same cypool as this process's (installed or built in place), from a folder
    # without a cypool/ source tree in it.
    env = dict(os.environ, OMP_NUM_THREADS="3")
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(cypool.__file__)))
    done = subprocess.run(
        [sys.executable, "-c", "import cypool; print(cypool.show_config()['num_threads'])"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "3"


def test_show_config_version_is_the_projects():
    pyproject = os.path.join(ROOT, "pyproject.toml")
    if not os.path.exists(pyproject):
        pytest.skip("needs the source checkout's pyproject.toml")
    with open(pyproject) as f:
        version = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
    assert cypool.show_config()["version"] == version


def test_show_config_openmp_is_what_the_kernels_link():
    info = cypool.show_config()
    if os.environ.get("CYPOOL_REQUIRE_OPENMP"):
        assert info["openmp"], "CI requires an OpenMP build"
    assert info["openmp"] == openmp_enabled()  # the compiled module's own #ifdef _OPENMP
    for module in ("_max_pool", "_avg_pool"):
        binary = _binary(module)
        links = b"libgomp" in binary or b"libomp" in binary  # a DT_NEEDED entry
        assert links == info["openmp"], module
        assert ("-fopenmp" in info["compile_args"]) == links, module
    if not info["openmp"]:
        assert "SERIAL" in info["note"].upper() or "WITHOUT" in info["note"].upper()


def test_show_config_compiler_and_flags_are_those_recorded_in_the_kernels():
    info = cypool.show_config()
    binary = _binary("_max_pool")
    version = info["cython_version"].replace(".", "_").encode()
    assert b"_cython_" + version + b"." in binary  # Cython's ABI name in the module
    compiler = os.path.basename(info["compiler"].split()[0])
    assert (b"clang version" if "clang" in compiler else b"GCC: (") in binary  # .comment
    flags = _recorded_flags(binary)
    if flags is None:
        pytest.skip("built without -g: the kernels do not record their compile flags")
    assert [f for f in info["compile_args"] if f not in flags] in ([], ["-march=native"]), flags
    optimization = [f for f in flags if f.startswith("-O")][-1]
    assert optimization == ("-O1" if info["debug_build"] else "-O3"), flags
    if info["native_build"]:  # gcc records -march=native as the CPU it found
        assert [f for f in flags if f.startswith("-march=")][-1] != "-march=x86-64", flags


def test_show_config_variants_are_the_binaries_built_and_what_the_cpu_runs():
    info = cypool.show_config()
    built, runs = info["kernel_variants_built"], info["kernel_variants_cpu_runs"]
    assert built[0] == "baseline" and runs[0] == "baseline"
    folder = os.path.dirname(cypool.__file__)
    for variant, flag in VARIANT_FLAG.items():
        binaries = [
            path
            for path in glob.glob(os.path.join(folder, "_max_pool_%s.*" % variant))
            if path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
        ]
        assert bool(binaries) == (variant in built), (variant, binaries)
        if variant in built:
            assert not info["native_build"]  # setup.py: a native build has no variants
            flags = _recorded_flags(_binary("_max_pool_" + variant))
            assert flags is None or flag in flags, (variant, flags)
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            cpu = set(re.search(r"^flags\s*:(.*)$", f.read(), re.M).group(1).split())
        assert runs == ["baseline"] + [
            v for v in VARIANT_CPU_FLAGS if v in built and VARIANT_CPU_FLAGS[v] <= cpu
        ]
    asked = os.environ.get("CYPOOL_KERNELS", "").strip().lower()
    assert info["kernels"] == (asked if asked in runs else runs[-1])
