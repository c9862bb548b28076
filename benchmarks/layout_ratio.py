"""Channels-last with 3 channels against channels-first: max pooling's time ratio per window.

The kernel-core issue's bar: a (1, 3, H, W) image pooled channels-last takes at most
1.5x its channels-first time, for every window of the strategy-coverage test
(tests/test_strategies.py's WINDOWS), with and without indices.  One thread; each
time is the minimum of --repeat runs, the two layouts alternating so that a noisy
machine disturbs both alike.

python benchmarks/layout_ratio.py [--size 512] [--dtypes float32 float64 float16 uint8]
"""

import argparse
import os
import sys
import time

import numpy as np

import cypool

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from test_strategies import WINDOWS  # noqa: E402  (the coverage test owns the windows)


def fastest(calls, repeat):
    """The minimum time in ms of each call, the calls taking turns."""
    best = [float("inf")] * len(calls)
    for call in calls:
        call()
    for _ in range(repeat):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            best[i] = min(best[i], time.perf_counter() - start)
    return [1e3 * b for b in best]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512, help="image height and width")
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64", "float16", "uint8"])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--limit", type=float, default=1.5, help="the ratio to flag")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    print("| dtype | window (k, s, p, d, ceil) | indices | CF ms | CL ms | CL / CF |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for dtype in args.dtypes:
        planes = rng.standard_normal((1, 3, args.size, args.size)) * 100
        first = planes.astype(dtype)
        last = np.ascontiguousarray(first.transpose(0, 2, 3, 1))
        for k, s, p, d, ceil in WINDOWS:
            window = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
            for indices in (False, True):
                times = fastest(
                    [
                        lambda: cypool.max_pool2d(
                            first, return_indices=indices, num_threads=1, **window
                        ),
                        lambda: cypool.max_pool2d(
                            last,
                            return_indices=indices,
                            num_threads=1,
                            layout="channels_last",
                            **window,
                        ),
                    ],
                    args.repeat,
                )
                ratio = times[1] / times[0]
                worst = max(worst, ratio)
                flag = " **over %g**" % args.limit if ratio > args.limit else ""
                print(
                    "| %s | %s | %s | %.3f | %.3f | %.2f%s |"
                    % (dtype, (k, s, p, d, ceil), "yes" if indices else "no", *times, ratio, flag)
                )
    print("\nworst CL / CF: %.2f" % worst)


if __name__ == "__main__":
    main()
