"""``dtype=`` on the averages (API.md, "Added in the third round"): x's own integer
type is np.rint of the float64 result, saturated; float dtypes are the default
result cast (integer and bool input) or the pooling of a widened copy rounded once
(float input); every other dtype is a TypeError starting with "dtype"."""

import numpy as np
import pytest
from _cases import INTEGER_DTYPES

import cypool
from cypool import reference
from cypool.reference import vectorized

ml_dtypes = pytest.importorskip("ml_dtypes")
BFLOAT16 = np.dtype(ml_dtypes.bfloat16)
FLOAT_RESULTS = (np.dtype(np.float16), BFLOAT16, np.dtype(np.float32), np.dtype(np.float64))
LAYOUTS = ("channels_first", "channels_last")

# Window arguments every windowed function runs with: padding, ceil_mode,
# count_include_pad and a divisor_override smaller than the window (saturation).
WINDOWS = (
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=2, stride=1, dilation=2, ceil_mode=True, padding=1),
    dict(kernel_size=3, stride=1, divisor_override=2),
    dict(kernel_size=2, divisor_override=7),
)


def _values(dtype, shape, seed=0):
    """Random values of an integer dtype: its whole range up to 32 bits; for the
    64-bit types |values| < 2**40, where the float64 mean is exact (at their limits
    see test_values_at_the_limits_round_and_saturate)."""
    info = np.iinfo(dtype)
    low, high = int(info.min), int(info.max)
    if info.bits == 64:
        low, high = max(low, -(2**40)), 2**40
    return np.random.default_rng(seed).integers(low, high, shape, dtype=dtype, endpoint=True)


def _rint_saturated(values, dtype):
    """np.rint of float64 values, clamped to ``dtype``'s range in exact integers."""
    info = np.iinfo(dtype)
    rounded = [min(max(int(v), int(info.min)), int(info.max)) for v in np.rint(values).ravel()]
    return np.array(rounded, dtype=dtype).reshape(values.shape)


def _shape(ndim, layout, batch=2, channels=3):
    spatial = (7, 6, 5)[:ndim]
    return (
        (batch, channels) + spatial
        if layout == "channels_first"
        else (batch,) + spatial + (channels,)
    )


def _windowed(ndim):
    return getattr(cypool, "avg_pool%dd" % ndim)


def _adaptive(ndim):
    return getattr(cypool, "adaptive_avg_pool%dd" % ndim)


def _calls(layout):
    """(name, x shape, call(x, **kw)) of every average function in ``layout``
    (avg_pool over axes has none: it pools (H, W) of an (H, W, C) image)."""
    calls = []
    for ndim in (1, 2, 3):
        calls.append(
            (
                "avg_pool%dd" % ndim,
                _shape(ndim, layout),
                _bind(_windowed(ndim), layout, 3, stride=2, padding=1),
            )
        )
        calls.append(
            ("adaptive_avg_pool%dd" % ndim, _shape(ndim, layout), _bind(_adaptive(ndim), layout, 3))
        )
    calls.append(("global_avg_pool", _shape(2, layout), _bind(cypool.global_avg_pool, layout)))
    calls.append(("avg_pool", (7, 6, 3), lambda x, **kw: cypool.avg_pool(x, 2, axes=(0, 1), **kw)))
    return calls


def _bind(function, layout, *args, **kwargs):
    return lambda x, **kw: function(x, *args, layout=layout, **kwargs, **kw)


ALL_CALLS = [c for layout in LAYOUTS for c in _calls(layout)]
CALL_IDS = ["%s-%s" % (c[0], layout) for layout in LAYOUTS for c in _calls(layout)]


# --- x's own integer type: np.rint of the float64 result, saturated ----------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda t: np.dtype(t).name)
@pytest.mark.parametrize("ndim", (1, 2, 3))
def test_windowed_integer_means_are_rint_of_the_float64_result(ndim, dtype, layout):
    x = _values(dtype, _shape(ndim, layout), seed=ndim)
    function = _windowed(ndim)
    for window in WINDOWS:
        y = function(x, layout=layout, dtype=dtype, **window)
        assert y.dtype == dtype, window
        expected = _rint_saturated(function(x, layout=layout, **window), dtype)
        np.testing.assert_array_equal(y, expected, err_msg=str(window))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda t: np.dtype(t).name)
