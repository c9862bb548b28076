"""What a bare ``cypool`` prints after the configuration: a short table of common
pooling calls, each named by its shape, timed with cypool, with NumPy as a user
would write it, and with the other libraries that happen to be installed
(PyTorch, OpenCV, SciPy), in well under half a minute.

The maintainers' benchmark (every workload, every peer, the performance targets)
is ``cypool bench --full``; this table only answers a newcomer's question: how
fast is this on my machine, next to what I use today?

Every library runs on one thread: the comparison is like for like (NumPy has only
one), and it stays steady on a machine whose other cores are busy.  The full suite
(``cypool bench --full``) also times two threads.  Each row computes the same result in every
library (``tests/test_main_job.py`` checks it), except where a note says how it
differs (OpenCV rounds its averages to the image's uint8).
"""

import dataclasses
import statistics
import sys
import time

import numpy as np

import cypool
from cypool.benchmark.peers import measure
from cypool.reference import vectorized

# The optional libraries: (display name, module to import, what brings it).
PEERS = (("PyTorch", "torch"), ("OpenCV", "cv2"), ("SciPy", "scipy.ndimage"))
INSTALL_HINT = 'pip install ".[bench]"'


def _import(module):
    """The module, or None when it is not installed (or cannot be imported)."""
    import importlib

    try:
        return importlib.import_module(module)
    except Exception:  # any import failure means: not available here
        return None


@dataclasses.dataclass
class Case:
    """One row: a label in words, and per library a call on prepared inputs."""

    label: str
    calls: dict  # library name -> zero-argument callable
    note: str = ""


def _shape(shape, dtype):
    return "%s %s" % ("x".join(map(str, shape)), np.dtype(dtype).name)


