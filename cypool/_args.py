"""Argument normalisation shared by every public function (and by the reference).

The one place that turns user arguments into validated values: layouts, per-dim
window arguments, padding forms, array shapes, dtypes and ``out=`` buffers.  Every
error message names the argument it is about.  The output-size arithmetic itself
lives in ``cypool._geometry`` (shared with Cython callers); its status codes are
turned into messages here.
"""

import dataclasses
import functools
import inspect
import math
import numbers
import operator
from dataclasses import dataclass

import numpy as np

from cypool._geometry import GEOMETRY_STATUS, Geometry, check_window
from cypool._runtime import MemoizedParser, contiguous_overlap, plain_input

CHANNELS_FIRST = "channels_first"
CHANNELS_LAST = "channels_last"
_LAYOUTS = {
    # "ncw"/"nwc": TensorFlow's 1-D spellings (API.md).
    "channels_first": CHANNELS_FIRST,
    "ncl": CHANNELS_FIRST,
    "ncw": CHANNELS_FIRST,
    "nchw": CHANNELS_FIRST,
    "ncdhw": CHANNELS_FIRST,
    "channels_last": CHANNELS_LAST,
    "nlc": CHANNELS_LAST,
    "nwc": CHANNELS_LAST,
    "nhwc": CHANNELS_LAST,
    "ndhwc": CHANNELS_LAST,
}
INT64_MAX = 2**63 - 1

# Integer dtype kinds (indices must be one of them).
INTEGER_KINDS = "iu"


def describe(value, limit=60):
    """A short description of an argument for error messages: an array by its shape
    and dtype, anything else by its repr cut to ``limit`` characters."""
    if isinstance(value, np.ndarray):
        return "an array of shape %r and dtype %s" % (value.shape, value.dtype)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...)"


def parse_layout(layout):
    """Canonical layout name for ``layout`` (aliases such as "NHWC" accepted)."""
    if not isinstance(layout, str):
        raise TypeError(
            "layout must be a string such as 'channels_first' or 'NHWC', got %s" % describe(layout)
        )
    try:
        return _LAYOUTS[layout.lower()]
    except KeyError:
        raise ValueError(
            "layout must be one of %s, got %s"
            % (", ".join(repr(k) for k in _LAYOUTS), describe(layout))
        ) from None


def as_int(name, value):
    """``value`` as a Python int; bools and non-integers raise TypeError naming ``name``."""
    if type(value) is int:  # the common case, without the abstract-class checks
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError("%s must be an integer, got %s" % (name, describe(value)))
    return operator.index(value)


def as_bool(name, value):
    """``value`` as a bool; accepts bools and the integers 0 and 1."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (numbers.Integral, np.integer)) and value in (0, 1):
        return bool(value)
    raise TypeError("%s must be a bool, got %s" % (name, describe(value)))


def per_dim(name, value, ndim):
    """An int or a sequence of ``ndim`` ints, as a tuple.  Their ranges are the
    geometry's to check (``check_window``), except int64 overflow."""
    if isinstance(value, (list, tuple)):
        if len(value) != ndim:
            raise ValueError(
                "%s must be an int or a sequence of %d ints, got %s" % (name, ndim, describe(value))
            )
        values = tuple(as_int(name, v) for v in value)
    elif isinstance(value, np.ndarray) and value.ndim == 1:
        return per_dim(name, value.tolist(), ndim)
    elif isinstance(value, (numbers.Integral, np.integer)):
        values = (as_int(name, value),) * ndim
    else:
        raise TypeError(
            "%s must be an int or a sequence of %d ints, got %s" % (name, ndim, describe(value))
        )
    for v in values:
        if not -INT64_MAX <= v <= INT64_MAX:
            raise ValueError("%s overflows int64: %s" % (name, describe(value)))
    return values