@pytest.mark.parametrize("ndim", (1, 2, 3))
def test_adaptive_integer_means_are_rint_of_the_float64_result(ndim, dtype, layout):
    x = _values(dtype, _shape(ndim, layout), seed=10 + ndim)
    function = _adaptive(ndim)
    for output_size in (1, 3, 4, (2, None, 3)[:ndim]):
        y = function(x, output_size, layout=layout, dtype=dtype)
        assert y.dtype == dtype
        expected = _rint_saturated(function(x, output_size, layout=layout), dtype)
        np.testing.assert_array_equal(y, expected, err_msg=str(output_size))


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda t: np.dtype(t).name)
def test_global_and_axes_integer_means_are_rint_of_the_float64_result(dtype):
    for layout in LAYOUTS:
        for ndim in (1, 2, 3):
            x = _values(dtype, _shape(ndim, layout), seed=20 + ndim)
            for keepdims in (False, True):
                y = cypool.global_avg_pool(x, layout=layout, keepdims=keepdims, dtype=dtype)
                expected = cypool.global_avg_pool(x, layout=layout, keepdims=keepdims)
                np.testing.assert_array_equal(y, _rint_saturated(expected, dtype))
                assert y.dtype == dtype
    image = _values(dtype, (9, 8, 3), seed=30)
    for kw in (
        dict(kernel_size=2),  # every axis, the channels too
        dict(kernel_size=2, axes=(0, 1)),  # channels-last route
        dict(kernel_size=3, stride=2, padding=1, axes=(1, 2)),  # channels-first route
        dict(kernel_size=(3, 2), axes=(0, 2), ceil_mode=True, stride=2),  # copied route
        dict(kernel_size=3, divisor_override=1, axes=0),
    ):
        y = cypool.avg_pool(image, dtype=dtype, **kw)
        np.testing.assert_array_equal(y, _rint_saturated(cypool.avg_pool(image, **kw), dtype))
        assert y.dtype == dtype


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda t: np.dtype(t).name)
def test_means_ending_in_one_half_go_to_the_even_neighbour(dtype):
    """Windows whose exact mean is q + 0.5, for even and odd q (negative too for
    signed types): the result is q for even q, q + 1 for odd q."""
    info = np.iinfo(dtype)
    q = np.arange(-7 if info.min < 0 else 0, 9)
    expected = np.where(q % 2 == 0, q, q + 1).astype(dtype)
    # 1-D: windows (q, q + 1); 2-D: (q, q, q + 1, q + 1); both means q + 0.5.
    pairs = np.stack([q, q + 1], axis=-1).astype(dtype).reshape(1, 1, -1)
    np.testing.assert_array_equal(cypool.avg_pool1d(pairs, 2, dtype=dtype)[0, 0], expected)
    quads = np.stack([np.stack([q, q + 1], -1)] * 2, 1).astype(dtype)  # (len(q), 2, 2)
    planes = quads.reshape(1, len(q), 2, 2)
    np.testing.assert_array_equal(cypool.avg_pool2d(planes, 2, dtype=dtype).ravel(), expected)
    np.testing.assert_array_equal(
        cypool.adaptive_avg_pool2d(planes, 1, dtype=dtype).ravel(), expected
    )
    np.testing.assert_array_equal(cypool.global_avg_pool(planes, dtype=dtype).ravel(), expected)
    np.testing.assert_array_equal(cypool.avg_pool(pairs.ravel(), 2, dtype=dtype), expected)
    # A tie through divisor_override: sum 2q + 1 over 2 in a 3-tap window.
    triples = np.stack([q, q + 1, np.zeros_like(q)], axis=-1).astype(dtype).reshape(1, 1, -1)
    np.testing.assert_array_equal(
        cypool.avg_pool1d(triples, 3, divisor_override=2, dtype=dtype)[0, 0], expected
    )
    # Next to the ties: q + 0.25 and q + 0.75 round to nearest.
    fours = np.stack([q, q, q, q + 1], axis=-1).astype(dtype).reshape(1, 1, -1)
    np.testing.assert_array_equal(cypool.avg_pool1d(fours, 4, dtype=dtype)[0, 0], q.astype(dtype))
    threes = np.stack([q, q + 1, q + 1, q + 1], axis=-1).astype(dtype).reshape(1, 1, -1)
    np.testing.assert_array_equal(
        cypool.avg_pool1d(threes, 4, dtype=dtype)[0, 0], (q + 1).astype(dtype)
    )


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda t: np.dtype(t).name)
def test_values_at_the_limits_round_and_saturate(dtype):
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    # Uniform windows at both ends: the mean is the value (for 64-bit types the
    # float64 mean of the maximum is 2**63 or 2**64 and saturates back to it).
    ends = np.array([hi] * 4 + [lo] * 4, dtype).reshape(1, 1, 8)
    np.testing.assert_array_equal(cypool.avg_pool1d(ends, 4, dtype=dtype)[0, 0], [hi, lo])
    np.testing.assert_array_equal(
        cypool.avg_pool1d(ends, 2, stride=1, dtype=dtype)[0, 0, [0, 2, 4, 6]], [hi, hi, lo, lo]
    )
    if info.bits < 64:
        # (max - 1, max) means max - 0.5: the even one of the two; same at the minimum.
        near = np.array([hi - 1, hi, lo, lo + 1], dtype).reshape(1, 1, 4)
        even_high = hi - 1 if (hi - 1) % 2 == 0 else hi
        even_low = lo if lo % 2 == 0 else lo + 1
        np.testing.assert_array_equal(
            cypool.avg_pool1d(near, 2, dtype=dtype)[0, 0], [even_high, even_low]
        )
    # Saturation: divisor_override below the window's tap count leaves the range.
    full = np.full((1, 1, 3, 3), hi, dtype)
    for divisor in (1, 2, 8):  # 9 taps of max over fewer than 9
        assert cypool.avg_pool2d(full, 3, divisor_override=divisor, dtype=dtype).item() == hi
    y = cypool.avg_pool2d(full, 3, padding=1, stride=1, divisor_override=2, dtype=dtype)
    assert (y == hi).all()  # 4, 6 or 9 taps of max over 2
    if lo < 0:
        low = np.full((1, 1, 3, 3), lo, dtype)
        assert cypool.avg_pool2d(low, 3, divisor_override=1, dtype=dtype).item() == lo
        mixed = np.array([lo, lo, hi], dtype).reshape(1, 1, 3)
        assert (
            cypool.avg_pool1d(mixed, 3, divisor_override=1, dtype=dtype).item()
            == _rint_saturated(cypool.avg_pool1d(mixed, 3, divisor_override=1), dtype).item()
        )
    # A divisor_override larger than the window shrinks the mean towards 0.
    assert cypool.avg_pool2d(
        full, 3, divisor_override=2**20, dtype=dtype
    ).item() == _rint_saturated(np.float64(9 * hi) / 2**20, dtype)


