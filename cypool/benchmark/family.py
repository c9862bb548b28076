"""The second round of the family against the peers a user reaches for today.

Each row times one call of a new function (fractional max pooling, min pooling,
bool masks, bfloat16, ``block_reduce``) and its peer on the same data in the same
process: PyTorch (fractional and bfloat16 pooling; min pooling as ``-max(-x)``,
torch has none), scikit-image (``block_reduce``) or the NumPy idiom (masks).
Medians of ``--repeat`` runs after a warm-up; threads via ``num_threads=`` and
``torch.set_num_threads``.

    python -m cypool.benchmark.family [--quick] [--threads 1 2] [--output FILE]
"""

import argparse
import statistics
import time

import numpy as np

import cypool


def _median_ms(call, repeat):
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def _cases(quick):
    """(name, shape, cypool call(x, threads), peer name, peer call(x, threads), make x)."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        torch = F = None
    try:
        from skimage.measure import block_reduce as skimage_block_reduce
    except ImportError:
        skimage_block_reduce = None
    try:
        import ml_dtypes
    except ImportError:
        ml_dtypes = None
    rng = np.random.default_rng(0)
    image = (2, 32, 56, 56) if quick else (16, 64, 112, 112)
    volume = (1, 8, 16, 16, 16) if quick else (4, 16, 32, 32, 32)
    side = 1024 if quick else 4096
    cases = []

    def torch_threads(call):
        def run(x, threads):
            torch.set_num_threads(threads)
            with torch.no_grad():
                return call(x)

        return run

    if torch is not None:
        samples2 = rng.random(image[:2] + (2,)).astype(np.float32)
        samples3 = rng.random(volume[:2] + (3,)).astype(np.float32)
        t2, t3 = torch.from_numpy(samples2), torch.from_numpy(samples3)
        cases += [
            (
                "fractional_max_pool2d k3 ratio 0.7",
                image,
                lambda x, n: cypool.fractional_max_pool2d(
                    x, 3, output_ratio=0.7, samples=samples2, num_threads=n
                ),
                "torch",
                torch_threads(
                    lambda x: F.fractional_max_pool2d(
                        torch.from_numpy(x), 3, output_ratio=(0.7, 0.7), _random_samples=t2
                    )
                ),
                lambda: rng.standard_normal(image).astype(np.float32),
            ),
            (
                "fractional_max_pool3d k2 ratio 0.5",
                volume,
                lambda x, n: cypool.fractional_max_pool3d(
                    x, 2, output_ratio=0.5, samples=samples3, num_threads=n
                ),
                "torch",
                torch_threads(
                    lambda x: F.fractional_max_pool3d(
                        torch.from_numpy(x), 2, output_ratio=(0.5,) * 3, _random_samples=t3
                    )
                ),
                lambda: rng.standard_normal(volume).astype(np.float32),
            ),
            (
                "min_pool k3 s2 p1 (axes 2, 3)",
                image,
                lambda x, n: cypool.min_pool(x, 3, 2, 1, axes=(2, 3), num_threads=n),
                "torch -max(-x)",
                torch_threads(lambda x: -F.max_pool2d(-torch.from_numpy(x), 3, 2, 1)),
                lambda: rng.standard_normal(image).astype(np.float32),
            ),
        ]
        row = (1, 1, 2**22) if quick else (1, 1, 2**26)
        cases.append(
            (
                "max_pool1d k2 of one long row",
                row,
                lambda x, n: cypool.max_pool1d(x, 2, num_threads=n),
                "torch",
                torch_threads(lambda x: F.max_pool1d(torch.from_numpy(x), 2)),
                lambda: rng.standard_normal(row).astype(np.float32),
            )
        )
        layer = cypool.layers.MaxPool2d(3, 2, 1)

        def layer_step(x, n):
            with cypool.num_threads(n):
                y = layer.forward(x)
                return layer.backward(np.ones_like(y))

        def torch_step(x, n):
            torch.set_num_threads(n)
            xt = torch.from_numpy(x).requires_grad_()
            F.max_pool2d(xt, 3, 2, 1).sum().backward()
            return xt.grad

        cases.append(
            (
                "layers.MaxPool2d k3 s2 p1 forward + backward",
                image,
                layer_step,
                "torch autograd",
                torch_step,
                lambda: rng.standard_normal(image).astype(np.float32),
            )
        )
        if ml_dtypes is not None:
            bf16 = ml_dtypes.bfloat16
            cases += [
                (
                    "max_pool2d k3 s2 p1 bfloat16",
                    image,
                    lambda x, n: cypool.max_pool2d(x, 3, 2, 1, num_threads=n),
                    "torch bfloat16",
                    torch_threads(
                        lambda x: F.max_pool2d(
                            torch.from_numpy(x.view(np.int16)).view(torch.bfloat16), 3, 2, 1
                        )
                    ),
                    lambda: rng.standard_normal(image).astype(bf16),
                ),
                (
                    "avg_pool2d k2 bfloat16",
                    image,
                    lambda x, n: cypool.avg_pool2d(x, 2, num_threads=n),
                    "torch bfloat16",
                    torch_threads(
                        lambda x: F.avg_pool2d(
                            torch.from_numpy(x.view(np.int16)).view(torch.bfloat16), 2
                        )
                    ),
                    lambda: rng.standard_normal(image).astype(bf16),
                ),
            ]
    mask_shape = (16, 1, side // 4, side // 4) if not quick else (2, 1, 256, 256)
    n_, c_, h_, w_ = mask_shape
    cases.append(
        (
            "max_pool2d k2 of a bool mask (any)",
            mask_shape,
            lambda x, n: cypool.max_pool2d(x, 2, num_threads=n),
            "NumPy reshape + any",
            lambda x, n: x.reshape(n_, c_, h_ // 2, 2, w_ // 2, 2).any(axis=(3, 5)),
            lambda: rng.random(mask_shape) < 0.1,
        )
    )
    if skimage_block_reduce is not None:
        for label, func, make in (
            (
                "uint8 image, np.max",
                np.max,
                lambda: rng.integers(0, 256, (side, side), dtype=np.uint8),
            ),
            (
                "uint8 image, np.mean",
                np.mean,
                lambda: rng.integers(0, 256, (side, side), dtype=np.uint8),
            ),
            ("bool mask, np.max", np.max, lambda: rng.random((side, side)) < 0.1),
            (
                "float32 RGB, np.mean",
                np.mean,
                lambda: rng.random((side // 2, side // 2, 3), dtype=np.float32),
            ),
        ):
            block = (4, 4, 1) if "RGB" in label else 4
            cases.append(
                (
                    "block_reduce %s, block 4" % label,
                    None,
                    lambda x, n, func=func, block=block: _with_threads(
                        n, lambda: cypool.block_reduce(x, block, func)
                    ),
                    "scikit-image",
                    lambda x, n, func=func, block=block: skimage_block_reduce(x, block, func),
                    make,
                )
            )
    return cases


def _with_threads(n, call):
    with cypool.num_threads(n):
        return call()


def rows(threads_list, repeat, quick):
    results = []
    for name, shape, ours, peer_name, peer, make in _cases(quick):
        x = make()
        for threads in threads_list:
            results.append(
                dict(
                    case=name,
                    shape="x".join(map(str, x.shape)),
                    threads=threads,
                    peer=peer_name,
                    cypool=_median_ms(lambda: ours(x, threads), repeat),
                    peer_ms=_median_ms(lambda: peer(x, threads), repeat),
                )
            )
    return results


def table(results, machine=""):
    lines = [
        "# The second round of the family against its peers",
        "",
        machine,
        "",
        "Median ms; speed-up = peer / cypool (above 1: cypool is faster).",
        "",
        "| case | shape | threads | peer | peer ms | cypool ms | speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            "| %s | %s | %d | %s | %.3f | %.3f | %.2fx |"
            % (
                r["case"],
                r["shape"],
                r["threads"],
                r["peer"],
                r["peer_ms"],
                r["cypool"],
                r["peer_ms"] / r["cypool"],
            )
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="family_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, a few seconds")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--output", help="also write the markdown table here")
    args = parser.parse_args(argv)
    from cypool.benchmark.suite import machine_description

    text = table(
        rows(args.threads, args.repeat or (3 if args.quick else 9), args.quick),
        machine_description(),
    )
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
