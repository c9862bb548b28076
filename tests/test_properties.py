"""Property tests (hypothesis): for random shapes and window arguments, cypool
either equals cypool.reference or raises ValueError/TypeError naming an argument,
and the two agree on which."""

import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cypool
from cypool.reference import loops

ARGUMENT_NAMES = (
    "x",
    "kernel_size",
    "stride",
    "padding",
    "dilation",
    "ceil_mode",
    "layout",
    "divisor_override",
    "count_include_pad",
    "norm_type",
    "output_size",
)

small_int = st.integers(-1, 4)
per_dim = lambda nd: st.one_of(small_int, st.tuples(*[small_int] * nd))


@st.composite
def pooling_calls(draw):
    nd = draw(st.integers(1, 3))
    layout = draw(st.sampled_from(["channels_first", "channels_last", "NHWC", "bogus"]))
    spatial = tuple(draw(st.integers(0, 6)) for _ in range(nd))
    channels = draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)),) + (
        (channels,) + spatial if layout == "channels_first" else spatial + (channels,)
    )
    if draw(st.booleans()):
        shape = shape[1:]
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int16, np.uint8]))
    padding = draw(
        st.one_of(
            small_int,
            st.sampled_from(["same", "valid", "full"]),
            st.tuples(*[st.tuples(small_int, small_int)] * nd),
        )
    )
    window = dict(
        kernel_size=draw(per_dim(nd)),
        stride=draw(st.one_of(st.none(), per_dim(nd))),
        padding=padding,
        dilation=draw(st.one_of(st.integers(0, 3), per_dim(nd))),
        ceil_mode=draw(st.booleans()),
    )
    seed = draw(st.integers(0, 2**16))
    return nd, shape, dtype, layout, window, seed


def _outcome(function, *args, **kwargs):
    try:
        return "ok", function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        # The message opens with the argument's name ("x must ...", "stride must ...").
        assert re.match(r"(%s)\b" % "|".join(ARGUMENT_NAMES), message), message
        return "error", type(error)


def _same(a, b, exact):
    kind_a, value_a = a
    kind_b, value_b = b
    assert kind_a == kind_b, (a, b)
    if kind_a == "error":
        assert value_a == value_b
        return
    if isinstance(value_a, tuple):
        for u, v in zip(value_a, value_b):
            np.testing.assert_array_equal(u, v)
    elif exact:
        np.testing.assert_array_equal(value_a, value_b)
    else:
        np.testing.assert_allclose(value_a, value_b, rtol=1e-5, atol=1e-5)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooling_calls())
def test_max_pool_equals_reference_or_both_raise(call):
    nd, shape, dtype, layout, window, seed = call
    x = np.random.default_rng(seed).integers(0, 50, size=shape).astype(dtype)
    name = "max_pool%dd" % nd
    _same(
        _outcome(getattr(cypool, name), x, return_indices=True, layout=layout, **window),
        _outcome(getattr(loops, name), x, return_indices=True, layout=layout, **window),
        exact=True,
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooling_calls(), st.booleans(), st.one_of(st.none(), st.integers(-1, 5)))
def test_avg_pool_equals_reference_or_both_raise(call, count_include_pad, divisor_override):
    nd, shape, dtype, layout, window, seed = call
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float64)
    name = "avg_pool%dd" % nd
    kw = dict(window, count_include_pad=count_include_pad, divisor_override=divisor_override)
    _same(
        _outcome(getattr(cypool, name), x, layout=layout, **kw),
        _outcome(getattr(loops, name), x, layout=layout, **kw),
        exact=False,
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooling_calls(), st.sampled_from([1, 2, 3.5, np.inf, 0, -1, float("nan")]))
def test_lp_pool_equals_reference_or_both_raise(call, p):
    nd, shape, dtype, layout, window, seed = call
    x = np.random.default_rng(seed).standard_normal(shape)
    name = "lp_pool%dd" % nd
    _same(
        _outcome(getattr(cypool, name), x, p, layout=layout, **window),
        _outcome(getattr(loops, name), x, p, layout=layout, **window),
        exact=False,
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3),
    st.lists(st.integers(0, 7), min_size=3, max_size=3),
    st.lists(st.one_of(st.none(), st.integers(-1, 9)), min_size=3, max_size=3),
    st.sampled_from(["channels_first", "channels_last"]),
    st.integers(0, 1000),
)
def test_adaptive_pool_equals_reference_or_both_raise(nd, spatial, output, layout, seed):
    shape = (
        (2, 3) + tuple(spatial[:nd])
        if layout == "channels_first"
        else (2,) + tuple(spatial[:nd]) + (3,)
    )
    x = np.random.default_rng(seed).standard_normal(shape)
    for family, exact in (("adaptive_max_pool%dd", True), ("adaptive_avg_pool%dd", False)):
        name = family % nd
        _same(
            _outcome(getattr(cypool, name), x, tuple(output[:nd]), layout=layout),
            _outcome(getattr(loops, name), x, tuple(output[:nd]), layout=layout),
            exact,
        )
