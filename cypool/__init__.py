"""cypool: fast, PyTorch-exact pooling for NumPy arrays on the CPU.

Forward and backward max and average pooling over 1, 2 or 3 spatial dims, in
channels-first or channels-last layout, computed by OpenMP-parallel Cython kernels
that release the GIL.  ``cypool.reference`` holds plain Python versions of every
function (the test oracle and benchmark baseline).
"""
__version__ = "0.1.0"

from cypool._config import show_config
from cypool._threads import get_num_threads, num_threads, set_num_threads
from cypool.pooling import (
    avg_pool1d,
    avg_pool1d_backward,
    avg_pool2d,
    avg_pool2d_backward,
    avg_pool3d,
    avg_pool3d_backward,
    max_pool1d,
    max_pool1d_backward,
    max_pool2d,
    max_pool2d_backward,
    max_pool3d,
    max_pool3d_backward,
)

__all__ = [
    "avg_pool1d", "avg_pool1d_backward", "avg_pool2d", "avg_pool2d_backward",
    "avg_pool3d", "avg_pool3d_backward",
    "max_pool1d", "max_pool1d_backward", "max_pool2d", "max_pool2d_backward",
    "max_pool3d", "max_pool3d_backward",
    "get_num_threads", "num_threads", "set_num_threads", "show_config",
]
