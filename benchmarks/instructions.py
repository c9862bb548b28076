"""Callgrind instruction counts per output of cypool's ``out=`` call on suite rows.

    python benchmarks/instructions.py --only W1 W2
    python benchmarks/instructions.py --rows-from benchmarks/results/suite.md --missed \\
        --full 'img-*' 'pyramid-*' stack-u16 W5 W8 --output benchmarks/results/instructions.md

Times on a shared two-core machine move by tens of percent from run to run; the
number of instructions a call executes does not.  For each selected row of the
suite (``cypool.benchmark.suite``: its ``WORKLOADS``, its ``make_input`` and its
``cypool_calls(..., use_out=True)``, so the arrays and the call are the suite's
own) this runs cypool's ``out=`` call under ``valgrind --tool=callgrind`` and
reports the instructions executed (Ir) by that one call, divided by the number of
output elements, with the suite's least bytes moved per output beside it.

How one call is counted
-----------------------
All rows of a workload run in one Python process under callgrind with
``--dump-before=getloadavg``: each time libc's ``getloadavg`` is entered,
callgrind writes a profile part holding the instructions since the previous
part and zeroes its counters.  ``os.getloadavg()`` is therefore a marker that
Python code can drop, needing no client requests (no C code to compile) and no
``--toggle-collect`` on a kernel's name (names change as kernels are renamed,
inlined or dispatched differently, and a toggle counts every call of that
function, including the warm-up's).  For each row the worker builds the input
and the call with the suite's code, warms it up, then runs::

    mark(); call() n times; mark(); mark()

The part between the first two marks holds the calls plus the marker's own
return and entry; the part between the last two holds the marker's cost alone
(about 1,600 instructions); their difference over n is one call.  Nothing else
in the process calls ``getloadavg``: the parent checks that the process wrote
exactly three parts per row it reports.  Garbage collection is off between the
marks, so a collection that earlier allocations happen to trigger is not counted
as cypool's.

One warm-up call is not enough for small rows: CPython 3.11+ specializes a
function's bytecode only after it ran about eight times, and until then the
Python side of a call costs up to a third more (``tiny``: 35,000 instructions a
call after one warm-up, 26,600 from the ninth on).  Rows under ``SMALL``
outputs therefore warm up ``SMALL_WARMUP`` times and average n calls (n such that
the calls make at least ``SMALL`` outputs, at most ``MAX_CALLS``), which also
evens out the few thousand instructions malloc's bookkeeping adds to some
calls.  Larger rows warm up once and count one call: there the interpreter's
share is under 0.1 instruction per output.

The process runs with ``CYPOOL_KERNELS=avx2`` (valgrind 3.19 cannot run AVX-512;
the worker reports the kernel set it loaded and a row is rejected if it is not
avx2), ``num_threads=1`` in the call and ``OMP_NUM_THREADS=1``.  Peers are never
imported (the worker hides torch, onnx, OpenCV and scipy from the suite's
module), which keeps each process's start to seconds.

Shapes are the suite's quick shapes (``quick_shape``) except for the workloads
named by ``--full`` (all of them when it names none): callgrind runs some 50
times slower than the CPU.  Where the quick shape only shrinks the batch or the
channels the instructions per output hardly move; where it shrinks the image
(the ``img-*`` filters, the pyramids, ``stack-u16``, W5, W8) the borders' share
of the outputs grows, so those are better counted at full size.

Outputs are the forward output's elements (the suite's ``outputs``), also for
backward rows, where they are the ``grad_output`` elements scattered back.
"""

import argparse
import concurrent.futures
import dataclasses
import gc
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# The suite's module imports every installed peer at import time (torch alone
# takes minutes under valgrind); the worker needs none of them.
PEER_MODULES = ("torch", "onnx", "onnxruntime", "cv2", "scipy")
MARKER = "getloadavg"  # the libc function behind os.getloadavg()
PARTS_PER_ROW = 3  # mark before the calls, after them, and once more to calibrate
SMALL = 100_000  # outputs: below this the interpreter's warm-up shows per output
SMALL_WARMUP = 10  # calls: CPython specializes bytecode after about eight
MAX_CALLS = 100
KERNELS = "avx2"


