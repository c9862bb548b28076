"""Remembered call plans (cypool._args.memoized_plan) must behave exactly like
fresh ones: same results, and every bad argument still rejected after a good call
with equal-looking arguments has stored a plan."""

import inspect

import numpy as np
import pytest

import cypool
from cypool import _args
from cypool.reference import loops


@pytest.fixture(autouse=True)
def fresh_plans():
    for cache in _args.PLAN_CACHES:
        cache.clear()
    yield
    for cache in _args.PLAN_CACHES:
        cache.clear()


def _stored():
    return sum(len(cache) for cache in _args.PLAN_CACHES)


def _x(shape=(2, 3, 9, 8), dtype=np.float32, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_planned_calls_equal_the_reference(name):
    x = _x()
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)
    first = getattr(cypool, name)(x, **kw)  # the full path
    assert _stored() == 1
    np.testing.assert_array_equal(getattr(cypool, name)(x, **kw), first)
    for seed in range(1, 4):  # same plan, new data
        x = _x(seed=seed)
        np.testing.assert_allclose(
            getattr(cypool, name)(x, **kw), getattr(loops, name)(x, **kw), rtol=1e-6, atol=1e-6
        )
    assert _stored() == 1


def test_planned_indices_and_out_pairs():
    x = _x()
    y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    out = (np.empty_like(y), np.empty_like(idx))
    result = cypool.max_pool2d(x, 2, return_indices=True, out=out)
    assert result[0] is out[0] and result[1] is out[1]
    np.testing.assert_array_equal(out[0], y)
    np.testing.assert_array_equal(out[1], idx)


@pytest.mark.parametrize(
    "bad, error",
    [
        (dict(kernel_size=2.0), TypeError),
        (dict(kernel_size=True), TypeError),
        (dict(kernel_size=(2, 2.0)), TypeError),
        (dict(kernel_size=2, stride=2.0), TypeError),
        (dict(kernel_size=2, ceil_mode=2), TypeError),
        (dict(kernel_size=2, num_threads=0), ValueError),
        (dict(kernel_size=2, num_threads=1.0), TypeError),
        (dict(kernel_size=2, layout=1), TypeError),
    ],
)
def test_bad_arguments_still_raise_after_a_plan(bad, error):
    x = _x()
    cypool.max_pool2d(x, 2)
    cypool.max_pool2d(x, (2, 2), stride=2, ceil_mode=False)
    with pytest.raises(error):
        cypool.max_pool2d(x, **bad)


def test_bad_out_still_raises_after_a_plan():
    x = _x()
    y = cypool.max_pool2d(x, 2)
    with pytest.raises(ValueError, match="out"):
        cypool.max_pool2d(x, 2, out=np.empty(y.shape, np.float64))
    with pytest.raises(ValueError, match="out"):
        cypool.max_pool2d(x, 2, out=np.empty((1,) + y.shape, np.float32)[0, :, :, :-1, :])
    read_only = np.empty_like(y)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        cypool.max_pool2d(x, 2, out=read_only)
    big = np.zeros(x.size + y.size, np.float32)
    overlapping_x = big[: x.size].reshape(x.shape)
    overlapping_x[...] = x
    cypool.max_pool2d(overlapping_x, 2)
    with pytest.raises(ValueError, match="overlap"):
        cypool.max_pool2d(
            overlapping_x, 2, out=big[x.size - 1 : x.size - 1 + y.size].reshape(y.shape)
        )
    y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    with pytest.raises(TypeError, match="pair"):
        cypool.max_pool2d(x, 2, return_indices=True, out=y)
    with pytest.raises(ValueError, match="out"):
        cypool.max_pool2d(x, 2, return_indices=True, out=(y, idx.astype(np.int32)))


def test_non_contiguous_and_foreign_inputs_after_a_plan():
    x = _x((2, 3, 9, 16))
    cypool.max_pool2d(np.ascontiguousarray(x[..., ::2]), 2)
    strided = x[..., ::2]  # same shape and dtype as the planned call
    np.testing.assert_array_equal(cypool.max_pool2d(strided, 2), loops.max_pool2d(strided, 2))
    swapped = np.ascontiguousarray(x[..., ::2]).astype(">f4")
    np.testing.assert_array_equal(cypool.max_pool2d(swapped, 2), loops.max_pool2d(swapped, 2))
    np.testing.assert_array_equal(
        cypool.max_pool2d(strided.tolist(), 2), loops.max_pool2d(strided, 2)
    )


def test_float16_and_integer_averages_keep_their_result_types():
    for dtype, expected in ((np.float16, np.float16), (np.int16, np.float64)):
        x = _x(dtype=np.float32).astype(dtype)
        for _ in range(2):
            y = cypool.avg_pool2d(x, 2)
            assert y.dtype == expected
            np.testing.assert_allclose(y, loops.avg_pool2d(x, 2), rtol=1e-3)


def test_plan_store_is_bounded():
    x = _x((1, 1, 4, 600))
    for width in range(2, 600):
        cypool.max_pool2d(x[..., :width].copy(), (1, 2))
    assert len(_args.max_pool_plan.cache) <= _args.PLAN_LIMIT


def test_every_argument_of_a_parser_is_in_its_key():
    """A parser's key is its whole argument tuple: changing any one argument (here
    each in turn, to a value that parses to a different plan) must not reuse the
    plan of the first call."""
    parse = _args.max_pool_plan
    names = list(inspect.signature(parse).parameters)
    base = dict(
        ndim=2,
        shape=(1, 2, 6, 6),
        dtype=np.dtype(np.float32),
        kernel_size=2,
        stride=None,
        padding=0,
        dilation=1,
        ceil_mode=False,
        return_indices=False,
        layout="channels_first",
    )
    changed = dict(
        ndim=1,
        shape=(1, 2, 6, 7),
        dtype=np.dtype(np.float64),
        kernel_size=3,
        stride=1,
        padding=1,
        dilation=2,
        ceil_mode=True,
        return_indices=True,
        layout="channels_last",
    )
    assert sorted(names) == sorted(base)
    first = parse(*(base[n] for n in names))
    for name in names:
        arguments = dict(base, **{name: changed[name]})
        if name == "ndim":
            arguments["shape"] = (1, 2, 6)
        plan = parse(*(arguments[n] for n in names))
        assert plan is not first and plan != first, name


def test_parsers_refuse_a_partial_argument_list():
    with pytest.raises(TypeError, match="max_pool_plan takes 10 arguments"):
        _args.max_pool_plan(2, (1, 1, 4, 4), np.dtype(np.float32), 2)


def test_equal_but_differently_typed_arguments_get_their_own_plans():
    x = _x()
    cypool.max_pool2d(x, (2, 2))
    with pytest.raises(TypeError, match="kernel_size must be an integer"):
        cypool.max_pool2d(x, (2, 2.0))
    with pytest.raises(TypeError, match="return_indices must be a bool"):
        cypool.max_pool2d(x, 2, return_indices=2)
    assert cypool.max_pool2d(x, 2, return_indices=1)[1].dtype == np.int64
