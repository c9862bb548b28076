"""2-D max/avg pooling, forward and backward: cypool vs the NumPy baseline vs PyTorch.

Run from anywhere after ``pip install .``::

    python benchmarks/bench_pool2d.py            # (32, 64, 112, 112) float32, 1 and 2 threads
    python benchmarks/bench_pool2d.py --quick    # a small shape, a few seconds

Every peer runs in this process on the same arrays with the same thread count;
the table shows median milliseconds and cypool's time as a fraction of each
peer's (below 1 means cypool is faster).  torch is used when installed.
"""

import argparse
import statistics
import sys
import time

import numpy as np

import cypool
from cypool.reference import vectorized

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # torch is an optional peer
    torch = None

WINDOWS = {
    "k2s2": dict(kernel_size=2, stride=2, padding=0),
    "k3s2p1": dict(kernel_size=3, stride=2, padding=1),
}


def median_ms(function, repeat, warmup=1):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def workloads(x, window, threads):
    """(name, {peer: callable}) for every operation on one window."""
    k, s, p = window["kernel_size"], window["stride"], window["padding"]
    y, idx = cypool.max_pool2d(x, return_indices=True, **window)
    g_max = np.random.default_rng(1).standard_normal(y.shape).astype(x.dtype)
    g_avg = g_max
    ops = {
        "max forward": {
            "cypool": lambda: cypool.max_pool2d(x, num_threads=threads, **window),
            "numpy": lambda: vectorized.max_pool2d(x, **window),
        },
        "max forward+indices": {
            "cypool": lambda: cypool.max_pool2d(
                x, return_indices=True, num_threads=threads, **window
            ),
            "numpy": lambda: vectorized.max_pool2d(x, return_indices=True, **window),
        },
        "max backward": {
            "cypool": lambda: cypool.max_pool2d_backward(g_max, idx, x.shape, num_threads=threads),
            "numpy": lambda: vectorized.max_pool2d_backward(g_max, idx, x.shape),
        },
        "avg forward": {
            "cypool": lambda: cypool.avg_pool2d(x, num_threads=threads, **window),
            "numpy": lambda: vectorized.avg_pool2d(x, **window),
        },
        "avg backward": {
            "cypool": lambda: cypool.avg_pool2d_backward(
                g_avg, x.shape, num_threads=threads, **window
            ),
            "numpy": lambda: vectorized.avg_pool2d_backward(g_avg, x.shape, **window),
        },
    }
    if torch is not None:
        xt = torch.from_numpy(x)
        xg = xt.clone().requires_grad_(True)
        yt_max, it = F.max_pool2d(xg, k, s, p, return_indices=True)
        yt_avg = F.avg_pool2d(xg, k, s, p)
        gt = torch.from_numpy(g_max)
        ops["max forward"]["torch"] = lambda: F.max_pool2d(xt, k, s, p)
        ops["max forward+indices"]["torch"] = lambda: F.max_pool2d(xt, k, s, p, return_indices=True)
        ops["max backward"]["torch"] = lambda: torch.autograd.grad(
            yt_max, xg, gt, retain_graph=True
        )
        ops["avg forward"]["torch"] = lambda: F.avg_pool2d(xt, k, s, p)
        ops["avg backward"]["torch"] = lambda: torch.autograd.grad(
            yt_avg, xg, gt, retain_graph=True
        )
    return ops


def run(shape, thread_counts, repeat, numpy_repeat):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    rows = []
    for threads in thread_counts:
        if torch is not None:
            torch.set_num_threads(threads)
        for window_name, window in WINDOWS.items():
            for op, peers in workloads(x, window, threads).items():
                times = {
                    peer: median_ms(fn, numpy_repeat if peer == "numpy" else repeat)
                    for peer, fn in peers.items()
                }
                rows.append((threads, window_name, op, times))
                print(
                    "  %d thread(s) %-7s %-20s " % (threads, window_name, op)
                    + "  ".join("%s %.2f ms" % kv for kv in times.items()),
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def table(rows, shape):
    peers = [p for p in ("cypool", "numpy", "torch") if any(p in r[3] for r in rows)]
    head = (
        "| threads | window | operation | "
        + " | ".join("%s ms" % p for p in peers)
        + " | "
        + " | ".join("cypool / %s" % p for p in peers[1:])
        + " |"
    )
    lines = [
        "Input %s float32; median of repeated calls, same process." % (shape,),
        "",
        head,
        "|" + "---|" * (3 + 2 * len(peers) - 1),
    ]
    for threads, window, op, times in rows:
        cells = ["%.2f" % times[p] if p in times else "-" for p in peers]
        ratios = ["%.2f" % (times["cypool"] / times[p]) if p in times else "-" for p in peers[1:]]
        lines.append(
            "| %d | %s | %s | %s | %s |"
            % (threads, window, op, " | ".join(cells), " | ".join(ratios))
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shape, few repeats")
    parser.add_argument("--shape", type=int, nargs=4, default=None)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--output", help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    shape = tuple(args.shape or ((8, 16, 56, 56) if args.quick else (32, 64, 112, 112)))
    repeat = args.repeat or (5 if args.quick else 11)
    info = cypool.show_config()
    print("torch:", torch.__version__ if torch is not None else "not installed")
    print()
    text = table(run(shape, args.threads, repeat, max(3, repeat // 3)), shape)
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    return info


if __name__ == "__main__":
    main()
