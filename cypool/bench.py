"""cypool's benchmark suite: every standard workload against every CPU peer, one run.

    pip install ".[bench]"                        # torch, onnxruntime, onnx, matplotlib, tqdm
    python -m cypool bench --full --plot out.png  # full suite (several minutes)
    python -m cypool                              # show_config + a quick subset
    python benchmarks/suite.py --only W1 W5 --threads 1   # any subset; writes benchmarks/results/

Not imported by ``import cypool``: it lives in the package only so that the
command line finds it.

For each workload, operation, layout, dtype and thread count it times cypool and
every installed peer in this process on the same arrays (median of repeated
calls), and reports each time, cypool's ratio to the best peer, cypool's achieved
GB/s and its ratio to a memory-bandwidth floor measured in the same run (input
bytes at this machine's one-core read bandwidth plus output bytes at its write
bandwidth).  Peers: torch in both memory formats, onnxruntime (a one-node ONNX
model, ORT_ENABLE_BASIC), the NumPy baselines of ``cypool.reference.vectorized``
and the plain-loop ``cypool.reference.loops``, the latter timed on a small shape
and extrapolated per output element (labelled as such).  It writes a markdown
table and, with matplotlib, a bar chart.
"""
import argparse
import dataclasses
import math
import os
import statistics
import sys
import time

import numpy as np

import cypool
from cypool.reference import loops, vectorized

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
try:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper
except ImportError:
    ort = None


@dataclasses.dataclass
class Workload:
    name: str
    family: str          # max, avg, global_avg, adaptive_avg
    ndim: int
    shape: tuple         # channels-first
    window: dict
    quick_shape: tuple

    def ops(self):
        if self.family == "max":
            return ("forward", "forward+indices", "backward")
        return ("forward", "backward")


K2 = dict(kernel_size=2, stride=2)
WORKLOADS = [
    Workload("W1", "max", 2, (32, 64, 112, 112), K2, (4, 64, 112, 112)),
    Workload("W2", "max", 2, (32, 64, 112, 112), dict(kernel_size=3, stride=2, padding=1),
             (4, 64, 112, 112)),
    Workload("W3", "avg", 2, (32, 64, 112, 112), K2, (4, 64, 112, 112)),
    Workload("W4", "avg", 2, (8, 256, 56, 56), dict(kernel_size=3, stride=1, padding=1),
             (2, 256, 56, 56)),
    Workload("W5", "max", 2, (1, 3, 2048, 2048), K2, (1, 3, 512, 512)),
    Workload("W6", "max", 1, (64, 128, 4096), dict(kernel_size=4, stride=4), (8, 128, 4096)),
    Workload("W7", "max", 3, (4, 32, 32, 64, 64), K2, (1, 32, 32, 64, 64)),
    Workload("global", "global_avg", 2, (32, 512, 7, 7), {}, (8, 512, 7, 7)),
    Workload("adaptive", "adaptive_avg", 2, (32, 512, 14, 14), dict(output_size=7),
             (8, 512, 14, 14)),
    Workload("tiny", "max", 2, (1, 1, 8, 8), K2, (1, 1, 8, 8)),
]


# --- timing ---------------------------------------------------------------------------------

def measure(function, repeat, min_time=0.2):
    """(median, minimum) seconds per call; tiny calls are batched to ~1 ms."""
    function()
    start = time.perf_counter()
    function()
    once = time.perf_counter() - start
    batch = max(1, int(1e-3 / max(once, 1e-9)))
    samples = []
    spent = 0.0
    while len(samples) < repeat or (spent < min_time and len(samples) < 5 * repeat):
        start = time.perf_counter()
        for _ in range(batch):
            function()
        elapsed = time.perf_counter() - start
        samples.append(elapsed / batch)
        spent += elapsed
    return statistics.median(samples), min(samples)


def bandwidth():
    """(read, write) bytes/s of one core: np.max and fill over 512 MiB."""
    big = np.ones(2**27, np.float32)
    read = big.nbytes / measure(lambda: np.max(big), 5)[0]
    write = big.nbytes / measure(lambda: big.fill(0.0), 5)[0]
    return read, write


