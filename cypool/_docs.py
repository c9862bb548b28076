"""Every docstring template of the public functions, in one place.

The 1-D, 2-D and 3-D versions of an operation share one template (``{nd}``,
``{cf}``, ``{cl}``, ``{sp}``, ``{example}`` filled per dimension), so they cannot
drift apart; parameters shared by several operations are described once below.
``tools/make_stub.py`` copies the filled docstrings into ``cypool/__init__.pyi``
so IDEs show them too.
"""

SHAPES = {
    1: ("(N, C, L)", "(N, L, C)", "L"),
    2: ("(N, C, H, W)", "(N, H, W, C)", "H, W"),
    3: ("(N, C, D, H, W)", "(N, D, H, W, C)", "D, H, W"),
}
EXAMPLE_INPUT = {
    1: "np.arange(8.).reshape(1, 1, 8)",
    2: "np.arange(16.).reshape(1, 1, 4, 4)",
    3: "np.arange(64.).reshape(1, 1, 4, 4, 4)",
}
# avg_pool{nd}d(EXAMPLE_INPUT as uint8, 2, dtype=np.uint8).ravel(): every window
# mean ends in .5, so each goes to its even neighbour.
EXAMPLE_ROUNDED = {
    1: "[0, 2, 4, 6]",
    2: "[2, 4, 10, 12]",
    3: "[10, 12, 18, 20, 42, 44, 50, 52]",
}

X = """x : array_like
    {cf} (``layout="channels_first"``, the default) or {cl} (``"channels_last"``);
    the batch dim may be omitted.  Any strides or byte order; C-contiguous native
    input is not copied.
"""
WINDOW = """kernel_size : int or tuple of {nd} ints
    Window size per spatial dim ({sp}); an int applies to every dim.
stride : int, tuple of {nd} ints or None
    Step between windows; None (default) means ``kernel_size``.
padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
    Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
    TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
    "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
    the input.
dilation : int or tuple of {nd} ints
    Spacing between a window's taps (1: contiguous).
ceil_mode : bool
    Round the output size up instead of down (PyTorch's rule: the last window
    must still start inside the input or the left padding).
"""
AVERAGE = """count_include_pad : bool
    Whether taps in the padding count in the divisor (True, PyTorch's default).
    Taps in the ceil_mode overhang never count.
divisor_override : int or None
    Divide every window's sum by this instead of its tap count.
"""
RUNTIME = """layout : str
    "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
    ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
out : ndarray, optional
    Result buffer of exactly the result's shape and dtype, C-contiguous, not
    overlapping the inputs; it is filled and returned.
num_threads : int, optional
    OpenMP threads for this call (default: ``cypool.get_num_threads()``).
"""
DTYPE = """dtype : dtype, optional
    The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
    ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
    A float type (float16, bfloat16, float32, float64): integer and bool input
    give the float64 result cast to it; float input is pooled in the wider of
    its own type and ``dtype`` (float32 at least) and rounded once.  x's own
    integer type (integer input only): the mean rounded to the nearest integer,
    ties to even (``np.rint`` of the float64 result), saturated to the type's
    range (only a ``divisor_override`` smaller than the window can leave it).
    Any other dtype raises TypeError.
"""
GRAD = """grad_output : array_like
    Gradient of the loss with respect to the forward call's result (its shape).
"""
INPUT_SHAPE = """input_shape : tuple of int
    Shape of the forward call's input ``x`` (the gradient's shape).
"""
AVERAGE_GRAD_INPUT = """grad_input : ndarray of shape ``input_shape``
    grad_output's dtype (float64 for integer gradients).
"""
FORWARD_INDICES = """indices : array_like of int
    The indices the forward call returned (``return_indices=True``).
"""