# --- float dtypes --------------------------------------------------------------------------


def _bits(array):
    """Bit patterns, so float comparisons see every bit (and -0.0 from 0.0)."""
    return array.view("u%d" % array.dtype.itemsize)


@pytest.mark.parametrize("call", ALL_CALLS, ids=CALL_IDS)
def test_integer_and_bool_input_to_a_float_dtype_is_the_float64_result_cast(call):
    name, shape, function = call
    for source in (np.uint8, np.int16, np.int64, np.bool_):
        x = (
            _values(np.uint8, shape, seed=3).astype(source)
            if source is not np.bool_
            else (_values(np.uint8, shape, seed=3) > 127)
        )
        default = function(x)
        assert default.dtype == np.float64
        for dtype in FLOAT_RESULTS:
            y = function(x, dtype=dtype)
            assert y.dtype == dtype, (name, source, dtype)
            np.testing.assert_array_equal(_bits(y), _bits(default.astype(dtype)), err_msg=name)


def _work(x_dtype, dtype):
    """The contract's working type: the wider of x's and dtype's, float32 at least."""
    return np.dtype(np.float64 if 8 in (x_dtype.itemsize, dtype.itemsize) else np.float32)


@pytest.mark.parametrize("call", ALL_CALLS, ids=CALL_IDS)
def test_float_input_is_pooled_in_the_wider_type_and_rounded_once(call):
    name, shape, function = call
    base = np.random.default_rng(5).standard_normal(shape) * 100
    for source in FLOAT_RESULTS:
        x = base.astype(source)
        for dtype in FLOAT_RESULTS:
            work = _work(x.dtype, dtype)
            expected = function(x.astype(work)).astype(dtype)
            y = function(x, dtype=dtype)
            assert y.dtype == dtype, (name, source, dtype)
            np.testing.assert_array_equal(
                _bits(y), _bits(expected), err_msg="%s %s -> %s" % (name, source, dtype)
            )


