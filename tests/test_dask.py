"""cypool.dask equals the in-memory functions bit for bit on awkward chunkings, under
the threaded scheduler and under a distributed LocalCluster of two worker processes."""

import numpy as np
import pytest

import cypool

da = pytest.importorskip("dask.array", reason="dask is an optional extra")
cdask = pytest.importorskip("cypool.dask")

WINDOWS = [
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=2),
    dict(kernel_size=3, stride=1, padding=1, ceil_mode=True),
    dict(
        kernel_size=(3, 2), stride=(2, 3), padding=((2, 0), (1, 1)), dilation=(2, 1), ceil_mode=True
    ),
    dict(kernel_size=4, stride=3, padding="same"),
]
CHUNKS = [(1, 3, 4, 5), (2, 2, 7, 3), (1, 1, 17, 13), (1, 3, 1, 2), (2, 3, 6, 13)]


def _x(shape=(2, 3, 17, 13), seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("chunks", CHUNKS)
def test_windowed_pooling_equals_in_memory(window, chunks):
    x = _x()
    lazy = da.from_array(x, chunks=chunks)
    with_threads = dict(scheduler="threads")
    np.testing.assert_array_equal(
        cdask.max_pool2d(lazy, **window).compute(**with_threads), cypool.max_pool2d(x, **window)
    )
    np.testing.assert_array_equal(
        cdask.avg_pool2d(lazy, count_include_pad=False, **window).compute(**with_threads),
        cypool.avg_pool2d(x, count_include_pad=False, **window),
    )
    np.testing.assert_array_equal(
        cdask.lp_pool2d(lazy, 2, **window).compute(**with_threads), cypool.lp_pool2d(x, 2, **window)
    )


def test_channels_last_1d_3d_and_integers():
    x = _x((2, 11, 9, 3))
    lazy = da.from_array(x, chunks=(1, 4, 5, 2))
    np.testing.assert_array_equal(
        cdask.avg_pool2d(lazy, 3, 2, 1, layout="NHWC").compute(scheduler="threads"),
        cypool.avg_pool2d(x, 3, 2, 1, layout="NHWC"),
    )
    x1 = (_x((2, 3, 40)) * 50).astype(np.int16)
    np.testing.assert_array_equal(
        cdask.max_pool1d(da.from_array(x1, chunks=(1, 2, 7)), 5, 3, 2).compute(),
        cypool.max_pool1d(x1, 5, 3, 2),
    )
    x3 = _x((1, 2, 9, 8, 7))
    np.testing.assert_array_equal(
        cdask.avg_pool3d(da.from_array(x3, chunks=(1, 1, 4, 3, 5)), 2, ceil_mode=True).compute(),
        cypool.avg_pool3d(x3, 2, ceil_mode=True),
    )


def test_adaptive_and_global_merge_spatial_chunks():
    x = _x()
    lazy = da.from_array(x, chunks=(1, 2, 5, 4))
    np.testing.assert_array_equal(
        cdask.adaptive_avg_pool2d(lazy, (5, 4)).compute(), cypool.adaptive_avg_pool2d(x, (5, 4))
    )
    np.testing.assert_array_equal(
        cdask.adaptive_max_pool2d(lazy, 3).compute(), cypool.adaptive_max_pool2d(x, 3)
    )
    np.testing.assert_array_equal(
        cdask.global_avg_pool(lazy).compute(), cypool.global_avg_pool(x, keepdims=True)
    )
    np.testing.assert_array_equal(
        cdask.global_max_pool(lazy).compute(), cypool.global_max_pool(x, keepdims=True)
    )


@pytest.mark.slow  # starts a cluster of two worker processes
def test_local_cluster_with_two_worker_processes():
    distributed = pytest.importorskip("distributed", reason="distributed is an optional extra")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        x = _x((4, 3, 33, 29), seed=5)
        lazy = da.from_array(x, chunks=(2, 3, 10, 9))
        for window in WINDOWS[:3]:
            np.testing.assert_array_equal(
                client.compute(cdask.max_pool2d(lazy, **window)).result(),
                cypool.max_pool2d(x, **window),
            )
            np.testing.assert_array_equal(
                client.compute(cdask.avg_pool2d(lazy, **window)).result(),
                cypool.avg_pool2d(x, **window),
            )


def test_random_windows_and_chunkings():
    from _cases import generate

    rng = np.random.default_rng(1)
    for case in generate(60, seed=321, dtypes=(np.float64,)):
        x = case.input()
        chunks = tuple(int(rng.integers(1, n + 1)) for n in x.shape)
        lazy = da.from_array(x, chunks=chunks)
        name = "%s_pool%dd" % ("max", case.ndim)
        np.testing.assert_array_equal(
            getattr(cdask, name)(lazy, layout=case.layout, **case.window).compute(),
            getattr(cypool, name)(x, layout=case.layout, **case.window),
            err_msg=case.id,
        )
        name = "avg_pool%dd" % case.ndim
        if hasattr(cdask, name):
            np.testing.assert_array_equal(
                getattr(cdask, name)(lazy, layout=case.layout, **case.avg_window).compute(),
                getattr(cypool, name)(x, layout=case.layout, **case.avg_window),
                err_msg=case.id,
            )


def test_lp_pool_in_1d_and_3d():
    x1, x3 = _x((2, 3, 17)), _x((1, 2, 7, 8, 9))
    lazy1 = da.from_array(x1, chunks=(1, 3, 5))
    lazy3 = da.from_array(x3, chunks=(1, 2, 3, 4, 5))
    np.testing.assert_array_equal(
        cdask.lp_pool1d(lazy1, 2, 3, 2, 1).compute(), cypool.lp_pool1d(x1, 2, 3, 2, 1)
    )
    np.testing.assert_array_equal(
        cdask.lp_pool3d(lazy3, 3, 2, 1).compute(), cypool.lp_pool3d(x3, 3, 2, 1)
    )
