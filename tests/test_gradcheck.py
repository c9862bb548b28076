"""Finite-difference checks of both backward functions in float64.

Central differences of a random linear functional of the forward output agree
with the backward functions.  Max pooling is checked on inputs whose values are
well separated, so a small step never changes the argmax.
"""

import numpy as np
import pytest
from _cases import generate

import cypool

CASES = generate(30, seed=5, dtypes=(np.float64,))
STEP = 1e-6


def _numeric_gradient(forward, x, weights):
    grad = np.zeros_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + STEP
        plus = np.sum(forward(x) * weights)
        flat_x[i] = saved - STEP
        minus = np.sum(forward(x) * weights)
        flat_x[i] = saved
        flat_g[i] = (plus - minus) / (2 * STEP)
    return grad


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_avg_pool_backward_is_the_gradient(case):
    x = case.input()
    forward = lambda a: getattr(cypool, "avg_pool%dd" % case.ndim)(
        a, layout=case.layout, **case.avg_window
    )
    weights = case.grad(forward(x).shape)
    analytic = getattr(cypool, "avg_pool%dd_backward" % case.ndim)(
        weights, x.shape, layout=case.layout, **case.avg_window
    )
    np.testing.assert_allclose(
        analytic, _numeric_gradient(forward, x, weights), rtol=1e-6, atol=1e-7
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_max_pool_backward_is_the_gradient(case):
    # A random permutation scaled by 1e-3 spacing: no two values closer than 1e-3.
    rng = np.random.default_rng(case.seed)
    x = (rng.permutation(int(np.prod(case.shape))) * 1e-3).reshape(case.shape)
    forward = lambda a: getattr(cypool, "max_pool%dd" % case.ndim)(
        a, layout=case.layout, **case.window
    )
    y, idx = getattr(cypool, "max_pool%dd" % case.ndim)(
        x, return_indices=True, layout=case.layout, **case.window
    )
    weights = case.grad(y.shape)
    analytic = getattr(cypool, "max_pool%dd_backward" % case.ndim)(
        weights, idx, x.shape, layout=case.layout
    )
    np.testing.assert_allclose(
        analytic, _numeric_gradient(forward, x, weights), rtol=1e-6, atol=1e-7
    )
