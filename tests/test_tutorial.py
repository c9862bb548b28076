"""The tutorial runs headless, saves its figures, and its NumPy CNN learns the digits."""

import os
import subprocess
import sys

import pytest

TUTORIAL = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "tutorial.py")


@pytest.mark.slow  # trains a small CNN in NumPy
def test_tutorial_trains_a_cnn_to_90_percent(tmp_path):
    pytest.importorskip("matplotlib", reason="the tutorial needs matplotlib")
    pytest.importorskip("sklearn", reason="the tutorial needs scikit-learn")
    result = subprocess.run(
        [sys.executable, TUTORIAL, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, MPLBACKEND="Agg"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    accuracy = float(result.stdout.split("accuracy on digits:")[1].split()[0])
    assert accuracy >= 0.90, result.stdout
    for name in ("pooling_forward.png", "pooling_backward.png", "pyramid.png", "speed.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name
