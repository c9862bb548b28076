"""Throughput of a (32, 64, 1024, 1024) float32 max pool (8 GiB): out-of-core with
cypool.dask versus in memory with cypool.

    python benchmarks/dask_bench.py                 # the 8 GiB case (needs ~11 GiB free)
    python benchmarks/dask_bench.py --batch 4       # 1 GiB, for small machines

Out of core, the input is produced chunk by chunk (never whole in memory) and the
pooled result is reduced to a checksum, so peak memory stays at a few chunks; in
memory, the whole array exists first (its creation is not timed).
"""

import argparse
import time

import dask
import dask.array as da
import numpy as np

import cypool
import cypool.dask


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    shape = (args.batch, 64, 1024, 1024)
    chunks = (1, 64, 512, 512)
    gib = np.prod(shape) * 4 / 2**30
    window = dict(kernel_size=3, stride=2, padding=1)

    # The same values in both runs: chunk (n, ...) is filled with n + position / size.
    def fill(block, block_info=None):
        n = block_info[None]["chunk-location"][0]
        return np.full(block.shape, float(n), np.float32)

    lazy = da.zeros(shape, chunks=chunks, dtype=np.float32).map_blocks(fill, dtype=np.float32)
    with dask.config.set(scheduler="threads", num_workers=args.threads):
        start = time.perf_counter()
        total_lazy = float(cypool.dask.max_pool2d(lazy, **window).sum(dtype=np.float64).compute())
        out_of_core = time.perf_counter() - start
    x = np.empty(shape, np.float32)
    for n in range(shape[0]):
        x[n] = n
    start = time.perf_counter()
    y = cypool.max_pool2d(x, num_threads=args.threads, **window)
    in_memory = time.perf_counter() - start
    total = float(y.sum(dtype=np.float64))
    assert total == total_lazy, (total, total_lazy)
    print(
        "input %s float32 = %.1f GiB, max_pool2d k3 s2 p1, %d threads" % (shape, gib, args.threads)
    )
    print("| run | seconds | input GiB/s |\n|---|---|---|")
    print(
        "| cypool.dask, out of core (chunks %s, incl. generating them) | %.2f | %.2f |"
        % (chunks, out_of_core, gib / out_of_core)
    )
    print("| cypool, in memory | %.2f | %.2f |" % (in_memory, gib / in_memory))


if __name__ == "__main__":
    main()