AXES_X = """x : array_like
    Any array of a floating or integer dtype (an image, a volume, a stack).
"""
AXES_WINDOW = """kernel_size : int or tuple of ints
    Window size per pooled axis (an int applies to each).
stride : int, tuple of ints or None
    Step between windows per pooled axis; None (default) means ``kernel_size``.
padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
    As for ``max_pool2d``, one entry per pooled axis.
dilation : int or tuple of ints
    Spacing between a window's taps per pooled axis.
ceil_mode : bool
    Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
"""
AXES = """axes : int, tuple of int or None
    The pooled axes; None (default) means every axis, as in NumPy's reductions:
    a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
    padding act as batch axes; at most three may have a real window.
"""
# The every-axis default surprises image users; the forward functions say so.
AXES_IMAGE_NOTE = """
Notes
-----
With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
width only and keep the channels.
"""
AXES_RUNTIME = """out : ndarray, optional
    Result buffer of exactly the result's shape and dtype; filled and returned.
num_threads : int, optional
    OpenMP threads for this call (default: ``cypool.get_num_threads()``).
"""
GLOBAL = (
    """x : array_like
    Batched input with at least one spatial dim: ``(N, C, *spatial)`` or, with
    ``layout="channels_last"``, ``(N, *spatial, C)``.  Any number of spatial dims.
layout : str
    "channels_first" (the default; alias "NCHW" etc.) or "channels_last" ("NHWC" etc.).
keepdims : bool
    Keep the spatial dims (as size 1) instead of returning (N, C).
"""
    + AXES_RUNTIME
)


