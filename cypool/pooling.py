"""The NumPy-facing façade of window pooling: max, average and Lp, forward and backward.

Every public function is a thin wrapper over one driver per operation,
parameterised by the number of spatial dims.  A driver asks the operation's parser
in ``cypool._args`` for the call plan and hands it to ``cypool._runner.run``, which
checks or allocates the outputs and launches the kernel.
"""
from cypool import _args
from cypool._docs import documented
from cypool._runner import run


def _max_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
              layout, out, num_threads):
    x = _args.as_input("x", x)
    plan = _args.max_pool_plan(ndim, x.shape, x.dtype, kernel_size, stride, padding, dilation,
                               ceil_mode, return_indices, layout)
    return run(plan, x, out, num_threads)


def _max_pool_backward(ndim, grad_output, indices, input_shape, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    plan = _args.max_pool_backward_plan(ndim, grad.shape, grad.dtype, _args.parse_shape(
        "input_shape", input_shape), layout)
    return run(plan, grad, out, num_threads, (_args.as_indices("indices", indices, grad.shape),))


def _avg_pool(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
              divisor_override, layout, out, num_threads):
    x = _args.as_input("x", x)
    plan = _args.avg_pool_plan(ndim, x.shape, x.dtype, kernel_size, stride, padding, dilation,
                               ceil_mode, count_include_pad, divisor_override, layout)
    return run(plan, x, out, num_threads)


def _avg_pool_backward(ndim, grad_output, input_shape, kernel_size, stride, padding, dilation,
                       ceil_mode, count_include_pad, divisor_override, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    plan = _args.avg_pool_backward_plan(ndim, grad.shape, grad.dtype, _args.parse_shape(
        "input_shape", input_shape), kernel_size, stride, padding, dilation, ceil_mode,
        count_include_pad, divisor_override, layout)
    return run(plan, grad, out, num_threads)


def _lp_pool(ndim, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
             out, num_threads):
    x = _args.as_input("x", x)
    plan = _args.lp_pool_plan(ndim, x.shape, x.dtype, norm_type, kernel_size, stride, padding,
                              dilation, ceil_mode, layout)
    return run(plan, x, out, num_threads)


def _lp_pool_backward(ndim, grad_output, x, norm_type, kernel_size, stride, padding, dilation,
                      ceil_mode, layout, out, num_threads):
    grad = _args.as_input("grad_output", grad_output)
    x = _args.as_input("x", x)
    plan = _args.lp_pool_backward_plan(ndim, grad.shape, x.dtype, x.shape, norm_type,
                                       kernel_size, stride, padding, dilation, ceil_mode, layout)
    return run(plan, grad, out, num_threads, (x,))


# ---------------------------------------------------------------------------------------
# Public functions.  Docstrings share one template per operation, filled per dimension.

_X_PARAMETER = """x : array_like
    {cf} (``layout="channels_first"``, the default) or {cl} (``"channels_last"``);
    the batch dim may be omitted.  Any strides or byte order; C-contiguous native
    input is not copied.
"""
_WINDOW_PARAMETERS = """kernel_size : int or tuple of {nd} ints
stride : int, tuple or None
    Defaults to ``kernel_size``.
padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
    May exceed ``kernel_size // 2`` as long as every window samples the input.
dilation : int or tuple
ceil_mode : bool
    PyTorch's rule: round the output size up, but the last window must start
    inside the input or the left padding."""
_RUNTIME_PARAMETERS = """layout : str
    "channels_first" (aliases "NCL", "NCHW", "NCDHW") or "channels_last" ("NLC",
    "NHWC", "NDHWC").
out : ndarray, optional
    Result buffer of exactly the result's shape and dtype, C-contiguous.
num_threads : int, optional
    OpenMP threads for this call (default: ``cypool.get_num_threads()``)."""

_DOCS = {
    "max_pool": """{nd}-D max pooling, PyTorch's ``max_pool{nd}d`` semantics.

Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
ties go to the first maximum in row-major window order.

Parameters
----------
""" + _X_PARAMETER + _WINDOW_PARAMETERS + """
return_indices : bool
    Also return int64 flat indices of each maximum into the input's spatial plane
    ({sp}) of its (n, c); with ``out``, pass a (values, indices) pair.
""" + _RUNTIME_PARAMETERS + """

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
grad_output : array_like
    Gradient of the pooled output.
indices : array_like of int
    The indices ``max_pool{nd}d(..., return_indices=True)`` returned; each must lie in
    the spatial plane ({sp}), else ValueError.
input_shape : tuple of int
    Shape of the forward input (same layout, batched or not).
""" + _RUNTIME_PARAMETERS + """

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
ceil_mode overhang) never do.  Integer input gives float64 means.

Parameters
----------
""" + _X_PARAMETER + _WINDOW_PARAMETERS + """
count_include_pad : bool
divisor_override : int or None
""" + _RUNTIME_PARAMETERS + """

Returns
-------
y : ndarray
    Same layout and batchedness as ``x``; float dtypes kept, integers give float64.

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> cypool.avg_pool{nd}d(x, 2).shape == cypool.max_pool{nd}d(x, 2).shape
True
""",
    "avg_pool_backward": """Gradient of ``avg_pool{nd}d`` with respect to its input.

Each output gradient is divided by its window's divisor and spread over the
window's input taps.  Window arguments must be those of the forward call.

Parameters
----------
grad_output : array_like
    Gradient of the pooled output, of exactly the forward output's shape.
input_shape : tuple of int
    Shape of the forward input (same layout, batched or not).
""" + _WINDOW_PARAMETERS + """
count_include_pad : bool
divisor_override : int or None
""" + _RUNTIME_PARAMETERS + """

Returns
-------
grad_input : ndarray of shape ``input_shape``

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
Integer input gives float64.

Parameters
----------
""" + _X_PARAMETER + """norm_type : float
    p > 0, or ``inf``.
""" + _WINDOW_PARAMETERS + """
""" + _RUNTIME_PARAMETERS + """

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
grad_output : array_like
    Gradient of the pooled output.
x : array_like
    The forward input.
norm_type : float
""" + _WINDOW_PARAMETERS + """
""" + _RUNTIME_PARAMETERS + """

Returns
-------
grad_input : ndarray of x's shape

Examples
--------
>>> import numpy as np, cypool
>>> x = {example}
>>> y = cypool.lp_pool{nd}d(x, 1, 2)
>>> g = cypool.lp_pool{nd}d_backward(np.ones_like(y), x, 1, 2)
>>> bool(np.all(g == np.sign(x)))
True
""",
}


def _document(operation, ndim):
    return documented(_DOCS, operation, ndim)


@_document("max_pool", 1)
def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(1, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool", 2)
def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(2, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool", 3)
def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, layout="channels_first", out=None, num_threads=None):
    return _max_pool(3, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     layout, out, num_threads)


@_document("max_pool_backward", 1)
def max_pool1d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(1, grad_output, indices, input_shape, layout, out, num_threads)


@_document("max_pool_backward", 2)
def max_pool2d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(2, grad_output, indices, input_shape, layout, out, num_threads)


@_document("max_pool_backward", 3)
def max_pool3d_backward(grad_output, indices, input_shape, layout="channels_first", out=None,
                        num_threads=None):
    return _max_pool_backward(3, grad_output, indices, input_shape, layout, out, num_threads)


@_document("avg_pool", 1)
def avg_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(1, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool", 2)
def avg_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(2, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool", 3)
def avg_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               count_include_pad=True, divisor_override=None, layout="channels_first", out=None,
               num_threads=None):
    return _avg_pool(3, x, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                     divisor_override, layout, out, num_threads)


@_document("avg_pool_backward", 1)
def avg_pool1d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(1, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)


@_document("avg_pool_backward", 2)
def avg_pool2d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(2, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)


@_document("avg_pool_backward", 3)
def avg_pool3d_backward(grad_output, input_shape, kernel_size, stride=None, padding=0,
                        dilation=1, ceil_mode=False, count_include_pad=True,
                        divisor_override=None, layout="channels_first", out=None,
                        num_threads=None):
    return _avg_pool_backward(3, grad_output, input_shape, kernel_size, stride, padding,
                              dilation, ceil_mode, count_include_pad, divisor_override, layout,
                              out, num_threads)


@_document("lp_pool", 1)
def lp_pool1d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(1, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool", 2)
def lp_pool2d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(2, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool", 3)
def lp_pool3d(x, norm_type, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              layout="channels_first", out=None, num_threads=None):
    return _lp_pool(3, x, norm_type, kernel_size, stride, padding, dilation, ceil_mode, layout,
                    out, num_threads)


@_document("lp_pool_backward", 1)
def lp_pool1d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(1, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)


@_document("lp_pool_backward", 2)
def lp_pool2d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(2, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)


@_document("lp_pool_backward", 3)
def lp_pool3d_backward(grad_output, x, norm_type, kernel_size, stride=None, padding=0,
                       dilation=1, ceil_mode=False, layout="channels_first", out=None,
                       num_threads=None):
    return _lp_pool_backward(3, grad_output, x, norm_type, kernel_size, stride, padding,
                             dilation, ceil_mode, layout, out, num_threads)
