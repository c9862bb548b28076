"""The benchmark suite's rule, rows and peers (cypool.benchmark.suite), without timing:
the rule is fed synthetic rows, and the one run uses tiny shapes and a fixed
bandwidth, asserting only what the table says, never how fast anything was."""

import argparse

import numpy as np
import pytest

from cypool.benchmark import suite

US = 1e-6


def row(ours, floor=1.0, op="forward", peers=None, **fields):
    """A synthetic table row: cypool's out= median ``ours`` seconds, other fields as
    the suite writes them."""
    times = {"cypool out=": (ours, ours)}
    times.update({name: (t, t) for name, t in (peers or {}).items()})
    base = dict(
        workload="W1",
        family="max",
        op=op,
        layout="CF",
        dtype="float32",
        result="float32",
        threads=1,
        peers=times,
        floor=floor,
        outputs=100,
        per_output_of=None,
        busy=False,
    )
    base.update(fields)
    return base


def verdict(r, rows=()):
    return suite.meets(r, list(rows) + [r])


# --- the rule: max(share x best peer, near x floor + 2 us) ---------------------------------


def test_forward_met_by_share_of_best_peer():
    assert verdict(row(0.67, floor=0.1, peers={"torch NCHW": 1.0}))[0]
    ok, reasons = verdict(row(0.68, floor=0.1, peers={"torch NCHW": 1.0}))
    assert not ok and reasons == ["1.01x allowed"]


def test_forward_met_near_the_floor_even_behind_a_peer():
    # 1.3 x floor + 2 us wins over 0.67 x a fast peer.
    assert verdict(row(1.3 * 1.0 + 2 * US, floor=1.0, peers={"OpenCV": 0.1}))[0]
    assert not verdict(row(1.3 * 1.0 + 3 * US, floor=1.0, peers={"OpenCV": 0.1}))[0]


def test_call_cost_makes_tiny_rows_reachable():
    # A floor of 0.01 us: 2 us of call cost is allowed, not 0.013 us.
    assert verdict(row(2.0 * US, floor=0.01 * US))[0]
    assert not verdict(row(2.1 * US, floor=0.01 * US))[0]


@pytest.mark.parametrize("op", ["forward+indices", "backward"])
def test_indices_and_backward_share_and_near(op):
    assert verdict(row(0.33, floor=0.1, op=op, peers={"torch NCHW": 1.0}))[0]
    assert not verdict(row(0.34, floor=0.1, op=op, peers={"torch NCHW": 1.0}))[0]
    assert verdict(row(1.5, floor=1.0, op=op, peers={"torch NCHW": 0.1}))[0]
    assert not verdict(row(1.51, floor=1.0, op=op, peers={"torch NCHW": 0.1}))[0]


def test_two_thread_rows_have_no_scaling_rule():
    one = row(1.0, floor=0.9, peers={"onnxruntime": 1.0})
    two = row(0.99, floor=0.9, threads=2, peers={"onnxruntime": 1.0})  # no faster: still met
    assert verdict(two, [one])[0]


def test_cypool_and_loops_are_never_peers():
    r = row(1.0, floor=0.1, peers={"cypool": 0.1, "python loops (extrapolated)": 0.1})
    assert suite.best_peer(r) == (None, None)
    ok, reasons = verdict(r)
    assert not ok and "allowed" in reasons[0]  # judged on the floor alone


def test_float_averages_count_only_exact_peers():
    peers = {"OpenCV": 0.01, "scipy.ndimage": 0.01, "torch NCHW": 1.0}
    r = row(0.6, floor=0.01, family="avg", workload="img-avg15-2k", peers=peers)
    assert suite.best_peer(r) == ("torch NCHW", 1.0)
    assert verdict(r)[0]
    # integer averages and max/min count every peer
    r = row(0.6, floor=0.01, family="avg", dtype="uint8", result="uint8", peers=peers)
    assert suite.best_peer(r)[0] in ("OpenCV", "scipy.ndimage")
    r = row(0.6, floor=0.01, peers=peers)
    assert suite.best_peer(r)[0] in ("OpenCV", "scipy.ndimage")


# --- the relative targets --------------------------------------------------------------------


def test_channels_last_at_most_1_1x_channels_first():
    cf = row(1.0, floor=10)
    assert verdict(row(1.1, floor=10, layout="CL"), [cf])[0]
    ok, reasons = verdict(row(1.11, floor=10, layout="CL"), [cf])
    assert not ok and reasons == ["CL > 1.1x CF"]
    assert verdict(row(5.0, floor=10, layout="CL"))[0]  # no CF twin in the run: no relation


@pytest.mark.parametrize("half", ["float16", "bfloat16"])
def test_half_precision_at_most_0_6x_float32(half):
    f32 = row(1.0, floor=10)
    assert verdict(row(0.6, floor=10, dtype=half, result=half), [f32])[0]
    ok, reasons = verdict(row(0.61, floor=10, dtype=half, result=half), [f32])
    assert not ok and reasons == ["> 0.6x float32"]