def load_suite(hide_peers):
    """The suite's module; with ``hide_peers`` the peers' imports fail fast (the
    suite then leaves each peer out, as when it is not installed)."""
    if hide_peers:
        for name in PEER_MODULES:
            sys.modules.setdefault(name, None)
    from cypool.benchmark import suite

    return suite


@dataclasses.dataclass
class Row:
    """One suite row at one thread: which call, on which input."""

    workload: str
    op: str
    layout: str
    dtype: str
    shape: tuple
    met: str = ""  # the suite table's ``met`` cell, when rows come from a table
    outputs: int = 0
    moved: int = 0  # least bytes read and written

    def plan(self):
        """(warm-up calls, counted calls): see "How one call is counted"."""
        if self.outputs >= SMALL:
            return 1, 1
        return SMALL_WARMUP, min(MAX_CALLS, math.ceil(SMALL / self.outputs))


def suite_rows(suite, only, full):
    """Every 1-thread row of the workloads ``only`` selects, as the suite enumerates
    them, at full shape for the workloads ``full`` names (``[]``: all of them)."""
    rows = []
    for w in suite.WORKLOADS:
        if not suite.selected(w.name, only):
            continue
        quick = full is None or (full and not suite.selected(w.name, full))
        for _, shape, dtype, _, op, layout in suite.cases([w], [1], quick):
            rows.append(Row(w.name, op, layout, dtype.name, tuple(shape)))
    return rows


def table_rows(suite, path, missed):
    """(workload, op, layout, dtype, met) of the 1-thread rows of a suite table,
    only those whose ``met`` starts with "no" when ``missed``."""
    picked = []
    for cells in suite.read_table(path):
        if cells["threads"] != "1" or (missed and not cells["met"].startswith("no")):
            continue
        # "uint8 (dtype=uint8)": the input dtype is the first word.
        dtype = cells["dtype"].split()[0]
        picked.append((cells["workload"], cells["op"], cells["layout"], dtype, cells["met"]))
    return picked


def select(suite, args):
    """The rows to count.

    Parameters
    ----------
    suite : module
        ``cypool.benchmark.suite``.
    args : argparse.Namespace
        ``--only``, ``--full``, ``--rows-from`` and ``--missed``.

    Returns
    -------
    rows : list of Row
        The suite's 1-thread rows of the selected workloads, in suite order; with
        ``--rows-from``, only those in the table (and missed, with ``--missed``).
    skipped : list of (str, str)
        Table rows the suite does not enumerate, and why.
    """
    rows = suite_rows(suite, args.only, args.full)
    if not args.rows_from:
        return rows, []
    by_key = {(r.workload, r.op, r.layout, r.dtype): r for r in rows}
    chosen, skipped = [], []
    for workload, op, layout, dtype, met in table_rows(suite, args.rows_from, args.missed):
        if not suite.selected(workload, args.only):
            continue
        row = by_key.get((workload, op, layout, dtype))
        if row is None:
            skipped.append(("%s %s %s %s" % (workload, op, layout, dtype), "not a suite case"))
            continue
        chosen.append(dataclasses.replace(row, met=met))
    return chosen, skipped


def sized(suite, row):
    """``row`` with its outputs and least bytes moved, by the suite's own accounting."""
    w = next(w for w in suite.WORKLOADS if w.name == row.workload)
    x_cf = suite.make_input(row.shape, row.dtype, "CF")  # sizes only: the layout does not matter
    outputs, itemsize = suite._output_size(w, x_cf)
    read, written = suite.bytes_moved(w, row.op, x_cf, outputs, itemsize)
    return dataclasses.replace(row, outputs=outputs, moved=read + written)


# --- the process under callgrind ------------------------------------------------------------


