"""``cypool.torch`` against ``torch.nn.functional``, per operator and end to end.

Per operator: torch's op and cypool.torch's on the same tensor, in NCHW and
channels_last, forward (inference, no grad) and forward+backward, at each thread
count (``torch.set_num_threads``; cypool.torch follows it).  End to end: a
ResNet-18-shaped model (BasicBlocks [2, 2, 2, 2], 64-512 channels, batch 16,
3x224x224, NCHW), inference and one training step (forward + backward), original
against ``cypool.torch.convert(model)``, with the share of the time spent in
pooling operators (``torch.profiler``, self CPU time of every pooling op and its
backward).  Medians of ``--repeat`` runs after a warm-up, all in one process.

    python benchmarks/torch_bench.py [--quick] [--threads 1 2] [--output FILE]
"""

import argparse
import re
import statistics
import time

import torch
import torch.nn.functional as F

import cypool.torch as ct

# name, input shape, call(module, x) -- module is torch.nn.functional or cypool.torch
OPS = [
    ("max_pool2d k3 s2 p1", (16, 64, 112, 112), lambda m, x: m.max_pool2d(x, 3, 2, 1)),
    ("max_pool2d k2 s2", (16, 64, 112, 112), lambda m, x: m.max_pool2d(x, 2)),
    ("avg_pool2d k2 s2", (16, 64, 112, 112), lambda m, x: m.avg_pool2d(x, 2)),
    ("avg_pool2d k3 s1 p1", (8, 256, 56, 56), lambda m, x: m.avg_pool2d(x, 3, 1, 1)),
    ("adaptive_avg_pool2d 14->7", (16, 512, 14, 14), lambda m, x: m.adaptive_avg_pool2d(x, 7)),
    ("adaptive_max_pool2d 14->7", (16, 512, 14, 14), lambda m, x: m.adaptive_max_pool2d(x, 7)),
    ("lp_pool2d p2 k2", (16, 64, 112, 112), lambda m, x: m.lp_pool2d(x, 2, 2)),
    ("max_pool3d k2 s2", (4, 32, 32, 64, 64), lambda m, x: m.max_pool3d(x, 2)),
    ("avg_pool3d k2 s2", (4, 32, 32, 64, 64), lambda m, x: m.avg_pool3d(x, 2)),
    ("max_pool1d k3 s2 p1", (32, 256, 2048), lambda m, x: m.max_pool1d(x, 3, 2, 1)),
]
QUICK_SHAPES = {2: (2, 16, 56, 56), 3: (1, 8, 16, 32, 32), 1: (4, 32, 512)}
FORMATS = {"NCHW": torch.contiguous_format, "channels_last": None}
POOLING = re.compile(r"pool|cypool|scatter_to_indices|mean|Mean", re.IGNORECASE)


def _channels_last(x):
    spatial_dims = x.dim() - 2
    if spatial_dims == 2:
        return x.contiguous(memory_format=torch.channels_last)
    if spatial_dims == 3:
        return x.contiguous(memory_format=torch.channels_last_3d)
    return x.transpose(1, 2).contiguous().transpose(1, 2)


def _median_ms(step, repeat):
    step()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def _op_step(module, call, x, backward):
    if not backward:

        def step():
            with torch.no_grad():
                call(module, x)

        return step
    leaf = x.detach().requires_grad_()
    grad = torch.ones_like(call(F, leaf.detach()))

    def step():
        call(module, leaf).backward(grad)
        leaf.grad = None

    return step


def op_rows(threads_list, repeat, quick):
    rows = []
    for name, shape, call in OPS:
        if quick:
            shape = QUICK_SHAPES[len(shape) - 2]
        base = torch.rand(shape)
        for layout in FORMATS:
            x = base if layout == "NCHW" else _channels_last(base)
            for backward in (False, True):
                for threads in threads_list:
                    torch.set_num_threads(threads)
                    times = [
                        _median_ms(_op_step(module, call, x, backward), repeat)
                        for module in (F, ct)
                    ]
                    rows.append(
                        dict(
                            op=name,
                            shape=shape,
                            layout=layout,
                            mode="forward+backward" if backward else "forward",
                            threads=threads,
                            torch=times[0],
                            cypool=times[1],
                        )
                    )
    return rows