def test_integer_averages_against_float32():
    f32 = row(1.0, floor=10, family="avg", workload="pyramid-gray")
    own = dict(family="avg", workload="pyramid-gray", dtype="uint8", result="uint8")
    assert verdict(row(0.5, floor=10, **own), [f32])[0]
    assert verdict(row(0.51, floor=10, **own), [f32])[1] == ["> 0.5x float32"]
    f64 = dict(own, result="float64", dtype="uint16")
    assert verdict(row(1.0, floor=10, **f64), [f32])[0]
    assert verdict(row(1.01, floor=10, **f64), [f32])[1] == ["> 1x float32"]
    # max pooling of integers has no float32 relation
    assert verdict(row(5.0, floor=10, dtype="uint8", result="uint8"), [row(1.0, floor=10)])[0]


@pytest.mark.parametrize("op, factor", [("forward", 1.5), ("backward", 2.0)])
def test_lp_against_the_average(op, factor):
    average = row(1.0, floor=10, op=op, family="avg", workload="W3")
    lp = dict(op=op, family="lp", workload="Lp")
    assert verdict(row(factor, floor=10, **lp), [average])[0]
    assert verdict(row(factor + 0.01, floor=10, **lp), [average])[1] == ["> %gx average" % factor]


def test_large_window_per_output_against_k3():
    k3 = row(1.0, floor=10, workload="img-max3-2k", outputs=1000)
    big = dict(workload="img-max31-2k", per_output_of="img-max3-2k")
    assert verdict(row(2.0, floor=10, outputs=1000, **big), [k3])[0]
    assert verdict(row(0.2, floor=10, outputs=100, **big), [k3])[0]
    ok, reasons = verdict(row(2.01, floor=10, outputs=1000, **big), [k3])
    assert not ok and reasons == ["> 2x k3 per output"]


def test_busy_row_against_its_idle_one_thread_time():
    idle = {"cypool out=, 1 thread, idle": 1.0}
    busy = dict(workload="busy", threads=2, busy=True)
    assert verdict(row(1.25, floor=0.01, peers=idle, **busy))[0]
    ok, reasons = verdict(row(1.3, floor=0.01, peers=idle, **busy))
    assert not ok and reasons == ["busy 1.30x > 1.25x 1 thread"]


def test_every_failed_rule_is_named():
    cf = row(1.0, floor=10)
    r = row(20.0, floor=1.0, layout="CL", peers={"torch channels_last": 10.0})
    ok, reasons = verdict(r, [cf])
    assert not ok and reasons == ["%.2fx allowed" % (20 / 6.7), "CL > 1.1x CF"]


# --- the rows --------------------------------------------------------------------------------


def _workload(name):
    return next(w for w in suite.WORKLOADS if w.name == name)


def test_rows_of_earlier_rounds_are_kept():
    names = [w.name for w in suite.WORKLOADS]
    earlier = ["W%d" % i for i in range(1, 9)] + ["Lp", "global", "adaptive", "tiny"]
    assert names[: len(earlier)] == earlier
    assert len(set(names)) == len(names)


def test_rows_of_performance_three():
    names = {w.name for w in suite.WORKLOADS}
    for name in ["heatmap", "img-avg15-2k", "pyramid-gray", "pyramid-rgb", "stack-u16", "busy"]:
        assert name in names
    assert {"SPPF%d-%d" % (k, s) for k in (5, 9, 13) for s in (20, 40)} <= names
    for kind, k, side in [("max", 15, 1), ("max", 31, 1), ("max", 15, 2), ("max", 31, 2)]:
        w = _workload("img-%s%d-%dk" % (kind, k, side))
        assert set(w.forward_dtypes) == {"float32", "uint8"} and w.window["stride"] == 1
    for k in (3, 5):
        assert _workload("img-min%d-2k" % k).family == "min"
    assert _workload("pyramid-rgb").layouts == ("CL",)
    assert _workload("stack-u16").ndim == 3


def test_every_relation_has_its_twin_in_the_row_list():
    for w in suite.WORKLOADS:
        if w.per_output_of:
            small = _workload(w.per_output_of)
            assert small.shape == w.shape and small.window["kernel_size"] == 3
            assert set(w.forward_dtypes) <= set(small.forward_dtypes)
        if w.own_dtype:
            assert "float32" in w.forward_dtypes


def test_describe_names_every_workload():
    for w in suite.WORKLOADS:
        assert "x".join(map(str, w.shape)) in suite.describe(w.name)
    assert "min pool 3x3 stride 1 pad 1" in suite.describe("img-min3-2k")
    assert "own type" in suite.describe("pyramid-gray")


def test_busy_row_runs_only_with_more_than_one_thread():
    busy = [_workload("busy")]
    assert list(suite.cases(busy, [1], quick=True)) == []
    (case,) = suite.cases(busy, [1, 2], quick=True)
    assert case[3] == suite.default_threads() and case[4] == "forward"


