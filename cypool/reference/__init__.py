"""Plain Python/NumPy pooling: the oracle of the tests and the baseline of the benchmarks.

``cypool.reference.max_pool2d`` and friends are the readable loop versions in
``cypool.reference.loops`` (straight from the definitions, slow).
``cypool.reference.vectorized`` has the same functions written the way a NumPy user
would (``sliding_window_view``, ``np.add.at``): the fast-as-NumPy-gets baseline.
"""

from cypool.reference import loops, vectorized

# Every loop version under its public name (lp, adaptive, global and unpool included),
# taken from loops.__all__ so the two lists cannot drift apart.
globals().update({name: getattr(loops, name) for name in loops.__all__})

__all__ = ["loops", "vectorized", *loops.__all__]
