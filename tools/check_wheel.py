"""Checks of an installed cypool wheel, run by .ci/run in fresh environments.

    python tools/check_wheel.py smoke                # vendored OpenMP in use, results right
    python tools/check_wheel.py coexist torch-first  # torch, then cypool, in one process
    python tools/check_wheel.py coexist cypool-first

Run it from outside the source tree, so ``import cypool`` finds the installed wheel.
Each check prints what it found and exits non-zero (with the reason) on a failure;
``coexist`` also fails if its threads have not finished after ``--timeout`` seconds
(a hang between two OpenMP runtimes).
"""

import argparse
import importlib
import os
import sys
import threading

import numpy as np


def loaded_openmp_files():
    """The OpenMP runtimes mapped into this process, by file path."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    names = ("libgomp", "libiomp", "libomp")
    return sorted(p for p in paths if os.path.basename(p).startswith(names))


def openmp_pools():
    import threadpoolctl

    return [
        (info["filepath"], info["num_threads"])
        for info in threadpoolctl.threadpool_info()
        if info["user_api"] == "openmp"
    ]


def smoke():
    import cypool
    from cypool import reference

    package = os.path.dirname(cypool.__file__)
    gomp = loaded_openmp_files()
    print("cypool from", package)
    print("OpenMP runtimes mapped:", gomp)
    print("threadpoolctl OpenMP pools:", openmp_pools())
    vendored = os.path.join(os.path.dirname(package), "cypool.libs")
    if not gomp or any(not path.startswith(vendored) for path in gomp):
        sys.exit("the OpenMP runtime in use is not the one vendored in %s: %s" % (vendored, gomp))
    if not any(path.startswith(vendored) for path, _ in openmp_pools()):
        sys.exit("threadpoolctl does not see the vendored OpenMP runtime")
    if not cypool.show_config()["openmp"]:
        sys.exit("the wheel was built without OpenMP")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 17, 19)).astype(np.float32)
    for threads in (1, 2):
        y, idx = cypool.max_pool2d(x, 3, 2, 1, return_indices=True, num_threads=threads)
        y_ref, idx_ref = reference.max_pool2d(x, 3, 2, 1, return_indices=True)
        np.testing.assert_array_equal(y, y_ref)
        np.testing.assert_array_equal(idx, idx_ref)
        np.testing.assert_allclose(
            cypool.avg_pool2d(x, 3, 2, 1, num_threads=threads),
            reference.avg_pool2d(x, 3, 2, 1),
            rtol=1e-5,
            atol=1e-6,
        )
    print("smoke: max and average pooling equal the reference at 1 and 2 threads")


def coexist(order, iterations, timeout):
    first, second = ("torch", "cypool") if order == "torch-first" else ("cypool", "torch")
    importlib.import_module(first)
    importlib.import_module(second)
    import torch

    import cypool

    torch.set_num_threads(2)
    failures = []

    def work(seed):
        rng = np.random.default_rng(seed)
        try:
            for _ in range(iterations):
                x = rng.standard_normal((8, 16, 56, 56)).astype(np.float32)
                t = torch.from_numpy(x)
                mine = cypool.max_pool2d(x, 3, 2, 1, num_threads=2)
                theirs = torch.nn.functional.max_pool2d(t, 3, 2, 1).numpy()
                np.testing.assert_array_equal(mine, theirs)
                mine = cypool.avg_pool2d(x, 2, num_threads=2)
                theirs = torch.nn.functional.avg_pool2d(t, 2).numpy()
                np.testing.assert_array_equal(mine, theirs)
        except Exception as error:  # reported by the main thread
            failures.append(repr(error)[:300])

    threads = [threading.Thread(target=work, args=(seed,), daemon=True) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    print("%s: OpenMP runtimes mapped: %s" % (order, loaded_openmp_files()))
    print("%s: threadpoolctl OpenMP pools: %s" % (order, openmp_pools()))
    if any(thread.is_alive() for thread in threads):
        print("%s: HANG: threads still running after %s s" % (order, timeout), flush=True)
        os._exit(3)
    if failures:
        sys.exit("%s: results differ: %s" % (order, failures))
    print(
        "%s: 2 Python threads x %d iterations, cypool and torch at 2 OpenMP threads each: "
        "equal results, no hang" % (order, iterations)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="check", required=True)
    sub.add_parser("smoke")
    both = sub.add_parser("coexist")
    both.add_argument("order", choices=["torch-first", "cypool-first"])
    both.add_argument("--iterations", type=int, default=200)
    both.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    if args.check == "smoke":
        smoke()
    else:
        coexist(args.order, args.iterations, args.timeout)


if __name__ == "__main__":
    main()