def parse_padding(padding, ndim):
    """(pad_before, pad_after, same) from any accepted padding form."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "same":
            return (0,) * ndim, (0,) * ndim, True
        if mode == "valid":
            return (0,) * ndim, (0,) * ndim, False
        raise ValueError(
            "padding must be an int, a tuple, 'same' or 'valid', got %s" % describe(padding)
        )
    if isinstance(padding, (list, tuple)) and any(isinstance(p, (list, tuple)) for p in padding):
        if len(padding) != ndim or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in padding
        ):
            raise ValueError(
                "padding as pairs must hold %d (before, after) pairs, got %s"
                % (ndim, describe(padding))
            )
        before = per_dim("padding", [p[0] for p in padding], ndim)
        after = per_dim("padding", [p[1] for p in padding], ndim)
        return before, after, False
    pads = per_dim("padding", padding, ndim)
    return pads, pads, False


# What each geometry status says, and which argument it is about.
_GEOMETRY_MESSAGES = {
    GEOMETRY_STATUS["bad_input_size"]: (None, "must have spatial sizes >= 1"),
    GEOMETRY_STATUS["bad_kernel_size"]: ("kernel_size", "must be >= 1"),
    GEOMETRY_STATUS["bad_stride"]: ("stride", "must be >= 1"),
    GEOMETRY_STATUS["bad_dilation"]: ("dilation", "must be >= 1"),
    GEOMETRY_STATUS["negative_padding"]: ("padding", "must be >= 0"),
    GEOMETRY_STATUS["empty_output"]: (
        "kernel_size",
        "(dilated) is larger than the padded input, so the output would be empty",
    ),
    GEOMETRY_STATUS["padding_only_window"]: (
        "padding",
        "is so large that a window would sample only padding",
    ),
}


def raise_geometry(status, dim, given, input_name, in_size):
    """The ValueError of a geometry status: '<argument> <requirement>, got ...'."""
    name, requirement = _GEOMETRY_MESSAGES[status]
    if name is None:
        raise ValueError("%s %s, got spatial sizes %r" % (input_name, requirement, in_size))
    raise ValueError(
        "%s %s, got %s (spatial dim %d%s)"
        % (
            name,
            requirement,
            describe(given[name]),
            dim,
            "" if in_size is None else "; input spatial sizes %r" % (in_size,),
        )
    )


def window_arguments(ndim, kernel_size, stride, padding, dilation):
    """(kernel, strides, before, after, dilations, same) of the window arguments,
    as int tuples; their ranges are checked by the geometry (one rule, in C)."""
    kernel = per_dim("kernel_size", kernel_size, ndim)
    strides = kernel if stride is None else per_dim("stride", stride, ndim)
    dilations = per_dim("dilation", dilation, ndim)
    before, after, same = parse_padding(padding, ndim)
    return kernel, strides, before, after, dilations, same


def check_window_arguments(ndim, kernel_size, stride, padding, dilation=1):
    """Validated (kernel, strides, before, after, dilations, same) of a window with no
    input size (max_unpool's, fractional pooling's, a layer's before its first
    input), by the same C rule as every pooling geometry; "same" pads are zeros."""
    kernel, strides, before, after, dilations, same = window_arguments(
        ndim, kernel_size, stride, padding, dilation
    )
    status, dim = check_window(kernel, strides, dilations, before, after)
    if status:
        raise_geometry(
            status,
            dim,
            dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation),
            "x",
            None,
        )
    return kernel, strides, before, after, dilations, same


def window_geometry(in_size, kernel_size, stride, padding, dilation, ceil_mode, input_name="x"):
    """Validated ``Geometry`` for a spatial input size and the window arguments."""
    ndim = len(in_size)
    kernel, strides, before, after, dilations, same = window_arguments(
        ndim, kernel_size, stride, padding, dilation
    )
    ceil = as_bool("ceil_mode", ceil_mode)
    for d in range(ndim):
        # Keep every intermediate of the C arithmetic inside int64.
        reach = in_size[d] + before[d] + after[d] + dilations[d] * (kernel[d] - 1) + strides[d]
        if reach > INT64_MAX // 4:
            parts = {
                "kernel_size": dilations[d] * (kernel[d] - 1),
                "stride": strides[d],
                "padding": before[d] + after[d],
            }
            raise ValueError(
                "%s is too large: the window arithmetic would overflow int64 "
                "(spatial dim %d)" % (max(parts, key=parts.get), d)
            )
    geometry = Geometry(in_size, kernel, strides, before, after, dilations, ceil, same)
    if geometry.status:
        raise_geometry(
            geometry.status,
            geometry.bad_dim,
            dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation),
            input_name,
            tuple(in_size),
        )
    return geometry


def average_arguments(count_include_pad, divisor_override):
    """(count_include_pad, divisor) with divisor 0 meaning "no override"."""
    count_include_pad = as_bool("count_include_pad", count_include_pad)
    if divisor_override is None:
        return count_include_pad, 0
    divisor = as_int("divisor_override", divisor_override)
    if divisor < 1:
        raise ValueError("divisor_override must be >= 1 or None, got %r" % (divisor_override,))
    if divisor > INT64_MAX:
        raise ValueError("divisor_override overflows int64: %r" % (divisor_override,))
    return count_include_pad, divisor


@dataclass(frozen=True)
class Extent:
    """How an array of a pooling call splits into (outer, spatial, channels).

    Kernels see every array as (outer, *spatial, channels) contiguous: channels-first
    (N, C, *spatial) is (N*C, *spatial, 1); channels-last (N, *spatial, C) is itself.
    """

    layout: str
    batched: bool
    batch: int
    channels: int
    spatial: tuple

    # Cached: every kernel launch of a remembered plan reads them.
    @functools.cached_property
    def kernel_outer(self):
        return self.batch * self.channels if self.layout == CHANNELS_FIRST else self.batch

    @functools.cached_property
    def kernel_channels(self):
        return 1 if self.layout == CHANNELS_FIRST else self.channels

    @property
    def spatial_axes(self):
        """Positions of the spatial dims in the full array shape."""
        first = int(self.batched) + (self.layout == CHANNELS_FIRST)
        return tuple(range(first, first + len(self.spatial)))

    def shape(self, spatial=None):
        """The full array shape, with ``spatial`` replacing the spatial sizes."""
        spatial = self.spatial if spatial is None else tuple(spatial)
        if self.layout == CHANNELS_FIRST:
            shape = (self.channels,) + spatial
        else:
            shape = spatial + (self.channels,)
        return ((self.batch,) if self.batched else ()) + shape


def split_shape(shape, ndim, layout, name="x", nonempty=False):
    """``Extent`` of an array shape for ``ndim`` spatial dims in ``layout``: the one
    place that knows where the batch, channel and spatial axes are.  With
    ``nonempty``, every spatial size must be >= 1."""
    shape = tuple(shape)
    if len(shape) == ndim + 2:
        batched, batch, rest = True, shape[0], shape[1:]
    elif len(shape) == ndim + 1:
        batched, batch, rest = False, 1, shape
    else:
        raise ValueError(
            "%s must have %d (batched) or %d (unbatched) dims for %d-D pooling in "
            "layout %r, got shape %r" % (name, ndim + 2, ndim + 1, ndim, layout, shape)
        )
    if layout == CHANNELS_FIRST:
        channels, spatial = rest[0], rest[1:]
    else:
        channels, spatial = rest[-1], rest[:-1]
    total = 1
    for size in shape:
        if size < 0:
            raise ValueError("%s has a negative size: %r" % (name, shape))
        total *= size
    if total > INT64_MAX:
        raise ValueError("%s: the product of the sizes %r overflows int64" % (name, shape))
    if nonempty and not all(spatial):
        raise ValueError("%s must have spatial sizes >= 1, got shape %r" % (name, shape))
    return Extent(layout, batched, batch, channels, tuple(spatial))


def input_extent(input_shape, ndim, layout):
    """``Extent`` of a backward call's ``input_shape`` argument."""
    return split_shape(
        parse_shape("input_shape", input_shape), ndim, layout, "input_shape", nonempty=True
    )


