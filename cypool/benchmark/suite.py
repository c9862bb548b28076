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
onnxruntime (a one-node ONNX model at its basic and its default optimization
level, the faster counting), the NumPy baselines of ``cypool.reference.vectorized``
(or a reshape-mean for block means), OpenCV (dilate/erode, blur, resize
INTER_AREA) and scipy.ndimage (maximum/minimum/uniform_filter) where their
operation is the row's, and scikit-image's ``block_reduce`` for integer block
means, in this process; JAX (XLA CPU,
``lax.reduce_window``) and TensorFlow (``tf.nn``, channels-last) each in a
process of their own with one intra-op thread (``cypool.benchmark.peers``; their
interpreters may be set with ``CYPOOL_BENCH_JAX_PYTHON`` / ``CYPOOL_BENCH_TF_PYTHON``),
for the 1-thread rows.  Peers not installed are left out (a "-" in the table).
Workloads run in sections: ``--only`` takes names and patterns (``'img-*'``),
``--threads 1``, ``--quick``.  The plain-loop ``cypool.reference.loops`` is timed on a
small shape and extrapolated per output element (labelled as such, never a peer).
It writes a markdown table and, with matplotlib, a chart of each row's ratio to
its best peer.
"""

import argparse
import dataclasses
import fnmatch
import functools
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
try:
    import cv2
except ImportError:
    cv2 = None
try:
    from scipy import ndimage
except ImportError:
    ndimage = None


@dataclasses.dataclass
class Workload:
    name: str
    family: str  # max, min, avg, lp, global_avg, adaptive_avg
    ndim: int
    shape: tuple  # channels-first
    window: dict
    quick_shape: tuple
    # Forward-only rows of other dtypes (float16 halves the bytes; integer images).
    forward_dtypes: tuple = ()
    float32: bool = True  # the float32 rows of every operation
    # None: every operation of the family (see ``ops``); otherwise these only.
    only_ops: tuple = None
    layouts: tuple = ("CF", "CL")
    # Integer averages return the input's own type (``dtype=x.dtype``, API.md's third
    # round) instead of the default float64.
    own_dtype: bool = False
    # Stride-1 rows judged per output against the small-window workload of this name.
    per_output_of: str = None
    # Time the peers that visit every tap of every window with no better algorithm
    # (NumPy, the loops, JAX's reduce_window, TF): off for k15/k31 images, where
    # each would take seconds to minutes per call.
    naive_peers: bool = True
    # The busy-core row: the default thread count while another process spins on a core.
    busy: bool = False

    def ops(self):
        if self.only_ops:
            return self.only_ops
        if self.family in ("max", "min"):
            return ("forward", "forward+indices", "backward")
        return ("forward", "backward")

    def result_dtype(self, dtype):
        """The forward output's dtype for input ``dtype``."""
        dtype = np.dtype(dtype)
        if self.family in ("max", "min") or dtype.kind == "f":
            return dtype
        return dtype if self.own_dtype else np.dtype(np.float64)


K2 = dict(kernel_size=2, stride=2)
LP_NORM = 2


