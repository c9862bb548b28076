"""cypool's benchmark suite: every standard workload against every CPU peer, one run.

    pip install ".[bench]"                        # torch, onnxruntime, JAX, TensorFlow, ...
    python -m cypool bench --full --plot out.png  # full suite (tens of minutes)
    python -m cypool bench                        # every workload, small shapes
    python benchmarks/suite.py --only W1 W5 --threads 1   # any subset; writes benchmarks/results/

For each workload, operation, layout, dtype and thread count it times cypool and
every installed peer on the same arrays (median of repeated calls), and reports
each time, cypool's ratio to the best peer, cypool's achieved GB/s, its ratio to
a memory-bandwidth floor measured in the same run (input bytes at this machine's
one-core read bandwidth plus output bytes at its write bandwidth), and whether
the row meets the performance targets (``met``, the rule in ``meets``), with a
summary line "N of M rows met".  Peers: torch in both memory formats,
onnxruntime (a one-node ONNX model, ORT_ENABLE_BASIC) and the NumPy baselines of
``cypool.reference.vectorized`` in this process; JAX (XLA CPU,
``lax.reduce_window``) and TensorFlow (``tf.nn``, channels-last) each in a
process of their own with one intra-op thread (``cypool.benchmark.peers``; their
interpreters may be set with ``CYPOOL_BENCH_JAX_PYTHON`` / ``CYPOOL_BENCH_TF_PYTHON``),
for the 1-thread rows.  The plain-loop ``cypool.reference.loops`` is timed on a
small shape and extrapolated per output element (labelled as such, never a peer).
It writes a markdown table and, with matplotlib, a chart of each row's ratio to
its best peer.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

import cypool
from cypool.benchmark.peers import make_input, measure
from cypool.reference import loops, vectorized

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
try:
    import onnx  # noqa: F401  (onnxruntime's models are built with it)
    import onnxruntime as ort
    from onnx import TensorProto, helper
except ImportError:
    ort = None


@dataclasses.dataclass
class Workload:
    name: str
    family: str  # max, avg, lp, global_avg, adaptive_avg
    ndim: int
    shape: tuple  # channels-first
    window: dict
    quick_shape: tuple
    # Forward-only rows of other dtypes (float16 halves the bytes; integer images).
    forward_dtypes: tuple = ()
    float32: bool = True  # the float32 rows of every operation

    def ops(self):
        if self.family == "max":
            return ("forward", "forward+indices", "backward")
        return ("forward", "backward")


K2 = dict(kernel_size=2, stride=2)
LP_NORM = 2
WORKLOADS = [
    Workload(
        "W1",
        "max",
        2,
        (32, 64, 112, 112),
        K2,
        (4, 64, 112, 112),
        forward_dtypes=("float64", "float16"),
    ),
    Workload(
        "W2",
        "max",
        2,
        (32, 64, 112, 112),
        dict(kernel_size=3, stride=2, padding=1),
        (4, 64, 112, 112),
    ),
    Workload(
        "W3", "avg", 2, (32, 64, 112, 112), K2, (4, 64, 112, 112), forward_dtypes=("float16",)
    ),
    Workload(
        "W4", "avg", 2, (8, 256, 56, 56), dict(kernel_size=3, stride=1, padding=1), (2, 256, 56, 56)
    ),
    Workload("W5", "max", 2, (1, 3, 2048, 2048), K2, (1, 3, 512, 512)),
    Workload("W6", "max", 1, (64, 128, 4096), dict(kernel_size=4, stride=4), (8, 128, 4096)),
    Workload("W7", "max", 3, (4, 32, 32, 64, 64), K2, (1, 32, 32, 64, 64)),
    Workload(
        "W8",
        "avg",
        2,
        (1, 3, 2048, 2048),
        K2,
        (1, 3, 512, 512),
        forward_dtypes=("float32", "uint8", "int16"),
        float32=False,
    ),
    Workload("Lp", "lp", 2, (32, 64, 112, 112), K2, (4, 64, 112, 112)),
    Workload("global", "global_avg", 2, (32, 512, 7, 7), {}, (8, 512, 7, 7)),
    Workload(
        "adaptive", "adaptive_avg", 2, (32, 512, 14, 14), dict(output_size=7), (8, 512, 14, 14)
    ),
    Workload("tiny", "max", 2, (1, 1, 8, 8), K2, (1, 1, 8, 8)),
]


def describe(name, shape=None):
    """A workload in words, for readers who do not know its name: the operation, its
    window and the channels-first input shape ("max pool 3x3 stride 2 pad 1 on
    32x64x112x112"); ``shape`` when it ran on another shape than its full one."""
    w = next(w for w in WORKLOADS if w.name == name)
    shape = "x".join(map(str, shape or w.shape))
    if w.family == "global_avg":
        return "global avg pool on " + shape
    if w.family == "adaptive_avg":
        side = w.shape[-1]
        size = w.window["output_size"]
        return "adaptive avg pool %dx%d to %dx%d on %s" % (side, side, size, size, shape)
    kind = {"max": "max pool", "avg": "avg pool", "lp": "Lp pool p=%g" % LP_NORM}[w.family]
    window = "x".join([str(w.window["kernel_size"])] * w.ndim)
    words = "%s %s stride %d" % (kind, window, w.window["stride"])
    if w.window.get("padding"):
        words += " pad %d" % w.window["padding"]
    return "%s on %s" % (words, shape)


# Workloads whose channels-last rows must be at least as fast as channels-first.
LAYOUT_PAIRED = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
# Workloads whose 2-thread rows must run >= 1.6x the 1-thread speed.
SCALING = ("W1", "W2", "W5")


# --- timing ---------------------------------------------------------------------------------


def bandwidth():
    """(read, write) bytes/s of one core over 512 MiB: the fastest of several NumPy
    reductions (``np.max`` alone understates it) and of ``fill``."""
    big = np.ones(2**27, np.float32)
    readers = [
        lambda: np.max(big),
        lambda: np.add.reduce(big),
        lambda: np.count_nonzero(big.view(np.uint8)),
        lambda: np.bitwise_or.reduce(big.view(np.uint64)),
    ]
    read = max(big.nbytes / measure(reader, 5)[0] for reader in readers)
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
    if fam == "lp":
        fwd = getattr(cypool, "lp_pool%dd" % nd)
        y = fwd(x, LP_NORM, **kw)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: fwd(x, LP_NORM, out=out, **kw)
        back = getattr(cypool, "lp_pool%dd_backward" % nd)
        out = np.empty_like(x) if use_out else None
        return lambda: back(y, x, LP_NORM, out=out, **kw)
    if fam == "global_avg":
        y = cypool.global_avg_pool(x, layout=lay)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: cypool.global_avg_pool(x, layout=lay, out=out, num_threads=threads)
        g = cypool.global_avg_pool(x, layout=lay, keepdims=True)
        out = np.empty_like(x) if use_out else None
        return lambda: cypool.adaptive_avg_pool2d_backward(
            g, x.shape, layout=lay, out=out, num_threads=threads
        )
    y = cypool.adaptive_avg_pool2d(x, layout=lay, **w.window)
    if op == "forward":
        out = np.empty_like(y) if use_out else None
        return lambda: cypool.adaptive_avg_pool2d(
            x, layout=lay, out=out, num_threads=threads, **w.window
        )
    out = np.empty_like(x) if use_out else None
    return lambda: cypool.adaptive_avg_pool2d_backward(
        y, x.shape, layout=lay, out=out, num_threads=threads
    )


def torch_call(w, op, x_cf, layout):
    if torch is None or (x_cf.dtype.kind != "f" and w.family != "max"):
        return None  # torch pools integers only by max
    nd, fam = w.ndim, w.family
    xt = torch.from_numpy(x_cf)
    if layout == "CL":
        if nd == 1:
            return None
        xt = xt.contiguous(memory_format=torch.channels_last if nd == 2 else torch.channels_last_3d)
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
    elif fam == "lp":
        fn = getattr(F, "lp_pool%dd" % nd)
        args = (LP_NORM, win["kernel_size"], win["stride"])
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
    if w.family in ("max", "avg", "lp"):
        k = w.window["kernel_size"]
        s = w.window["stride"]
        p = w.window.get("padding", 0)
        attrs = dict(kernel_shape=[k] * nd, strides=[s] * nd, pads=[p] * (2 * nd))
        node_type = {"max": "MaxPool", "avg": "AveragePool", "lp": "LpPool"}[w.family]
        if w.family == "lp":
            attrs["p"] = LP_NORM
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
    graph = helper.make_graph(
        [node],
        "pool",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_cf.shape))],
        y_info,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
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
        call = {
            "forward": lambda: fwd(x, **w.window),
            "forward+indices": lambda: fwd(x, return_indices=True, **w.window),
            "backward": lambda: getattr(loops, "max_pool%dd_backward" % nd)(y, idx, x.shape),
        }[op]
    else:
        fwd = getattr(loops, "avg_pool%dd" % nd)
        y = fwd(x, **w.window)
        call = {
            "forward": lambda: fwd(x, **w.window),
            "backward": lambda: getattr(loops, "avg_pool%dd_backward" % nd)(y, x.shape, **w.window),
        }[op]
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) / y.size * out_elements