def grad_extent(grad_shape, in_extent, ndim, layout):
    """``Extent`` of ``grad_output``, which must match ``in_extent`` but for spatial sizes."""
    extent = split_shape(grad_shape, ndim, layout, "grad_output", nonempty=True)
    if (extent.batched, extent.batch, extent.channels) != (
        in_extent.batched,
        in_extent.batch,
        in_extent.channels,
    ):
        # Named first: input_shape when the ranks differ, else the gradient.
        first, second = (
            (("input_shape", in_extent.shape()), ("grad_output", tuple(grad_shape)))
            if extent.batched != in_extent.batched
            else (("grad_output", tuple(grad_shape)), ("input_shape", in_extent.shape()))
        )
        raise ValueError(
            "%s %r does not match %s %r in batch or channels (layout %r)"
            % (first + second + (layout,))
        )
    return extent


def scatter_call(ndim, grad_output, indices, input_shape, layout):
    """Validated (grad, indices, input extent, grad extent) of a max-type backward call."""
    layout = parse_layout(layout)
    in_extent = input_extent(input_shape, ndim, layout)
    grad = as_input("grad_output", grad_output)
    out_extent = grad_extent(grad.shape, in_extent, ndim, layout)
    return grad, as_indices("indices", indices, grad.shape), in_extent, out_extent


def adaptive_call(ndim, x, output_size_value, layout):
    """Validated (x, extent, output sizes) of a forward adaptive-pooling call (for the
    references; the façade's parsers use ``_adaptive_sizes`` directly)."""
    x = as_input("x", x)
    extent, sizes = _adaptive_sizes(ndim, x.shape, layout, output_size_value)
    return x, extent, sizes


def parse_shape(name, shape):
    """A shape argument (``input_shape``) as a tuple of non-negative ints."""
    if not isinstance(shape, (tuple, list)):
        raise TypeError(
            "%s must be a tuple of ints (a shape, such as x.shape), got %s"
            % (name, describe(shape))
        )
    if type(shape) is tuple and all(type(size) is int for size in shape):
        return shape
    return tuple(as_int(name, s) for s in shape)