def test_only_takes_names_and_patterns():
    assert suite.selected("img-max3-1k", ["img-*"])
    assert suite.selected("W1", None)
    assert not suite.selected("W1", ["W2", "img-*"])
    parser = argparse.ArgumentParser()
    suite.add_arguments(parser)
    suite.check_arguments(parser.parse_args(["--only", "SPPF*", "W1"]), parser)
    with pytest.raises(SystemExit):
        suite.check_arguments(parser.parse_args(["--only", "nothing-*"]), parser)


def test_isolated_frameworks_get_only_float_cnn_rows():
    assert suite._isolated_case(_workload("W1"), np.dtype("float32"))
    assert not suite._isolated_case(_workload("img-max3-2k"), np.dtype("uint8"))
    assert not suite._isolated_case(_workload("img-min3-2k"), np.dtype("float32"))
    assert not suite._isolated_case(_workload("busy"), np.dtype("float32"))


# --- the peers -------------------------------------------------------------------------------


def _x(name, dtype, layout="CF"):
    w = _workload(name)
    return suite.make_input(w.quick_shape, dtype, layout)


def test_opencv_and_scipy_only_where_their_operation_is_the_rows():
    pytest.importorskip("cv2")
    pytest.importorskip("scipy")
    for name, dtype in [("img-max3-1k", "uint8"), ("img-min5-2k", "uint8"), ("heatmap", "float32")]:
        w, x = _workload(name), _x(name, dtype)
        assert suite.opencv_call(w, "forward", x, "CF", 1) is not None, name
        assert suite.scipy_call(w, "forward", x, "CF") is not None, name
    w = _workload("img-avg15-2k")
    assert suite.opencv_call(w, "forward", _x(w.name, "uint8"), "CF", 1) is not None
    assert suite.opencv_call(w, "forward", _x(w.name, "float32"), "CF", 1) is None
    assert suite.scipy_call(w, "forward", _x(w.name, "float32"), "CF") is None
    w = _workload("pyramid-rgb")
    assert suite.opencv_call(w, "forward", _x(w.name, "uint8", "CL"), "CL", 1) is not None
    assert suite.scipy_call(w, "forward", _x(w.name, "uint8", "CL"), "CL") is None
    for name in ("W1", "W2", "W4"):  # strided windows, float averages
        w, x = _workload(name), _x(name, "float32")
        assert suite.opencv_call(w, "forward", x, "CF", 1) is None, name
        assert suite.scipy_call(w, "forward", x, "CF") is None, name
    w = _workload("SPPF5-20")
    assert suite.opencv_call(w, "backward", _x(w.name, "float32"), "CF", 1) is None


def test_opencv_peer_computes_cypools_result():
    """The peer's call does the row's work: dilate with the constant border is max
    pooling with padding that never wins."""
    cv2 = pytest.importorskip("cv2")
    import cypool

    x = _x("img-max15-1k", "uint8")[0, 0]
    shape = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    np.testing.assert_array_equal(
        cv2.dilate(x, shape, borderType=cv2.BORDER_CONSTANT),
        cypool.max_pool2d(x[None, None], 15, 1, 7)[0, 0],
    )


def test_missing_peers_are_skipped_and_shown_as_dashes(monkeypatch):
    for name in ("torch", "ort", "cv2", "ndimage"):
        monkeypatch.setattr(suite, name, None)
    monkeypatch.setattr(suite, "bandwidth", lambda threads=1: (1e10, 1e10))
    monkeypatch.setattr(suite, "skimage_call", lambda *a: None)
    rows = suite.main(
        [
            "--quick",
            "--only",
            "tiny",
            "img-max3-1k",
            "pyramid-gray",
            "--threads",
            "1",
            "--repeat",
            "1",
            "--no-numpy",
            "--no-isolated",
        ]
    )
    assert {r["workload"] for r in rows} == {"tiny", "img-max3-1k", "pyramid-gray"}
    for r in rows:
        assert set(r["peers"]) <= {"cypool", "cypool out=", "python loops (extrapolated)"}
    text = suite.table(rows, {1: (1e10, 1e10)}, "Machine: test.")
    assert "rows met.**" in text and "| - |" in text
    assert "%d rows met" % len(rows) in text.splitlines()[-1]


def test_a_failing_peer_is_left_out_not_an_error(monkeypatch):
    def broken(*arguments):
        def call():
            raise RuntimeError("this peer cannot run the case")

        return call

    monkeypatch.setattr(suite, "bandwidth", lambda threads=1: (1e10, 1e10))
    monkeypatch.setattr(suite, "opencv_call", broken)
    monkeypatch.setattr(suite, "torch_call", broken)
    rows = suite.main(
        ["--quick", "--only", "img-max3-1k", "--threads", "1", "--repeat", "1"]
        + ["--no-numpy", "--no-isolated"]
    )
    assert rows and all("OpenCV" not in r["peers"] for r in rows)
    assert all(not any(p.startswith("torch") for p in r["peers"]) for r in rows)
