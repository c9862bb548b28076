"""cypool against cypool.reference on a seeded sweep of configurations.

Max pooling (values, indices, backward) must match bit for bit; averages are sums
in the array's own precision against the reference's float64 sums, so they match
to a few ulps.
"""

import inspect

import numpy as np
import pytest
from _cases import FLOAT_DTYPES, INTEGER_DTYPES, channels_last, generate

import cypool
from cypool import reference

CASES = generate(260, seed=2026)
INTEGER_CASES = generate(60, seed=7, dtypes=INTEGER_DTYPES)
FLOAT16_CASES = generate(20, seed=16, dtypes=(np.float16,))


def _functions(module, ndim):
    return (
        getattr(module, "max_pool%dd" % ndim),
        getattr(module, "max_pool%dd_backward" % ndim),
        getattr(module, "avg_pool%dd" % ndim),
        getattr(module, "avg_pool%dd_backward" % ndim),
    )


def _tolerance(dtype):
    return {np.float16: 2e-3, np.float32: 2e-6}.get(np.dtype(dtype).type, 1e-12)


def _check_max(case):
    x = case.input()
    fwd, bwd, _, _ = _functions(cypool, case.ndim)
    ref_fwd, ref_bwd, _, _ = _functions(reference, case.ndim)
    y, idx = fwd(x, return_indices=True, layout=case.layout, **case.window)
    y_ref, idx_ref = ref_fwd(x, return_indices=True, layout=case.layout, **case.window)
    assert y.dtype == x.dtype and idx.dtype == np.int64
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(idx, idx_ref)
    np.testing.assert_array_equal(fwd(x, layout=case.layout, **case.window), y_ref)
    grad = case.grad(y.shape, x.dtype)
    np.testing.assert_array_equal(
        bwd(grad, idx, x.shape, layout=case.layout), ref_bwd(grad, idx, x.shape, layout=case.layout)
    )


@pytest.mark.parametrize("case", CASES + INTEGER_CASES + FLOAT16_CASES, ids=lambda c: c.id)
def test_max_pool_matches_reference(case):
    _check_max(case)


@pytest.mark.parametrize("case", CASES + INTEGER_CASES[:20] + FLOAT16_CASES, ids=lambda c: c.id)
def test_avg_pool_matches_reference(case):
    x = case.input()
    _, _, fwd, bwd = _functions(cypool, case.ndim)
    _, _, ref_fwd, ref_bwd = _functions(reference, case.ndim)
    y = fwd(x, layout=case.layout, **case.avg_window)
    y_ref = ref_fwd(x, layout=case.layout, **case.avg_window)
    assert y.dtype == y_ref.dtype and y.shape == y_ref.shape
    tol = _tolerance(y.dtype)
    np.testing.assert_allclose(y, y_ref, rtol=tol, atol=tol)
    grad = case.grad(y.shape, y.dtype)
    g = bwd(grad, x.shape, layout=case.layout, **case.avg_window)
    g_ref = ref_bwd(grad, x.shape, layout=case.layout, **case.avg_window)
    assert g.dtype == g_ref.dtype and g.shape == x.shape
    np.testing.assert_allclose(g, g_ref, rtol=tol, atol=tol)


CHANNELS_LAST_CASES = channels_last()


def _assert_same_max(got, want):
    values, indices = got
    assert values.dtype == want[0].dtype and indices.dtype == np.int64
    np.testing.assert_array_equal(values, want[0])
    np.testing.assert_array_equal(indices, want[1])


@pytest.mark.parametrize("case", CHANNELS_LAST_CASES, ids=lambda c: c.id)
def test_channels_last_with_many_channels_matches_reference(case):
    """The common NHWC inference path (8 and 64 channels: vectors over channels) against
    the loop reference: max and min with and without indices, their backward, and the
    average, for windows inside and outside the old literal ladders."""
    x = case.input()
    nd, layout = case.ndim, case.layout
    axes = tuple(range(x.ndim - 1 - nd, x.ndim - 1))  # the spatial axes, channels last
    window = case.window
    for fast, slow, kwargs in (
        (getattr(cypool, "max_pool%dd" % nd), getattr(reference, "max_pool%dd" % nd), {}),
        (cypool.min_pool, reference.min_pool, dict(axes=axes)),
    ):
        kwargs = dict(kwargs, layout=layout) if "axes" not in kwargs else kwargs
        want = slow(x, return_indices=True, **window, **kwargs)
        _assert_same_max(fast(x, return_indices=True, **window, **kwargs), want)
        np.testing.assert_array_equal(fast(x, **window, **kwargs), want[0])
    grad = case.grad(want[0].shape, np.float32 if x.dtype.kind in "iu" else x.dtype)
    y, idx = cypool.max_pool(x, return_indices=True, axes=axes, **window)
    np.testing.assert_array_equal(
        getattr(cypool, "max_pool%dd_backward" % nd)(grad, idx, x.shape, layout=layout),
        getattr(reference, "max_pool%dd_backward" % nd)(grad, idx, x.shape, layout=layout),
    )
    y = getattr(cypool, "avg_pool%dd" % nd)(x, layout=layout, **case.avg_window)
    y_ref = getattr(reference, "avg_pool%dd" % nd)(x, layout=layout, **case.avg_window)
    assert y.dtype == y_ref.dtype and y.shape == y_ref.shape
    tol = _tolerance(y.dtype)
    np.testing.assert_allclose(y, y_ref, rtol=tol, atol=tol)