def is_bfloat16(dtype):
    """Whether ``dtype`` is ml_dtypes' bfloat16 (NumPy knows it as a 2-byte void kind)."""
    return dtype.kind == "V" and dtype.itemsize == 2 and dtype.name == "bfloat16"


def as_input(name, x):
    """``x`` as a C-contiguous, native-byte-order ndarray of an accepted dtype:
    floating (float16/32/64, bfloat16), integer, and bool except for gradients
    (which are numbers).  Contiguous native input is returned as is (no copy)."""
    plain = plain_input(x)  # the common case, checked first (compiled)
    if plain is not None:
        return plain
    x = np.asarray(x)
    dtype = x.dtype
    kind = dtype.kind
    if kind in "fiu":
        if kind == "f" and dtype.itemsize not in (2, 4, 8):
            raise TypeError("%s must be float16, float32 or float64, got %s" % (name, dtype))
    elif not ((kind == "b" and name != "grad_output") or is_bfloat16(dtype)):
        raise TypeError(
            "%s must have a floating, integer%s dtype, got %s"
            % (name, "" if name == "grad_output" else " or bool", dtype)
        )
    if not dtype.isnative:
        x = x.astype(dtype.newbyteorder("="))
    return np.ascontiguousarray(x)


def as_indices(name, indices, shape):
    """``indices`` as a contiguous int64 array of exactly ``shape``."""
    indices = np.asarray(indices)
    if indices.dtype.kind not in INTEGER_KINDS:
        raise TypeError("%s must have an integer dtype (int64), got %s" % (name, indices.dtype))
    if indices.shape != tuple(shape):
        raise ValueError(
            "%s must have shape %r (that of grad_output), got %r"
            % (name, tuple(shape), indices.shape)
        )
    return np.ascontiguousarray(indices, dtype=np.int64)


def check_out(out, shape, dtype, inputs, name="out"):
    """Validate a user ``out`` buffer, or allocate one with ``np.empty`` when None."""
    if out is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(out, np.ndarray):
        raise TypeError("%s must be a numpy.ndarray, got %s" % (name, type(out).__name__))
    if out.shape != tuple(shape):
        raise ValueError("%s must have shape %r, got %r" % (name, tuple(shape), out.shape))
    if out.dtype != dtype:
        raise ValueError(
            "%s must have dtype %s, got %s (no casting)" % (name, np.dtype(dtype), out.dtype)
        )
    if not out.flags.c_contiguous:
        raise ValueError("%s must be C-contiguous" % name)
    if not out.flags.writeable:
        raise ValueError("%s must be writeable" % name)
    for array in inputs:
        # Both C-contiguous (the inputs of every kernel are): a bounds test at a
        # tenth of np.may_share_memory's cost, which small calls notice.
        if (
            contiguous_overlap(out, array)
            if array.flags.c_contiguous
            else np.may_share_memory(out, array)
        ):
            raise ValueError("%s must not overlap the input arrays" % name)
    return out


def split_out_pair(out, name="out"):
    """(values_out, indices_out) from ``out`` for calls with return_indices=True."""
    if out is None:
        return None, None
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError("%s must be a (values, indices) pair when return_indices=True" % name)
    return out[0], out[1]


# --- dtypes the kernels run in, and the buffers they write --------------------------------


def compute_dtype(dtype, average):
    """The dtype NumPy-side arithmetic (Lp backward) runs in: float16 and bfloat16 in
    float32, integer and bool averages in float64.  The kernels themselves take
    every stored dtype."""
    dtype = np.dtype(dtype)
    if dtype == np.float16 or is_bfloat16(dtype):
        return np.dtype(np.float32)
    if average and dtype.kind in "iub":
        return np.dtype(np.float64)
    return dtype


def result_dtype(dtype, average):
    """The dtype a function returns: the input's, except float64 for integer and
    bool averages (the mean, and the fraction of True)."""
    dtype = np.dtype(dtype)
    if average and dtype.kind in "iub":
        return np.dtype(np.float64)
    return dtype


_FLOAT_NAMES = "float16, bfloat16, float32, float64"


def _float_rank(dtype):
    """How wide a float dtype computes: 4 (float16, bfloat16 and float32 compute in
    float32), 8 (float64), or None for any other dtype."""
    if dtype.kind == "f" and dtype.itemsize in (2, 4, 8):
        return max(dtype.itemsize, 4)
    return 4 if is_bfloat16(dtype) else None