def cases(peers):
    """The rows, inputs made once (seeded), calls only for the libraries in ``peers``
    (a dict of display name -> imported module)."""
    torch = peers.get("PyTorch")
    cv2 = peers.get("OpenCV")
    ndimage = peers.get("SciPy")
    F = torch.nn.functional if torch is not None else None
    rng = np.random.default_rng(0)

    batch = rng.random((8, 64, 112, 112), dtype=np.float32)  # (N, C, H, W)
    n, c, h, w = batch.shape
    batch_last = np.ascontiguousarray(batch.transpose(0, 2, 3, 1))  # (N, H, W, C)
    wide = rng.random((2, 256, 56, 56), dtype=np.float32)
    features = rng.random((32, 512, 7, 7), dtype=np.float32)
    rgb = rng.integers(0, 256, (2048, 2048, 3), dtype=np.uint8)
    gray = rng.random((2048, 2048), dtype=np.float32)
    y, idx = cypool.max_pool2d(batch, 2, return_indices=True)
    grad_y = np.ones_like(y)

    rows = []

    # 1. The plain 2x2 max pool of a CNN.
    calls = {
        "cypool": lambda: cypool.max_pool2d(batch, 2),
        "NumPy": lambda: batch.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5)),
    }
    if torch is not None:
        t_batch = torch.from_numpy(batch)
        calls["PyTorch"] = lambda: F.max_pool2d(t_batch, 2)
    rows.append(Case("max pool 2x2 stride 2 on " + _shape(batch.shape, batch.dtype), calls))

    # 2. ResNet's stem: overlapping 3x3 windows with padding.
    calls = {
        "cypool": lambda: cypool.max_pool2d(batch, 3, 2, 1),
        "NumPy": lambda: vectorized.max_pool2d(batch, 3, 2, 1),
    }
    if torch is not None:
        calls["PyTorch"] = lambda: F.max_pool2d(t_batch, 3, 2, 1)
    rows.append(Case("max pool 3x3 stride 2 pad 1 on " + _shape(batch.shape, batch.dtype), calls))

    # 3. Training: the gradient of row 1, routed to each window's maximum.
    calls = {
        "cypool": lambda: cypool.max_pool2d_backward(grad_y, idx, batch.shape),
        "NumPy": lambda: vectorized.max_pool2d_backward(grad_y, idx, batch.shape),
    }
    if torch is not None:
        t_input = torch.from_numpy(batch).clone().requires_grad_(True)
        t_y = F.max_pool2d(t_input, 2)
        t_grad = torch.from_numpy(grad_y)
        calls["PyTorch"] = lambda: torch.autograd.grad(t_y, t_input, t_grad, retain_graph=True)[0]
    rows.append(Case("max pool 2x2 gradient on " + _shape(batch.shape, batch.dtype), calls))

    # 4. The same pool on channels-last data (TensorFlow's and Keras's layout).
    calls = {
        "cypool": lambda: cypool.max_pool2d(batch_last, 2, layout="NHWC"),
        "NumPy": lambda: batch_last.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4)),
    }
    if torch is not None:
        t_last = torch.from_numpy(batch).contiguous(memory_format=torch.channels_last)
        calls["PyTorch"] = lambda: F.max_pool2d(t_last, 2).permute(0, 2, 3, 1)
    rows.append(
        Case(
            "max pool 2x2 stride 2 channels-last on " + _shape(batch_last.shape, batch.dtype),
            calls,
        )
    )

    # 5. A 3x3 average that keeps the size (stride 1, padding 1).
    calls = {
        "cypool": lambda: cypool.avg_pool2d(wide, 3, 1, 1),
        "NumPy": lambda: vectorized.avg_pool2d(wide, 3, 1, 1),
    }
    if torch is not None:
        t_wide = torch.from_numpy(wide)
        calls["PyTorch"] = lambda: F.avg_pool2d(t_wide, 3, 1, 1)
    rows.append(Case("avg pool 3x3 stride 1 pad 1 on " + _shape(wide.shape, wide.dtype), calls))

    # 6. The global average before a classifier.
    calls = {
        "cypool": lambda: cypool.global_avg_pool(features),
        "NumPy": lambda: features.mean(axis=(2, 3)),
    }
    if torch is not None:
        t_features = torch.from_numpy(features)
        calls["PyTorch"] = lambda: F.adaptive_avg_pool2d(t_features, 1)
    rows.append(Case("global avg pool on " + _shape(features.shape, features.dtype), calls))

    # 7. Halving a colour photo: height and width only, never the channels.
    side = rgb.shape[0]
    calls = {
        "cypool": lambda: cypool.avg_pool(rgb, 2, axes=(0, 1)),
        "NumPy": lambda: rgb.reshape(side // 2, 2, side // 2, 2, 3).mean(axis=(1, 3)),
    }
    note = ""
    if cv2 is not None:
        calls["OpenCV"] = lambda: cv2.resize(
            rgb, (side // 2, side // 2), interpolation=cv2.INTER_AREA
        )
        note = "In the RGB row OpenCV returns rounded uint8 means, cypool and NumPy float64."
    rows.append(Case("RGB image 2x2 mean on " + _shape(rgb.shape, rgb.dtype), calls, note))

    # 8. A 3x3 max filter that keeps the size: where image libraries are strong.
    padded = np.pad(gray, 1, constant_values=-np.inf)

    def numpy_max_filter():  # the fast NumPy idiom: the maximum of nine shifted views
        rows, cols = gray.shape
        out = padded[:rows, :cols].copy()
        for dy, dx in np.ndindex(3, 3):
            np.maximum(out, padded[dy : dy + rows, dx : dx + cols], out=out)
        return out

    calls = {
        "cypool": lambda: cypool.max_pool(gray, 3, stride=1, padding=1),
        "NumPy": numpy_max_filter,
    }
    if torch is not None:
        t_gray = torch.from_numpy(gray)[None, None]
        calls["PyTorch"] = lambda: F.max_pool2d(t_gray, 3, 1, 1)[0, 0]
    if cv2 is not None:
        square = np.ones((3, 3), np.uint8)
        calls["OpenCV"] = lambda: cv2.dilate(gray, square)
    if ndimage is not None:
        calls["SciPy"] = lambda: ndimage.maximum_filter(gray, 3)
    rows.append(Case("3x3 max filter stride 1 on " + _shape(gray.shape, gray.dtype), calls))
    if torch is not None:
        for case in rows:  # no autograd bookkeeping in the forward calls
            for name, call in list(case.calls.items()):
                if name == "PyTorch" and "gradient" not in case.label:
                    case.calls[name] = _no_grad(torch, call)
    return rows


def _no_grad(torch, call):
    def run():
        with torch.no_grad():
            return call()

    return run


def as_array(result):
    """A call's result as a NumPy array (torch tensors converted)."""
    if hasattr(result, "detach"):
        result = result.detach().numpy()
    return np.asarray(result)


def _progress(done, total, label, stream):
    width = 20
    filled = width * done // total
    line = "[%s%s] %d/%d %s" % ("#" * filled, "." * (width - filled), done, total, label)
    stream.write("\r" + line[:78].ljust(78))
    stream.flush()


def _seconds(call):
    """Median seconds per call: of three calls when one takes over 50 ms (the NumPy
    baselines, some peers), else of repeated batches after a warm-up."""
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first < 0.05:
        return measure(call, 5, min_time=0.1)[0]
    samples = [first]
    for _ in range(2):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def time_cases(rows, stream=sys.stderr):
    """{label: {library: median seconds}}, drawing a progress bar on ``stream``."""
    total = sum(len(case.calls) for case in rows)
    done = 0
    times = {}
    for case in rows:
        times[case.label] = {}
        for name, call in case.calls.items():
            _progress(done, total, "%s: %s" % (name, case.label), stream)
            times[case.label][name] = _seconds(call)
            done += 1
    _progress(done, total, "done", stream)
    stream.write("\n")
    stream.flush()
    return times


def _ms(seconds):
    ms = 1e3 * seconds
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 10:
        return "%.1f" % ms
    if ms >= 1:
        return "%.2f" % ms
    return "%.3f" % ms


def _times(ratio):
    return ("%.0fx" if ratio >= 10 else "%.1fx" if ratio >= 1 else "%.2fx") % ratio


def table(rows, times, peer_names):
    """The table as text: one line per row, cypool and NumPy always, then the
    installed peers; speed-ups are the other library's time / cypool's."""
    libraries = ["cypool", "NumPy"] + list(peer_names)
    header = ["operation"] + libraries + ["vs NumPy"]
    if peer_names:
        header.append("vs fastest other")
    lines = []
    for case in rows:
        row_times = times[case.label]
        ours = row_times["cypool"]
        cells = [case.label]
        cells += [_ms(row_times[name]) if name in row_times else "-" for name in libraries]
        cells.append(_times(row_times["NumPy"] / ours))
        if peer_names:
            others = {k: v for k, v in row_times.items() if k != "cypool"}
            fastest = min(others, key=others.get)
            cells.append("%s %s" % (_times(others[fastest] / ours), fastest))
        lines.append(cells)
    widths = [max(len(r[i]) for r in [header] + lines) for i in range(len(header))]

    def render(cells):
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:])]
        return "  ".join([first] + rest).rstrip()

    text = [render(header), "  ".join("-" * width for width in widths)]
    text += [render(cells) for cells in lines]
    notes = [case.note for case in rows if case.note and len(case.calls) > 2]
    return "\n".join(text + notes)


