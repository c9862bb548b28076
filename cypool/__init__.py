"""cypool: fast, PyTorch-exact pooling for NumPy arrays on the CPU.

Max, min, average, Lp, adaptive, global and fractional max pooling and
max-unpooling over 1, 2 or 3 spatial dims (or any axes, NumPy style), forward and
backward, channels-first or channels-last, computed by OpenMP-parallel Cython
kernels that release the GIL.
``cypool.reference`` holds plain Python versions of every function (the test
oracle and benchmark baseline); ``cypool.get_include()`` serves Cython callers.
"""

__version__ = "0.1.0"

from cypool._config import show_config
from cypool._threads import get_num_threads, num_threads, set_num_threads
from cypool.adaptive import (
    adaptive_avg_pool1d,
    adaptive_avg_pool1d_backward,
    adaptive_avg_pool2d,
    adaptive_avg_pool2d_backward,
    adaptive_avg_pool3d,
    adaptive_avg_pool3d_backward,
    adaptive_max_pool1d,
    adaptive_max_pool1d_backward,
    adaptive_max_pool2d,
    adaptive_max_pool2d_backward,
    adaptive_max_pool3d,
    adaptive_max_pool3d_backward,
    global_avg_pool,
    global_max_pool,
)
from cypool.axes import (
    avg_pool,
    avg_pool_backward,
    lp_pool,
    lp_pool_backward,
    max_pool,
    max_pool_backward,
    min_pool,
    min_pool_backward,
)
from cypool.blocks import block_reduce
from cypool.fractional import (
    fractional_max_pool2d,
    fractional_max_pool2d_backward,
    fractional_max_pool3d,
    fractional_max_pool3d_backward,
)
from cypool.pooling import (
    avg_pool1d,
    avg_pool1d_backward,
    avg_pool2d,
    avg_pool2d_backward,
    avg_pool3d,
    avg_pool3d_backward,
    lp_pool1d,
    lp_pool1d_backward,
    lp_pool2d,
    lp_pool2d_backward,
    lp_pool3d,
    lp_pool3d_backward,
    max_pool1d,
    max_pool1d_backward,
    max_pool2d,
    max_pool2d_backward,
    max_pool3d,
    max_pool3d_backward,
)
from cypool.unpool import (
    max_unpool1d,
    max_unpool1d_backward,
    max_unpool2d,
    max_unpool2d_backward,
    max_unpool3d,
    max_unpool3d_backward,
)


def get_include():
    """The include folder for extensions that call cypool's kernels.

    It holds ``cypool/*.pxd`` for ``cimport cypool.kernels`` in Cython, and
    ``cypool/cypool_api.h``, the C API for C and C++ (``import_cypool()``).

    Examples
    --------
    >>> import os, cypool
    >>> os.path.exists(os.path.join(cypool.get_include(), "cypool", "_max_pool.pxd"))
    True
    """
    import os

    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


_FAMILIES = (
    "max_pool",
    "avg_pool",
    "lp_pool",
    "adaptive_max_pool",
    "adaptive_avg_pool",
    "max_unpool",
)
__all__ = sorted(
    [
        "%s%dd%s" % (family, nd, suffix)
        for family in _FAMILIES
        for nd in (1, 2, 3)
        for suffix in ("", "_backward")
    ]
    + [
        "global_max_pool",
        "global_avg_pool",
        "max_pool",
        "avg_pool",
        "lp_pool",
        "max_pool_backward",
        "avg_pool_backward",
        "lp_pool_backward",
        "min_pool",
        "min_pool_backward",
        "fractional_max_pool2d",
        "fractional_max_pool3d",
        "block_reduce",
        "fractional_max_pool2d_backward",
        "fractional_max_pool3d_backward",
        "get_num_threads",
        "num_threads",
        "set_num_threads",
        "show_config",
        "get_include",
    ]
)

from cypool import layers  # noqa: E402  (its classes call the functions above)

# The C API's table, bound by import_cypool() in cypool/cypool_api.h.
from cypool._c_api_table import capsule as _c_api  # noqa: E402