def worker(spec_path):
    """Run one workload's rows under callgrind, dropping the marks the parent counts
    between.

    Parameters
    ----------
    spec_path : str
        JSON written by ``count_workload``: the workload's name, the input shape,
        its rows as (op, layout, dtype, warm-up calls, counted calls) and the path
        of the result file, which gets the kernel set loaded, the thread count, the
        indices of the rows that ran and the errors of those that did not (a row
        whose setup fails drops no marks).
    """
    with open(spec_path) as f:
        spec = json.load(f)
    suite = load_suite(hide_peers=True)
    import cypool
    from cypool._variants import KERNEL_SET

    workload = next(w for w in suite.WORKLOADS if w.name == spec["workload"])
    mark = os.getloadavg
    ran, failed = [], {}
    for index, (op, layout, dtype, warmup, calls) in enumerate(spec["rows"]):
        try:
            x = suite.make_input(tuple(spec["shape"]), dtype, layout)
            call = suite.cypool_calls(workload, op, x, layout, 1, True)
            for _ in range(warmup):
                call()
        except Exception as error:  # reported for this row; the others still run
            failed[index] = "%s: %s" % (type(error).__name__, error)
            continue
        gc.collect()
        gc.disable()
        mark()
        for _ in range(calls):
            call()
        mark()
        mark()
        gc.enable()
        ran.append(index)
    with open(spec["result"], "w") as f:
        json.dump(
            dict(kernels=KERNEL_SET, threads=cypool.get_num_threads(), ran=ran, failed=failed), f
        )


# --- the parent -----------------------------------------------------------------------------


def part_instructions(folder, base):
    """Ir of each dumped part, in dump order (callgrind names them ``base.1``, ...)."""
    numbered = []
    for name in os.listdir(folder):
        found = re.fullmatch(re.escape(base) + r"\.(\d+)", name)
        if found:
            numbered.append(int(found.group(1)))
    instructions = []
    for number in sorted(numbered):
        with open(os.path.join(folder, "%s.%d" % (base, number))) as f:
            summary = next(line for line in f if line.startswith("summary:"))
        instructions.append(int(summary.split()[1]))
    return instructions


