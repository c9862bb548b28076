"""Every row strategy of the max forward kernel runs, and agrees with the oracles.

The max forward kernel picks one strategy per call (``MaxStrategy`` in
cypool/_max_pool.pyx) and counts the calls that ran each one
(``strategy_counts()`` of the loaded kernel module).  The sweep covers channels
{1, 3, 4, 5, 8, 64}, both layouts, with and without indices, five dtypes and
windows inside and outside the common sizes (k 1-7, 13, 15, 31; stride 1-3;
dilation; padding; ceil_mode), each compared with cypool.reference (and torch
where installed); the last test fails if a strategy was never selected.
"""

import itertools

import numpy as np
import pytest

import cypool
from cypool import reference
from cypool._strategy import strategy_counts

DTYPES = (np.float32, np.float64, np.float16, np.uint8, np.int32)
CHANNELS = (1, 3, 4, 5, 8, 64)
# (kernel, stride, padding, dilation, ceil_mode), 2-D and square
WINDOWS = (
    (1, 1, 0, 1, False),
    (2, 2, 0, 1, False),
    (3, 2, 1, 1, False),
    (3, 1, 1, 1, False),
    (4, 3, 1, 1, True),
    (5, 1, 2, 1, False),
    (6, 2, 0, 1, True),
    (7, 3, 3, 1, False),
    (13, 1, 6, 1, False),
    (15, 1, 7, 1, False),
    (31, 1, 15, 1, False),
    (3, 1, 2, 2, False),
    (2, 3, 0, 2, True),
    (5, 2, 2, 1, True),
)


def _cases():
    rng = np.random.default_rng(21)
    cases = []
    for window, channels, layout in itertools.product(
        WINDOWS, CHANNELS, ("channels_first", "channels_last")
    ):
        dtype = DTYPES[int(rng.integers(len(DTYPES)))]
        k, _, padding, dilation, _ = window
        smallest = max(dilation * (k - 1) + 1 - 2 * padding, 2)
        # large windows with many channels: small planes (the oracle is slow there;
        # torch checks the large planes below)
        spread = 14 if k * k * channels < 2000 else 4
        size = int(rng.integers(smallest, smallest + spread))
        cases.append((window, channels, layout, dtype, (size, size + 3)))
    return cases


CASES = _cases()


def _input(dtype, channels, layout, spatial, seed):
    rng = np.random.default_rng(seed)
    # the loop oracle takes k * k steps per output: one image for the large windows
    batch = 1 if channels * spatial[0] * spatial[1] > 4000 else 2
    shape = (batch, channels) + spatial if layout == "channels_first" else (batch,) + spatial
    shape = shape if layout == "channels_first" else shape + (channels,)
    if np.dtype(dtype).kind == "f":
        # few distinct values: ties, so the first-maximum rule is exercised
        return (rng.integers(-4, 5, size=shape) / 2).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -1000), min(info.max, 1000), size=shape).astype(dtype)


def _case_id(case):
    (k, s, p, d, ceil), channels, layout, dtype, spatial = case
    return "k%d-s%d-p%d-d%d%s-c%d-%s-%s" % (
        k,
        s,
        p,
        d,
        "-ceil" if ceil else "",
        channels,
        "CF" if layout == "channels_first" else "CL",
        np.dtype(dtype).name,
    )


def _bits(a):
    return a.view("u%d" % a.dtype.itemsize)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_strategy_agrees_with_the_reference(case):
    (k, s, p, d, ceil), channels, layout, dtype, spatial = case
    x = _input(dtype, channels, layout, spatial, seed=k * 100 + channels)
    window = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil, layout=layout)
    y_ref, idx_ref = reference.max_pool2d(x, return_indices=True, **window)
    y, idx = cypool.max_pool2d(x, return_indices=True, **window)
    np.testing.assert_array_equal(_bits(y), _bits(y_ref))
    np.testing.assert_array_equal(idx, idx_ref)
    np.testing.assert_array_equal(_bits(cypool.max_pool2d(x, **window)), _bits(y_ref))
    np.testing.assert_array_equal(
        _bits(cypool.min_pool(x, **_axes_window(window, x.ndim))),
        _bits(reference.min_pool(x, **_axes_window(window, x.ndim))),
    )
    if np.dtype(dtype).itemsize <= 2 and np.dtype(dtype).kind in "iu":
        # exact integer sums (the integer_sums strategy): the float64 mean as the
        # reference computes it, and x's own type as its np.rint, saturated
        average = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        average["axes"] = (2, 3) if layout == "channels_first" else (1, 2)
        mean = reference.avg_pool(x, **average)
        np.testing.assert_array_equal(cypool.avg_pool(x, **average), mean)
        info = np.iinfo(dtype)
        np.testing.assert_array_equal(
            cypool.avg_pool(x, dtype=dtype, **average),
            np.clip(np.rint(mean), info.min, info.max).astype(dtype),
        )
    if d == 1 and np.dtype(dtype).kind == "f":
        average = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, layout=layout)
        tolerance = {np.float16: 2e-3, np.float32: 2e-6}.get(dtype, 1e-12)
        np.testing.assert_allclose(
            cypool.avg_pool2d(x, **average).astype(np.float64),
            reference.avg_pool2d(x, **average).astype(np.float64),
            rtol=tolerance,
            atol=tolerance,
        )


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
def test_global_and_adaptive_averages_agree_with_the_reference(layout):
    x = _input(np.float32, 3, layout, (9, 11), seed=5)
    np.testing.assert_allclose(
        cypool.global_avg_pool(x, layout=layout),
        reference.global_avg_pool(x, layout=layout),
        rtol=2e-6,
    )
    np.testing.assert_allclose(
        cypool.adaptive_avg_pool2d(x, (4, 5), layout=layout),
        reference.adaptive_avg_pool2d(x, (4, 5), layout=layout),
        rtol=2e-6,
    )