def test_channels_last_sweep_covers_the_nhwc_path():
    """What the sweep above claims, so a generator change cannot quietly narrow it."""
    cases = CHANNELS_LAST_CASES
    assert {c.layout for c in cases} == {"channels_last"}
    for channels in (8, 64):
        mine = [c for c in cases if c.shape[-1] == channels]
        assert {np.dtype(c.dtype).name for c in mine} == {
            "float32",
            "float64",
            "float16",
            "uint8",
            "int32",
        }
        assert {c.ndim for c in mine} == {1, 2, 3}
    kernels = set()
    for c in cases:
        k = c.window["kernel_size"]
        kernels.update(k if isinstance(k, tuple) else (k,))
    assert set(range(1, 8)) | {13, 15} <= kernels
    strides = set()
    for c in cases:
        s = c.window["stride"]
        strides.update(s if isinstance(s, tuple) else (s,))
    assert {1, 2, 3} <= strides
    assert any(c.window["dilation"] != 1 for c in cases)
    assert any(c.window["ceil_mode"] for c in cases)
    assert {"same", "valid"} <= {
        c.window["padding"] for c in cases if isinstance(c.window["padding"], str)
    }
    assert any(isinstance(c.window["padding"], tuple) for c in cases)
    assert {"normal", "ties", "specials"} <= {
        c.values for c in cases if np.dtype(c.dtype).kind == "f"
    }


def test_sweep_is_large_and_varied():
    """The sweep really covers what it claims (guards against a generator regression)."""
    cases = CASES
    assert len(cases) >= 200
    assert {c.ndim for c in cases} == {1, 2, 3}
    assert {c.layout for c in cases} == {"channels_first", "channels_last"}
    assert {np.dtype(c.dtype).type for c in cases} == set(FLOAT_DTYPES)
    paddings = {type(c.window["padding"]).__name__ for c in cases}
    assert {"int", "tuple", "str"} <= paddings
    assert any(c.window["padding"] == "same" for c in cases)
    assert any(
        isinstance(c.window["padding"], tuple) and isinstance(c.window["padding"][0], tuple)
        for c in cases
    )
    assert any(c.window["ceil_mode"] for c in cases) and not all(
        c.window["ceil_mode"] for c in cases
    )
    assert any(c.window["dilation"] != 1 for c in cases)
    assert any(c.divisor_override for c in cases)
    assert any(len(c.shape) == c.ndim + 1 for c in cases)  # unbatched
    assert any(len(c.shape) == c.ndim + 2 for c in cases)  # batched


@pytest.mark.parametrize("case", generate(60, seed=31), ids=lambda c: c.id)
def test_vectorized_baseline_matches_loops(case):
    """The NumPy baseline the benchmarks time computes the same thing (finite input)."""
    x = case.input()
    fast, slow = reference.vectorized, reference.loops
    name = "max_pool%dd" % case.ndim
    y, idx = getattr(fast, name)(x, return_indices=True, layout=case.layout, **case.window)
    y_ref, idx_ref = getattr(slow, name)(x, return_indices=True, layout=case.layout, **case.window)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(idx, idx_ref)
    grad = case.grad(y.shape)
    np.testing.assert_array_equal(
        getattr(fast, name + "_backward")(grad, idx, x.shape, layout=case.layout),
        getattr(slow, name + "_backward")(grad, idx, x.shape, layout=case.layout),
    )
    name = "avg_pool%dd" % case.ndim
    tol = _tolerance(x.dtype)
    a = getattr(fast, name)(x, layout=case.layout, **case.avg_window)
    np.testing.assert_allclose(
        a, getattr(slow, name)(x, layout=case.layout, **case.avg_window), rtol=tol, atol=tol
    )
    np.testing.assert_allclose(
        getattr(fast, name + "_backward")(grad, x.shape, layout=case.layout, **case.avg_window),
        getattr(slow, name + "_backward")(grad, x.shape, layout=case.layout, **case.avg_window),
        rtol=tol,
        atol=tol,
    )


def test_reference_exports_every_pooling_function_of_the_package():
    import cypool.reference as reference

    runtime = {"get_include", "get_num_threads", "num_threads", "set_num_threads", "show_config"}
    # Every computing function of the package, under the same name and signature.
    assert set(reference.loops.__all__) == set(cypool.__all__) - runtime
    for name in reference.loops.__all__:
        assert inspect.signature(getattr(reference, name)) == inspect.signature(
            getattr(cypool, name)
        ), name
    assert reference.lp_pool1d is reference.loops.lp_pool1d