def count_workload(workload, rows, python):
    """Count one workload's rows in one callgrind process.

    Parameters
    ----------
    workload : str
        The suite workload's name.
    rows : list of Row
        Its rows, sized (``sized``), all of one shape.
    python : str
        The interpreter to run under valgrind.

    Returns
    -------
    counts : dict
        Row index (into ``rows``) to the instructions of one call (a float where
        several calls were averaged), or to the reason the row has no count.
    seconds : float
        The callgrind process's wall time.
    """
    folder = tempfile.mkdtemp(prefix="cypool-callgrind-")
    try:
        spec_path = os.path.join(folder, "spec.json")
        result_path = os.path.join(folder, "result.json")
        with open(spec_path, "w") as f:
            json.dump(
                dict(
                    workload=workload,
                    shape=list(rows[0].shape),
                    rows=[(r.op, r.layout, r.dtype) + r.plan() for r in rows],
                    result=result_path,
                ),
                f,
            )
        import cypool

        root = os.path.dirname(os.path.dirname(os.path.abspath(cypool.__file__)))
        env = dict(
            os.environ,
            CYPOOL_KERNELS=KERNELS,
            OMP_NUM_THREADS="1",
            OPENBLAS_NUM_THREADS="1",
            PYTHONHASHSEED="0",  # the same dict layouts in every run
            PYTHONPATH=os.pathsep.join([root] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
        )
        command = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=" + MARKER,
            "--callgrind-out-file=" + os.path.join(folder, "callgrind.out"),
            python,
            os.path.abspath(__file__),
            "--worker",
            spec_path,
        ]
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0 or not os.path.exists(result_path):
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            reason = "worker failed (exit %d): %s" % (done.returncode, last)
            return {i: reason for i in range(len(rows))}, seconds
        with open(result_path) as f:
            result = json.load(f)
        counts = {int(i): reason for i, reason in result["failed"].items()}
        if result["kernels"] != KERNELS or result["threads"] != 1:
            reason = "ran %s kernels, %s threads" % (result["kernels"], result["threads"])
            return {i: reason for i in range(len(rows))}, seconds
        parts = part_instructions(folder, "callgrind.out")
        if len(parts) != PARTS_PER_ROW * len(result["ran"]):
            # Something else entered getloadavg: the parts cannot be matched to rows.
            reason = "%d profile parts for %d rows" % (len(parts), len(result["ran"]))
            return {i: reason for i in range(len(rows))}, seconds
        for position, index in enumerate(result["ran"]):
            first = PARTS_PER_ROW * position
            # parts[first]: setup and warm-up; [first + 1]: call + marker; [first + 2]: marker.
            calls = rows[index].plan()[1]
            counts[index] = (parts[first + 1] - parts[first + 2]) / calls
        return counts, seconds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def markdown(suite, rows, counts, skipped, args, seconds):
    """The table, with a header that says how it was measured."""
    if args.full is None:
        shapes = "the suite's quick shapes (`quick_shape`)"
    elif not args.full:
        shapes = "the suite's full shapes"
    else:
        shapes = "full for %s, quick (`quick_shape`) for the others" % ", ".join(args.full)
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    lines = [
        "# cypool instructions per output (callgrind)",
        "",
        "cypool's `out=` call of each row, 1 thread, `CYPOOL_KERNELS=%s`, counted by %s "
        "(`benchmarks/instructions.py`: after warm-up calls, the instructions between "
        "two `os.getloadavg` markers minus the markers' own cost; rows under %s outputs "
        "average several calls). "
        "Shapes: %s. Outputs: the forward output's elements (for backward rows, the "
        "grad_output elements). Bytes: the suite's least bytes read and written "
        "(`bytes_moved`). %d rows in %.0f s of callgrind."
        % (KERNELS, version.stdout.strip(), "{:,}".format(SMALL), shapes, len(rows), seconds),
        "",
    ]
    has_met = any(r.met for r in rows)
    header = (
        "| workload | op | layout | dtype | shape | outputs | Ir | Ir / output | bytes / output |"
    )
    lines += [header + (" suite met |" if has_met else ""), "|" + "---|" * (9 + has_met)]
    for row, count in zip(rows, counts):
        w = next(w for w in suite.WORKLOADS if w.name == row.workload)
        dtype = suite._dtype_cell(
            dict(family=w.family, dtype=row.dtype, result=w.result_dtype(row.dtype).name)
        )
        if isinstance(count, str):
            measured = ["-", "not measured: " + count]
        else:
            measured = ["{:,.0f}".format(count), "%.2f" % (count / row.outputs)]
        cells = [row.workload, row.op, row.layout, dtype, "x".join(map(str, row.shape))]
        cells += ["{:,}".format(row.outputs)] + measured + ["%.2f" % (row.moved / row.outputs)]
        if has_met:
            cells.append(row.met)
        lines.append("| " + " | ".join(cells) + " |")
    for label, reason in skipped:
        lines.append("")
        lines.append("Not measured: %s (%s)." % (label, reason))
    return "\n".join(lines)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="+", metavar="WORKLOAD", help="workload names or patterns ('img-*')"
    )
    parser.add_argument("--rows-from", metavar="SUITE_MD", help="take the rows of a suite table")
    parser.add_argument(
        "--missed",
        action="store_true",
        help="with --rows-from: only rows whose met column starts with 'no'",
    )
    parser.add_argument(
        "--full",
        nargs="*",
        metavar="WORKLOAD",
        help="the suite's full shapes for these workloads (names or patterns; none: all)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="callgrind processes at once")
    parser.add_argument("--output", help="also write the markdown table here")
    parser.add_argument("--worker", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.missed and not args.rows_from:
        parser.error("--missed needs --rows-from")
    return args


def main(argv=None):
    args = parse_arguments(argv)
    if args.worker:
        return worker(args.worker)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    suite = load_suite(hide_peers=True)
    rows, skipped = select(suite, args)
    if not rows:
        sys.exit("no rows selected (see --only, --rows-from, --missed)")
    rows = [sized(suite, row) for row in rows]
    groups = {}  # one process per workload: its rows share the input's shape
    for index, row in enumerate(rows):
        groups.setdefault(row.workload, []).append(index)
    counts = [None] * len(rows)
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {
            pool.submit(count_workload, name, [rows[i] for i in indices], sys.executable): indices
            for name, indices in groups.items()
        }
        for future in concurrent.futures.as_completed(futures):
            indices = futures[future]
            found, seconds = future.result()
            for position, index in enumerate(indices):
                counts[index] = found[position]
            print(
                "%s: %d rows, %.0f s" % (rows[indices[0]].workload, len(indices), seconds),
                file=sys.stderr,
            )
    text = markdown(suite, rows, counts, skipped, args, time.perf_counter() - start)
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
