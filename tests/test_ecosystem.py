"""cypool in the ecosystem: threadpoolctl, the command line, the version."""

import os
import subprocess
import sys

import numpy as np
import pytest

import cypool


def test_version_is_exposed():
    assert isinstance(cypool.__version__, str) and cypool.__version__.count(".") >= 2


def test_threadpoolctl_sees_and_limits_cypool():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from cypool._runtime import openmp_enabled

    if not openmp_enabled():
        pytest.skip("this build of cypool has no OpenMP runtime")
    info = threadpoolctl.threadpool_info()
    assert any(entry["user_api"] == "openmp" for entry in info), info
    x = np.random.default_rng(0).standard_normal((4, 8, 32, 32))
    expected = cypool.max_pool2d(x, 2, num_threads=1)
    with threadpoolctl.threadpool_limits(1, user_api="openmp"):
        assert cypool.get_num_threads() == 1
        np.testing.assert_array_equal(cypool.max_pool2d(x, 2), expected)
    with threadpoolctl.threadpool_limits(2, user_api="openmp"):
        assert cypool.get_num_threads() == 2


@pytest.mark.slow  # runs a benchmark workload in a fresh interpreter
@pytest.mark.parametrize("command", [["-m", "cypool"], None])
def test_command_line_prints_config_and_a_table(command):
    if command is None:  # the installed console script, next to this Python
        script = os.path.join(os.path.dirname(sys.executable), "cypool")
        if not os.path.exists(script):
            pytest.skip("the cypool console script is not installed (source-tree build)")
        argv = [script]
    else:
        argv = [sys.executable] + command
    result = subprocess.run(
        argv + ["bench", "--only", "tiny", "--threads", "1", "--repeat", "2", "--no-numpy"],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(__file__),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "openmp" in result.stdout and "| tiny | forward |" in result.stdout
    assert not result.stderr.lstrip().startswith("[{"), "the command printed its return value"


def _cli(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "cypool", *arguments],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(__file__),
        timeout=120,
    )


def test_command_line_help_lists_the_bench_options():
    result = _cli("--help")
    assert result.returncode == 0
    for option in (
        "--full",
        "--only",
        "--threads",
        "--repeat",
        "--plot",
        "--output",
        "--list",
        "--torch-ops",
        "--family",
    ):
        assert option in result.stdout, option


def test_command_line_lists_the_workloads():
    from cypool.benchmark import suite

    result = _cli("bench", "--list")
    assert result.returncode == 0 and "openmp" not in result.stdout  # no config, no timing
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [w.name for w in suite.WORKLOADS]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("bench", "--bogus"), "unrecognized arguments: --bogus"),
        (("bench", "--only", "W99"), "unknown workload W99"),
        (("bench", "--threads", "two"), "invalid int value"),
        (("benchmark",), "invalid choice"),
    ],
)
def test_command_line_bad_arguments_exit_2(arguments, message):
    result = _cli(*arguments)
    assert result.returncode == 2 and message in result.stderr
    assert result.stdout == ""  # nothing ran