def _same(k):
    """A stride-1 window of odd size k padded to keep the size (padding k // 2)."""
    return dict(kernel_size=k, stride=1, padding=k // 2)


def _image_max(k, side, dtypes, family="max", of=None):
    kb = "%dk" % (side // 1024)
    return Workload(
        "img-%s%d-%s" % (family, k, kb),
        family,
        2,
        (1, 1, side, side),
        _same(k),
        (1, 1, 256, 256),
        forward_dtypes=dtypes,
        float32=False,
        layouts=("CF",),
        per_output_of=None if of is None else "img-%s%d-%s" % (family, of, kb),
        naive_peers=k <= 5,
    )


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
    # --- Performance III: stride-1 windows, images, integer averages, a busy core ---
    # CenterNet's peak extraction on an 80-class heatmap (inference: forward only).
    Workload(
        "heatmap", "max", 2, (16, 80, 128, 128), _same(3), (2, 80, 128, 128), only_ops=("forward",)
    ),
    # YOLO's SPP/SPPF windows on its last feature maps (trained: forward and backward).
    *[
        Workload(
            "SPPF%d-%d" % (k, side),
            "max",
            2,
            (1, channels, side, side),
            _same(k),
            (1, channels // 4, side, side),
            only_ops=("forward", "backward"),
        )
        for channels, side in ((512, 20), (256, 40))
        for k in (5, 9, 13)
    ],
    # Image filters: a 2-D image as (1, 1, H, W); k31 judged per output against k3.
    _image_max(3, 1024, ("float32", "uint8")),
    _image_max(15, 1024, ("float32", "uint8")),
    _image_max(31, 1024, ("float32", "uint8"), of=3),
    _image_max(3, 2048, ("float32", "uint8")),
    _image_max(5, 2048, ("uint8",)),
    _image_max(15, 2048, ("float32", "uint8")),
    _image_max(31, 2048, ("float32", "uint8"), of=3),
    _image_max(3, 2048, ("uint8",), family="min"),
    _image_max(5, 2048, ("uint8",), family="min"),
    Workload(
        "img-avg15-2k",
        "avg",
        2,
        (1, 1, 2048, 2048),
        dict(_same(15), count_include_pad=False),
        (1, 1, 256, 256),
        forward_dtypes=("float32", "uint8"),
        float32=False,
        layouts=("CF",),
        own_dtype=True,
        naive_peers=False,
    ),
    # Integer images: a uint8 pyramid level (gray, and RGB channels-last as images are
    # stored), and a uint16 microscopy stack's 2x2x2 mean, each in its own type.
    Workload(
        "pyramid-gray",
        "avg",
        2,
        (1, 1, 4096, 4096),
        K2,
        (1, 1, 512, 512),
        forward_dtypes=("float32", "uint8"),
        float32=False,
        layouts=("CF",),
        own_dtype=True,
    ),
    Workload(
        "pyramid-rgb",
        "avg",
        2,
        (1, 3, 4096, 4096),
        K2,
        (1, 3, 512, 512),
        forward_dtypes=("float32", "uint8"),
        float32=False,
        layouts=("CL",),
        own_dtype=True,
    ),
    Workload(
        "stack-u16",
        "avg",
        3,
        (1, 1, 64, 512, 512),
        K2,
        (1, 1, 16, 128, 128),
        forward_dtypes=("float32", "uint16"),
        float32=False,
        layouts=("CF",),
        own_dtype=True,
    ),
    # W1's forward at the default thread count while another process keeps a core busy.
    Workload(
        "busy",
        "max",
        2,
        (32, 64, 112, 112),
        K2,
        (4, 64, 112, 112),
        only_ops=("forward",),
        layouts=("CF",),
        busy=True,
    ),
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
    kind = {
        "max": "max pool",
        "min": "min pool",
        "avg": "avg pool",
        "lp": "Lp pool p=%g" % LP_NORM,
    }[w.family]
    window = "x".join([str(w.window["kernel_size"])] * w.ndim)
    words = "%s %s stride %d" % (kind, window, w.window["stride"])
    if w.window.get("padding"):
        words += " pad %d" % w.window["padding"]
    if w.window.get("count_include_pad") is False:
        words += " (padding not counted)"
    if w.own_dtype:
        words += ", integers in their own type"
    if w.busy:
        words += ", default threads, one core kept busy"
    return "%s on %s" % (words, shape)


# --- timing ---------------------------------------------------------------------------------


def bandwidth(threads=1):
    """(read, write) bytes/s of ``threads`` threads together over 512 MiB, each on its
    own share: the fastest of several NumPy reductions (``np.max`` alone understates
    it) and of several fills (NumPy releases the GIL in both, so threads overlap).
    Never cypool's own kernels: the floor must not move with them."""
    big = np.ones(2**27, np.float32)
    readers = [
        np.max,
        np.add.reduce,
        lambda a: np.count_nonzero(a.view(np.uint8)),
        lambda a: np.bitwise_or.reduce(a.view(np.uint64)),
        lambda a: np.bitwise_or.reduce(a.view(np.uint32)),
    ]
    # Non-zero fills: a fill of zeros ran at 72 GB/s on one Zen 4 core here (the
    # hardware or libc shortcuts zeroing), no measure of writing pooled values.
    writers = [
        lambda a: a.fill(1.5),
        lambda a: a.view(np.uint64).fill(0x0102030405060708),
        lambda a: np.copyto(a, 1.5),
        lambda a: a.view(np.uint8).fill(7),
    ]
    if threads == 1:

        def each(function):
            return lambda: function(big)

        pool = None
    else:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(threads)
        parts = np.array_split(big, threads)

        def each(function):
            return lambda: list(pool.map(function, parts))

    try:
        read = max(big.nbytes / measure(each(reader), 5)[0] for reader in readers)
        write = max(big.nbytes / measure(each(writer), 5)[0] for writer in writers)
    finally:
        if pool is not None:
            pool.shutdown()
    return read, write


# --- peers ----------------------------------------------------------------------------------


def to_last(a, ndim):
    return np.ascontiguousarray(np.moveaxis(a, 1, -1))


def _pooled_axes(nd, layout):
    return tuple(range(2, 2 + nd)) if layout == "CF" else tuple(range(1, 1 + nd))


def cypool_calls(w, op, x, layout, threads, use_out):
    nd, fam = w.ndim, w.family
    lay = "channels_last" if layout == "CL" else "channels_first"
    kw = dict(w.window, layout=lay, num_threads=threads)
    if fam == "min":  # the NumPy-style function: min pooling has no CNN spelling
        kw = dict(w.window, axes=_pooled_axes(nd, layout), num_threads=threads)
        y, idx = cypool.min_pool(x, return_indices=True, **kw)
        if op == "forward":
            out = np.empty_like(y) if use_out else None
            return lambda: cypool.min_pool(x, out=out, **kw)
        if op == "forward+indices":
            out = (np.empty_like(y), np.empty_like(idx)) if use_out else None
            return lambda: cypool.min_pool(x, return_indices=True, out=out, **kw)
        out = np.empty_like(x) if use_out else None
        return lambda: cypool.min_pool_backward(
            y, idx, x.shape, axes=kw["axes"], out=out, num_threads=threads
        )
    if fam == "avg" and w.own_dtype and x.dtype.kind in "iu":
        kw["dtype"] = x.dtype
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
    if torch is None or (x_cf.dtype.kind != "f" and w.family != "max") or w.family == "min":
        return None  # torch pools integers only by max, and has no min pooling
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
        if win.get("count_include_pad") is False:
            fn = functools.partial(fn, count_include_pad=False)
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


ORT_FAMILIES = ("max", "avg", "lp", "global_avg", "adaptive_avg")


def ort_call(w, op, x_cf, threads, level="basic"):
    """A one-node ONNX model (channels-first float forward only), at ORT's basic or
    its default optimization level (``level="default"``: ORT_ENABLE_ALL, which
    rewrites pools with C % 16 == 0 to its 16-channel blocked kernel)."""
    if ort is None or op == "backward" or w.family not in ORT_FAMILIES:
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
            attrs["count_include_pad"] = int(w.window.get("count_include_pad", True))
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
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if level == "default"
        else ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    )
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feed = {"x": x_cf}
    return lambda: session.run(None, feed)


def _stride1(w):
    """The window is an image filter's: stride 1, odd size k, padding k // 2."""
    k = w.window.get("kernel_size")
    return (
        isinstance(k, int)
        and k % 2 == 1
        and w.window.get("stride") == 1
        and w.window.get("padding", 0) == k // 2
    )


def _blocks(w, x, layout):
    """The window tiles the input in whole k-blocks (k = stride, no padding)."""
    k = w.window.get("kernel_size")
    if not isinstance(k, int) or w.window.get("stride") != k or w.window.get("padding", 0):
        return False
    return all(size % k == 0 for size in x.shape[slice(*_spatial(w.ndim, layout))])


def _spatial(nd, layout):
    return (2, 2 + nd) if layout == "CF" else (1, 1 + nd)


def _integer_average(w, x):
    """An integer average in the input's own type: exact in any summation order, so
    the running-sum filters of OpenCV and scipy count as peers (float averages stay
    PyTorch-exact, which they are not)."""
    return w.family == "avg" and w.own_dtype and x.dtype.kind in "iu"


def _block_shape(w, x, layout):
    """x's shape with each pooled axis split into (blocks, k), and the k axes."""
    k = w.window["kernel_size"]
    lo, hi = _spatial(w.ndim, layout)
    shape, axes = list(x.shape[:lo]), []
    for size in x.shape[lo:hi]:
        shape += [size // k, k]
        axes.append(len(shape) - 1)
    return tuple(shape + list(x.shape[hi:])), tuple(axes)


def numpy_call(w, op, x, layout):
    if not w.naive_peers:
        return None
    if w.own_dtype and op == "forward" and _blocks(w, x, layout):
        # A block mean as NumPy users write it: reshape, then mean (float64 result).
        shape, axes = _block_shape(w, x, layout)
        blocks = x.reshape(shape)
        return lambda: blocks.mean(axis=axes)
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


def _planes(x, layout):
    """The 2-D images OpenCV filters one by one: each (n, c) plane for channels-first
    (C = 1 is one plane), each batch item's (H, W, C) image for channels-last."""
    h, w = (x.shape[-2], x.shape[-1]) if layout == "CF" else (x.shape[1], x.shape[2])
    if layout == "CF":
        return x.reshape(-1, h, w)
    return x.reshape(-1, h, w, x.shape[-1])


def opencv_call(w, op, x, layout, threads):
    """OpenCV where its operation is the row's: dilate/erode (a k x k rectangle,
    BORDER_CONSTANT at OpenCV's default border value, which acts as -inf for dilate
    and +inf for erode) and blur (which reflects at the border: the same work, other
    edge values) for stride-1 filters, resize INTER_AREA for integer-factor block
    means; forward only, 2-D only, ``cv2.setNumThreads(threads)``."""
    if cv2 is None or op != "forward" or w.ndim != 2:
        return None
    if layout == "CL" and x.shape[-1] > 512:  # CV_CN_MAX
        return None
    if x.dtype not in (np.uint8, np.uint16, np.int16, np.float32, np.float64):
        return None
    planes = _planes(x, layout)
    out = np.empty_like(planes)
    k = w.window.get("kernel_size")
    if w.family in ("max", "min") and _stride1(w):
        shape = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
        fn = cv2.dilate if w.family == "max" else cv2.erode

        def one(src, dst):
            fn(src, shape, dst=dst, borderType=cv2.BORDER_CONSTANT)

    elif _integer_average(w, x) and _stride1(w):

        def one(src, dst):
            cv2.blur(src, (k, k), dst=dst)

    elif _integer_average(w, x) and _blocks(w, x, layout):
        size = (planes.shape[2] // k, planes.shape[1] // k)
        out = np.empty((planes.shape[0], size[1], size[0]) + planes.shape[3:], x.dtype)

        def one(src, dst):
            cv2.resize(src, size, dst=dst, interpolation=cv2.INTER_AREA)

    else:
        return None

    def call():
        cv2.setNumThreads(threads)
        for src, dst in zip(planes, out):
            one(src, dst)

    cv2.setNumThreads(threads)
    try:  # OpenCV's channel limit (CV_CN_MAX) is 512 in 4.x, 128 in 5.x
        one(planes[0], out[0])
    except cv2.error:
        return None
    return call


def scipy_call(w, op, x, layout):
    """scipy.ndimage's maximum/minimum_filter (mode="constant" with cval the type's
    lowest/highest value: padding never wins) and uniform_filter (which reflects at
    the border) on stride-1 rows; the window is 1 along the batch and channel axes.
    Forward only, one thread (scipy.ndimage has no threads)."""
    if ndimage is None or op != "forward" or not _stride1(w):
        return None
    if x.dtype.kind not in "iuf":
        return None
    size = [1] * x.ndim
    lo, hi = _spatial(w.ndim, layout)
    size[lo:hi] = [w.window["kernel_size"]] * w.ndim
    out = np.empty_like(x)
    if x.dtype.kind == "f":
        low, high = -np.inf, np.inf
    else:
        low, high = np.iinfo(x.dtype).min, np.iinfo(x.dtype).max
    if w.family == "max":
        return lambda: ndimage.maximum_filter(x, size, output=out, mode="constant", cval=low)
    if w.family == "min":
        return lambda: ndimage.minimum_filter(x, size, output=out, mode="constant", cval=high)
    if _integer_average(w, x):
        return lambda: ndimage.uniform_filter(x, size, output=out)
    return None


def skimage_call(w, op, x, layout):
    """scikit-image's block_reduce(np.mean) on integer-factor block means of
    integers (float64 result); one thread."""
    if op != "forward" or not _integer_average(w, x) or not _blocks(w, x, layout):
        return None
    try:
        from skimage.measure import block_reduce
    except ImportError:
        return None
    block = [1] * x.ndim
    lo, hi = _spatial(w.ndim, layout)
    block[lo:hi] = [w.window["kernel_size"]] * w.ndim
    block = tuple(block)
    return lambda: block_reduce(x, block, np.mean)


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


def default_threads():
    return cypool.get_num_threads()


def cases(workloads, threads_list, quick):
    """(workload, shape, dtype, threads, op, layout) of every row.  The busy-core row
    runs once, at the default thread count, when more than one thread is asked for."""
    for w in workloads:
        shape = w.quick_shape if quick else w.shape
        rows = [(op, "float32") for op in w.ops()] if w.float32 else []
        rows += [("forward", dtype) for dtype in w.forward_dtypes]
        counts = threads_list
        if w.busy:
            counts = [default_threads()] if max(threads_list) > 1 else []
        for op, dtype in rows:
            for threads in counts:
                for layout in w.layouts:
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
        if threads == 1 and _isolated_case(w, dtype)
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


def _isolated_case(w, dtype):
    """JAX and TensorFlow time the float rows of the CNN families (their integer
    averages are float means, and neither has min pooling), except where a
    window-by-window pool would take minutes (``naive_peers``)."""
    return dtype.kind == "f" and w.family in ORT_FAMILIES and not w.busy and w.naive_peers


ISOLATED_VERSIONS = []  # "JAX 0.10.2", ...: named in the machine line


def spin(core=None):
    """Start a process that keeps one core busy (pinned to ``core`` if given); the
    caller stops it with ``.kill()``."""
    code = "import os\nif %r is not None and hasattr(os, 'sched_setaffinity'):\n" % core
    code += "    os.sched_setaffinity(0, {%r})\nwhile True:\n    pass\n" % core
    return subprocess.Popen([sys.executable, "-c", code])


def _time_busy(call, repeat):
    """``call``'s time while another process spins on the last core this process may
    use (the one OpenMP's last thread shares)."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [None]
    spinner = spin(cores[-1])
    try:
        time.sleep(0.2)  # let it start spinning
        return measure(call, repeat)
    finally:
        spinner.kill()
        spinner.wait()


LOAD = []  # the 1-minute load average at the start and at the end of the run


def _load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def run(args):
    LOAD[:] = [_load()]
    workloads = [w for w in WORKLOADS if selected(w.name, args.only)]
    todo = list(cases(workloads, args.threads, args.quick))
    counts = sorted({1} | {t[3] for t in todo})
    bandwidths = {threads: bandwidth(threads) for threads in counts}
    isolated = {} if args.no_isolated else isolated_peers(todo, args.repeat)
    ISOLATED_VERSIONS[:] = list(isolated)
    progress = _progress(len(todo))
    rows = []
    try:
        _run_cases(args, todo, isolated, bandwidths, rows, progress)
    except KeyboardInterrupt:  # Ctrl-C: the table of the rows timed so far
        print("\ninterrupted: %d of %d rows timed" % (len(rows), len(todo)), file=sys.stderr)
    progress(None)
    LOAD.append(_load())
    return rows, bandwidths


def _peer_time(name, call, repeat, **options):
    """``measure(call)``, or None (the peer is left out, with a note) when the peer
    cannot run this case: a missing or failing peer is never the suite's error."""
    try:
        return measure(call, repeat, **options)
    except Exception as error:
        print("\n%s not timed: %s" % (name, str(error).strip().splitlines()[0]), file=sys.stderr)
        return None


def _run_cases(args, todo, isolated, bandwidths, rows, progress):
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
        if w.busy:
            peers["cypool out=, 1 thread, idle"] = measure(
                cypool_calls(w, op, x, layout, 1, True), repeat
            )
            peers["cypool"] = _time_busy(cypool_calls(w, op, x, layout, threads, False), repeat)
            peers["cypool out="] = _time_busy(cypool_calls(w, op, x, layout, threads, True), repeat)
            rows.append(_row(w, op, layout, dtype, threads, shape, x_cf, peers, bandwidths))
            progress(w.name, op, layout, dtype.name, threads)
            continue
        peers["cypool"] = measure(cypool_calls(w, op, x, layout, threads, False), repeat)
        peers["cypool out="] = measure(cypool_calls(w, op, x, layout, threads, True), repeat)
        call = torch_call(w, op, x_cf, layout)
        if call is not None:
            peers["torch " + ("channels_last" if layout == "CL" else "NCHW")] = _peer_time(
                "torch", call, repeat
            )
        if layout == "CF" and dtype == np.float32:
            # ORT at its basic and default optimization levels: the faster counts.
            timed = []
            for level in ("basic", "default"):
                call = ort_call(w, op, x_cf, threads, level)
                if call is not None:
                    timed.append(_peer_time("onnxruntime", call, repeat))
            timed = [t for t in timed if t is not None]
            if timed:
                peers["onnxruntime"] = min(timed)
        for name, times in isolated.items():
            if _key(w, op, layout, dtype, threads) in times:
                peers[name] = times[_key(w, op, layout, dtype, threads)]
        call = opencv_call(w, op, x, layout, threads)
        if call is not None:
            peers["OpenCV"] = _peer_time("OpenCV", call, repeat)
        if threads == 1:  # scipy.ndimage, scikit-image and NumPy have no threads
            call = scipy_call(w, op, x, layout)
            if call is not None:
                peers["scipy.ndimage"] = _peer_time("scipy", call, repeat)
            call = skimage_call(w, op, x, layout)
            if call is not None:
                peers["scikit-image"] = _peer_time("scikit-image", call, max(3, repeat // 3))
        if threads == 1 and not args.no_numpy:
            call = numpy_call(w, op, x, layout)
            if call is not None:
                peers["numpy"] = _peer_time("numpy", call, max(3, repeat // 3), min_time=0)
        if threads == 1 and layout == "CF" and dtype == np.float32 and w.naive_peers:
            seconds = python_loops_seconds(w, op, _output_size(w, x_cf)[0])
            if seconds is not None:
                peers["python loops (extrapolated)"] = (seconds, seconds)
        peers = {name: t for name, t in peers.items() if t is not None}
        rows.append(_row(w, op, layout, dtype, threads, shape, x_cf, peers, bandwidths))
        progress(w.name, op, layout, dtype.name, threads)


def _row(w, op, layout, dtype, threads, shape, x_cf, peers, bandwidths):
    """One table row: its peers' times, its floor at ``threads`` threads' bandwidth,
    and what the rules need to know of it."""
    y_size, y_itemsize = _output_size(w, x_cf)
    read, written = bytes_moved(w, op, x_cf, y_size, y_itemsize)
    read_bw, write_bw = bandwidths.get(threads) or bandwidths[1]
    return dict(
        workload=w.name,
        family=w.family,
        op=op,
        layout=layout,
        dtype=dtype.name,
        result=w.result_dtype(dtype).name,
        threads=threads,
        shape=shape,
        peers=peers,
        floor=read / read_bw + written / write_bw,
        bytes=read + written,
        outputs=y_size,
        per_output_of=w.per_output_of,
        busy=w.busy,
    )


def _output_size(w, x_cf):
    """(elements, itemsize) of a forward output."""
    if w.family == "min":
        y = cypool.min_pool(x_cf, axes=_pooled_axes(w.ndim, "CF"), **w.window)
        return y.size, y.itemsize
    if w.family == "avg" and w.own_dtype and x_cf.dtype.kind in "iu":
        y = getattr(cypool, "avg_pool%dd" % w.ndim)(x_cf, dtype=x_cf.dtype, **w.window)
        return y.size, y.itemsize
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


# Peers whose averages are not PyTorch-exact (running sums, other orders): they
# count for max/min rows and integer averages, never for float averages.
INEXACT_AVERAGES = ("OpenCV", "scipy.ndimage", "scikit-image")
AVERAGE_FAMILIES = ("avg", "lp", "global_avg", "adaptive_avg")


def counts_for(row, name):
    """Whether peer ``name`` counts for ``row``'s ratio and targets."""
    if not _is_peer(name):
        return False
    float_average = row.get("family") in AVERAGE_FAMILIES and row["dtype"].startswith(
        ("float", "bfloat")
    )
    return not (float_average and name.startswith(INEXACT_AVERAGES))


def best_peer(row):
    """(name, median seconds) of the row's fastest peer that counts, or (None, None)."""
    others = {p: v[0] for p, v in row["peers"].items() if counts_for(row, p)}
    if not others:
        return None, None
    best = min(others, key=others.get)
    return best, others[best]


# Targets (Performance III).  Forward, and forward with indices or backward:
SHARE = {"forward": 0.67, "other": 0.33}
NEAR = {"forward": 1.3, "other": 1.5}
CALL_COST = 2e-6  # seconds: what any call from Python costs, added to the floor
# Relative targets on the same data (cypool's out= medians):
CHANNELS_LAST = 1.1  # channels-last / channels-first
HALF = 0.6  # float16 or bfloat16 / float32 (forward)
OWN_INTEGER = 0.5  # uint8/uint16 average with dtype= its own type / float32
FLOAT64_INTEGER = 1.0  # integer average with the default float64 result / float32
LP_FORWARD, LP_BACKWARD = 1.5, 2.0  # Lp / average (W3)
PER_OUTPUT = 2.0  # stride-1 max at k31 / k3, per output
BUSY = 1.25  # default threads with one core busy / 1 thread idle


def meets(row, rows):
    """(met, reasons it is not), the Performance III rule, exactly.

    A row is met when cypool's ``out=`` median is at most
    ``max(share x best peer, near x floor + 2 us)``: share 0.67 and near 1.3 for
    forward, 0.33 and 1.5 for forward with indices and every backward.  The floor
    is the row's input bytes at the read bandwidth plus its output bytes at the
    write bandwidth, both measured in the same run by NumPy (not cypool) with the
    row's thread count, so a 2-thread row is held to 2-thread peers and the
    2-thread bandwidth (no scaling ratio).  2 us stands for any call from Python.
    Float averages count only the exact peers (torch, NumPy, onnxruntime, JAX, TF;
    see ``counts_for``).  And the relative targets on the same data, where the
    other row is in the run: channels-last <= 1.1x channels-first; float16 and
    bfloat16 forward <= 0.6x float32; uint8/uint16 averages with ``dtype=`` their
    own type <= 0.5x the float32 time (<= 1.0x with the default float64 result);
    Lp forward <= 1.5x and Lp backward <= 2x the average's (W3); stride-1 max at
    k31 <= 2x the time per output at k3; the busy-core row <= 1.25x the 1-thread
    time (measured idle in the same row; it has no peers and only this target).
    Each reason names the rule that failed."""
    ours = row["peers"]["cypool out="][0]
    kind = "forward" if row["op"] == "forward" else "other"
    reasons = []
    if row.get("busy"):
        alone = row["peers"].get("cypool out=, 1 thread, idle")
        if alone is not None and ours > BUSY * alone[0]:
            reasons.append("busy %.2fx > %gx 1 thread" % (ours / alone[0], BUSY))
        return not reasons, reasons
    _, best = best_peer(row)
    allowed = NEAR[kind] * row["floor"] + CALL_COST
    if best is not None:
        allowed = max(allowed, SHARE[kind] * best)
    if ours > allowed:
        reasons.append("%.2fx allowed" % (ours / allowed))

    def twin(**changes):
        wanted = dict((k, row[k]) for k in ("workload", "op", "layout", "dtype", "threads"))
        wanted.update(changes)
        for other in rows:
            if all(other.get(k) == v for k, v in wanted.items()):
                return other
        return None

    def time_of(other):
        return None if other is None else other["peers"]["cypool out="][0]

    relations = []
    if row["layout"] == "CL":
        relations.append(("CL > %gx CF" % CHANNELS_LAST, time_of(twin(layout="CF")), CHANNELS_LAST))
    if row["dtype"] in ("float16", "bfloat16") and row["op"] == "forward":
        relations.append(("> %gx float32" % HALF, time_of(twin(dtype="float32")), HALF))
    if row.get("family") in AVERAGE_FAMILIES and row["dtype"][:3] in ("uin", "int"):
        factor = OWN_INTEGER if row.get("result") == row["dtype"] else FLOAT64_INTEGER
        relations.append(("> %gx float32" % factor, time_of(twin(dtype="float32")), factor))
    if row.get("family") == "lp":
        factor = LP_FORWARD if kind == "forward" else LP_BACKWARD
        relations.append(("> %gx average" % factor, time_of(twin(workload="W3")), factor))
    if row.get("per_output_of"):
        small = twin(workload=row["per_output_of"])
        if small is not None:
            per_output = time_of(small) / small["outputs"] * row["outputs"]
            relations.append(("> %gx k3 per output" % PER_OUTPUT, per_output, PER_OUTPUT))
    for label, reference, factor in relations:
        if reference is not None and ours > factor * reference:
            reasons.append(label)
    return not reasons, reasons


def _dtype_cell(row):
    """The input dtype, and ``dtype=`` where an average returns the input's own type."""
    own = row.get("family") in AVERAGE_FAMILIES and row.get("result") == row["dtype"]
    if own and row["dtype"][:3] in ("uin", "int"):
        return "%s (dtype=%s)" % (row["dtype"], row["dtype"])
    return row["dtype"]


BORDER_NOTE = (
    "Borders: max/min pad with -inf/+inf everywhere (OpenCV dilate/erode: BORDER_CONSTANT "
    "at OpenCV's default border value; scipy: mode='constant' at the type's lowest/highest "
    "value). The k15 average excludes padding (count_include_pad=False; torch, onnxruntime "
    "and TF the same) but OpenCV's blur (BORDER_REFLECT_101) and scipy's uniform_filter "
    "(mode='reflect') reflect: the same work, other edge values. cv2.resize INTER_AREA "
    "rounds halves up where cypool's dtype=uint8 rounds ties to even; NumPy's and "
    "scikit-image's block means return float64. OpenCV and scipy are timed on max/min "
    "rows and integer averages only: float averages are judged against the PyTorch-exact "
    "peers (torch, onnxruntime, JAX, TF, NumPy). OpenCV filters channels-first input "
    "plane by plane (one call per (n, c)); scipy and scikit-image have no threads and "
    "appear in 1-thread rows only. The busy row runs W1's forward at the default thread "
    "count while another process spins on one core, against cypool's idle 1-thread time."
)


def table(rows, bandwidths, machine):
    peer_names = []
    for r in rows:
        for p in r["peers"]:
            if p not in peer_names:
                peer_names.append(p)
    verdicts = [meets(r, rows) for r in rows]
    met = sum(1 for ok, _ in verdicts if ok)
    measured = "; ".join(
        "%d thread%s: read %.1f GB/s, write %.1f GB/s"
        % (threads, "" if threads == 1 else "s", read / 1e9, write / 1e9)
        for threads, (read, write) in sorted(bandwidths.items())
    )
    lines = [
        "# cypool benchmark",
        "",
        machine,
        "Bandwidth measured in this run (NumPy reductions and fills, the fastest of "
        "each): %s. Times are medians in ms (2-thread rows also show the minimum). "
        "`best peer` is the fastest peer that counts for the row (JAX and TensorFlow: "
        "1-thread rows only, each in its own process); `ratio` = cypool out= / best peer; "
        "`x floor` = cypool out= / bandwidth floor at the row's thread count; `met`: the "
        "targets (see `cypool.benchmark.suite.meets`), `no:` names each rule that failed."
        % measured,
        "",
        BORDER_NOTE,
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
                _dtype_cell(r),
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
        flags = " (%s)" % ", ".join(v for v in CPU_FLAGS if v in have)
    except (OSError, StopIteration):
        pass
    cpu += flags
    peers = "torch %s, onnxruntime %s, numpy %s, OpenCV %s, scipy %s, scikit-image %s%s" % (
        torch.__version__ if torch else "-",
        ort.__version__ if ort else "-",
        np.__version__,
        cv2.__version__ if cv2 else "-",
        _version("scipy"),
        _version("skimage"),
        "".join(", " + name for name in ISOLATED_VERSIONS),
    )
    load = ""
    if len(LOAD) == 2:
        load = (
            "load average %.2f at the start, %.2f at the end (other processes disturb "
            % tuple(LOAD)
            + "the times); "
        )
    return "Machine: %s, %d cores, %scypool %s (kernel variant run: %s; OpenMP %s); %s." % (
        cpu,
        os.cpu_count(),
        load,
        cypool.__version__,
        _kernel_set(),
        _openmp(),
        peers,
    )


def _version(module):
    try:
        return __import__(module).__version__
    except ImportError:
        return "-"


CPU_FLAGS = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512dq",
    "avx512_vnni",
    "avx512_bf16",
    "avx512_fp16",
    "avx512vbmi",
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
        "--only",
        nargs="+",
        metavar="WORKLOAD",
        help="run only these workloads: names or patterns such as 'img-*' (see --list)",
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
            "%-13s %-16s %-22s %s"
            % (w.name, "%s %d-D" % (w.family, w.ndim), "x".join(map(str, w.shape)), w.window)
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv), parser)


def selected(name, only):
    """Whether workload ``name`` is in ``--only`` (names or shell patterns such as
    ``'img-*'``; no ``--only``: every workload)."""
    return not only or any(fnmatch.fnmatchcase(name, pattern) for pattern in only)


def check_arguments(args, parser):
    """Exit with argparse's status 2 for arguments the parser cannot judge alone."""
    unknown = {p for p in args.only or () if not any(selected(w.name, [p]) for w in WORKLOADS)}
    if unknown:
        parser.error("--only: unknown workload %s (see --list)" % ", ".join(sorted(unknown)))


def execute(args, parser):
    """Run the suite as ``args`` ask; ``--list`` prints the workloads instead."""
    if args.list:
        list_workloads()
        return []
    check_arguments(args, parser)
    rows, bandwidths = run(args)
    text = table(rows, bandwidths, machine_description())
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
