"""No leaks: every public function called 2,000 times on small arrays grows neither
Python's heap (tracemalloc) nor the process RSS beyond a small bound."""

import gc
import tracemalloc

import numpy as np
import pytest

import cypool

X = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
X1 = X.reshape(2, 3, 36)
X3 = X.reshape(2, 3, 3, 2, 6)


def _calls():
    y2, i2 = cypool.max_pool2d(X, 2, return_indices=True)
    y1, i1 = cypool.max_pool1d(X1, 2, return_indices=True)
    y3, i3 = cypool.max_pool3d(X3, 2, return_indices=True)
    a2 = cypool.adaptive_max_pool2d(X, 4, return_indices=True)
    calls = {
        "max_pool1d": lambda: cypool.max_pool1d(X1, 3, 2, 1, return_indices=True),
        "max_pool2d": lambda: cypool.max_pool2d(X, 3, 2, 1, return_indices=True),
        "max_pool3d": lambda: cypool.max_pool3d(X3, 2, return_indices=True),
        "max_pool1d_backward": lambda: cypool.max_pool1d_backward(y1, i1, X1.shape),
        "max_pool2d_backward": lambda: cypool.max_pool2d_backward(y2, i2, X.shape),
        "max_pool3d_backward": lambda: cypool.max_pool3d_backward(y3, i3, X3.shape),
        "avg_pool1d": lambda: cypool.avg_pool1d(X1, 3, 1, 1),
        "avg_pool2d": lambda: cypool.avg_pool2d(X, 3, 1, 1, count_include_pad=False),
        "avg_pool3d": lambda: cypool.avg_pool3d(X3, 2),
        "avg_pool1d_backward": lambda: cypool.avg_pool1d_backward(y1, X1.shape, 2),
        "avg_pool2d_backward": lambda: cypool.avg_pool2d_backward(y2, X.shape, 2),
        "avg_pool3d_backward": lambda: cypool.avg_pool3d_backward(y3, X3.shape, 2),
        "lp_pool1d": lambda: cypool.lp_pool1d(X1, 2, 2),
        "lp_pool2d": lambda: cypool.lp_pool2d(X, 3, 2),
        "lp_pool3d": lambda: cypool.lp_pool3d(X3, np.inf, 2),
        "lp_pool1d_backward": lambda: cypool.lp_pool1d_backward(y1, X1, 2, 2),
        "lp_pool2d_backward": lambda: cypool.lp_pool2d_backward(y2, X, 1, 2),
        "lp_pool3d_backward": lambda: cypool.lp_pool3d_backward(y3, X3, np.inf, 2),
        "adaptive_max_pool1d": lambda: cypool.adaptive_max_pool1d(X1, 5),
        "adaptive_max_pool2d": lambda: cypool.adaptive_max_pool2d(X, 4, return_indices=True),
        "adaptive_max_pool3d": lambda: cypool.adaptive_max_pool3d(X3, 2),
        "adaptive_max_pool2d_backward": lambda: cypool.adaptive_max_pool2d_backward(
            a2[0], a2[1], X.shape
        ),
        "adaptive_avg_pool1d": lambda: cypool.adaptive_avg_pool1d(X1, 5),
        "adaptive_avg_pool2d": lambda: cypool.adaptive_avg_pool2d(X, 4),
        "adaptive_avg_pool3d": lambda: cypool.adaptive_avg_pool3d(X3, 2),
        "adaptive_avg_pool2d_backward": lambda: cypool.adaptive_avg_pool2d_backward(a2[0], X.shape),
        "global_max_pool": lambda: cypool.global_max_pool(X),
        "global_avg_pool": lambda: cypool.global_avg_pool(X, keepdims=True),
        "max_unpool2d": lambda: cypool.max_unpool2d(y2, i2, 2),
        "max_unpool2d_backward": lambda: cypool.max_unpool2d_backward(X, i2),
        "max_pool": lambda: cypool.max_pool(X, (1, 2, 2, 1), return_indices=True),
        "avg_pool": lambda: cypool.avg_pool(X, 2, axes=(2, 3)),
        "lp_pool": lambda: cypool.lp_pool(X, 2, 2, axes=(0, 3)),
        "max_pool_backward": lambda: cypool.max_pool_backward(y2, i2, X.shape, axes=(2, 3)),
        "avg_pool_backward": lambda: cypool.avg_pool_backward(y2, X.shape, 2, axes=(2, 3)),
        "lp_pool_backward": lambda: cypool.lp_pool_backward(y2, X, 2, 2, axes=(2, 3)),
        "errors": _error_calls,
    }
    return calls


def _error_calls():
    for bad in (dict(kernel_size=0), dict(kernel_size=2, padding=5), dict(kernel_size=2.5)):
        try:
            cypool.max_pool2d(X, **bad)
        except (ValueError, TypeError):
            pass


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pytest.mark.slow  # 2000 calls of each of the public functions
def test_no_growth_over_2000_calls_of_every_function(capsys):
    calls = _calls()
    for call in calls.values():  # warm caches and lazy imports
        for _ in range(20):
            call()
    gc.collect()
    tracemalloc.start()
    rss_before = _rss_bytes()
    heap_before = tracemalloc.get_traced_memory()[0]
    for call in calls.values():
        for _ in range(2000):
            call()
    gc.collect()
    heap_growth = tracemalloc.get_traced_memory()[0] - heap_before
    rss_growth = _rss_bytes() - rss_before
    tracemalloc.stop()
    with capsys.disabled():
        print(
            "\n[leaks] %d functions x 2000 calls: tracemalloc %+d bytes, RSS %+d KiB"
            % (len(calls), heap_growth, rss_growth // 1024)
        )
    assert heap_growth < 256 * 1024
    assert rss_growth < 8 * 1024 * 1024
