"""Fuzzing every public function (hypothesis): arbitrary arguments, valid and invalid,
odd dtypes and strides.  Each call either equals cypool.reference.loops or raises
ValueError/TypeError, the same class as the reference; inputs are never modified and
results never alias them.  ``--hypothesis-profile=long`` runs far more examples."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cypool
from cypool.reference import loops

DTYPES = [
    np.float32,
    np.float64,
    np.float16,
    np.int8,
    np.uint8,
    np.int32,
    np.int64,
    np.uint64,
    bool,
    np.complex64,
    object,
    "U1",
    "datetime64[s]",
    ">f8",
    "<i2",
]
LAYOUTS = ["channels_first", "channels_last", "NCHW", "ndhwc", "NLC", "sideways", 3]

window_value = st.one_of(
    st.integers(-2, 5),
    st.just(2**62),
    st.just(True),
    st.just(2.0),
    st.none(),
    st.tuples(st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.integers(1, 3)),
    st.tuples(*[st.integers(1, 3)] * 3),
    st.just("2"),
)
padding_value = st.one_of(
    window_value,
    st.sampled_from(["same", "valid", "full"]),
    st.tuples(*[st.tuples(st.integers(-1, 3), st.integers(0, 3))] * 2),
)


@st.composite
def arrays(draw):
    ndim = draw(st.integers(0, 6))
    shape = tuple(draw(st.integers(0, 6)) for _ in range(ndim))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    if dtype.kind in "fc":
        base = rng.standard_normal(shape)
        if draw(st.booleans()) and base.size:
            base.flat[rng.integers(0, base.size)] = draw(
                st.sampled_from([np.nan, np.inf, -np.inf, -0.0])
            )
    else:
        base = rng.integers(0, 50, size=shape)
    x = base.astype(dtype) if dtype.kind != "M" else base.astype("datetime64[s]")
    if ndim and draw(st.booleans()):  # a non-contiguous view
        x = np.repeat(x, 2, axis=-1)[..., ::2]
    return x


CALLS = {
    "max_pool{d}d": lambda f, x, w, d: f(
        x,
        w["kernel_size"],
        w["stride"],
        w["padding"],
        w["dilation"],
        w["ceil_mode"],
        w["return_indices"],
        w["layout"],
    ),
    "avg_pool{d}d": lambda f, x, w, d: f(
        x,
        w["kernel_size"],
        w["stride"],
        w["padding"],
        w["dilation"],
        w["ceil_mode"],
        w["flag"],
        w["divisor"],
        w["layout"],
    ),
    "lp_pool{d}d": lambda f, x, w, d: f(
        x,
        w["norm"],
        w["kernel_size"],
        w["stride"],
        w["padding"],
        w["dilation"],
        w["ceil_mode"],
        w["layout"],
    ),
    "adaptive_max_pool{d}d": lambda f, x, w, d: f(
        x, w["kernel_size"], w["return_indices"], w["layout"]
    ),
    "adaptive_avg_pool{d}d": lambda f, x, w, d: f(x, w["kernel_size"], w["layout"]),
    "global_max_pool": lambda f, x, w, d: f(x, w["layout"], w["flag"]),
    "global_avg_pool": lambda f, x, w, d: f(x, w["layout"], w["flag"]),
}


def _call(module, template, x, w):
    d = w["ndim"]
    function = getattr(module, template.format(d=d))
    try:
        return "ok", CALLS[template](function, x, w, d)
    except (ValueError, TypeError) as error:
        return "error", type(error)


def _check(template, x, w):
    saved = x.copy()
    outcome, value = _call(cypool, template, x, w)
    ref_outcome, ref_value = _call(loops, template, x, w)
    np.testing.assert_array_equal(
        x, saved
    ) if x.dtype.kind not in "fc" else np.testing.assert_array_equal(
        np.isnan(x.astype(complex)), np.isnan(saved.astype(complex))
    )
    assert outcome == ref_outcome, (template, value, ref_value)
    if outcome == "error":
        assert value is ref_value or issubclass(value, (ValueError, TypeError))
        return
    results = value if isinstance(value, tuple) else (value,)
    expected = ref_value if isinstance(ref_value, tuple) else (ref_value,)
    for got, want in zip(results, expected):
        assert not np.may_share_memory(got, x)
        assert got.dtype == want.dtype and got.shape == want.shape
        if got.dtype.kind == "f":
            np.testing.assert_allclose(
                got, want, rtol=2e-3 if got.dtype == np.float16 else 1e-5, atol=1e-5
            )
        else:
            np.testing.assert_array_equal(got, want)


WILD = st.tuples(
    st.sampled_from(sorted(CALLS)),
    arrays(),
    st.fixed_dictionaries(
        dict(
            ndim=st.integers(1, 3),
            kernel_size=window_value,
            stride=window_value,
            padding=padding_value,
            dilation=window_value,
            ceil_mode=st.sampled_from([False, True, 2]),
            return_indices=st.booleans(),
            layout=st.sampled_from(LAYOUTS),
            flag=st.booleans(),
            divisor=st.one_of(st.none(), st.integers(-1, 4)),
            norm=st.sampled_from([1, 2, np.inf, 0]),
        )
    ),
)


@st.composite
def plausible(draw):
    """Mostly valid calls, so that the fuzzer also compares results, not only errors."""
    template = draw(st.sampled_from(sorted(CALLS)))
    ndim = draw(st.integers(1, 3))
    layout = draw(st.sampled_from(["channels_first", "channels_last"]))
    spatial = tuple(draw(st.integers(1, 6)) for _ in range(ndim))
    n, c = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    shape = (n, c) + spatial if layout == "channels_first" else (n,) + spatial + (c,)
    if draw(st.booleans()) and not template.startswith("global"):
        shape = shape[1:]
    dtype = draw(st.sampled_from([np.float32, np.float64, np.uint8, np.int16, np.float16]))
    x = np.random.default_rng(draw(st.integers(0, 99))).integers(-20, 20, shape).astype(dtype)
    small = st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * ndim))
    w = dict(
        ndim=ndim,
        kernel_size=draw(small),
        stride=draw(st.one_of(st.none(), small)),
        padding=draw(st.one_of(st.integers(0, 1), st.just("same"))),
        dilation=draw(st.one_of(st.just(1), small)),
        ceil_mode=draw(st.booleans()),
        return_indices=draw(st.booleans()),
        layout=layout,
        flag=draw(st.booleans()),
        divisor=draw(st.one_of(st.none(), st.integers(1, 4))),
        norm=draw(st.sampled_from([1, 2, 3, np.inf])),
    )
    return template, x, w


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(WILD, plausible()))
def test_every_function_equals_reference_or_raises(call):
    _check(*call)


@pytest.mark.parametrize("shape", [(2, 3, 0, 4), (0, 3, 5, 5), (2, 0, 5, 5)])
def test_empty_dims(shape):
    x = np.zeros(shape, np.float32)
    if 0 in shape[2:]:
        with pytest.raises(ValueError, match="x"):
            cypool.max_pool2d(x, 2)
    else:
        assert cypool.max_pool2d(x, 2).shape == shape[:2] + (2, 2)
        assert cypool.adaptive_avg_pool2d(x, 3).shape == shape[:2] + (3, 3)
        assert cypool.global_max_pool(x).shape == shape[:2]


def test_long_profile_finding_empty_channels_with_an_overflowing_dilated_extent():
    """Found by ``--hypothesis-profile=long``: the dilated extent 2**62 * 2 + 1 leaves
    int64 even though the input holds no element; both sides must refuse it."""
    x = np.zeros((6, 2, 0), np.int8)
    window = dict(kernel_size=3, stride=3, padding="same", dilation=2**62, ceil_mode=True)
    window.update(ndim=2, return_indices=False, layout="channels_last")
    assert _call(cypool, "max_pool{d}d", x, window) == ("error", ValueError)
    assert _call(loops, "max_pool{d}d", x, window) == ("error", ValueError)
