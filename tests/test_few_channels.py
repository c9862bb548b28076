"""Channels-last rows of 2-7 channels: the compacting shuffles and the indexed max
in registers (cypool/include/cypool_rows.h's cp_keep_pixels and cp_max_indexed),
and the staging scratch that one call at a time borrows between calls.

The widths put whole vectors, the exact-size stores and the one-pixel tail of
cp_keep_pixels in a row for every vector width (16-, 32- and 64-byte variants)."""

import threading

import numpy as np
import pytest

import cypool
from cypool import reference

DTYPES = [
    np.float32,
    np.float64,
    np.float16,
    np.uint8,
    np.int16,
    np.int32,
    np.int64,
]
WIDTHS = [5, 37, 131, 260]


def _image(dtype, width, channels, rng):
    values = rng.standard_normal((2, 4, width, channels)) * 50
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        values = np.clip(values, info.min, info.max)
    return values.astype(dtype)


def _check(x, indices, **window):
    got = cypool.max_pool2d(
        x, return_indices=indices, layout="channels_last", num_threads=1, **window
    )
    want = reference.max_pool2d(x, return_indices=indices, layout="channels_last", **window)
    if indices:
        np.testing.assert_array_equal(got[1], want[1])
        got, want = got[0], want[0]
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("channels", [2, 3, 4, 5])
@pytest.mark.parametrize("stride", [2, 3])
@pytest.mark.parametrize("indices", [False, True])
def test_strided_few_channel_rows_match_the_reference(dtype, channels, stride, indices):
    rng = np.random.default_rng(channels * 10 + stride)
    for width in WIDTHS:
        x = _image(dtype, width, channels, rng)
        for kernel, padding in ((2, 0), (3, 1), (stride + 1, 0)):
            _check(x, indices, kernel_size=(2, kernel), stride=(1, stride), padding=(0, padding))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.uint32])
@pytest.mark.parametrize("channels", [2, 3, 7])
def test_indexed_max_keeps_the_first_maximum_and_the_last_nan(dtype, channels):
    # Few distinct values, so that windows hold ties; NaN where the type has it.
    rng = np.random.default_rng(channels)
    x = rng.integers(0, 3, size=(1, 6, 300, channels)).astype(dtype)
    if np.issubdtype(dtype, np.floating):
        x[rng.random(x.shape) < 0.05] = np.nan
        x[rng.random(x.shape) < 0.1] = -0.0
    for kernel, stride, dilation in ((3, 1, 1), (3, 2, 1), (4, 3, 1), (2, 2, 2)):
        _check(x, True, kernel_size=kernel, stride=stride, dilation=dilation)


def test_staging_scratch_lent_to_one_call_at_a_time():
    # float16 channels-last stages its whole image (a scratch of 4 MiB or more,
    # the size the kept block serves); four threads at once, each checked.
    rng = np.random.default_rng(5)
    images = [rng.standard_normal((1, 640, 640, 3)).astype(np.float16) for _ in range(4)]
    # float32 runs unstaged, and float16 converts to it exactly both ways.
    want = [
        cypool.max_pool2d(x.astype(np.float32), 3, 2, 1, layout="channels_last").astype(np.float16)
        for x in images
    ]
    results = [None] * len(images)

    def work(i):
        for _ in range(5):
            results[i] = cypool.max_pool2d(images[i], 3, 2, 1, layout="channels_last")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(images))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, expected in zip(results, want):
        np.testing.assert_array_equal(got, expected)