def test_float64_to_float16_and_bfloat16_round_once_as_numpy_and_ml_dtypes_do():
    """kernel_size 1 pools nothing, so the result is the float64 input rounded to
    dtype: against NumPy's astype over every binade, exact ties, subnormals and
    overflow (a float32 step in between would round twice)."""
    rng = np.random.default_rng(9)
    n = 200_000
    x = (rng.random(n) + 1) * 2.0 ** rng.integers(-150, 135, n) * rng.choice([-1.0, 1.0], n)
    halves = rng.standard_normal(2000).astype(np.float16)
    ties = (
        halves.astype(np.float64) + np.nextafter(halves, np.float16(np.inf)).astype(np.float64)
    ) / 2
    b = rng.standard_normal(2000).astype(BFLOAT16)
    b_ties = (b.astype(np.float64) + (b.view(np.uint16) + 1).view(BFLOAT16).astype(np.float64)) / 2
    specials = [np.inf, -np.inf, 65504.0, 65520.0, 65519.999, 1e300, -1e300, 3.3961e38, 3.3895e38]
    x = np.concatenate([x, ties, ties + 2.0**-30, b_ties, b_ties - 2.0**-40, specials]).reshape(
        1, 1, -1
    )
    with np.errstate(over="ignore"):
        for dtype in (np.float16, BFLOAT16, np.float32):
            np.testing.assert_array_equal(
                _bits(cypool.avg_pool1d(x, 1, dtype=dtype)),
                _bits(x.astype(dtype)),
                err_msg=str(dtype),
            )


def test_spellings_of_a_dtype_are_one_dtype():
    x = _values(np.uint8, (1, 2, 6, 6))
    expected = cypool.avg_pool2d(x, 2, dtype=np.uint8)
    for spelling in ("uint8", "u1", np.dtype("u1"), np.dtype("|u1")):
        np.testing.assert_array_equal(cypool.avg_pool2d(x, 2, dtype=spelling), expected)
    assert cypool.avg_pool2d(x, 2, dtype="bfloat16").dtype == BFLOAT16
    assert cypool.avg_pool2d(x, 2, dtype=float).dtype == np.float64
    y = cypool.avg_pool2d(x, 2, dtype=">f4")  # byte order is not the dtype's identity
    assert y.dtype == np.float32 and y.dtype.isnative
    assert cypool.avg_pool2d(x.astype(">i4"), 2, dtype=">i4").dtype == np.dtype("=i4")
    assert cypool.avg_pool2d(x.astype(np.int64), 2, dtype=np.longlong).dtype == np.int64


def test_none_keeps_the_default():
    x = _values(np.int16, (1, 1, 4, 4))
    assert cypool.avg_pool2d(x, 2, dtype=None).dtype == np.float64
    assert cypool.avg_pool2d(x.astype(np.float16), 2, dtype=None).dtype == np.float16
    assert cypool.avg_pool2d(x > 0, 2, dtype=None).dtype == np.float64