# --- peers ----------------------------------------------------------------------------------

def to_last(a, ndim):
    return np.ascontiguousarray(np.moveaxis(a, 1, -1))


def cypool_calls(w, op, x, layout, threads, use_out):
    nd, fam = w.ndim, w.family
    lay = "channels_last" if layout == "CL" else "channels_first"
    kw = dict(w.window, layout=lay, num_threads=threads)
    if fam == "max":
        fwd = getattr(cypool, "max_pool%dd" % nd)
        y, idx = fwd(x, return_indices=True, **kw)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: fwd(x, out=out, **kw)
        if op == "forward+indices":
            out = (np.empty_like(y), np.empty_like(idx)) if use_out else None
            return lambda: fwd(x, return_indices=True, out=out, **kw)
        back = getattr(cypool, "max_pool%dd_backward" % nd)
        out = np.empty_like(x) if use_out else None
        return lambda: back(y, idx, x.shape, layout=lay, out=out, num_threads=threads)
    if fam == "avg":
        fwd = getattr(cypool, "avg_pool%dd" % nd)
        y = fwd(x, **kw)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: fwd(x, out=out, **kw)
        back = getattr(cypool, "avg_pool%dd_backward" % nd)
        out = np.empty_like(x) if use_out else None
        return lambda: back(y, x.shape, out=out, **kw)
    if fam == "global_avg":
        y = cypool.global_avg_pool(x, layout=lay)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: cypool.global_avg_pool(x, layout=lay, out=out, num_threads=threads)
        g = cypool.global_avg_pool(x, layout=lay, keepdims=True)
        out = np.empty_like(x) if use_out else None
        return lambda: cypool.adaptive_avg_pool2d_backward(g, x.shape, layout=lay, out=out,
                                                           num_threads=threads)
    y = cypool.adaptive_avg_pool2d(x, layout=lay, **w.window)
    if op == "forward":
        out = np.empty_like(y) if use_out else None
        return lambda: cypool.adaptive_avg_pool2d(x, layout=lay, out=out, num_threads=threads,
                                                  **w.window)
    out = np.empty_like(x) if use_out else None
    return lambda: cypool.adaptive_avg_pool2d_backward(y, x.shape, layout=lay, out=out,
                                                       num_threads=threads)


def torch_call(w, op, x_cf, layout):
    if torch is None:
        return None
    nd, fam = w.ndim, w.family
    xt = torch.from_numpy(x_cf)
    if layout == "CL":
        if nd == 1:
            return None
        xt = xt.contiguous(memory_format=torch.channels_last if nd == 2
                           else torch.channels_last_3d)
    win = dict(w.window)
    if fam == "max":
        fn = getattr(F, "max_pool%dd" % nd)
        args = (win["kernel_size"], win["stride"], win.get("padding", 0))
        if op == "forward":
            return lambda: fn(xt, *args)
        if op == "forward+indices":
            return lambda: fn(xt, *args, return_indices=True)
        xg = xt.detach().clone().requires_grad_(True)
        y = fn(xg, *args)
        g = torch.ones_like(y)
        return lambda: torch.autograd.grad(y, xg, g, retain_graph=True)
    if fam == "avg":
        fn = getattr(F, "avg_pool%dd" % nd)
        args = (win["kernel_size"], win["stride"], win.get("padding", 0))
    elif fam == "global_avg":
        fn, args = F.adaptive_avg_pool2d, (1,)
    else:
        fn, args = F.adaptive_avg_pool2d, (win["output_size"],)
    if op == "forward":
        return lambda: fn(xt, *args)
    xg = xt.detach().clone().requires_grad_(True)
    y = fn(xg, *args)
    g = torch.ones_like(y)
    return lambda: torch.autograd.grad(y, xg, g, retain_graph=True)


