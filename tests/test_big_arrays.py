"""64-bit index arithmetic: planes of more than 2**31 elements pool correctly.

These allocate several GiB: they run when the machine has the memory (CI's has
24 GiB) and skip, saying why, when it does not."""

import time

import numpy as np
import pytest

import cypool


def _available_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return 0.0


needs = lambda gib: pytest.mark.skipif(
    _available_gib() < gib, reason="needs %d GiB of free memory" % gib
)


@pytest.mark.slow  # fills and pools a 2 GiB plane
@needs(12)
def test_uint8_plane_beyond_2_to_the_31(capsys):
    side = 46341  # side**2 = 2_147_488_281 > 2**31
    x = np.zeros((1, 1, side, side), np.uint8)
    marks = {(0, 1): 7, (side - 1, side - 1): 9, (40000, 12345): 200, (23170, 1): 3}
    for (i, j), v in marks.items():
        x[0, 0, i, j] = v
    start = time.perf_counter()
    # ceil_mode keeps the last row and column: their indices pass 2**31
    y, idx = cypool.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    elapsed = time.perf_counter() - start
    out = side // 2 + 1
    assert y.shape == (1, 1, out, out) and y.dtype == np.uint8
    for (i, j), v in marks.items():
        assert y[0, 0, i // 2, j // 2] == v
        assert idx[0, 0, i // 2, j // 2] == i * side + j
    assert idx[0, 0, out - 1, out - 1] == (side - 1) * side + side - 1 > 2**31
    # an all-zero window reports its first element, also past 2**31
    assert idx[0, 0, 1, 1] == 2 * side + 2
    assert idx[0, 0, out - 1, 5] == (side - 1) * side + 10
    grad = cypool.max_pool2d_backward(y, idx, x.shape)
    assert grad.dtype == np.uint8
    assert grad[0, 0, 40000, 12345] == 200 and grad[0, 0, side - 1, side - 1] == 9
    assert int(grad[0, 0, side - 1, :].sum()) == 9  # the rest of the last row got zeros
    with capsys.disabled():
        print(
            "\n[big] max_pool2d with indices of (1, 1, %d, %d) uint8 (%.2f GiB): %.1f s"
            % (side, side, x.nbytes / 2**30, elapsed)
        )


@pytest.mark.slow  # a billion outputs
@needs(6)
def test_1d_row_with_a_billion_outputs_pools_in_bounded_memory(capsys):
    """A (1, 1, 2**31 + 5) uint8 row: 2**30 + 2 outputs.  The window tables of one
    kernel call would take 24 GiB; the chunked path keeps them O(chunk)."""
    n = 2**31 + 5
    x = np.zeros((1, 1, n), np.uint8)
    marks = {1: 7, 2**31 - 2: 9, n - 1: 200, 12345: 3}
    for i, v in marks.items():
        x[0, 0, i] = v
    start = time.perf_counter()
    y = cypool.max_pool1d(x, 2, ceil_mode=True)
    elapsed = time.perf_counter() - start
    assert y.shape == (1, 1, n // 2 + 1) and y.dtype == np.uint8
    for i, v in marks.items():
        assert y[0, 0, i // 2] == v
    assert int(y.sum(dtype=np.int64)) == sum(marks.values())
    z = cypool.min_pool(x[0, 0, -11:], 3, 2)
    assert z.tolist() == [0, 0, 0, 0, 0]
    with capsys.disabled():
        print("\n[big] max_pool1d of a (1, 1, 2**31 + 5) uint8 row: %.1f s" % elapsed)