def test_a_plan_remembers_its_dtype():
    x = _values(np.uint8, (1, 1, 4, 4))
    for _ in range(2):
        assert cypool.avg_pool2d(x, 2).dtype == np.float64
        assert cypool.avg_pool2d(x, 2, dtype="uint8").dtype == np.uint8
        assert cypool.avg_pool2d(x, 2, dtype=np.float32).dtype == np.float32
        assert cypool.adaptive_avg_pool2d(x, 1, dtype=np.uint8).dtype == np.uint8
        assert cypool.adaptive_avg_pool2d(x, 1).dtype == np.float64


def test_threads_share_the_rounding():
    """Many small planes run the staged path one slab per thread."""
    x = _values(np.uint16, (64, 32, 17, 19), seed=4)
    one = cypool.avg_pool2d(x, 3, 2, 1, dtype=np.uint16, num_threads=1)
    np.testing.assert_array_equal(
        cypool.avg_pool2d(x, 3, 2, 1, dtype=np.uint16, num_threads=2), one
    )
    np.testing.assert_array_equal(one, _rint_saturated(cypool.avg_pool2d(x, 3, 2, 1), np.uint16))


# --- out= and the bad dtypes ----------------------------------------------------------------


@pytest.mark.parametrize("call", ALL_CALLS, ids=CALL_IDS)
def test_out_must_have_the_requested_dtype(call):
    name, shape, function = call
    x = _values(np.uint8, shape, seed=6)
    y = function(x, dtype=np.uint8)
    out = np.empty_like(y)
    assert function(x, dtype=np.uint8, out=out) is out
    np.testing.assert_array_equal(out, y)
    for wrong in (np.float64, np.int8, np.float32):
        with pytest.raises(ValueError, match="^out must have dtype uint8"):
            function(x, dtype=np.uint8, out=np.empty(y.shape, wrong))
    with pytest.raises(ValueError, match="^out must have dtype float32"):
        function(x, dtype=np.float32, out=np.empty(y.shape, np.float64))


# (input dtype, dtype) pairs the contract refuses.
BAD = [
    (np.int8, np.int16),  # another integer type
    (np.int8, np.uint8),  # same size, other signedness
    (np.uint16, np.uint8),
    (np.int64, np.int32),
    (np.float32, np.int32),  # an integer type for float input
    (np.float64, np.int64),
    (np.bool_, np.uint8),  # an integer type for bool input
    (np.bool_, np.bool_),  # bool
    (np.uint8, np.bool_),
    (np.uint8, np.complex64),  # complex
    (np.float32, np.complex128),
    (np.uint8, object),  # object
    (np.uint8, str),  # strings
    (np.uint8, "U8"),
    (np.uint8, "S4"),
    (np.uint8, np.longdouble),  # a float dtype the kernels do not compute
    (np.uint8, "datetime64[s]"),
    (np.uint8, "not a dtype"),
    (np.uint8, 5),
]