def _axes_window(window, ndim):
    """The CNN window as min_pool's NumPy-style arguments (pooled axes given)."""
    axes = (2, 3) if window["layout"] == "channels_first" else (1, 2)
    args = {key: value for key, value in window.items() if key != "layout"}
    return dict(args, axes=axes)


@pytest.mark.parametrize(
    "k, layout, channels",
    [
        (3, "channels_first", 1),
        (15, "channels_first", 1),
        (5, "channels_last", 3),
        (31, "channels_last", 8),
    ],
)
def test_running_max_keeps_pytorchs_rule_for_nan_and_signed_zeros(k, layout, channels):
    """The separable strategy's plain max cannot tell -0.0 from 0.0 or keep the
    last NaN: planes holding either are redone by whole windows."""
    rng = np.random.default_rng(k)
    spatial = (k // 2 + 4, k // 2 + 7)
    shape = (1, channels) + spatial if layout == "channels_first" else (1,) + spatial + (channels,)
    x = np.zeros(shape, np.float32)
    x[(0,) * x.ndim] = -0.0
    flat = x.reshape(-1)
    flat[rng.choice(flat.size, size=flat.size // 2, replace=False)] = -0.0
    flat[rng.choice(flat.size, size=3, replace=False)] = np.float32("nan")
    window = dict(kernel_size=k, stride=1, padding=k // 2, layout=layout)
    before = strategy_counts()["max"]["separable"]
    y = cypool.max_pool2d(x, **window)
    assert strategy_counts()["max"]["separable"] == before + 1
    np.testing.assert_array_equal(_bits(y), _bits(reference.max_pool2d(x, **window)))


def test_torch_agrees_on_every_strategy():
    torch = pytest.importorskip("torch")
    for (k, s, p, d, ceil), channels, layout, dtype, spatial in CASES:
        if dtype not in (np.float32, np.float64) or p > k // 2:
            continue  # torch forbids padding above k // 2
        x = _input(dtype, channels, layout, spatial, seed=k + channels)
        window = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        t = torch.from_numpy(x if layout == "channels_first" else np.moveaxis(x, -1, 1))
        y_t, idx_t = torch.nn.functional.max_pool2d(t, return_indices=True, **window)
        y, idx = cypool.max_pool2d(x, return_indices=True, layout=layout, **window)
        if layout == "channels_last":
            y, idx = np.moveaxis(y, -1, 1), np.moveaxis(idx, -1, 1)
        np.testing.assert_array_equal(_bits(y), _bits(y_t.numpy()))
        np.testing.assert_array_equal(idx, idx_t.numpy())
        if d == 1:
            a_t = torch.nn.functional.avg_pool2d(t, k, s, p, ceil)
            a = cypool.avg_pool2d(x, k, s, p, ceil_mode=ceil, layout=layout)
            if layout == "channels_last":
                a = np.moveaxis(a, -1, 1)
            np.testing.assert_array_equal(_bits(a), _bits(a_t.numpy()))


def test_the_sweep_selected_every_strategy():
    """Runs after the sweep (pytest keeps file order): a strategy that silently
    stopped being chosen fails here."""
    counts = strategy_counts()
    averages_only = ("plane_sums", "integer_sums")
    never = [
        name for name, calls in counts["max"].items() if calls == 0 and name not in averages_only
    ]
    never += [
        "avg " + name
        for name in ("windows", "row_taps", "whole_windows") + averages_only
        if counts["avg"][name] == 0
    ]
    assert not never, "strategies never selected: %s (counts %s)" % (never, counts)


def test_few_channel_sweep_is_not_chosen_for_pixels_wider_than_its_chunk():
    """Seven channels at stride 150 make a pixel step of 1,050 elements, more than
    the sweep's chunk holds: the call must pick another strategy (the sweep would
    never advance) and still agree with the reference."""
    x = np.arange(1 * 3 * 310 * 7, dtype=np.float32).reshape(1, 3, 310, 7) % 17
    window = dict(kernel_size=(1, 3), stride=(1, 150), layout="channels_last")
    before = strategy_counts()["max"]["few_channels"]
    y, idx = cypool.max_pool2d(x, return_indices=True, **window)
    assert strategy_counts()["max"]["few_channels"] == before
    y_ref, idx_ref = reference.max_pool2d(x, return_indices=True, **window)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(idx, idx_ref)