def average_dtype(x_dtype, dtype):
    """(result dtype, working dtype) of an average of ``x_dtype`` input called with
    ``dtype=`` (API.md): the one owner of that rule, for every average function.

    None keeps the default (float64 for integer and bool input, else x's type); a
    float dtype is the result, computed in the wider of x's type and it (float32
    at least; float64 for integer and bool input, whose float64 mean is cast); x's
    own integer type is its float64 mean rounded half to even and saturated.  The
    working dtype is what the kernels sum and divide in.  ``x_dtype`` None checks
    the spelling alone (a layer before its first input) and returns (dtype, None).
    Anything else raises a TypeError starting with "dtype".  Byte order is not a
    dtype's identity here: results are native.
    """
    x_dtype = None if x_dtype is None else np.dtype(x_dtype)
    integral = x_dtype is not None and x_dtype.kind in "iub"
    if dtype is None:
        if x_dtype is None:
            return None, None
        result = np.dtype(np.float64) if integral else x_dtype
        return result, np.dtype(np.float64 if integral else "f%d" % _float_rank(x_dtype))
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            "dtype must be None, a float dtype (%s) or x's own integer dtype, got %s"
            % (_FLOAT_NAMES, describe(dtype))
        ) from None
    if result.kind in "fV" and not result.isnative:
        result = result.newbyteorder("=")
    rank = _float_rank(result)
    if rank is not None:
        if x_dtype is None:
            return result, None
        work = 8 if integral else max(rank, _float_rank(x_dtype))
        return result, np.dtype("f%d" % work)
    if result.kind in INTEGER_KINDS and x_dtype is None:
        return result, None
    if result.kind in INTEGER_KINDS and x_dtype.kind in INTEGER_KINDS:
        if result.kind == x_dtype.kind and result.itemsize == x_dtype.itemsize:
            return x_dtype, np.dtype(np.float64)
        raise TypeError(
            "dtype must be None, a float dtype or x's own integer dtype %s (the means "
            "rounded half to even), got %s" % (x_dtype, result)
        )
    if result.kind in INTEGER_KINDS:
        raise TypeError(
            "dtype must be None or a float dtype (%s) for %s input, got %s: an integer "
            "dtype is for x of that integer type" % (_FLOAT_NAMES, x_dtype, result)
        )
    raise TypeError(
        "dtype must be None, a float dtype (%s) or x's own integer dtype, got %s"
        % (_FLOAT_NAMES, result)
    )


def kernel_size3(sizes):
    """Spatial sizes as the kernels' 3-tuple (leading 1s for 1-D and 2-D)."""
    return (1,) * (3 - len(sizes)) + tuple(sizes)


def output_size(name, value, in_size):
    """Adaptive ``output_size``: int or tuple; None entries keep the input size."""
    ndim = len(in_size)
    if isinstance(value, (list, tuple)):
        if len(value) != ndim:
            raise ValueError(
                "%s must be an int or a sequence of %d entries, got %s"
                % (name, ndim, describe(value))
            )
        sizes = tuple(n if v is None else as_int(name, v) for v, n in zip(value, in_size))
    else:
        sizes = (as_int(name, value),) * ndim
    if any(s < 1 for s in sizes):
        raise ValueError("%s must be >= 1, got %s" % (name, describe(value)))
    if any(s > INT64_MAX for s in sizes):
        raise ValueError("%s overflows int64: %r" % (name, value))
    return sizes


def unpool_size(extent, kernel_size, stride, padding, output_size, ndim):
    """Spatial output size: PyTorch's default rule, or ``output_size``."""
    kernel, strides, before, after, _, same = check_window_arguments(
        ndim, kernel_size, stride, padding
    )
    if same:
        raise ValueError(
            "padding='same' is ambiguous for max_unpool: pass the forward call's explicit padding"
        )
    if output_size is None:
        sizes = tuple(
            (n - 1) * s - b - a + k
            for n, s, b, a, k in zip(extent.spatial, strides, before, after, kernel)
        )
        if any(size < 1 for size in sizes):
            raise ValueError(
                "padding: the default output size %r of max_unpool is empty; "
                "pass output_size" % (sizes,)
            )
        return sizes
    sizes = parse_shape("output_size", output_size)
    if len(sizes) == len(extent.shape()):
        given = split_shape(sizes, ndim, extent.layout, "output_size")
        if given.shape(extent.spatial) != extent.shape():
            raise ValueError(
                "output_size %r does not match x's batch and channel sizes %r"
                % (sizes, extent.shape())
            )
        sizes = given.spatial
    elif len(sizes) != ndim:
        raise ValueError(
            "output_size must hold the %d spatial sizes or the full output shape, "
            "got %r" % (ndim, sizes)
        )
    if any(s < 1 for s in sizes):
        raise ValueError("output_size must be >= 1, got %r" % (tuple(output_size),))
    return tuple(sizes)