def _basic_block(cin, cout, stride):
    body = torch.nn.Sequential(
        torch.nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
        torch.nn.BatchNorm2d(cout),
        torch.nn.ReLU(inplace=True),
        torch.nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
        torch.nn.BatchNorm2d(cout),
    )
    shortcut = (
        torch.nn.Identity()
        if stride == 1 and cin == cout
        else torch.nn.Sequential(
            torch.nn.Conv2d(cin, cout, 1, stride, bias=False), torch.nn.BatchNorm2d(cout)
        )
    )
    return _Residual(body, shortcut)


class _Residual(torch.nn.Module):
    def __init__(self, body, shortcut):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


def resnet18_shaped(num_classes=1000):
    """ResNet-18's layers (torchvision's layout, built here: no download)."""
    layers = [
        torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False),
        torch.nn.BatchNorm2d(64),
        torch.nn.ReLU(inplace=True),
        torch.nn.MaxPool2d(3, 2, 1),
    ]
    cin = 64
    for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [_basic_block(cin, cout, stride), _basic_block(cout, cout, 1)]
        cin = cout
    layers += [
        torch.nn.AdaptiveAvgPool2d((1, 1)),
        torch.nn.Flatten(),
        torch.nn.Linear(512, num_classes),
    ]
    return torch.nn.Sequential(*layers)


def _model_step(model, x, train):
    if not train:

        def step():
            with torch.no_grad():
                model(x)

        return step

    def step():
        model(x).sum().backward()
        model.zero_grad(set_to_none=True)

    return step


def _pooling_share(step):
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profile:
        step()
    events = profile.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    pooling = sum(e.self_cpu_time_total for e in events if POOLING.search(e.key))
    return pooling / total if total else 0.0


def model_rows(threads_list, repeat, quick):
    torch.manual_seed(0)
    model = resnet18_shaped()
    converted = ct.convert(model)
    x = torch.rand((2, 3, 64, 64) if quick else (16, 3, 224, 224))
    rows = []
    for train in (False, True):
        model.train(train)
        converted.train(train)
        for threads in threads_list:
            torch.set_num_threads(threads)
            row = dict(mode="training step" if train else "inference", threads=threads)
            for label, net in (("torch", model), ("cypool", converted)):
                step = _model_step(net, x, train)
                row[label] = _median_ms(step, repeat)
                row[label + "_share"] = _pooling_share(step)
            rows.append(row)
    return rows


def table(op_results, model_results, machine):
    lines = [
        "# cypool.torch vs torch.nn.functional",
        "",
        machine,
        "",
        "Median ms; speed-up = torch / cypool.torch (above 1: cypool.torch is faster).",
        "",
        "| op | shape | memory format | mode | threads | torch ms | cypool.torch ms | speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in op_results:
        lines.append(
            "| %s | %s | %s | %s | %d | %.3f | %.3f | %.2fx |"
            % (
                r["op"],
                "x".join(map(str, r["shape"])),
                r["layout"],
                r["mode"],
                r["threads"],
                r["torch"],
                r["cypool"],
                r["torch"] / r["cypool"],
            )
        )
    if not model_results:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "## ResNet-18-shaped model, NCHW: original vs `cypool.torch.convert(model)`",
        "",
        "| mode | threads | torch ms | converted ms | speed-up | pooling share "
        "before | pooling share after |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in model_results:
        lines.append(
            "| %s | %d | %.1f | %.1f | %.3fx | %.1f%% | %.1f%% |"
            % (
                r["mode"],
                r["threads"],
                r["torch"],
                r["cypool"],
                r["torch"] / r["cypool"],
                100 * r["torch_share"],
                100 * r["cypool_share"],
            )
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="torch_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, a few seconds")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--output", help="also write the markdown table here")
    parser.add_argument("--no-model", action="store_true", help="skip the end-to-end model")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 15)
    previous = torch.get_num_threads()
    try:
        ops = op_rows(args.threads, repeat, args.quick)
        models = [] if args.no_model else model_rows(args.threads, max(3, repeat // 3), args.quick)
    finally:
        torch.set_num_threads(previous)
    from cypool.benchmark.suite import machine_description

    text = table(ops, models, machine_description() + "; torch %s" % torch.__version__)
    print(text)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text)
    return ops, models


if __name__ == "__main__":
    main()
