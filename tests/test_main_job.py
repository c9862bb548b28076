"""The bare ``cypool`` command, as a newcomer meets it: the configuration, then a
short table of common calls named by their shapes, with no error text, and every
row comparing the same result across libraries."""

import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest

import cypool
from cypool.benchmark import tour

# What a fresh environment with only cypool installed lacks: each peer's import fails.
BLOCKED = {"torch": "torch", "cv2": "cv2", "scipy": "scipy"}


def _run_bare_command(tmp_path, block_peers):
    """``python -m cypool`` from an empty folder, importing the cypool under test."""
    env = dict(os.environ)
    paths = []
    if block_peers:
        blocker = tmp_path / "blocked"
        for module in BLOCKED:
            (blocker / module).mkdir(parents=True)
            (blocker / module / "__init__.py").write_text(
                "raise ImportError('%s is blocked by test_main_job')\n" % module
            )
        paths.append(str(blocker))
    folder = os.path.dirname(os.path.dirname(os.path.abspath(cypool.__file__)))
    if "site-packages" not in folder:  # a source-tree build: put it on the path
        paths.append(folder)
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")])
    work = tmp_path / "work"
    work.mkdir()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "cypool"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=900,
    )
    return result, time.perf_counter() - start


def _table_rows(stdout):
    """The table's body: the lines between the dashed rule and the first blank line."""
    lines = stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+(  -+)+", line))
    body = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        body.append(line)
    return lines[rule - 1], body


def test_bare_command_in_an_environment_without_peers(tmp_path):
    result, seconds = _run_bare_command(tmp_path, block_peers=True)
    assert result.returncode == 0, result.stderr[-3000:]
    everything = result.stdout + result.stderr
    for text in ("Traceback", "ModuleNotFoundError", "ImportError", "blocked by"):
        assert text not in everything, text
    # the configuration first
    assert result.stdout.index("openmp") < result.stdout.index("operation")
    header, body = _table_rows(result.stdout)
    assert header.split() == ["operation", "cypool", "NumPy", "vs", "NumPy"]
    assert len(body) == len(tour.cases({})) and 6 <= len(body) <= 10
    for line in body:
        # named by its shape and dtype, then cypool's and NumPy's ms and a speed-up
        match = re.fullmatch(
            r"(\S.*? on \d+(?:x\d+)+ (?:float32|float64|uint8))\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)x",
            line,
        )
        assert match, line
        assert float(match.group(2)) > 0 and float(match.group(3)) > 0
    # the maintainers' verdicts stay in `cypool bench --full`
    assert " met" not in result.stdout and "W1" not in result.stdout
    # the missing peers, named once, with the extra that brings them
    assert result.stdout.count('pip install ".[bench]"') == 1
    for name in ("PyTorch", "OpenCV", "SciPy"):
        assert result.stdout.count(name) == 1, name
    # a progress bar on stderr that reached its end
    assert re.search(r"\[#+\] (\d+)/\1 done", result.stderr), result.stderr[-500:]
    # the issue asks for under 30 s on its 2-core machine; this bound only catches
    # a runaway (a shared CI machine may be busy)
    assert seconds < 300, seconds


def _importable(module):
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def test_every_row_computes_the_same_result_in_each_library():
    """A speed-up means something only if the libraries compute the same thing."""
    peers = {
        name: tour._import(module)
        for name, module in tour.PEERS
        if _importable(module.split(".")[0])
    }
    peers = {name: module for name, module in peers.items() if module is not None}
    rows = tour.cases(peers)
    assert len({case.label for case in rows}) == len(rows)
    for case in rows:
        expected = tour.as_array(case.calls["cypool"]())
        for name, call in case.calls.items():
            got = tour.as_array(call())
            assert got.size == expected.size, (case.label, name, got.shape)
            got = got.reshape(expected.shape)
            if name == "OpenCV" and got.dtype == np.uint8:  # rounded means
                np.testing.assert_allclose(got, expected, atol=0.5 + 1e-9, err_msg=case.label)
            else:
                np.testing.assert_allclose(got, expected, rtol=1e-6, err_msg=case.label)


def test_the_table_names_each_installed_peer_and_the_fastest_other():
    rows = [tour.Case("max pool 2x2 stride 2 on 4x4 float32", {}, "")]
    times = {rows[0].label: {"cypool": 0.002, "NumPy": 0.1, "OpenCV": 0.004}}
    text = tour.table(rows, times, ["PyTorch", "OpenCV"])
    header, rule, line = text.splitlines()
    assert header.split() == [
        "operation", "cypool", "NumPy", "PyTorch", "OpenCV", "vs", "NumPy", "vs", "fastest", "other"
    ]  # fmt: skip
    assert line.split()[-7:] == ["2.00", "100", "-", "4.00", "50x", "2.0x", "OpenCV"]
    times[rows[0].label]["OpenCV"] = 0.0005
    assert tour.table(rows, times, ["OpenCV"]).endswith("0.25x OpenCV")


@pytest.mark.parametrize("ratio, text", [(123.4, "123x"), (3.21, "3.2x"), (0.034, "0.03x")])
def test_speed_ups_keep_two_significant_digits(ratio, text):
    assert tour._times(ratio) == text