@pytest.mark.parametrize(
    "call", ALL_CALLS[: len(ALL_CALLS) // 2], ids=CALL_IDS[: len(ALL_CALLS) // 2]
)
def test_every_other_dtype_is_a_type_error_naming_dtype(call):
    name, shape, function = call
    for source, dtype in BAD:
        x = _values(np.uint8, shape, seed=7).astype(source)
        with pytest.raises(TypeError, match="^dtype "):
            function(x, dtype=dtype)


def test_the_type_error_says_what_is_accepted():
    x = np.zeros((1, 1, 4), np.int8)
    with pytest.raises(
        TypeError, match=r"^dtype must be .* x's own integer dtype int8 .*got int16$"
    ):
        cypool.avg_pool1d(x, 2, dtype=np.int16)
    with pytest.raises(TypeError, match=r"^dtype must be None or a float dtype .* for bool input"):
        cypool.avg_pool1d(x > 0, 2, dtype=np.uint8)
    with pytest.raises(TypeError, match=r"^dtype must be .*got 'not a dtype'"):
        cypool.avg_pool1d(x, 2, dtype="not a dtype")


# --- layers, dask, block_reduce and the references --------------------------------------------


def test_average_layers_take_dtype_and_check_it_when_built():
    x = _values(np.uint8, (2, 3, 8, 8), seed=8)
    cases = (
        (cypool.layers.AvgPool2d(3, 2, 1, dtype=np.uint8), lambda: cypool.avg_pool2d(x, 3, 2, 1)),
        (
            cypool.layers.AdaptiveAvgPool2d(3, dtype=np.uint8),
            lambda: cypool.adaptive_avg_pool2d(x, 3),
        ),
        (cypool.layers.GlobalAvgPool(dtype=np.uint8), lambda: cypool.global_avg_pool(x)),
    )
    for layer, default in cases:
        y = layer.forward(x)
        np.testing.assert_array_equal(y, _rint_saturated(default(), np.uint8))
        grad = layer.backward(np.ones(y.shape))  # the gradient of the mean
        assert grad.shape == x.shape and grad.dtype == np.float64
    assert cypool.layers.AvgPool1d(2, dtype="float32")(x[0]).dtype == np.float32
    for layer in (cypool.layers.AvgPool2d, cypool.layers.AdaptiveAvgPool2d):
        with pytest.raises(TypeError, match="^dtype "):
            layer(2, dtype=np.complex64)
    with pytest.raises(TypeError, match="^dtype "):
        cypool.layers.GlobalAvgPool(dtype=bool)
    with pytest.raises(TypeError, match="^dtype "):  # known only once x is: int8 is not uint8
        cypool.layers.AvgPool2d(2, dtype=np.int8).forward(x)


def test_dask_averages_take_dtype():
    da = pytest.importorskip("dask.array")
    import cypool.dask

    x = _values(np.uint16, (2, 3, 11, 9), seed=9)
    lazy_x = da.from_array(x, chunks=(1, 2, 4, 5))
    for dtype in (np.uint16, np.float32):
        for ndim, shaped in ((1, x.reshape(2, 3, 99)), (2, x), (3, x.reshape(2, 3, 11, 3, 3))):
            chunks = (1, 2) + (4,) * ndim
            lazy = getattr(cypool.dask, "avg_pool%dd" % ndim)(
                da.from_array(shaped, chunks=chunks), 3, 2, 1, ceil_mode=True, dtype=dtype
            )
            assert lazy.dtype == dtype
            np.testing.assert_array_equal(
                lazy.compute(), _windowed(ndim)(shaped, 3, 2, 1, ceil_mode=True, dtype=dtype)
            )
        lazy = cypool.dask.adaptive_avg_pool2d(lazy_x, 4, dtype=dtype)
        np.testing.assert_array_equal(lazy.compute(), cypool.adaptive_avg_pool2d(x, 4, dtype=dtype))
        lazy = cypool.dask.global_avg_pool(lazy_x, layout="NHWC", dtype=dtype)
        expected = cypool.global_avg_pool(x, layout="NHWC", keepdims=True, dtype=dtype)
        np.testing.assert_array_equal(lazy.compute(), expected)
        assert lazy.dtype == dtype
    for function in (cypool.dask.avg_pool2d, cypool.dask.adaptive_avg_pool2d):
        with pytest.raises(TypeError, match="^dtype "):  # when the graph is built
            function(lazy_x, 2, dtype=np.uint8)
    with pytest.raises(TypeError, match="^dtype "):
        cypool.dask.global_avg_pool(lazy_x, dtype=np.int16)


@pytest.mark.parametrize("dtype", (np.uint8, np.uint16))
def test_block_reduce_mean_keeps_its_float64_result(dtype):
    image = _values(dtype, (13, 10, 3), seed=11)
    for block in ((2, 2, 1), (4, 3, 1), 3):
        y = cypool.block_reduce(image, block, np.mean)
        assert y.dtype == np.float64
        np.testing.assert_array_equal(y, reference.loops.block_reduce(image, block, np.mean))


@pytest.mark.parametrize("dtype", (np.int8, np.uint16, np.int32, np.uint64))
def test_references_agree_with_the_compiled_functions(dtype):
    """The loop reference rounds the exact mean (Python integers); the vectorized
    one np.rint of its float64 mean; both equal the kernels where float64 is exact."""
    for layout in LAYOUTS:
        for ndim in (1, 2, 3):
            x = _values(dtype, _shape(ndim, layout, batch=1, channels=2), seed=12 + ndim)
            for window in WINDOWS[1:4] + WINDOWS[5:6]:
                for result in (dtype, np.float32, np.float16):
                    fast = _windowed(ndim)(x, layout=layout, dtype=result, **window)
                    for module in (reference.loops, vectorized):
                        slow = getattr(module, "avg_pool%dd" % ndim)(
                            x, layout=layout, dtype=result, **window
                        )
                        assert slow.dtype == fast.dtype
                        np.testing.assert_array_equal(
                            slow, fast, err_msg="%s %s" % (module.__name__, window)
                        )
            y = _adaptive(ndim)(x, 3, layout=layout, dtype=dtype)
            np.testing.assert_array_equal(
                getattr(reference, "adaptive_avg_pool%dd" % ndim)(x, 3, layout=layout, dtype=dtype),
                y,
            )
        x = _values(dtype, _shape(2, layout, batch=2, channels=2), seed=17)
        np.testing.assert_array_equal(
            reference.global_avg_pool(x, layout=layout, dtype=dtype),
            cypool.global_avg_pool(x, layout=layout, dtype=dtype),
        )
    image = _values(dtype, (7, 6, 3), seed=18)
    np.testing.assert_array_equal(
        reference.avg_pool(image, 3, 2, 1, axes=(0, 1), dtype=dtype),
        cypool.avg_pool(image, 3, 2, 1, axes=(0, 1), dtype=dtype),
    )
    # Floats: the loops round the float64 mean to the working type, then to dtype.
    x = np.random.default_rng(19).standard_normal((1, 2, 9, 8)).astype(np.float32)
    for result in (np.float16, BFLOAT16, np.float64):
        np.testing.assert_allclose(
            reference.avg_pool2d(x, 3, 2, 1, dtype=result).astype(np.float64),
            cypool.avg_pool2d(x, 3, 2, 1, dtype=result).astype(np.float64),
            rtol=1e-2 if np.dtype(result).itemsize == 2 else 1e-6,
        )
    with pytest.raises(TypeError, match="^dtype "):
        reference.avg_pool2d(x, 2, dtype=np.int32)


def _exact_rint(total, divisor):
    """round(total / divisor) to nearest, ties to even, in exact integer arithmetic."""
    q, r = divmod(total, divisor)
    if 2 * r > divisor or (2 * r == divisor and q % 2 == 1):
        q += 1
    return q


@pytest.mark.parametrize("window", [(255, 257), (256, 256), (1, 2), (3, 5)])
def test_integer_sums_round_like_exact_arithmetic(window):
    """uint8 windows of up to 65,536 taps: the kernel divides in float32 below a
    divisor of 2**16 and in float64 from it; both must give the exactly rounded
    mean, ties to even, including sums one away from a tie."""
    kh, kw = window
    d = kh * kw
    rng = np.random.default_rng(d)
    x = rng.integers(0, 256, size=(4, kh, kw), dtype=np.uint8)
    # windows whose sum is exactly (q + 1/2) * d, or one off it, when d is even
    for n, (q, off) in enumerate([(100, 0), (101, 0), (100, 1), (101, -1)]):
        if d % 2 == 0:
            target = (2 * q + 1) * d // 2 + off
            flat = np.full(d, target // d, np.int64)
            flat[: target - flat.sum()] += 1
            x[n] = flat.reshape(kh, kw).astype(np.uint8)
    y = cypool.avg_pool(x, window, axes=(1, 2), dtype=np.uint8)
    expected = [_exact_rint(int(x[n].astype(np.int64).sum()), d) for n in range(4)]
    np.testing.assert_array_equal(y.reshape(-1), expected)


def _peak_rss_reset():
    """Reset the process's peak RSS (Linux's clear_refs 5); False if unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def test_uint8_halving_allocates_only_its_output():
    """A uint8 RGB image halved into uint8: NumPy allocates the output only
    (tracemalloc), and the process's peak memory grows by about that much (the
    kernel's scratch is a few rows per thread, not a float64 copy of the image)."""
    import tracemalloc

    x = np.random.default_rng(0).integers(0, 256, size=(2048, 2048, 3), dtype=np.uint8)
    out_bytes = 1024 * 1024 * 3
    cypool.avg_pool(x, 2, axes=(0, 1), dtype=np.uint8)  # warm up: tables, threads
    tracemalloc.start()
    try:
        y = cypool.avg_pool(x, 2, axes=(0, 1), dtype=np.uint8)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert y.dtype == np.uint8 and y.shape == (1024, 1024, 3)
    assert peak < out_bytes + 64 * 1024, peak
    del y
    if not _peak_rss_reset():
        pytest.skip("no /proc/self/clear_refs to measure the peak RSS")
    before = _status_kib("VmRSS")
    y = cypool.avg_pool(x, 2, axes=(0, 1), dtype=np.uint8)
    growth = (_status_kib("VmHWM") - before) * 1024
    assert y.nbytes == out_bytes
    # a float64 copy of the input alone would be 100 MB
    assert growth < out_bytes + 8 * 1024 * 1024, growth


@pytest.mark.parametrize("dtype, value", [(np.uint8, 255), (np.int8, -128), (np.int8, 127)])
@pytest.mark.parametrize("taps", [255, 256, 257, 258])
def test_integer_sums_at_the_edge_of_16_bit_lanes(dtype, value, taps):
    """Windows of up to 257 uint8 (256 int8) taps sum in 16-bit lanes, wider ones
    in 32-bit lanes: at the extreme values, neither wraps, in either result type."""
    x = np.full((2, 3, taps + 1), value, dtype)
    x[1, :, ::2] = np.iinfo(dtype).max if value < 0 else np.iinfo(dtype).min
    window = dict(kernel_size=taps, stride=1, axes=(2,))
    mean = reference.avg_pool(x, **window)
    np.testing.assert_array_equal(cypool.avg_pool(x, **window), mean)
    np.testing.assert_array_equal(
        cypool.avg_pool(x, dtype=dtype, **window), np.rint(mean).astype(dtype)
    )


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.uint16, np.int16])
@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
@pytest.mark.parametrize("out_size", [(1, 1), (3, 4), (5, 7), (6, 9)])
def test_adaptive_integer_sums_match_the_float64_pooling(dtype, layout, out_size):
    """Adaptive (and global) averages of 8- and 16-bit integers sum in integer
    lanes and divide per dim as PyTorch does: bit for bit the pooling of a float64
    copy, and its np.rint in x's own type."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng(out_size[0] * 10 + out_size[1])
    shape = (2, 3, 12, 18) if layout == "channels_first" else (2, 12, 18, 3)
    x = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    wide = cypool.adaptive_avg_pool2d(x.astype(np.float64), out_size, layout=layout)
    np.testing.assert_array_equal(cypool.adaptive_avg_pool2d(x, out_size, layout=layout), wide)
    np.testing.assert_array_equal(
        cypool.adaptive_avg_pool2d(x, out_size, layout=layout, dtype=dtype),
        np.clip(np.rint(wide), info.min, info.max).astype(dtype),
    )


def test_out_is_written_in_place_without_a_temporary():
    """avg_pool(..., out=) with the pooled axes in a block writes ``out`` itself:
    no result-sized temporary (tracemalloc) and the same object returned."""
    import tracemalloc

    x = np.random.default_rng(1).integers(0, 256, size=(512, 512, 3), dtype=np.uint8)
    for dtype in (np.uint8, None):
        out = np.empty((256, 256, 3), np.uint8 if dtype else np.float64)
        cypool.avg_pool(x, 2, axes=(0, 1), dtype=dtype, out=out)
        tracemalloc.start()
        try:
            y = cypool.avg_pool(x, 2, axes=(0, 1), dtype=dtype, out=out)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert y is out
        assert peak < 64 * 1024, peak
        np.testing.assert_array_equal(out, cypool.avg_pool(x, 2, axes=(0, 1), dtype=dtype))