# --- the run --------------------------------------------------------------------------------


def bytes_moved(w, op, x, y_size, y_itemsize):
    """Bytes a kernel must read and write at least: (read, written)."""
    n_in = x.size * x.itemsize
    n_out = y_size * y_itemsize
    if op == "forward":
        return n_in, n_out
    if op == "forward+indices":
        return n_in, n_out + y_size * 8
    if w.family == "max":  # grad_output and indices in, grad_input out
        return n_out + y_size * 8, n_in
    if w.family == "lp":  # grad_output and x in, grad_input out
        return n_out + n_in, n_in
    return n_out, n_in


def cases(workloads, threads_list, quick):
    for w in workloads:
        shape = w.quick_shape if quick else w.shape
        rows = [(op, "float32") for op in w.ops()] if w.float32 else []
        rows += [("forward", dtype) for dtype in w.forward_dtypes]
        for op, dtype in rows:
            for threads in threads_list:
                for layout in ("CF", "CL"):
                    yield w, shape, np.dtype(dtype), threads, op, layout


def _key(w, op, layout, dtype, threads):
    return "|".join((w.name, op, layout, np.dtype(dtype).name, str(threads)))


def isolated_peers(todo, repeat):
    """JAX's and TensorFlow's times for the 1-thread cases, each framework timed by
    cypool.benchmark.peers in an interpreter of its own: {peer: {key: (median, min)}}."""
    specs = [
        dict(
            key=_key(w, op, layout, dtype, threads),
            family=w.family,
            shape=list(shape),
            window=w.window,
            op=op,
            layout=layout,
            dtype=dtype.name,
            repeat=repeat,
        )
        for w, shape, dtype, threads, op, layout in todo
        if threads == 1
    ]
    found = {}
    if not specs:
        return found
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")
    with tempfile.TemporaryDirectory() as folder:
        cases_path = os.path.join(folder, "cases.json")
        with open(cases_path, "w") as f:
            json.dump(specs, f)
        for framework, variable in (
            ("jax", "CYPOOL_BENCH_JAX_PYTHON"),
            ("tensorflow", "CYPOOL_BENCH_TF_PYTHON"),
        ):
            result_path = os.path.join(folder, framework + ".json")
            python = os.environ.get(variable) or sys.executable
            env = dict(os.environ, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
            done = subprocess.run(
                [python, script, framework, cases_path, result_path],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print("%s not timed: %s" % (framework, last), file=sys.stderr)
                continue
            with open(result_path) as f:
                result = json.load(f)
            name = "%s %s" % ("JAX" if framework == "jax" else "TF", result["version"])
            found[name] = {k: tuple(v) for k, v in result["times"].items() if v is not None}
    return found


ISOLATED_VERSIONS = []  # "JAX 0.10.2", ...: named in the machine line


def run(args):
    workloads = [w for w in WORKLOADS if not args.only or w.name in args.only]
    todo = list(cases(workloads, args.threads, args.quick))
    read_bw, write_bw = bandwidth()
    isolated = {} if args.no_isolated else isolated_peers(todo, args.repeat)
    ISOLATED_VERSIONS[:] = list(isolated)
    progress = _progress(len(todo))
    rows = []
    inputs = {}
    for w, shape, dtype, threads, op, layout in todo:
        key = (shape, dtype, layout)
        if key not in inputs:
            inputs = {key: make_input(shape, dtype, layout)}
        x = inputs[key]
        x_cf = np.ascontiguousarray(np.moveaxis(x, -1, 1)) if layout == "CL" else x
        if torch is not None:
            torch.set_num_threads(threads)
        peers = {}
        repeat = args.repeat
        peers["cypool"] = measure(cypool_calls(w, op, x, layout, threads, False), repeat)
        peers["cypool out="] = measure(cypool_calls(w, op, x, layout, threads, True), repeat)
        call = torch_call(w, op, x_cf, layout)
        if call is not None:
            peers["torch " + ("channels_last" if layout == "CL" else "NCHW")] = measure(
                call, repeat
            )
        if layout == "CF" and dtype == np.float32:
            call = ort_call(w, op, x_cf, threads)
            if call is not None:
                peers["onnxruntime"] = measure(call, repeat)
        for name, times in isolated.items():
            if _key(w, op, layout, dtype, threads) in times:
                peers[name] = times[_key(w, op, layout, dtype, threads)]
        if threads == 1 and not args.no_numpy:
            call = numpy_call(w, op, x, layout)
            if call is not None:
                peers["numpy"] = measure(call, max(3, repeat // 3), min_time=0)
        y_size, y_itemsize = _output_size(w, x_cf)
        if threads == 1 and layout == "CF" and dtype == np.float32:
            seconds = python_loops_seconds(w, op, y_size)
            if seconds is not None:
                peers["python loops (extrapolated)"] = (seconds, seconds)
        read, written = bytes_moved(w, op, x_cf, y_size, y_itemsize)
        floor = read / read_bw + written / write_bw
        rows.append(
            dict(
                workload=w.name,
                op=op,
                layout=layout,
                dtype=dtype.name,
                threads=threads,
                shape=shape,
                peers=peers,
                floor=floor,
                bytes=read + written,
            )
        )
        progress(w.name, op, layout, dtype.name, threads)
    progress(None)
    return rows, read_bw, write_bw


def _output_size(w, x_cf):
    """(elements, itemsize) of a forward output."""
    if w.family == "global_avg":
        return x_cf.shape[0] * x_cf.shape[1], x_cf.itemsize
    if w.family == "adaptive_avg":
        return x_cf.shape[0] * x_cf.shape[1] * w.window["output_size"] ** w.ndim, x_cf.itemsize
    if w.family == "lp":
        y = getattr(cypool, "lp_pool%dd" % w.ndim)(x_cf, LP_NORM, **w.window)
    else:
        y = getattr(cypool, "%s_pool%dd" % (w.family, w.ndim))(x_cf, **w.window)
    return y.size, y.itemsize


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
            print(
                "\r[%d/%d] %s" % (done[0], total, " ".join(map(str, label))),
                end="",
                file=sys.stderr,
                flush=True,
            )

        return step


def _is_peer(name):
    """Peers that count for the ratio and the targets (not cypool, not the loops)."""
    return not name.startswith("cypool") and not name.startswith("python loops")


def best_peer(row):
    """(name, median seconds) of the row's fastest peer, or (None, None)."""
    others = {p: v[0] for p, v in row["peers"].items() if _is_peer(p)}
    if not others:
        return None, None
    best = min(others, key=others.get)
    return best, others[best]


# Targets (Performance II): forward, and forward with indices or backward.
SHARE = {"forward": 0.67, "other": 0.33}
NEAR = {"forward": 1.3, "other": 1.5}
FORWARD_FLOOR_CAP = 2.5


def meets(row, rows):
    """(met, reasons it is not): cypool's out= median <= max(share x best peer,
    near x floor), forward never above 2.5x floor; channels-last no slower than
    channels-first; float16 forward <= 0.6x float32, integer averages <= float32,
    Lp forward <= 1.5x average, Lp backward <= 2x average backward; 2 threads
    >= 1.6x the 1-thread speed on W1, W2, W5 (their minimum times)."""
    ours = row["peers"]["cypool out="][0]
    kind = "forward" if row["op"] == "forward" else "other"
    _, best = best_peer(row)
    allowed = NEAR[kind] * row["floor"]
    if best is not None:
        allowed = max(allowed, SHARE[kind] * best)
    reasons = []
    if ours > allowed:
        reasons.append("%.2fx allowed" % (ours / allowed))
    if kind == "forward" and ours > FORWARD_FLOOR_CAP * row["floor"]:
        reasons.append("> %.1fx floor" % FORWARD_FLOOR_CAP)

    def twin(**changes):
        wanted = dict((k, row[k]) for k in ("workload", "op", "layout", "dtype", "threads"))
        wanted.update(changes)
        for other in rows:
            if all(other[k] == v for k, v in wanted.items()):
                return other["peers"]["cypool out="][0]
        return None

    relations = []
    if row["layout"] == "CL" and row["workload"] in LAYOUT_PAIRED:
        relations.append(("CL > CF", twin(layout="CF"), 1.0))
    if row["dtype"] == "float16" and row["op"] == "forward":
        relations.append(("> 0.6x float32", twin(dtype="float32"), 0.6))
    if row["dtype"] in ("uint8", "int16"):
        relations.append(("> float32", twin(dtype="float32"), 1.0))
    if row["workload"] == "Lp":
        relations.append(
            (
                "> %gx average" % (1.5 if kind == "forward" else 2.0),
                twin(workload="W3"),
                1.5 if kind == "forward" else 2.0,
            )
        )
    for label, reference, factor in relations:
        if reference is not None and ours > factor * reference:
            reasons.append(label)
    if row["threads"] > 1 and row["workload"] in SCALING:
        one = twin(threads=1)
        if one is not None and row["peers"]["cypool out="][1] * 1.6 > one:
            reasons.append("2 threads < 1.6x")
    return not reasons, reasons


def table(rows, read_bw, write_bw, machine):
    peer_names = []
    for r in rows:
        for p in r["peers"]:
            if p not in peer_names:
                peer_names.append(p)
    verdicts = [meets(r, rows) for r in rows]
    met = sum(1 for ok, _ in verdicts if ok)
    lines = [
        "# cypool benchmark",
        "",
        machine,
        "Bandwidth measured in this run: read %.1f GB/s, write %.1f GB/s (one core). "
        "Times are medians in ms (2-thread rows also show the minimum). `best peer` is the "
        "fastest peer (JAX and TensorFlow: 1-thread rows only, each in its own process); "
        "`ratio` = cypool out= / best peer; `x floor` = cypool out= / bandwidth floor; "
        "`met`: the targets (see `cypool.benchmark.suite.meets`)."
        % (read_bw / 1e9, write_bw / 1e9),
        "",
        "**%d of %d rows met.**" % (met, len(rows)),
        "",
        "| workload | op | layout | dtype | threads | "
        + " | ".join(peer_names)
        + " | best peer | ratio | GB/s | x floor | met |",
        "|" + "---|" * (5 + len(peer_names) + 5),
    ]
    for r, (ok, reasons) in zip(rows, verdicts):
        cells = []
        for p in peer_names:
            if p not in r["peers"]:
                cells.append("-")
                continue
            median, minimum = r["peers"][p]
            cells.append(
                "%.3f" % (1e3 * median)
                + (" (min %.3f)" % (1e3 * minimum) if r["threads"] > 1 else "")
            )
        ours = r["peers"]["cypool out="][0]
        best, best_time = best_peer(r)
        ratio = "%.2f" % (ours / best_time) if best else "-"
        lines.append(
            "| %s | %s | %s | %s | %d | %s | %s | %s | %.1f | %.2f | %s |"
            % (
                r["workload"],
                r["op"],
                r["layout"],
                r["dtype"],
                r["threads"],
                " | ".join(cells),
                best or "-",
                ratio,
                r["bytes"] / ours / 1e9,
                ours / r["floor"],
                "yes" if ok else "no: " + ", ".join(reasons),
            )
        )
    lines += ["", "%d of %d rows met" % (met, len(rows))]
    return "\n".join(lines)


def _chart_label(workload, op, layout, dtype, shape=None):
    """A chart row named by its shape: "max pool 2x2 stride 2 on 32x64x112x112, CL
    float32 backward"."""
    known = any(w.name == workload for w in WORKLOADS)
    name = describe(workload, shape) if known else workload
    return "%s, %s %s %s" % (name, layout, dtype, op)


def chart(rows, path):
    """Each 1-thread row's time as a ratio to its best peer (log scale), with the
    1.0 line and the forward / other target shares."""
    picked = [r for r in rows if r["threads"] == 1 and best_peer(r)[0] is not None]
    return draw_ratio_chart(
        [_chart_label(r["workload"], r["op"], r["layout"], r["dtype"], r["shape"]) for r in picked],
        [r["peers"]["cypool out="][0] / best_peer(r)[1] for r in picked],
        [meets(r, rows)[0] for r in picked],
        path,
    )


def read_table(markdown_path):
    """The rows of the first table in a file this module wrote, as dicts from column
    name to cell text."""
    lines = []
    with open(markdown_path) as f:
        for line in f:
            if line.startswith("|"):
                lines.append(line)
            elif lines:
                break
    header = [cell.strip() for cell in lines[0].strip("|\n").split("|")]
    return [
        dict(zip(header, (cell.strip() for cell in line.strip("|\n").split("|"))))
        for line in lines[2:]
    ]


def chart_from_table(markdown_path, path, targets=True):
    """The same chart, drawn from a table this module wrote (the docs draw the
    committed results' chart this way, so it always matches the table).  With
    ``targets=False`` the bars say only faster (green) or slower (red) than the
    fastest peer, with no target lines: the chart for users."""
    labels, ratios, good = [], [], []
    for row in read_table(markdown_path):
        if row["threads"] != "1" or row["ratio"] == "-":
            continue
        labels.append(_chart_label(row["workload"], row["op"], row["layout"], row["dtype"]))
        ratios.append(float(row["ratio"]))
        good.append(row["met"] == "yes" if targets else float(row["ratio"]) <= 1.0)
    return draw_ratio_chart(labels, ratios, good, path, targets)


def draw_ratio_chart(labels, ratios, met, path, targets=True):
    """One horizontal bar per row, top to bottom in table order, on a log axis:
    left of the black line cypool is faster than every peer.  Green bars are rows
    that met their targets (``targets=False``: rows where cypool is the fastest)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        print("matplotlib not installed: no chart", file=sys.stderr)
        return None
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.19 * len(labels)))
    at = np.arange(len(labels))
    ax.barh(at, ratios, color=["tab:green" if m else "tab:red" for m in met], height=0.7)
    for y, ratio in zip(at, ratios):
        ax.text(ratio * 1.04, y, "%.2f" % ratio, va="center", fontsize=6.5)
    ax.set_xscale("log")
    ax.axvline(
        1.0,
        color="black",
        linewidth=1.2,
        label="as fast as the best peer" if targets else "as fast as the fastest other library",
    )
    if targets:
        ax.axvline(
            SHARE["forward"],
            color="tab:blue",
            linestyle="--",
            label="forward target share (%.2fx)" % SHARE["forward"],
        )
        ax.axvline(
            SHARE["other"],
            color="tab:purple",
            linestyle=":",
            label="indices/backward target share (%.2fx)" % SHARE["other"],
        )
    ax.set_yticks(at)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(min(ratios + [SHARE["other"]]) / 1.5, max(ratios + [1.0]) * 1.6)
    ax.set_xlabel(
        "cypool's time / %s, 1 thread (log; green: %s)"
        % (
            ("best peer's time", "row met its targets")
            if targets
            else ("the fastest other library's", "cypool is the fastest")
        )
    )
    ax.grid(axis="x", which="both", alpha=0.25)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1), ncol=3, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")  # long labels: keep them whole
    plt.close(fig)
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
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            have = set(next(line for line in f if line.startswith("flags")).split(":")[1].split())
        flags = " (%s)" % ", ".join(v for v in ("avx2", "avx512f", "avx512bw", "f16c") if v in have)
    except (OSError, StopIteration):
        pass
    cpu += flags
    peers = "torch %s, onnxruntime %s, numpy %s%s" % (
        torch.__version__ if torch else "-",
        ort.__version__ if ort else "-",
        np.__version__,
        "".join(", " + name for name in ISOLATED_VERSIONS),
    )
    return "Machine: %s, %d cores; cypool %s (%s kernels, OpenMP %s); %s." % (
        cpu,
        os.cpu_count(),
        cypool.__version__,
        _kernel_set(),
        _openmp(),
        peers,
    )


def _kernel_set():
    from cypool._variants import KERNEL_SET

    return KERNEL_SET


def _openmp():
    from cypool._runtime import openmp_enabled

    return "on" if openmp_enabled() else "off"


def add_arguments(parser):
    """The suite's options, on ``parser`` (this module's and the ``cypool`` CLI's)."""
    parser.add_argument("--quick", action="store_true", help="small shapes")
    parser.add_argument(
        "--only", nargs="+", metavar="WORKLOAD", help="run only these workloads (see --list)"
    )
    parser.add_argument(
        "--threads",
        nargs="+",
        type=int,
        default=[1, 2],
        help="thread counts to time (default: 1 2)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="runs per median (default: 7)")
    parser.add_argument("--no-numpy", action="store_true", help="skip the (slow) NumPy peers")
    parser.add_argument(
        "--no-isolated",
        action="store_true",
        help="skip JAX and TensorFlow (timed in their own processes)",
    )
    parser.add_argument("--output", default=None, help="write the markdown table here")
    parser.add_argument("--plot", default=None, help="write a PNG bar chart here")
    parser.add_argument(
        "--torch-ops",
        action="store_true",
        help="add the cypool.torch row group: each op against torch in both "
        "memory formats, forward and forward+backward (needs torch)",
    )
    parser.add_argument(
        "--family",
        action="store_true",
        help="add the row group of the second-round functions against their "
        "peers: fractional, min, bool, bfloat16, block_reduce",
    )
    parser.add_argument("--list", action="store_true", help="print the workloads and exit")


def list_workloads():
    """One line per workload: name, operation, input shape, window."""
    for w in WORKLOADS:
        print(
            "%-9s %-16s %-22s %s"
            % (w.name, "%s %d-D" % (w.family, w.ndim), "x".join(map(str, w.shape)), w.window)
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv), parser)


def check_arguments(args, parser):
    """Exit with argparse's status 2 for arguments the parser cannot judge alone."""
    unknown = set(args.only or ()) - {w.name for w in WORKLOADS}
    if unknown:
        parser.error("--only: unknown workload %s (see --list)" % ", ".join(sorted(unknown)))


def execute(args, parser):
    """Run the suite as ``args`` ask; ``--list`` prints the workloads instead."""
    if args.list:
        list_workloads()
        return []
    check_arguments(args, parser)
    rows, read_bw, write_bw = run(args)
    text = table(rows, read_bw, write_bw, machine_description())
    if args.torch_ops:
        from cypool.benchmark import torch_ops

        ops = torch_ops.op_rows(args.threads, args.repeat, args.quick)
        text += "\n\n" + torch_ops.table(ops, [], "")
    if args.family:
        from cypool.benchmark import family

        text += "\n\n" + family.table(family.rows(args.threads, args.repeat, args.quick))
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