def ort_call(w, op, x_cf, threads):
    """A one-node ONNX model (channels-first forward only)."""
    if ort is None or op == "backward":
        return None
    nd = w.ndim
    attrs = {}
    outputs = ["y"]
    if w.family in ("max", "avg"):
        k = w.window["kernel_size"]
        s = w.window["stride"]
        p = w.window.get("padding", 0)
        attrs = dict(kernel_shape=[k] * nd, strides=[s] * nd, pads=[p] * (2 * nd))
        node_type = "MaxPool" if w.family == "max" else "AveragePool"
        if w.family == "avg":
            attrs["count_include_pad"] = 1
        if op == "forward+indices":
            outputs.append("indices")
    elif w.family == "global_avg":
        node_type = "GlobalAveragePool"
    else:  # adaptive 14 -> 7 is exactly a 2x2 average: the closest ORT operator
        node_type = "AveragePool"
        ratio = x_cf.shape[-1] // w.window["output_size"]
        attrs = dict(kernel_shape=[ratio] * nd, strides=[ratio] * nd)
    node = helper.make_node(node_type, ["x"], outputs, **attrs)
    y_info = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    if len(outputs) == 2:
        y_info.append(helper.make_tensor_value_info("indices", TensorProto.INT64, None))
    graph = helper.make_graph([node], "pool",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                             list(x_cf.shape))], y_info)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    feed = {"x": x_cf}
    return lambda: session.run(None, feed)


def numpy_call(w, op, x, layout):
    if w.family not in ("max", "avg"):
        if w.family == "global_avg" and op == "forward":
            axes = tuple(range(2, x.ndim)) if layout == "CF" else tuple(range(1, x.ndim - 1))
            return lambda: x.mean(axis=axes)
        return None
    lay = "channels_last" if layout == "CL" else "channels_first"
    nd = w.ndim
    if w.family == "max":
        fwd = getattr(vectorized, "max_pool%dd" % nd)
        y, idx = fwd(x, return_indices=True, layout=lay, **w.window)
        if op == "forward":
            return lambda: fwd(x, layout=lay, **w.window)
        if op == "forward+indices":
            return lambda: fwd(x, return_indices=True, layout=lay, **w.window)
        back = getattr(vectorized, "max_pool%dd_backward" % nd)
        return lambda: back(y, idx, x.shape, layout=lay)
    fwd = getattr(vectorized, "avg_pool%dd" % nd)
    if op == "forward":
        return lambda: fwd(x, layout=lay, **w.window)
    y = fwd(x, layout=lay, **w.window)
    back = getattr(vectorized, "avg_pool%dd_backward" % nd)
    return lambda: back(y, x.shape, layout=lay, **w.window)


def python_loops_seconds(w, op, out_elements):
    """The plain-loop reference on a small shape, extrapolated per output element."""
    if w.family not in ("max", "avg"):
        return None
    nd = w.ndim
    small = (1, 2) + (16,) * nd if nd < 3 else (1, 1, 8, 8, 8)
    x = np.random.default_rng(0).standard_normal(small).astype(np.float32)
    if w.family == "max":
        fwd = getattr(loops, "max_pool%dd" % nd)
        y, idx = fwd(x, return_indices=True, **w.window)
        call = {"forward": lambda: fwd(x, **w.window),
                "forward+indices": lambda: fwd(x, return_indices=True, **w.window),
                "backward": lambda: getattr(loops, "max_pool%dd_backward" % nd)(y, idx,
                                                                                x.shape)}[op]
    else:
        fwd = getattr(loops, "avg_pool%dd" % nd)
        y = fwd(x, **w.window)
        call = {"forward": lambda: fwd(x, **w.window),
                "backward": lambda: getattr(loops, "avg_pool%dd_backward" % nd)(
                    y, x.shape, **w.window)}[op]
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) / y.size * out_elements


# --- the run --------------------------------------------------------------------------------

