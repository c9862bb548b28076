"""Which row strategy the forward kernels ran: a debugging and testing aid.

Each forward call of the max and average kernels picks one strategy for all its
rows (``choose_strategy`` in cypool/_window_pass.pxd) and counts it.  The names
here follow the STRATEGY_* values there, in order.
"""

from cypool._variants import avg_kernels, max_kernels

NAMES = (
    "windows",
    "row_taps",
    "whole_windows",
    "separable",
    "few_channels",
    "plane_sums",
    "integer_sums",
)


def strategy_counts():
    """Forward calls per strategy since import, by kernel family.

    Returns
    -------
    dict
        ``{"max": {name: calls}, "avg": {name: calls}}`` (min pooling, Lp with
        ``p = inf`` and adaptive max count as max; Lp and adaptive averages as avg).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> from cypool._strategy import strategy_counts
    >>> before = strategy_counts()["max"]["separable"]
    >>> _ = cypool.max_pool2d(np.ones((1, 1, 32, 32), np.float32), 15, stride=1, padding=7)
    >>> strategy_counts()["max"]["separable"] - before
    1
    """
    return {
        family: dict(zip(NAMES, kernels.strategy_counts()))
        for family, kernels in (("max", max_kernels), ("avg", avg_kernels))
    }
