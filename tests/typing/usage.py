"""A typed user of cypool: ``mypy --strict`` must accept it (see test_typing.py)."""

from typing import Any

import numpy as np
import numpy.typing as npt

import cypool


def pool_and_back(x: npt.NDArray[np.float32]) -> tuple[npt.NDArray[Any], float]:
    y, indices = cypool.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    values: npt.NDArray[np.float32] = cypool.max_pool2d(x, (2, 2), padding="same")
    mean = cypool.avg_pool2d(x, 2, count_include_pad=False, divisor_override=None)
    grad = cypool.max_pool2d_backward(np.ones_like(y), indices, x.shape)
    grad = grad + cypool.avg_pool2d_backward(np.ones_like(mean), x.shape, 2)
    head = cypool.adaptive_avg_pool2d(x, (7, None), layout="NHWC")
    pooled = cypool.global_avg_pool(x, keepdims=True) + cypool.lp_pool2d(x, 2.0, 2).sum()
    with cypool.num_threads(2):
        image: npt.NDArray[np.float32] = cypool.max_pool(values, 2, axes=(0, 1))
    unpooled = cypool.max_unpool2d(y, indices, 3, 2, 1, output_size=x.shape)
    threads: int = cypool.get_num_threads()
    config = cypool.show_config()
    assert threads >= 1 and "openmp" in config
    total = float(head.sum() + pooled.sum() + image.sum() + unpooled.sum() + values.sum())
    return grad, total