def bytes_moved(w, op, x, y_size, itemsize):
    """Bytes a kernel must read and write at least: (read, written)."""
    n_in = x.size * itemsize
    n_out = y_size * itemsize
    if op == "forward":
        return n_in, n_out
    if op == "forward+indices":
        return n_in, n_out + y_size * 8
    if w.family == "max":        # grad_output and indices in, grad_input out
        return n_out + y_size * 8, n_in
    return n_out, n_in


def cases(workloads, threads_list, quick):
    for w in workloads:
        shape = w.quick_shape if quick else w.shape
        dtypes = [np.float32] + ([np.float64] if w.name == "W1" else [])
        for dtype in dtypes:
            for threads in threads_list:
                for op in w.ops():
                    for layout in ("CF", "CL"):
                        yield w, shape, dtype, threads, op, layout


def run(args):
    workloads = [w for w in WORKLOADS if not args.only or w.name in args.only]
    todo = list(cases(workloads, args.threads, args.quick))
    read_bw, write_bw = bandwidth()
    progress = _progress(len(todo))
    rows = []
    inputs = {}
    for w, shape, dtype, threads, op, layout in todo:
        key = (shape, dtype)
        if key not in inputs:
            inputs = {key: np.random.default_rng(0).standard_normal(shape).astype(dtype)}
        x_cf = inputs[key]
        x = to_last(x_cf, w.ndim) if layout == "CL" else x_cf
        if torch is not None:
            torch.set_num_threads(threads)
        peers = {}
        repeat = args.repeat
        peers["cypool"] = measure(cypool_calls(w, op, x, layout, threads, False), repeat)
        peers["cypool out="] = measure(cypool_calls(w, op, x, layout, threads, True), repeat)
        call = torch_call(w, op, x_cf, layout)
        if call is not None:
            peers["torch " + ("channels_last" if layout == "CL" else "NCHW")] = measure(call,
                                                                                       repeat)
        if layout == "CF" and dtype == np.float32:
            call = ort_call(w, op, x_cf, threads)
            if call is not None:
                peers["onnxruntime"] = measure(call, repeat)
        if threads == 1 and not args.no_numpy:
            call = numpy_call(w, op, x, layout)
            if call is not None:
                peers["numpy"] = measure(call, max(3, repeat // 3), min_time=0)
        y_size = _output_size(w, x_cf)
        if threads == 1 and layout == "CF" and dtype == np.float32:
            seconds = python_loops_seconds(w, op, y_size)
            if seconds is not None:
                peers["python loops (extrapolated)"] = (seconds, seconds)
        read, written = bytes_moved(w, op, x_cf, y_size, np.dtype(dtype).itemsize)
        floor = read / read_bw + written / write_bw
        rows.append(dict(workload=w.name, op=op, layout=layout, dtype=np.dtype(dtype).name,
                         threads=threads, shape=shape, peers=peers, floor=floor,
                         bytes=read + written))
        progress(w.name, op, layout, threads)
    progress(None)
    return rows, read_bw, write_bw


def _output_size(w, x_cf):
    if w.family == "global_avg":
        return x_cf.shape[0] * x_cf.shape[1]
    if w.family == "adaptive_avg":
        return x_cf.shape[0] * x_cf.shape[1] * w.window["output_size"] ** w.ndim
    return getattr(cypool, "%s_pool%dd" % (w.family, w.ndim))(x_cf, **w.window).size


def _progress(total):
    try:
        from tqdm import tqdm
        bar = tqdm(total=total, unit="case", file=sys.stderr)

        def step(*label):
            if label[0] is None:
                bar.close()
            else:
                bar.set_postfix_str(" ".join(map(str, label)))
                bar.update()
        return step
    except ImportError:
        done = [0]

        def step(*label):
            if label[0] is None:
                print(file=sys.stderr)
                return
            done[0] += 1
            print("\r[%d/%d] %s" % (done[0], total, " ".join(map(str, label))), end="",
                  file=sys.stderr, flush=True)
        return step


COMPARED = ("torch NCHW", "torch channels_last", "onnxruntime", "numpy")


def table(rows, read_bw, write_bw, machine):
    peer_names = []
    for r in rows:
        for p in r["peers"]:
            if p not in peer_names:
                peer_names.append(p)
    lines = [
        "# cypool benchmark",
        "",
        machine,
        "Bandwidth measured in this run: read %.1f GB/s, write %.1f GB/s (one core). "
        "Times are medians in ms (2-thread rows also show the minimum). `best peer` is the "
        "fastest of %s; `ratio` = cypool out= / best peer; `x floor` = cypool out= / "
        "bandwidth floor." % (read_bw / 1e9, write_bw / 1e9, ", ".join(COMPARED)),
        "",
        "| workload | op | layout | dtype | threads | " + " | ".join(peer_names)
        + " | best peer | ratio | GB/s | x floor |",
        "|" + "---|" * (5 + len(peer_names) + 4),
    ]
    for r in rows:
        cells = []
        for p in peer_names:
            if p not in r["peers"]:
                cells.append("-")
                continue
            median, minimum = r["peers"][p]
            cells.append("%.3f" % (1e3 * median) + (" (min %.3f)" % (1e3 * minimum)
                                                    if r["threads"] > 1 else ""))
        ours = r["peers"]["cypool out="][0]
        others = {p: v[0] for p, v in r["peers"].items() if p in COMPARED}
        best = min(others, key=others.get) if others else None
        ratio = "%.2f" % (ours / others[best]) if best else "-"
        lines.append("| %s | %s | %s | %s | %d | %s | %s | %s | %.1f | %.2f |" % (
            r["workload"], r["op"], r["layout"], r["dtype"], r["threads"], " | ".join(cells),
            best or "-", ratio, r["bytes"] / ours / 1e9, ours / r["floor"]))
    return "\n".join(lines)


def chart(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no chart", file=sys.stderr)
        return None
    picked = [r for r in rows if r["threads"] == 1 and r["dtype"] == "float32"
              and r["layout"] == "CF" and r["workload"] != "tiny"]
    labels = ["%s %s" % (r["workload"], r["op"]) for r in picked]
    peers = ["cypool out=", "torch NCHW", "onnxruntime", "numpy"]
    fig, ax = plt.subplots(figsize=(max(8, 0.6 * len(picked)), 5))
    width = 0.8 / len(peers)
    for i, peer in enumerate(peers):
        values = [1e3 * r["peers"][peer][0] if peer in r["peers"] else np.nan for r in picked]
        ax.bar(np.arange(len(picked)) + i * width, values, width, label=peer)
    ax.set_yscale("log")
    ax.set_ylabel("median ms (log scale), 1 thread, float32, channels-first")
    ax.set_xticks(np.arange(len(picked)) + 0.4)
    ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def machine_description():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    peers = "torch %s, onnxruntime %s, numpy %s" % (
        torch.__version__ if torch else "-", ort.__version__ if ort else "-", np.__version__)
    return ("Machine: %s, %d cores; cypool %s (%s kernels, OpenMP %s); %s."
            % (cpu, os.cpu_count(), cypool.__version__, _kernel_set(), _openmp(), peers))


def _kernel_set():
    from cypool._dispatch import KERNEL_SET
    return KERNEL_SET


def _openmp():
    from cypool._runtime import openmp_enabled
    return "on" if openmp_enabled() else "off"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes")
    parser.add_argument("--only", nargs="+", help="workload names (W1 ... W7 global adaptive tiny)")
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-numpy", action="store_true", help="skip the (slow) NumPy peers")
    parser.add_argument("--output", default=None, help="write the markdown table here")
    parser.add_argument("--plot", default=None, help="write a PNG bar chart here")
    args = parser.parse_args(argv)
    rows, read_bw, write_bw = run(args)
    text = table(rows, read_bw, write_bw, machine_description())
    print(text)
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as f:
            f.write(text + "\n")
        print("wrote " + args.output, file=sys.stderr)
    if args.plot and chart(rows, args.plot):
        print("wrote " + args.plot, file=sys.stderr)
    return rows


if __name__ == "__main__":
    main()