def norm_type(value):
    """Lp ``norm_type`` as a float: > 0, possibly inf; NaN and <= 0 raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError("norm_type must be a real number, got %s" % describe(value))
    p = float(value)
    if not p > 0:  # also catches NaN
        raise ValueError("norm_type must be > 0 (or inf), got %r" % (value,))
    return p


# --- call plans ---------------------------------------------------------------------------
#
# Validating the arguments and resolving a geometry costs 15-20 us of Python, ten
# times the kernel of a small array, and small calls repeat the same window
# thousands of times.  So each kind of call has one parser below that turns its
# arguments (the array's shape and dtype, never its data) into a frozen CallPlan,
# and ``memoized_plan`` keeps the plans.  cypool._runner runs every plan, fresh or
# remembered, the same way.


@dataclass(frozen=True)
class CallPlan:
    """Everything one kernel call needs besides the data."""

    kernel: str  # which launcher of cypool._runner runs it
    extent: Extent  # the input side's split: the kernels' (outer, channels)
    out_shape: tuple
    out_dtype: np.dtype
    work_units: int  # independent parallel units (caps the thread count)
    geometry: Geometry = None
    return_indices: bool = False
    arguments: tuple = ()  # the launcher's own (flags, sizes, planes)


PLAN_LIMIT = 512


def memoized_plan(parse):
    """Memoize a plan parser under the tuple of *all* its arguments and their types.

    The key is the parser's own signature, so a parameter added to a parser is in
    the key without anyone remembering to add it; callers must pass every argument
    positionally.  Arguments that are not plain values (lists, arrays, NumPy
    scalars) are parsed afresh every time (``cypool._runtime.plan_key``)."""
    memo = MemoizedParser(parse, len(inspect.signature(parse).parameters), PLAN_LIMIT)
    functools.update_wrapper(memo, parse)
    PLAN_CACHES.append(memo.cache)
    return memo


PLAN_CACHES = []


def _rows(extent, sizes):
    """Parallel work units of a windowed kernel: (outer, all-but-last-dim) rows."""
    return extent.kernel_outer * math.prod(sizes[:-1])


def _window_call(ndim, shape, layout, kernel_size, stride, padding, dilation, ceil_mode, name="x"):
    extent = split_shape(shape, ndim, parse_layout(layout), name)
    return extent, window_geometry(
        extent.spatial, kernel_size, stride, padding, dilation, ceil_mode, name
    )


def max_plan(extent, geometry, dtype, return_indices, absolute=False, minimum=False):
    """Max pooling (of |x|, giving averages' dtype, with ``absolute``; min pooling
    with ``minimum``) over a resolved geometry: what the parsers, axes-style pooling
    and Lp with p = inf share."""
    return CallPlan(
        "max",
        extent,
        extent.shape(geometry.out_size),
        result_dtype(dtype, absolute),
        _rows(extent, geometry.out_size),
        geometry,
        return_indices,
        (absolute, minimum),
    )


def average_plan(
    extent, geometry, dtype, count_include_pad, divisor, power=0, backward=False, out_dtype=None
):
    """Average pooling (window sums of |x|**power for Lp) or its backward, over a
    resolved geometry; divisor 0 is the window's own count.  ``out_dtype`` is a
    forward's result dtype from ``average_dtype`` (None: the default); the kernel
    call derives its conversions from the source and result dtypes."""
    sizes = geometry.in_size if backward else geometry.out_size
    return CallPlan(
        "avg_backward" if backward else "avg",
        extent,
        extent.shape(sizes),
        result_dtype(dtype, True) if out_dtype is None else out_dtype,
        _rows(extent, sizes),
        geometry,
        False,
        (count_include_pad, divisor, power),
    )


def lp_plan(extent, geometry, dtype, norm_type_value, backward=False):
    """Lp pooling or its backward over a resolved geometry (p = inf is max of |x|)."""
    p = norm_type(norm_type_value)
    if backward:
        return CallPlan(
            "lp_backward",
            extent,
            extent.shape(),
            result_dtype(dtype, True),
            _rows(extent, geometry.out_size),
            geometry,
            False,
            (p,),
        )
    if math.isinf(p):
        return max_plan(extent, geometry, dtype, False, absolute=True)
    if p in (1, 2):  # exact window sums of |x| or x*x by the average kernel, then a root
        return average_plan(extent, geometry, dtype, False, 1, p)
    return CallPlan(
        "lp",
        extent,
        extent.shape(geometry.out_size),
        result_dtype(dtype, True),
        _rows(extent, geometry.out_size),
        geometry,
        False,
        (p,),
    )


@memoized_plan
def max_pool_plan(
    ndim, shape, dtype, kernel_size, stride, padding, dilation, ceil_mode, return_indices, layout
):
    extent, geometry = _window_call(
        ndim, shape, layout, kernel_size, stride, padding, dilation, ceil_mode
    )
    return max_plan(extent, geometry, dtype, as_bool("return_indices", return_indices))


@memoized_plan
def avg_pool_plan(
    ndim,
    shape,
    dtype,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    count_include_pad,
    divisor_override,
    layout,
    dtype_value,
):
    extent, geometry = _window_call(
        ndim, shape, layout, kernel_size, stride, padding, dilation, ceil_mode
    )
    return average_plan(
        extent,
        geometry,
        dtype,
        *average_arguments(count_include_pad, divisor_override),
        out_dtype=average_dtype(dtype, dtype_value)[0],
    )


@memoized_plan
def lp_pool_plan(
    ndim, shape, dtype, norm_type_value, kernel_size, stride, padding, dilation, ceil_mode, layout
):
    extent, geometry = _window_call(
        ndim, shape, layout, kernel_size, stride, padding, dilation, ceil_mode
    )
    return lp_plan(extent, geometry, dtype, norm_type_value)


def _backward_window(
    ndim, grad_shape, input_shape, layout, kernel_size, stride, padding, dilation, ceil_mode
):
    """(input extent, geometry) of a backward call that repeats the forward window;
    ``grad_output`` must have the forward output's shape."""
    layout = parse_layout(layout)
    in_extent = input_extent(input_shape, ndim, layout)
    geometry = window_geometry(
        in_extent.spatial, kernel_size, stride, padding, dilation, ceil_mode, "input_shape"
    )
    expected = in_extent.shape(geometry.out_size)
    if grad_shape != expected:
        raise ValueError(
            "grad_output must have shape %r for this input_shape and window, got %r"
            % (expected, grad_shape)
        )
    return in_extent, geometry