def main(stream=sys.stdout, progress=sys.stderr):
    """Time the rows and print the table, with a sentence on what was not timed."""
    peers = {}
    missing = []
    for name, module in PEERS:
        imported = _import(module)
        if imported is None:
            missing.append(name)
        else:
            peers[name] = imported
    rows = cases(peers)
    print(
        "Common pooling calls on this machine, one thread each: median times in ms,\n"
        "and the speed-up (the other library's time / cypool's; above 1x cypool is faster).",
        file=stream,
    )
    stream.flush()
    if "PyTorch" in peers:
        peers["PyTorch"].set_num_threads(1)
    if "OpenCV" in peers:
        peers["OpenCV"].setNumThreads(1)
    with cypool.num_threads(1):
        times = time_cases(rows, progress)
    print(file=stream)
    print(table(rows, times, [name for name, _ in PEERS if name in peers]), file=stream)
    print(file=stream)
    if missing:
        print(
            "%s %s not installed here, so %s not timed;\n`%s` installs %s."
            % (
                _and(missing),
                "is" if len(missing) == 1 else "are",
                "it was" if len(missing) == 1 else "they were",
                INSTALL_HINT,
                "it" if len(missing) == 1 else "them",
            ),
            file=stream,
        )
    print(
        "Every workload against every peer, with the project's targets: `cypool bench --full`.",
        file=stream,
    )
    return rows, times


def _and(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
