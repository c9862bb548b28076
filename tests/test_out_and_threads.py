"""``out=`` buffers, thread-count control and bit-identical results across thread counts."""

import os
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
    # Large enough that every call below is split between the threads asked for
    # (checked: the comparison is meaningless if both sides ran in one thread).
    x = np.random.default_rng(0).standard_normal((4, 16, 67, 61)).astype(np.float32)
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


def test_show_config_reports_openmp_and_threads(capsys):
    info = cypool.show_config()
    printed = capsys.readouterr().out
    assert "openmp" in printed and "num_threads" in printed
    assert info["num_threads"] == cypool.get_num_threads()
    assert info["version"] == cypool.__version__
    assert "-O3" in info["compile_args"] or info["debug_build"]
    assert "-march=native" not in info["compile_args"] or info["native_build"]
    if os.environ.get("CYPOOL_REQUIRE_OPENMP"):
        assert info["openmp"], "CI requires an OpenMP build"
    if info["openmp"]:
        assert "-fopenmp" in info["compile_args"]
    else:
        assert "SERIAL" in info["note"].upper() or "WITHOUT" in info["note"].upper()