@memoized_plan
def avg_pool_backward_plan(
    ndim,
    grad_shape,
    dtype,
    input_shape,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    count_include_pad,
    divisor_override,
    layout,
):
    in_extent, geometry = _backward_window(
        ndim, grad_shape, input_shape, layout, kernel_size, stride, padding, dilation, ceil_mode
    )
    return average_plan(
        in_extent,
        geometry,
        dtype,
        *average_arguments(count_include_pad, divisor_override),
        backward=True,
    )


@memoized_plan
def lp_pool_backward_plan(
    ndim,
    grad_shape,
    dtype,
    x_shape,
    norm_type_value,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    layout,
):
    in_extent, geometry = _backward_window(
        ndim, grad_shape, x_shape, layout, kernel_size, stride, padding, dilation, ceil_mode
    )
    return lp_plan(in_extent, geometry, dtype, norm_type_value, backward=True)


def route_plan(operation, source_extent, target_extent, dtype):
    """Scatter or gather by flat spatial indices: max pooling's backward (to the
    input), max-unpooling (to the unpooled array) and unpooling's backward."""
    source_plane = math.prod(source_extent.spatial)
    target_plane = math.prod(target_extent.spatial)
    index_plane = source_plane if operation == "max_unpool_backward" else target_plane
    return CallPlan(
        "route",
        target_extent,
        target_extent.shape(),
        np.dtype(dtype),
        target_extent.kernel_outer * -(-target_extent.kernel_channels // 64),
        None,
        False,
        (operation, source_plane, target_plane, index_plane),
    )


@memoized_plan
def max_pool_backward_plan(ndim, grad_shape, dtype, input_shape, layout):
    layout = parse_layout(layout)
    in_extent = input_extent(input_shape, ndim, layout)
    return route_plan(
        "max_pool_backward", grad_extent(grad_shape, in_extent, ndim, layout), in_extent, dtype
    )


def _adaptive_sizes(ndim, shape, layout, output_size_value):
    extent = split_shape(shape, ndim, parse_layout(layout), nonempty=True)
    sizes = output_size("output_size", output_size_value, extent.spatial)
    # NumPy refuses an array, even an empty one, whose nonzero sizes times the
    # item size (8 for indices) overflow; say which argument did it.
    if math.prod(n for n in extent.shape(sizes) if n) > INT64_MAX // 8:
        raise ValueError(
            "output_size %r: the output shape %r is too large to allocate"
            % (output_size_value, extent.shape(sizes))
        )
    return extent, sizes


@memoized_plan
def adaptive_max_pool_plan(ndim, shape, dtype, output_size_value, return_indices, layout):
    extent, sizes = _adaptive_sizes(ndim, shape, layout, output_size_value)
    return CallPlan(
        "adaptive_max",
        extent,
        extent.shape(sizes),
        np.dtype(dtype),
        _rows(extent, sizes),
        None,
        as_bool("return_indices", return_indices),
        (kernel_size3(extent.spatial), kernel_size3(sizes)),
    )


@memoized_plan
def adaptive_avg_pool_plan(ndim, shape, dtype, output_size_value, layout, dtype_value):
    extent, sizes = _adaptive_sizes(ndim, shape, layout, output_size_value)
    return CallPlan(
        "adaptive_avg",
        extent,
        extent.shape(sizes),
        average_dtype(dtype, dtype_value)[0],
        _rows(extent, sizes),
        None,
        False,
        (kernel_size3(extent.spatial), kernel_size3(sizes)),
    )


@memoized_plan
def adaptive_avg_pool_backward_plan(ndim, grad_shape, dtype, input_shape, layout):
    layout = parse_layout(layout)
    in_extent = input_extent(input_shape, ndim, layout)
    sizes = grad_extent(grad_shape, in_extent, ndim, layout).spatial
    return CallPlan(
        "adaptive_avg_backward",
        in_extent,
        in_extent.shape(),
        result_dtype(dtype, True),
        _rows(in_extent, in_extent.spatial),
        None,
        False,
        (kernel_size3(in_extent.spatial), kernel_size3(sizes)),
    )


@memoized_plan
def max_unpool_plan(ndim, shape, dtype, kernel_size, stride, padding, output_size_value, layout):
    extent = split_shape(shape, ndim, parse_layout(layout))
    sizes = unpool_size(extent, kernel_size, stride, padding, output_size_value, ndim)
    return route_plan(
        "max_unpool_forward", extent, dataclasses.replace(extent, spatial=sizes), dtype
    )


@memoized_plan
def max_unpool_backward_plan(ndim, grad_shape, dtype, indices_shape, layout):
    layout = parse_layout(layout)
    grad = split_shape(grad_shape, ndim, layout, "grad_output")
    pooled = split_shape(indices_shape, ndim, layout, "indices")
    if (pooled.batched, pooled.batch, pooled.channels) != (grad.batched, grad.batch, grad.channels):
        raise ValueError(
            "grad_output shape %r does not match indices shape %r"
            % (tuple(grad_shape), tuple(indices_shape))
        )
    return route_plan("max_unpool_backward", grad, pooled, dtype)


def fractional_output_size(output_size_value, output_ratio, in_size):
    """Fractional pooling's output sizes: ``output_size``, or ``int(in * ratio)``
    per dim (PyTorch's rule); exactly one of them."""
    ndim = len(in_size)
    if (output_size_value is None) == (output_ratio is None):
        raise ValueError("output_size and output_ratio: pass exactly one of them")
    if output_size_value is not None:
        return output_size("output_size", output_size_value, in_size)
    ratios = (
        tuple(output_ratio) if isinstance(output_ratio, (list, tuple)) else (output_ratio,) * ndim
    )
    if len(ratios) != ndim:
        raise ValueError(
            "output_ratio must be a float or a sequence of %d floats, got %r" % (ndim, output_ratio)
        )
    for r in ratios:
        if isinstance(r, (bool, np.bool_)) or not isinstance(r, (numbers.Real, np.number)):
            raise TypeError("output_ratio must hold real numbers, got %r" % (output_ratio,))
        if not 0 < r < 1:
            raise ValueError("output_ratio must be in (0, 1), got %r" % (output_ratio,))
    sizes = tuple(int(n * r) for n, r in zip(in_size, ratios))
    if min(sizes) < 1:
        raise ValueError(
            "output_ratio %r gives an empty output for spatial sizes %r" % (output_ratio, in_size)
        )
    return sizes


@memoized_plan
def fractional_max_pool_plan(
    ndim, shape, dtype, kernel_size, output_size_value, output_ratio, return_indices, layout
):
    extent = split_shape(shape, ndim, parse_layout(layout), nonempty=True)
    kernel = check_window_arguments(ndim, kernel_size, None, 0)[0]
    sizes = fractional_output_size(output_size_value, output_ratio, extent.spatial)
    for n, k, o in zip(extent.spatial, kernel, sizes):
        if o + k - 1 > n:
            raise ValueError(
                "output_size %r with kernel_size %r needs spatial sizes of at "
                "least output_size + kernel_size - 1, x has %r" % (sizes, kernel, extent.spatial)
            )
    return CallPlan(
        "fractional",
        extent,
        extent.shape(sizes),
        np.dtype(dtype),
        extent.kernel_outer * extent.kernel_channels,
        None,
        as_bool("return_indices", return_indices),
        (kernel_size3(extent.spatial), kernel_size3(sizes), kernel_size3(kernel)),
    )