TEMPLATES = {
    "max_pool": """{nd}-D max pooling, PyTorch's ``max_pool{nd}d`` semantics.

Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
ties go to the first maximum in row-major window order.

Parameters
----------
"""
    + X
    + WINDOW
    + """return_indices : bool
    Also return int64 flat indices of each maximum into the input's spatial plane
    ({sp}) of its (n, c); with ``out``, pass a (values, indices) pair.
"""
    + RUNTIME
    + """
Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    Same layout, batchedness and dtype as ``x``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> y.shape == idx.shape
True
""",
    "max_pool_backward": """Gradient of ``max_pool{nd}d`` with respect to its input.

Parameters
----------
"""
    + GRAD
    + FORWARD_INDICES
    + INPUT_SHAPE
    + RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``
    ``grad_output`` scattered to the argmax positions, summed where windows overlap.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> g = cypool.max_pool{nd}d_backward(np.ones_like(y), idx, x.shape)
>>> float(g.sum()) == y.size
True
""",
    "avg_pool": """{nd}-D average pooling, PyTorch's ``avg_pool{nd}d`` semantics.

The divisor is ``divisor_override`` if given, else the window's tap count: with
``count_include_pad`` taps in the padding count, taps past the padded edge (the
ceil_mode overhang) never do.  Integer input gives float64 means, or with
``dtype`` set to its own type the means rounded half to even.

Parameters
----------
"""
    + X
    + WINDOW
    + AVERAGE
    + RUNTIME
    + DTYPE
    + """
Returns
-------
y : ndarray
    Same layout as ``x``; ``dtype``, by default x's (float64 for integer input).

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> cypool.avg_pool{nd}d(x, 2).shape == cypool.max_pool{nd}d(x, 2).shape
True
>>> cypool.avg_pool{nd}d(x.astype(np.uint8), 2, dtype=np.uint8).ravel().tolist()
{rounded}
""",
    "avg_pool_backward": """Gradient of ``avg_pool{nd}d`` with respect to its input.

Each output gradient is divided by its window's divisor and spread over the
window's input taps.  Window arguments must be those of the forward call.

Parameters
----------
"""
    + GRAD
    + INPUT_SHAPE
    + WINDOW
    + AVERAGE
    + RUNTIME
    + """
Returns
-------
"""
    + AVERAGE_GRAD_INPUT
    + """
Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.avg_pool{nd}d(x, 2)
>>> g = cypool.avg_pool{nd}d_backward(np.ones_like(y), x.shape, 2)
>>> float(g.sum()) == y.size
True
""",
    "lp_pool": """{nd}-D power-average (Lp) pooling: ``(sum over the window of |x|**p) ** (1/p)``.

The Lp norm of each window, as ONNX LpPool defines it: in-bounds taps only
(padding contributes zeros, the ceil_mode overhang nothing), ``|x|`` so odd p is
well defined on negative input; ``norm_type=inf`` is max pooling of ``|x|``.

Parameters
----------
"""
    + X
    + """norm_type : float
    The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
"""
    + WINDOW
    + RUNTIME
    + """
Returns
-------
y : ndarray
    Same layout as ``x``; x's dtype (float64 for integer input).

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.lp_pool{nd}d(x, 2, 2)
>>> bool(np.all(y >= cypool.max_pool{nd}d(x, 2)))
True
""",
    "lp_pool_backward": """Gradient of ``lp_pool{nd}d`` with respect to its input.

``sign(x) |x|**(p-1) y**(1-p)`` times the output gradient, summed over the
windows holding each element (0 where ``x`` or the window norm is 0); for
``norm_type=inf`` the gradient goes to each window's first maximum of ``|x|``.

Parameters
----------
"""
    + GRAD
    + """x : array_like
    The forward call's input.
norm_type : float
    The forward call's power p.
"""
    + WINDOW
    + RUNTIME
    + """
Returns
-------
grad_input : ndarray of x's shape
    x's dtype (float64 for integer input).

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.lp_pool{nd}d(x, 1, 2)
>>> g = cypool.lp_pool{nd}d_backward(np.ones_like(y), x, 1, 2)
>>> bool(np.all(g == np.sign(x)))
True
""",
    "adaptive_max_pool": """{nd}-D adaptive max pooling to ``output_size`` (PyTorch's bins).

Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

Parameters
----------
"""
    + X
    + """output_size : int or tuple of {nd}
    The result's spatial sizes ({sp}); None entries keep that input size.
return_indices : bool
    Also return int64 flat indices of each maximum into its (n, c) spatial plane.
"""
    + RUNTIME
    + """
Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    Same layout and dtype as ``x``, spatial sizes ``output_size``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> cypool.adaptive_max_pool{nd}d(x, 3).shape[2:] == (3,) * {nd}
True
""",
    "adaptive_avg_pool": """{nd}-D adaptive average pooling to ``output_size`` (PyTorch's bins).

Each bin's sum is divided by its size along each dim in turn, as PyTorch does.
Integer input gives float64, or with ``dtype`` set to its own type the means
rounded half to even.

Parameters
----------
"""
    + X
    + """output_size : int or tuple of {nd}
    The result's spatial sizes ({sp}); None entries keep that input size.
"""
    + RUNTIME
    + DTYPE
    + """
Returns
-------
y : ndarray
    Same layout as ``x``, spatial sizes ``output_size``; ``dtype``, by default
    x's (float64 for integer input).

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> float(cypool.adaptive_avg_pool{nd}d(x, 1).item()) == float(x.mean())
True
>>> y = cypool.adaptive_avg_pool{nd}d(x.astype(np.int16), 1, dtype=np.int16)
>>> y.dtype, y.item() == int(np.rint(x.mean()))          # x.mean() ends in .5
(dtype('int16'), True)
""",
    "adaptive_max_pool_backward": """Gradient of ``adaptive_max_pool{nd}d``: ``grad_output`` to the
indices it returned, summed where bins overlap.

Parameters
----------
"""
    + GRAD
    + FORWARD_INDICES
    + INPUT_SHAPE
    + RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.adaptive_max_pool{nd}d(x, 3, return_indices=True)
>>> g = cypool.adaptive_max_pool{nd}d_backward(np.ones_like(y), idx, x.shape)
>>> float(g.sum()) == y.size
True
""",
    "adaptive_avg_pool_backward": """Gradient of ``adaptive_avg_pool{nd}d`` (the output size from
``grad_output``'s shape).

Parameters
----------
"""
    + GRAD
    + INPUT_SHAPE
    + RUNTIME
    + """
Returns
-------
"""
    + AVERAGE_GRAD_INPUT
    + """
Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> g = cypool.adaptive_avg_pool{nd}d_backward(np.ones((1, 1) + (1,) * {nd}), x.shape)
>>> bool(np.allclose(g.sum(), 1.0))
True
""",
    "max_unpool": """{nd}-D max-unpooling: the values of ``x`` placed at ``indices`` in zeros.

Parameters
----------
x : array_like
    Pooled values, {cf} or, with ``layout="channels_last"``, {cl}.
indices : array_like of int
    What ``max_pool{nd}d(..., return_indices=True)`` returned (same shape as x);
    flat indices into the output's spatial plane.  Out-of-range indices raise.
kernel_size : int or tuple of {nd} ints
    The forward pooling's window size.
stride : int, tuple of {nd} ints or None
    The forward pooling's stride (default ``kernel_size``).
padding : int, tuple of ints or tuple of (before, after) pairs
    The forward pooling's explicit padding (not "same").
output_size : tuple of int, optional
    The output's spatial sizes (or its full shape).  Default:
    ``(in - 1) * stride - pad_before - pad_after + kernel_size`` per dim.
"""
    + RUNTIME
    + """
Returns
-------
y : ndarray
    x's dtype; where two windows chose the same input, that position gets one of
    their (equal) values, never their sum.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> u = cypool.max_unpool{nd}d(y, idx, 2)
>>> bool((u.max() == x.max()) and u.shape == x.shape)
True
""",
    "max_unpool_backward": """Gradient of ``max_unpool{nd}d``: ``grad_output`` read at ``indices``.

Parameters
----------
grad_output : array_like
    Gradient of the unpooled output.
indices : array_like of int
    The indices passed to the forward call (its shape is the result's).
"""
    + RUNTIME
    + """
Returns
-------
grad_input : ndarray of indices' shape
    grad_output's dtype.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.max_pool{nd}d(x, 2, return_indices=True)
>>> g = cypool.max_unpool{nd}d_backward(x, idx)
>>> bool(np.array_equal(g, y))
True
""",
    "max_pool_axes": """Max pooling over any ``axes`` of an array (NumPy style).

Parameters
----------
"""
    + AXES_X
    + AXES_WINDOW
    + """return_indices : bool
    Also return int64 flat row-major indices over the pooled ``axes``, per
    position of the other axes; with ``out``, pass a (values, indices) pair.
"""
    + AXES
    + AXES_RUNTIME
    + """
Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    x's dtype; the pooled axes resized.
"""
    + AXES_IMAGE_NOTE
    + """
Examples
--------
>>> import numpy as np, cypool
>>> image = np.arange(16).reshape(4, 4)
>>> cypool.max_pool(image, 2).tolist()
[[5, 7], [13, 15]]
>>> rgb = np.zeros((8, 6, 3))                 # (H, W, C)
>>> cypool.max_pool(rgb, 2).shape             # channels pooled too
(4, 3, 1)
>>> cypool.max_pool(rgb, 2, axes=(0, 1)).shape
(4, 3, 3)
""",
    "avg_pool_axes": """Average pooling over any ``axes`` of an array (NumPy style).

Parameters
----------
"""
    + AXES_X
    + AXES_WINDOW
    + AVERAGE
    + AXES
    + AXES_RUNTIME
    + DTYPE
    + """
Returns
-------
y : ndarray
    ``dtype``, by default x's (float64 for integer input); the pooled axes resized.
"""
    + AXES_IMAGE_NOTE
    + """
Examples
--------
>>> import numpy as np, cypool
>>> cypool.avg_pool(np.arange(8), 2).tolist()
[0.5, 2.5, 4.5, 6.5]
>>> cypool.avg_pool(np.arange(8, dtype=np.uint8), 2, dtype=np.uint8).tolist()  # ties to even
[0, 2, 4, 6]
>>> rgb = np.zeros((8, 6, 3), np.uint8)       # (H, W, C)
>>> cypool.avg_pool(rgb, 2).shape             # channels pooled too
(4, 3, 1)
>>> cypool.avg_pool(rgb, 2, axes=(0, 1)).shape
(4, 3, 3)
""",
    "lp_pool_axes": """Lp pooling over any ``axes`` of an array (NumPy style); see ``lp_pool2d``.

Parameters
----------
"""
    + AXES_X
    + """norm_type : float
    The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
"""
    + AXES_WINDOW
    + AXES
    + AXES_RUNTIME
    + """
Returns
-------
y : ndarray
    x's dtype (float64 for integer input); the pooled axes resized.
"""
    + AXES_IMAGE_NOTE
    + """
Examples
--------
>>> import numpy as np, cypool
>>> cypool.lp_pool(np.array([3.0, -4.0, 0.0, 1.0]), 2, 2).tolist()
[5.0, 1.0]
>>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
>>> cypool.lp_pool(rgb, 2, 2, axes=(0, 1)).shape
(4, 3, 3)
""",
    "max_pool_backward_axes": """Gradient of ``max_pool`` over ``axes``: routed to ``indices``.

Parameters
----------
"""
    + GRAD
    + """indices : array_like of int
    Flat row-major indices over the pooled ``axes`` (what ``max_pool`` returned).
"""
    + INPUT_SHAPE
    + """axes : int, tuple of int or None
    The axes of the forward call.
"""
    + AXES_RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``
    Summed where windows overlap.

Examples
--------
>>> import numpy as np, cypool
>>> y, idx = cypool.max_pool(np.array([1, 5, 2, 0]), 2, return_indices=True)
>>> cypool.max_pool_backward(np.ones(2), idx, (4,)).tolist()
[0.0, 1.0, 1.0, 0.0]
""",
    "avg_pool_backward_axes": """Gradient of ``avg_pool`` over ``axes`` with respect to its input.

Parameters
----------
"""
    + GRAD
    + INPUT_SHAPE
    + AXES_WINDOW
    + AVERAGE
    + """axes : int, tuple of int or None
    The axes of the forward call.
"""
    + AXES_RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``

Examples
--------
>>> import numpy as np, cypool
>>> cypool.avg_pool_backward(np.ones(2), (4,), 2).tolist()
[0.5, 0.5, 0.5, 0.5]
""",
    "lp_pool_backward_axes": """Gradient of ``lp_pool`` over ``axes`` with respect to its input.

Parameters
----------
"""
    + GRAD
    + """x : array_like
    The forward call's input.
norm_type : float
    The forward call's power p.
"""
    + AXES_WINDOW
    + """axes : int, tuple of int or None
    The axes of the forward call.
"""
    + AXES_RUNTIME
    + """
Returns
-------
grad_input : ndarray of x's shape

Examples
--------
>>> import numpy as np, cypool
>>> np.round(cypool.lp_pool_backward(np.ones(1), np.array([3.0, -4.0]), 2, 2), 6).tolist()
[0.6, -0.8]
""",
    "global_max_pool": """Maximum over every spatial position of each (n, c).

Parameters
----------
"""
    + GLOBAL
    + """
Returns
-------
y : ndarray
    (N, C), or x's rank with spatial sizes 1 when ``keepdims``; x's dtype.

Examples
--------
>>> import numpy as np, cypool
>>> x = np.arange(24.).reshape(2, 3, 2, 2)
>>> cypool.global_max_pool(x).tolist()
[[3.0, 7.0, 11.0], [15.0, 19.0, 23.0]]
""",
    "global_avg_pool": """Mean over every spatial position of each (n, c) (float64 for integers).

Equal bit for bit to ``adaptive_avg_pool{{1,2,3}}d(x, 1)`` for up to three spatial dims.

Parameters
----------
"""
    + GLOBAL
    + DTYPE
    + """
Returns
-------
y : ndarray
    (N, C), or x's rank with spatial sizes 1 when ``keepdims``; ``dtype``, by
    default x's (float64 for integer input).

Examples
--------
>>> import numpy as np, cypool
>>> x = np.arange(24.).reshape(2, 2, 2, 3)
>>> cypool.global_avg_pool(x, layout="NHWC").tolist()
[[4.5, 5.5, 6.5], [16.5, 17.5, 18.5]]
>>> cypool.global_avg_pool(x.astype(np.uint8), layout="NHWC", dtype=np.uint8).tolist()
[[4, 6, 6], [16, 18, 18]]
""",
    "fractional_max_pool": """{nd}-D fractional max pooling (Graham, 2014), as PyTorch's.

Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
(``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
type; the last window ends at the input's end.  Max pooling's rules: the first
maximum wins, a NaN wins (the last NaN's index).

Parameters
----------
"""
    + X
    + """kernel_size : int or tuple of {nd} ints
    Window size per spatial dim ({sp}).
output_size : int or tuple of {nd} ints, optional
    The result's spatial sizes; each at most ``in - kernel_size + 1``.
output_ratio : float or tuple of {nd} floats, optional
    Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
    of ``output_size`` and ``output_ratio``.
return_indices : bool
    Also return int64 flat indices of each maximum into its (n, c) spatial plane.
samples : array_like, optional
    (N, C, {nd}) (or (C, {nd}) unbatched) numbers in [0, 1): PyTorch's
    ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
    same samples give PyTorch's results bit for bit.
rng : numpy.random.Generator or int, optional
    Draws the samples when ``samples`` is None (an int seeds a new generator).
"""
    + RUNTIME
    + """
Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    Same layout and dtype as ``x``, spatial sizes ``output_size``.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.fractional_max_pool{nd}d(x, 2, output_size=3, samples=np.full((1, 1, {nd}), 0.5))
>>> y.shape[2:] == (3,) * {nd}
True
""",
    "fractional_max_pool_backward": """Gradient of ``fractional_max_pool{nd}d``: to its indices.

Parameters
----------
"""
    + GRAD
    + FORWARD_INDICES
    + INPUT_SHAPE
    + RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``
    Summed where windows overlap.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y, idx = cypool.fractional_max_pool{nd}d(x, 2, output_size=3, return_indices=True, rng=0)
>>> g = cypool.fractional_max_pool{nd}d_backward(np.ones_like(y), idx, x.shape)
>>> float(g.sum()) == y.size
True
""",
    "min_pool_axes": """Min pooling over any ``axes`` of an array (NumPy style).

Max pooling's rules mirrored: padding never wins, a window holding NaN yields
NaN (the last NaN's index), otherwise the first minimum in row-major window
order.  On a bool mask it is "all" over each window.

Parameters
----------
"""
    + AXES_X
    + AXES_WINDOW
    + """return_indices : bool
    Also return int64 flat row-major indices over the pooled ``axes``, per
    position of the other axes; with ``out``, pass a (values, indices) pair.
"""
    + AXES
    + AXES_RUNTIME
    + """
Returns
-------
y : ndarray, or (y, indices) when ``return_indices``
    x's dtype; the pooled axes resized.
"""
    + AXES_IMAGE_NOTE
    + """
Examples
--------
>>> import numpy as np, cypool
>>> cypool.min_pool(np.arange(16).reshape(4, 4), 2).tolist()
[[0, 2], [8, 10]]
>>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
>>> cypool.min_pool(rgb, 2, axes=(0, 1)).shape
(4, 3, 3)
""",
    "min_pool_backward_axes": """Gradient of ``min_pool`` over ``axes``: routed to ``indices``.

Parameters
----------
"""
    + GRAD
    + """indices : array_like of int
    Flat row-major indices over the pooled ``axes`` (what ``min_pool`` returned).
"""
    + INPUT_SHAPE
    + """axes : int, tuple of int or None
    The axes of the forward call.
"""
    + AXES_RUNTIME
    + """
Returns
-------
grad_input : ndarray of shape ``input_shape``
    Summed where windows overlap.

Examples
--------
>>> import numpy as np, cypool
>>> y, idx = cypool.min_pool(np.array([1, 5, 2, 0]), 2, return_indices=True)
>>> cypool.min_pool_backward(np.ones(2), idx, (4,)).tolist()
[1.0, 0.0, 0.0, 1.0]
""",
}


def documented(operation, ndim=None):
    """Decorator: attach ``TEMPLATES[operation]`` filled for ``ndim`` spatial dims
    (None: the NumPy-style and global functions, whose text is fixed)."""
    cf, cl, sp = SHAPES[ndim or 2]

    def attach(function):
        function.__doc__ = TEMPLATES[operation].format(
            nd=ndim,
            cf=cf,
            cl=cl,
            sp=sp,
            example=EXAMPLE_INPUT[ndim or 2],
            rounded=EXAMPLE_ROUNDED[ndim or 2],
        )
        return function

    return attach
