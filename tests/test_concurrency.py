"""The GIL is released in every kernel: concurrent Python threads get the serial
results, whatever thread count each asks for."""

import sys
import threading
import time

import numpy as np

import cypool

CALLS = {
    "max_pool2d": lambda x, n: cypool.max_pool2d(x, 3, 2, 1, return_indices=True, num_threads=n),
    "avg_pool2d": lambda x, n: cypool.avg_pool2d(x, 3, 2, 1, num_threads=n),
    "avg_pool2d_backward": lambda x, n: cypool.avg_pool2d_backward(
        x, (8, 16, 128, 128), 2, num_threads=n
    ),
    "adaptive_avg_pool2d": lambda x, n: cypool.adaptive_avg_pool2d(x, 7, num_threads=n),
}


def _inputs():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((8, 16, 128, 128)).astype(np.float32) for _ in range(4)]
    grads = [rng.standard_normal((8, 16, 64, 64)).astype(np.float32) for _ in range(4)]
    return arrays, grads


def _run_threads(work):
    results = [None] * len(work)

    def target(i):
        results[i] = work[i]()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(work))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - start


def _same(a, b):
    if isinstance(a, tuple):
        for u, v in zip(a, b):
            np.testing.assert_array_equal(u, v)
    else:
        np.testing.assert_array_equal(a, b)


def test_four_threads_with_different_thread_counts_match_serial_calls(capsys):
    arrays, grads = _inputs()
    work, expected = [], []
    for i, (name, call) in enumerate(CALLS.items()):
        data = grads[i] if name.endswith("backward") else arrays[i]
        expected.append(call(data, 1))
        work.append(lambda call=call, data=data, n=1 + i % 2: call(data, n))
    results, _ = _run_threads(work)
    for got, want in zip(results, expected):
        _same(got, want)


def test_python_runs_while_a_kernel_runs():
    """A Python thread keeps counting while another thread sits in one long kernel
    call.  With the GIL held through the call it could count only in the switch
    intervals at the call's two ends; with the GIL released it counts through the
    call (alone on its own core, or sharing one core with the kernel).  A count,
    not a speed-up: it holds on a loaded or stalled VM too."""
    x = np.random.default_rng(0).standard_normal((16, 64, 256, 256)).astype(np.float32)
    count = [0]
    stop = threading.Event()

    def counter():
        while not stop.is_set():
            count[0] += 1

    def counting_rate(seconds=0.1):
        thread = threading.Thread(target=counter)
        before, start = count[0], time.perf_counter()
        thread.start()
        time.sleep(seconds)
        stop.set()
        thread.join()
        rate = (count[0] - before) / (time.perf_counter() - start)
        stop.clear()
        return rate

    rate = counting_rate()
    thread = threading.Thread(target=counter)
    thread.start()
    time.sleep(0.02)  # the counter is running
    before, start = count[0], time.perf_counter()
    cypool.max_pool2d(x, 3, 1, 1, return_indices=True, num_threads=1)  # about 0.5 s
    during, elapsed = count[0] - before, time.perf_counter() - start
    stop.set()
    thread.join()
    held_at_most = rate * 4 * sys.getswitchinterval()  # two intervals at each end, generously
    assert elapsed > 20 * sys.getswitchinterval(), elapsed  # long enough to tell
    assert during > max(3 * held_at_most, 0.1 * rate * elapsed), (during, rate, elapsed)
