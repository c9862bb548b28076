"""Plain Python/NumPy pooling: the oracle of the tests and the baseline of the benchmarks.

``cypool.reference.max_pool2d`` and friends are the readable loop versions in
``cypool.reference.loops`` (straight from the definitions, slow).
``cypool.reference.vectorized`` has the same functions written the way a NumPy user
would (``sliding_window_view``, ``np.add.at``): the fast-as-NumPy-gets baseline.
"""
from cypool.reference import loops, vectorized
from cypool.reference.loops import (
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
    "loops", "vectorized",
    "avg_pool1d", "avg_pool1d_backward", "avg_pool2d", "avg_pool2d_backward",
    "avg_pool3d", "avg_pool3d_backward",
    "max_pool1d", "max_pool1d_backward", "max_pool2d", "max_pool2d_backward",
    "max_pool3d", "max_pool3d_backward",
]
