"""Type stubs for cypool's public API, written by tools/make_stub.py (do not edit).

Checked against the code by mypy.stubtest and with mypy --strict in the tests.
"""
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Literal, overload

from cypool import layers as layers

import numpy as np
import numpy.typing as npt

__version__: str

_Array = npt.NDArray[Any]
_Int = int | np.integer[Any]
_Window = _Int | tuple[_Int, ...]
_Padding = _Int | tuple[_Int, ...] | tuple[tuple[_Int, _Int], ...] | Literal["same", "valid"]
_Layout = str
_Shape = tuple[int, ...]
_OutputSize = _Int | tuple[_Int | None, ...]

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool1d_backward",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool2d_backward",
    "adaptive_avg_pool3d",
    "adaptive_avg_pool3d_backward",
    "adaptive_max_pool1d",
    "adaptive_max_pool1d_backward",
    "adaptive_max_pool2d",
    "adaptive_max_pool2d_backward",
    "adaptive_max_pool3d",
    "adaptive_max_pool3d_backward",
    "avg_pool",
    "avg_pool1d",
    "avg_pool1d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "avg_pool3d",
    "avg_pool3d_backward",
    "avg_pool_backward",
    "block_reduce",
    "fractional_max_pool2d",
    "fractional_max_pool2d_backward",
    "fractional_max_pool3d",
    "fractional_max_pool3d_backward",
    "get_include",
    "get_num_threads",
    "global_avg_pool",
    "global_max_pool",
    "lp_pool",
    "lp_pool1d",
    "lp_pool1d_backward",
    "lp_pool2d",
    "lp_pool2d_backward",
    "lp_pool3d",
    "lp_pool3d_backward",
    "lp_pool_backward",
    "max_pool",
    "max_pool1d",
    "max_pool1d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "max_pool3d",
    "max_pool3d_backward",
    "max_pool_backward",
    "max_unpool1d",
    "max_unpool1d_backward",
    "max_unpool2d",
    "max_unpool2d_backward",
    "max_unpool3d",
    "max_unpool3d_backward",
    "min_pool",
    "min_pool_backward",
    "num_threads",
    "set_num_threads",
    "show_config",
]

def adaptive_avg_pool1d(x: npt.ArrayLike, output_size: _OutputSize, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """1-D adaptive average pooling to ``output_size`` (PyTorch's bins).

    Each bin's sum is divided by its size along each dim in turn, as PyTorch does.
    Integer input gives float64, or with ``dtype`` set to its own type the means
    rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 1
        The result's spatial sizes (L); None entries keep that input size.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``, spatial sizes ``output_size``; ``dtype``, by default
        x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> float(cypool.adaptive_avg_pool1d(x, 1).item()) == float(x.mean())
    True
    >>> y = cypool.adaptive_avg_pool1d(x.astype(np.int16), 1, dtype=np.int16)
    >>> y.dtype, y.item() == int(np.rint(x.mean()))          # x.mean() ends in .5
    (dtype('int16'), True)
    """

def adaptive_avg_pool1d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_avg_pool1d`` (the output size from
    ``grad_output``'s shape).

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> g = cypool.adaptive_avg_pool1d_backward(np.ones((1, 1) + (1,) * 1), x.shape)
    >>> bool(np.allclose(g.sum(), 1.0))
    True
    """

def adaptive_avg_pool2d(x: npt.ArrayLike, output_size: _OutputSize, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """2-D adaptive average pooling to ``output_size`` (PyTorch's bins).

    Each bin's sum is divided by its size along each dim in turn, as PyTorch does.
    Integer input gives float64, or with ``dtype`` set to its own type the means
    rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 2
        The result's spatial sizes (H, W); None entries keep that input size.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``, spatial sizes ``output_size``; ``dtype``, by default
        x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> float(cypool.adaptive_avg_pool2d(x, 1).item()) == float(x.mean())
    True
    >>> y = cypool.adaptive_avg_pool2d(x.astype(np.int16), 1, dtype=np.int16)
    >>> y.dtype, y.item() == int(np.rint(x.mean()))          # x.mean() ends in .5
    (dtype('int16'), True)
    """

def adaptive_avg_pool2d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_avg_pool2d`` (the output size from
    ``grad_output``'s shape).

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> g = cypool.adaptive_avg_pool2d_backward(np.ones((1, 1) + (1,) * 2), x.shape)
    >>> bool(np.allclose(g.sum(), 1.0))
    True
    """

def adaptive_avg_pool3d(x: npt.ArrayLike, output_size: _OutputSize, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """3-D adaptive average pooling to ``output_size`` (PyTorch's bins).

    Each bin's sum is divided by its size along each dim in turn, as PyTorch does.
    Integer input gives float64, or with ``dtype`` set to its own type the means
    rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 3
        The result's spatial sizes (D, H, W); None entries keep that input size.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``, spatial sizes ``output_size``; ``dtype``, by default
        x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> float(cypool.adaptive_avg_pool3d(x, 1).item()) == float(x.mean())
    True
    >>> y = cypool.adaptive_avg_pool3d(x.astype(np.int16), 1, dtype=np.int16)
    >>> y.dtype, y.item() == int(np.rint(x.mean()))          # x.mean() ends in .5
    (dtype('int16'), True)
    """

def adaptive_avg_pool3d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_avg_pool3d`` (the output size from
    ``grad_output``'s shape).

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> g = cypool.adaptive_avg_pool3d_backward(np.ones((1, 1) + (1,) * 3), x.shape)
    >>> bool(np.allclose(g.sum(), 1.0))
    True
    """

@overload
def adaptive_max_pool1d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """1-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 1
        The result's spatial sizes (L); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> cypool.adaptive_max_pool1d(x, 3).shape[2:] == (3,) * 1
    True
    """
@overload
def adaptive_max_pool1d(x: npt.ArrayLike, output_size: _OutputSize, *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """1-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 1
        The result's spatial sizes (L); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> cypool.adaptive_max_pool1d(x, 3).shape[2:] == (3,) * 1
    True
    """
@overload
def adaptive_max_pool1d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """1-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 1
        The result's spatial sizes (L); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> cypool.adaptive_max_pool1d(x, 3).shape[2:] == (3,) * 1
    True
    """

def adaptive_max_pool1d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_max_pool1d``: ``grad_output`` to the
    indices it returned, summed where bins overlap.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.adaptive_max_pool1d(x, 3, return_indices=True)
    >>> g = cypool.adaptive_max_pool1d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

@overload
def adaptive_max_pool2d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """2-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 2
        The result's spatial sizes (H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> cypool.adaptive_max_pool2d(x, 3).shape[2:] == (3,) * 2
    True
    """
@overload
def adaptive_max_pool2d(x: npt.ArrayLike, output_size: _OutputSize, *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """2-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 2
        The result's spatial sizes (H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> cypool.adaptive_max_pool2d(x, 3).shape[2:] == (3,) * 2
    True
    """
@overload
def adaptive_max_pool2d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """2-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 2
        The result's spatial sizes (H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> cypool.adaptive_max_pool2d(x, 3).shape[2:] == (3,) * 2
    True
    """

def adaptive_max_pool2d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_max_pool2d``: ``grad_output`` to the
    indices it returned, summed where bins overlap.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.adaptive_max_pool2d(x, 3, return_indices=True)
    >>> g = cypool.adaptive_max_pool2d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

@overload
def adaptive_max_pool3d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """3-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 3
        The result's spatial sizes (D, H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> cypool.adaptive_max_pool3d(x, 3).shape[2:] == (3,) * 3
    True
    """
@overload
def adaptive_max_pool3d(x: npt.ArrayLike, output_size: _OutputSize, *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """3-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 3
        The result's spatial sizes (D, H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> cypool.adaptive_max_pool3d(x, 3).shape[2:] == (3,) * 3
    True
    """
@overload
def adaptive_max_pool3d(x: npt.ArrayLike, output_size: _OutputSize, return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """3-D adaptive max pooling to ``output_size`` (PyTorch's bins).

    Bin o of n_out along a dim of n covers ``[floor(o*n/n_out), ceil((o+1)*n/n_out))``.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    output_size : int or tuple of 3
        The result's spatial sizes (D, H, W); None entries keep that input size.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> cypool.adaptive_max_pool3d(x, 3).shape[2:] == (3,) * 3
    True
    """

def adaptive_max_pool3d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``adaptive_max_pool3d``: ``grad_output`` to the
    indices it returned, summed where bins overlap.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.adaptive_max_pool3d(x, 3, return_indices=True)
    >>> g = cypool.adaptive_max_pool3d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

def avg_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """Average pooling over any ``axes`` of an array (NumPy style).

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        ``dtype``, by default x's (float64 for integer input); the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

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
    """

def avg_pool1d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """1-D average pooling, PyTorch's ``avg_pool1d`` semantics.

    The divisor is ``divisor_override`` if given, else the window's tap count: with
    ``count_include_pad`` taps in the padding count, taps past the padded edge (the
    ceil_mode overhang) never do.  Integer input gives float64 means, or with
    ``dtype`` set to its own type the means rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``; ``dtype``, by default x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> cypool.avg_pool1d(x, 2).shape == cypool.max_pool1d(x, 2).shape
    True
    >>> cypool.avg_pool1d(x.astype(np.uint8), 2, dtype=np.uint8).ravel().tolist()
    [0, 2, 4, 6]
    """

def avg_pool1d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``avg_pool1d`` with respect to its input.

    Each output gradient is divided by its window's divisor and spread over the
    window's input taps.  Window arguments must be those of the forward call.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y = cypool.avg_pool1d(x, 2)
    >>> g = cypool.avg_pool1d_backward(np.ones_like(y), x.shape, 2)
    >>> float(g.sum()) == y.size
    True
    """

def avg_pool2d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """2-D average pooling, PyTorch's ``avg_pool2d`` semantics.

    The divisor is ``divisor_override`` if given, else the window's tap count: with
    ``count_include_pad`` taps in the padding count, taps past the padded edge (the
    ceil_mode overhang) never do.  Integer input gives float64 means, or with
    ``dtype`` set to its own type the means rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``; ``dtype``, by default x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> cypool.avg_pool2d(x, 2).shape == cypool.max_pool2d(x, 2).shape
    True
    >>> cypool.avg_pool2d(x.astype(np.uint8), 2, dtype=np.uint8).ravel().tolist()
    [2, 4, 10, 12]
    """

def avg_pool2d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``avg_pool2d`` with respect to its input.

    Each output gradient is divided by its window's divisor and spread over the
    window's input taps.  Window arguments must be those of the forward call.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.avg_pool2d(x, 2)
    >>> g = cypool.avg_pool2d_backward(np.ones_like(y), x.shape, 2)
    >>> float(g.sum()) == y.size
    True
    """

def avg_pool3d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """3-D average pooling, PyTorch's ``avg_pool3d`` semantics.

    The divisor is ``divisor_override`` if given, else the window's tap count: with
    ``count_include_pad`` taps in the padding count, taps past the padded edge (the
    ceil_mode overhang) never do.  Integer input gives float64 means, or with
    ``dtype`` set to its own type the means rounded half to even.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

    Returns
    -------
    y : ndarray
        Same layout as ``x``; ``dtype``, by default x's (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> cypool.avg_pool3d(x, 2).shape == cypool.max_pool3d(x, 2).shape
    True
    >>> cypool.avg_pool3d(x.astype(np.uint8), 2, dtype=np.uint8).ravel().tolist()
    [10, 12, 18, 20, 42, 44, 50, 52]
    """

def avg_pool3d_backward(grad_output: npt.ArrayLike, input_shape: _Shape, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``avg_pool3d`` with respect to its input.

    Each output gradient is divided by its window's divisor and spread over the
    window's input taps.  Window arguments must be those of the forward call.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        grad_output's dtype (float64 for integer gradients).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.avg_pool3d(x, 2)
    >>> g = cypool.avg_pool3d_backward(np.ones_like(y), x.shape, 2)
    >>> float(g.sum()) == y.size
    True
    """

def avg_pool_backward(grad_output: npt.ArrayLike, input_shape: _Shape, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., count_include_pad: bool = ..., divisor_override: int | None = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``avg_pool`` over ``axes`` with respect to its input.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    count_include_pad : bool
        Whether taps in the padding count in the divisor (True, PyTorch's default).
        Taps in the ceil_mode overhang never count.
    divisor_override : int or None
        Divide every window's sum by this instead of its tap count.
    axes : int, tuple of int or None
        The axes of the forward call.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``

    Examples
    --------
    >>> import numpy as np, cypool
    >>> cypool.avg_pool_backward(np.ones(2), (4,), 2).tolist()
    [0.5, 0.5, 0.5, 0.5]
    """

def block_reduce(image: npt.ArrayLike, block_size: int | tuple[int, ...] = ..., func: Callable[..., Any] = ..., cval: Any = ..., func_kwargs: dict[str, Any] | None = ...) -> _Array:
    """Downsample an image by applying ``func`` to its blocks (scikit-image's
    ``skimage.measure.block_reduce``, same signature and results).

    Parameters
    ----------
    image : array_like
        N-dimensional image (uint8 images, bool masks, floats, ...).
    block_size : int or sequence of ints
        Down-sampling factor per axis (an int applies to every axis).
    func : callable
        Reduces each block; must take an ``axis`` argument.  ``np.max``,
        ``np.min``, ``np.sum``, ``np.mean`` (and ``np.nanmax`` etc. on NaN-free
        input) run on cypool's kernels; any other function (``np.median`` too)
        is applied by NumPy to a block view, as scikit-image does.
    cval : scalar
        Value the end of each axis is padded with up to a whole block (cast to
        the image's dtype).
    func_kwargs : dict, optional
        Keyword arguments for ``func`` (with any, ``func`` runs through NumPy).

    Returns
    -------
    ndarray
        ``ceil(n / block)`` per axis, the dtype ``func`` gives (``np.max`` keeps
        the image's, ``np.mean`` float64 for integers, ``np.sum`` NumPy's sum type).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> image = np.arange(3 * 3 * 4).reshape(3, 3, 4)
    >>> cypool.block_reduce(image, block_size=(3, 3, 1), func=np.mean).tolist()
    [[[16.0, 17.0, 18.0, 19.0]]]
    >>> cypool.block_reduce(np.arange(10, dtype=np.uint8), 4, func=np.max, cval=255).tolist()
    [3, 7, 255]
    """

@overload
def fractional_max_pool2d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., return_indices: Literal[False] = ..., samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """2-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W).
    output_size : int or tuple of 2 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 2 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 2) (or (C, 2) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.fractional_max_pool2d(x, 2, output_size=3, samples=np.full((1, 1, 2), 0.5))
    >>> y.shape[2:] == (3,) * 2
    True
    """
@overload
def fractional_max_pool2d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., *, return_indices: Literal[True], samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """2-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W).
    output_size : int or tuple of 2 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 2 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 2) (or (C, 2) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.fractional_max_pool2d(x, 2, output_size=3, samples=np.full((1, 1, 2), 0.5))
    >>> y.shape[2:] == (3,) * 2
    True
    """
@overload
def fractional_max_pool2d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., return_indices: bool = ..., samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """2-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W).
    output_size : int or tuple of 2 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 2 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 2) (or (C, 2) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.fractional_max_pool2d(x, 2, output_size=3, samples=np.full((1, 1, 2), 0.5))
    >>> y.shape[2:] == (3,) * 2
    True
    """

def fractional_max_pool2d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``fractional_max_pool2d``: to its indices.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        Summed where windows overlap.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.fractional_max_pool2d(x, 2, output_size=3, return_indices=True, rng=0)
    >>> g = cypool.fractional_max_pool2d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

@overload
def fractional_max_pool3d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., return_indices: Literal[False] = ..., samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """3-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W).
    output_size : int or tuple of 3 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 3 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 3) (or (C, 3) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.fractional_max_pool3d(x, 2, output_size=3, samples=np.full((1, 1, 3), 0.5))
    >>> y.shape[2:] == (3,) * 3
    True
    """
@overload
def fractional_max_pool3d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., *, return_indices: Literal[True], samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """3-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W).
    output_size : int or tuple of 3 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 3 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 3) (or (C, 3) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.fractional_max_pool3d(x, 2, output_size=3, samples=np.full((1, 1, 3), 0.5))
    >>> y.shape[2:] == (3,) * 3
    True
    """
@overload
def fractional_max_pool3d(x: npt.ArrayLike, kernel_size: _Window, output_size: _OutputSize | None = ..., output_ratio: float | tuple[float, ...] | None = ..., return_indices: bool = ..., samples: npt.ArrayLike | None = ..., rng: np.random.Generator | int | None = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """3-D fractional max pooling (Graham, 2014), as PyTorch's.

    Each (n, c) plane draws one number u in [0, 1) per spatial dim, and its windows
    (``kernel_size`` each, inside the input) start at PyTorch's pseudo-random
    intervals: for output i < out - 1 of a dim of size n, ``int((i + u) * alpha) -
    int(u * alpha)`` with ``alpha = (n - k) / (out - 1)``, computed in x's floating
    type; the last window ends at the input's end.  Max pooling's rules: the first
    maximum wins, a NaN wins (the last NaN's index).

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W).
    output_size : int or tuple of 3 ints, optional
        The result's spatial sizes; each at most ``in - kernel_size + 1``.
    output_ratio : float or tuple of 3 floats, optional
        Output sizes as ``int(in * ratio)``, each ratio in (0, 1).  Pass exactly one
        of ``output_size`` and ``output_ratio``.
    return_indices : bool
        Also return int64 flat indices of each maximum into its (n, c) spatial plane.
    samples : array_like, optional
        (N, C, 3) (or (C, 3) unbatched) numbers in [0, 1): PyTorch's
        ``_random_samples`` (2-D: entry 0 draws W, entry 1 H; 3-D: D, H, W).  The
        same samples give PyTorch's results bit for bit.
    rng : numpy.random.Generator or int, optional
        Draws the samples when ``samples`` is None (an int seeds a new generator).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout and dtype as ``x``, spatial sizes ``output_size``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.fractional_max_pool3d(x, 2, output_size=3, samples=np.full((1, 1, 3), 0.5))
    >>> y.shape[2:] == (3,) * 3
    True
    """

def fractional_max_pool3d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``fractional_max_pool3d``: to its indices.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        Summed where windows overlap.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.fractional_max_pool3d(x, 2, output_size=3, return_indices=True, rng=0)
    >>> g = cypool.fractional_max_pool3d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

def get_include() -> str:
    """The include folder for extensions that call cypool's kernels.

    It holds ``cypool/*.pxd`` for ``cimport cypool.kernels`` in Cython, and
    ``cypool/cypool_api.h``, the C API for C and C++ (``import_cypool()``).

    Examples
    --------
    >>> import os, cypool
    >>> os.path.exists(os.path.join(cypool.get_include(), "cypool", "_max_pool.pxd"))
    True
    """

def get_num_threads() -> int:
    """Number of threads the next kernel call will use at most.

    Examples
    --------
    >>> import cypool
    >>> with cypool.num_threads(2):
    ...     cypool.get_num_threads()
    2
    """

def global_avg_pool(x: npt.ArrayLike, layout: _Layout = ..., keepdims: bool = ..., out: _Array | None = ..., num_threads: int | None = ..., *, dtype: npt.DTypeLike | None = ...) -> _Array:
    """Mean over every spatial position of each (n, c) (float64 for integers).

    Equal bit for bit to ``adaptive_avg_pool{1,2,3}d(x, 1)`` for up to three spatial dims.

    Parameters
    ----------
    x : array_like
        Batched input with at least one spatial dim: ``(N, C, *spatial)`` or, with
        ``layout="channels_last"``, ``(N, *spatial, C)``.  Any number of spatial dims.
    layout : str
        "channels_first" (the default; alias "NCHW" etc.) or "channels_last" ("NHWC" etc.).
    keepdims : bool
        Keep the spatial dims (as size 1) instead of returning (N, C).
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).
    dtype : dtype, optional
        The result's dtype (keyword only; any NumPy spelling, such as ``np.uint8``,
        ``"uint8"``).  None (default): x's own, float64 for integer and bool input.
        A float type (float16, bfloat16, float32, float64): integer and bool input
        give the float64 result cast to it; float input is pooled in the wider of
        its own type and ``dtype`` (float32 at least) and rounded once.  x's own
        integer type (integer input only): the mean rounded to the nearest integer,
        ties to even (``np.rint`` of the float64 result), saturated to the type's
        range (only a ``divisor_override`` smaller than the window can leave it).
        Any other dtype raises TypeError.

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
    """

def global_max_pool(x: npt.ArrayLike, layout: _Layout = ..., keepdims: bool = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Maximum over every spatial position of each (n, c).

    Parameters
    ----------
    x : array_like
        Batched input with at least one spatial dim: ``(N, C, *spatial)`` or, with
        ``layout="channels_last"``, ``(N, *spatial, C)``.  Any number of spatial dims.
    layout : str
        "channels_first" (the default; alias "NCHW" etc.) or "channels_last" ("NHWC" etc.).
    keepdims : bool
        Keep the spatial dims (as size 1) instead of returning (N, C).
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

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
    """

def lp_pool(x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Lp pooling over any ``axes`` of an array (NumPy style); see ``lp_pool2d``.

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    norm_type : float
        The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        x's dtype (float64 for integer input); the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> cypool.lp_pool(np.array([3.0, -4.0, 0.0, 1.0]), 2, 2).tolist()
    [5.0, 1.0]
    >>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
    >>> cypool.lp_pool(rgb, 2, 2, axes=(0, 1)).shape
    (4, 3, 3)
    """

def lp_pool1d(x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """1-D power-average (Lp) pooling: ``(sum over the window of |x|**p) ** (1/p)``.

    The Lp norm of each window, as ONNX LpPool defines it: in-bounds taps only
    (padding contributes zeros, the ceil_mode overhang nothing), ``|x|`` so odd p is
    well defined on negative input; ``norm_type=inf`` is max pooling of ``|x|``.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    norm_type : float
        The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        Same layout as ``x``; x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y = cypool.lp_pool1d(x, 2, 2)
    >>> bool(np.all(y >= cypool.max_pool1d(x, 2)))
    True
    """

def lp_pool1d_backward(grad_output: npt.ArrayLike, x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``lp_pool1d`` with respect to its input.

    ``sign(x) |x|**(p-1) y**(1-p)`` times the output gradient, summed over the
    windows holding each element (0 where ``x`` or the window norm is 0); for
    ``norm_type=inf`` the gradient goes to each window's first maximum of ``|x|``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    x : array_like
        The forward call's input.
    norm_type : float
        The forward call's power p.
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of x's shape
        x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y = cypool.lp_pool1d(x, 1, 2)
    >>> g = cypool.lp_pool1d_backward(np.ones_like(y), x, 1, 2)
    >>> bool(np.all(g == np.sign(x)))
    True
    """

def lp_pool2d(x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """2-D power-average (Lp) pooling: ``(sum over the window of |x|**p) ** (1/p)``.

    The Lp norm of each window, as ONNX LpPool defines it: in-bounds taps only
    (padding contributes zeros, the ceil_mode overhang nothing), ``|x|`` so odd p is
    well defined on negative input; ``norm_type=inf`` is max pooling of ``|x|``.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    norm_type : float
        The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        Same layout as ``x``; x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.lp_pool2d(x, 2, 2)
    >>> bool(np.all(y >= cypool.max_pool2d(x, 2)))
    True
    """

def lp_pool2d_backward(grad_output: npt.ArrayLike, x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``lp_pool2d`` with respect to its input.

    ``sign(x) |x|**(p-1) y**(1-p)`` times the output gradient, summed over the
    windows holding each element (0 where ``x`` or the window norm is 0); for
    ``norm_type=inf`` the gradient goes to each window's first maximum of ``|x|``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    x : array_like
        The forward call's input.
    norm_type : float
        The forward call's power p.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of x's shape
        x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y = cypool.lp_pool2d(x, 1, 2)
    >>> g = cypool.lp_pool2d_backward(np.ones_like(y), x, 1, 2)
    >>> bool(np.all(g == np.sign(x)))
    True
    """

def lp_pool3d(x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """3-D power-average (Lp) pooling: ``(sum over the window of |x|**p) ** (1/p)``.

    The Lp norm of each window, as ONNX LpPool defines it: in-bounds taps only
    (padding contributes zeros, the ceil_mode overhang nothing), ``|x|`` so odd p is
    well defined on negative input; ``norm_type=inf`` is max pooling of ``|x|``.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    norm_type : float
        The power p > 0 (``float('inf')``: the window maximum of ``|x|``).
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        Same layout as ``x``; x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.lp_pool3d(x, 2, 2)
    >>> bool(np.all(y >= cypool.max_pool3d(x, 2)))
    True
    """

def lp_pool3d_backward(grad_output: npt.ArrayLike, x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``lp_pool3d`` with respect to its input.

    ``sign(x) |x|**(p-1) y**(1-p)`` times the output gradient, summed over the
    windows holding each element (0 where ``x`` or the window norm is 0); for
    ``norm_type=inf`` the gradient goes to each window's first maximum of ``|x|``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    x : array_like
        The forward call's input.
    norm_type : float
        The forward call's power p.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of x's shape
        x's dtype (float64 for integer input).

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y = cypool.lp_pool3d(x, 1, 2)
    >>> g = cypool.lp_pool3d_backward(np.ones_like(y), x, 1, 2)
    >>> bool(np.all(g == np.sign(x)))
    True
    """

def lp_pool_backward(grad_output: npt.ArrayLike, x: npt.ArrayLike, norm_type: float, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``lp_pool`` over ``axes`` with respect to its input.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    x : array_like
        The forward call's input.
    norm_type : float
        The forward call's power p.
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    axes : int, tuple of int or None
        The axes of the forward call.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of x's shape

    Examples
    --------
    >>> import numpy as np, cypool
    >>> np.round(cypool.lp_pool_backward(np.ones(1), np.array([3.0, -4.0]), 2, 2), 6).tolist()
    [0.6, -0.8]
    """

@overload
def max_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: Literal[False] = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Max pooling over any ``axes`` of an array (NumPy style).

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

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
    """
@overload
def max_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., *, return_indices: Literal[True], axes: int | tuple[int, ...] | None = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """Max pooling over any ``axes`` of an array (NumPy style).

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

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
    """
@overload
def max_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: bool = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """Max pooling over any ``axes`` of an array (NumPy style).

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

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
    """

@overload
def max_pool1d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """1-D max pooling, PyTorch's ``max_pool1d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (L) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool1d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """1-D max pooling, PyTorch's ``max_pool1d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (L) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool1d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """1-D max pooling, PyTorch's ``max_pool1d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, L) (``layout="channels_first"``, the default) or (N, L, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 1 ints
        Window size per spatial dim (L); an int applies to every dim.
    stride : int, tuple of 1 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 1 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (L) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """

def max_pool1d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_pool1d`` with respect to its input.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        ``grad_output`` scattered to the argmax positions, summed where windows overlap.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> g = cypool.max_pool1d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

@overload
def max_pool2d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """2-D max pooling, PyTorch's ``max_pool2d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool2d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """2-D max pooling, PyTorch's ``max_pool2d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool2d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """2-D max pooling, PyTorch's ``max_pool2d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, H, W) (``layout="channels_first"``, the default) or (N, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 2 ints
        Window size per spatial dim (H, W); an int applies to every dim.
    stride : int, tuple of 2 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 2 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """

def max_pool2d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_pool2d`` with respect to its input.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        ``grad_output`` scattered to the argmax positions, summed where windows overlap.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> g = cypool.max_pool2d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

@overload
def max_pool3d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: Literal[False] = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """3-D max pooling, PyTorch's ``max_pool3d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (D, H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool3d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., *, return_indices: Literal[True], layout: _Layout = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """3-D max pooling, PyTorch's ``max_pool3d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (D, H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """
@overload
def max_pool3d(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: bool = ..., layout: _Layout = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """3-D max pooling, PyTorch's ``max_pool3d`` semantics.

    Padding never wins; a window holding NaN yields NaN (index of its last NaN); other
    ties go to the first maximum in row-major window order.

    Parameters
    ----------
    x : array_like
        (N, C, D, H, W) (``layout="channels_first"``, the default) or (N, D, H, W, C) (``"channels_last"``);
        the batch dim may be omitted.  Any strides or byte order; C-contiguous native
        input is not copied.
    kernel_size : int or tuple of 3 ints
        Window size per spatial dim (D, H, W); an int applies to every dim.
    stride : int, tuple of 3 ints or None
        Step between windows; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        Implicit padding at both ends of each dim (pairs: asymmetric).  "same" is
        TensorFlow's SAME_UPPER (output ``ceil(in / stride)``, the odd pad at the end),
        "valid" is 0.  May exceed ``kernel_size // 2`` as long as every window samples
        the input.
    dilation : int or tuple of 3 ints
        Spacing between a window's taps (1: contiguous).
    ceil_mode : bool
        Round the output size up instead of down (PyTorch's rule: the last window
        must still start inside the input or the left padding).
    return_indices : bool
        Also return int64 flat indices of each maximum into the input's spatial plane
        (D, H, W) of its (n, c); with ``out``, pass a (values, indices) pair.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        Same layout, batchedness and dtype as ``x``.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> y.shape == idx.shape
    True
    """

def max_pool3d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_pool3d`` with respect to its input.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        The indices the forward call returned (``return_indices=True``).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of shape ``input_shape``
        ``grad_output`` scattered to the argmax positions, summed where windows overlap.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> g = cypool.max_pool3d_backward(np.ones_like(y), idx, x.shape)
    >>> float(g.sum()) == y.size
    True
    """

def max_pool_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_pool`` over ``axes``: routed to ``indices``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        Flat row-major indices over the pooled ``axes`` (what ``max_pool`` returned).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    axes : int, tuple of int or None
        The axes of the forward call.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

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
    """

def max_unpool1d(x: npt.ArrayLike, indices: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., output_size: _Shape | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """1-D max-unpooling: the values of ``x`` placed at ``indices`` in zeros.

    Parameters
    ----------
    x : array_like
        Pooled values, (N, C, L) or, with ``layout="channels_last"``, (N, L, C).
    indices : array_like of int
        What ``max_pool1d(..., return_indices=True)`` returned (same shape as x);
        flat indices into the output's spatial plane.  Out-of-range indices raise.
    kernel_size : int or tuple of 1 ints
        The forward pooling's window size.
    stride : int, tuple of 1 ints or None
        The forward pooling's stride (default ``kernel_size``).
    padding : int, tuple of ints or tuple of (before, after) pairs
        The forward pooling's explicit padding (not "same").
    output_size : tuple of int, optional
        The output's spatial sizes (or its full shape).  Default:
        ``(in - 1) * stride - pad_before - pad_after + kernel_size`` per dim.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        x's dtype; where two windows chose the same input, that position gets one of
        their (equal) values, never their sum.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> u = cypool.max_unpool1d(y, idx, 2)
    >>> bool((u.max() == x.max()) and u.shape == x.shape)
    True
    """

def max_unpool1d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_unpool1d``: ``grad_output`` read at ``indices``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the unpooled output.
    indices : array_like of int
        The indices passed to the forward call (its shape is the result's).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of indices' shape
        grad_output's dtype.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(8.).reshape(1, 1, 8)
    >>> y, idx = cypool.max_pool1d(x, 2, return_indices=True)
    >>> g = cypool.max_unpool1d_backward(x, idx)
    >>> bool(np.array_equal(g, y))
    True
    """

def max_unpool2d(x: npt.ArrayLike, indices: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., output_size: _Shape | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """2-D max-unpooling: the values of ``x`` placed at ``indices`` in zeros.

    Parameters
    ----------
    x : array_like
        Pooled values, (N, C, H, W) or, with ``layout="channels_last"``, (N, H, W, C).
    indices : array_like of int
        What ``max_pool2d(..., return_indices=True)`` returned (same shape as x);
        flat indices into the output's spatial plane.  Out-of-range indices raise.
    kernel_size : int or tuple of 2 ints
        The forward pooling's window size.
    stride : int, tuple of 2 ints or None
        The forward pooling's stride (default ``kernel_size``).
    padding : int, tuple of ints or tuple of (before, after) pairs
        The forward pooling's explicit padding (not "same").
    output_size : tuple of int, optional
        The output's spatial sizes (or its full shape).  Default:
        ``(in - 1) * stride - pad_before - pad_after + kernel_size`` per dim.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        x's dtype; where two windows chose the same input, that position gets one of
        their (equal) values, never their sum.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> u = cypool.max_unpool2d(y, idx, 2)
    >>> bool((u.max() == x.max()) and u.shape == x.shape)
    True
    """

def max_unpool2d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_unpool2d``: ``grad_output`` read at ``indices``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the unpooled output.
    indices : array_like of int
        The indices passed to the forward call (its shape is the result's).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of indices' shape
        grad_output's dtype.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> y, idx = cypool.max_pool2d(x, 2, return_indices=True)
    >>> g = cypool.max_unpool2d_backward(x, idx)
    >>> bool(np.array_equal(g, y))
    True
    """

def max_unpool3d(x: npt.ArrayLike, indices: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., output_size: _Shape | None = ..., layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """3-D max-unpooling: the values of ``x`` placed at ``indices`` in zeros.

    Parameters
    ----------
    x : array_like
        Pooled values, (N, C, D, H, W) or, with ``layout="channels_last"``, (N, D, H, W, C).
    indices : array_like of int
        What ``max_pool3d(..., return_indices=True)`` returned (same shape as x);
        flat indices into the output's spatial plane.  Out-of-range indices raise.
    kernel_size : int or tuple of 3 ints
        The forward pooling's window size.
    stride : int, tuple of 3 ints or None
        The forward pooling's stride (default ``kernel_size``).
    padding : int, tuple of ints or tuple of (before, after) pairs
        The forward pooling's explicit padding (not "same").
    output_size : tuple of int, optional
        The output's spatial sizes (or its full shape).  Default:
        ``(in - 1) * stride - pad_before - pad_after + kernel_size`` per dim.
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray
        x's dtype; where two windows chose the same input, that position gets one of
        their (equal) values, never their sum.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> u = cypool.max_unpool3d(y, idx, 2)
    >>> bool((u.max() == x.max()) and u.shape == x.shape)
    True
    """

def max_unpool3d_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, layout: _Layout = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``max_unpool3d``: ``grad_output`` read at ``indices``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the unpooled output.
    indices : array_like of int
        The indices passed to the forward call (its shape is the result's).
    layout : str
        "channels_first" (aliases "NCL", "NCW", "NCHW", "NCDHW") or "channels_last"
        ("NLC", "NWC", "NHWC", "NDHWC"), case-insensitive.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype, C-contiguous, not
        overlapping the inputs; it is filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    grad_input : ndarray of indices' shape
        grad_output's dtype.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> x = np.arange(64.).reshape(1, 1, 4, 4, 4)
    >>> y, idx = cypool.max_pool3d(x, 2, return_indices=True)
    >>> g = cypool.max_unpool3d_backward(x, idx)
    >>> bool(np.array_equal(g, y))
    True
    """

@overload
def min_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: Literal[False] = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Min pooling over any ``axes`` of an array (NumPy style).

    Max pooling's rules mirrored: padding never wins, a window holding NaN yields
    NaN (the last NaN's index), otherwise the first minimum in row-major window
    order.  On a bool mask it is "all" over each window.

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> cypool.min_pool(np.arange(16).reshape(4, 4), 2).tolist()
    [[0, 2], [8, 10]]
    >>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
    >>> cypool.min_pool(rgb, 2, axes=(0, 1)).shape
    (4, 3, 3)
    """
@overload
def min_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., *, return_indices: Literal[True], axes: int | tuple[int, ...] | None = ..., out: tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> tuple[_Array, _Array]:
    """Min pooling over any ``axes`` of an array (NumPy style).

    Max pooling's rules mirrored: padding never wins, a window holding NaN yields
    NaN (the last NaN's index), otherwise the first minimum in row-major window
    order.  On a bool mask it is "all" over each window.

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> cypool.min_pool(np.arange(16).reshape(4, 4), 2).tolist()
    [[0, 2], [8, 10]]
    >>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
    >>> cypool.min_pool(rgb, 2, axes=(0, 1)).shape
    (4, 3, 3)
    """
@overload
def min_pool(x: npt.ArrayLike, kernel_size: _Window, stride: _Window | None = ..., padding: _Padding = ..., dilation: _Window = ..., ceil_mode: bool = ..., return_indices: bool = ..., axes: int | tuple[int, ...] | None = ..., out: _Array | tuple[_Array, _Array] | None = ..., num_threads: int | None = ...) -> _Array | tuple[_Array, _Array]:
    """Min pooling over any ``axes`` of an array (NumPy style).

    Max pooling's rules mirrored: padding never wins, a window holding NaN yields
    NaN (the last NaN's index), otherwise the first minimum in row-major window
    order.  On a bool mask it is "all" over each window.

    Parameters
    ----------
    x : array_like
        Any array of a floating or integer dtype (an image, a volume, a stack).
    kernel_size : int or tuple of ints
        Window size per pooled axis (an int applies to each).
    stride : int, tuple of ints or None
        Step between windows per pooled axis; None (default) means ``kernel_size``.
    padding : int, tuple of ints, tuple of (before, after) pairs, "same" or "valid"
        As for ``max_pool2d``, one entry per pooled axis.
    dilation : int or tuple of ints
        Spacing between a window's taps per pooled axis.
    ceil_mode : bool
        Round output sizes up (PyTorch's rule), as for ``max_pool2d``.
    return_indices : bool
        Also return int64 flat row-major indices over the pooled ``axes``, per
        position of the other axes; with ``out``, pass a (values, indices) pair.
    axes : int, tuple of int or None
        The pooled axes; None (default) means every axis, as in NumPy's reductions:
        a channel axis too (see Notes).  Axes whose window is 1 with stride 1 and no
        padding act as batch axes; at most three may have a real window.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

    Returns
    -------
    y : ndarray, or (y, indices) when ``return_indices``
        x's dtype; the pooled axes resized.

    Notes
    -----
    With the default ``axes=None`` the channel axis of an (H, W, C) image is pooled
    like the others: ``kernel_size=2`` on an (H, W, 3) RGB image merges the colour
    channels and returns (H/2, W/2, 1).  Pass ``axes=(0, 1)`` to pool height and
    width only and keep the channels.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> cypool.min_pool(np.arange(16).reshape(4, 4), 2).tolist()
    [[0, 2], [8, 10]]
    >>> rgb = np.ones((8, 6, 3))                  # (H, W, C)
    >>> cypool.min_pool(rgb, 2, axes=(0, 1)).shape
    (4, 3, 3)
    """

def min_pool_backward(grad_output: npt.ArrayLike, indices: npt.ArrayLike, input_shape: _Shape, axes: int | tuple[int, ...] | None = ..., out: _Array | None = ..., num_threads: int | None = ...) -> _Array:
    """Gradient of ``min_pool`` over ``axes``: routed to ``indices``.

    Parameters
    ----------
    grad_output : array_like
        Gradient of the loss with respect to the forward call's result (its shape).
    indices : array_like of int
        Flat row-major indices over the pooled ``axes`` (what ``min_pool`` returned).
    input_shape : tuple of int
        Shape of the forward call's input ``x`` (the gradient's shape).
    axes : int, tuple of int or None
        The axes of the forward call.
    out : ndarray, optional
        Result buffer of exactly the result's shape and dtype; filled and returned.
    num_threads : int, optional
        OpenMP threads for this call (default: ``cypool.get_num_threads()``).

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
    """

def num_threads(n: int) -> AbstractContextManager[int]:
    """Context manager: use ``n`` threads inside the block (this context only).

    Parameters
    ----------
    n : int
        Threads for cypool's calls in the block (>= 1); an explicit ``num_threads=``
        argument still wins.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> with cypool.num_threads(1):
    ...     y = cypool.max_pool2d(np.ones((1, 4, 4)), 2)
    """

def set_num_threads(n: int | None) -> None:
    """Set the process-wide default number of threads for cypool's kernels.

    Parameters
    ----------
    n : int or None
        Threads to use (>= 1); None restores OpenMP's default.

    Examples
    --------
    >>> import cypool
    >>> cypool.set_num_threads(1)
    >>> cypool.get_num_threads()
    1
    >>> cypool.set_num_threads(None)
    """

def show_config() -> dict[str, Any]:
    """Print cypool's build and runtime configuration and return it as a dict.

    Returns
    -------
    dict
        version, compiler, compile flags, whether OpenMP is on, the thread count a
        call would use, Cython/NumPy versions and the platform.

    Examples
    --------
    >>> import cypool
    >>> info = cypool.show_config()  # doctest: +SKIP
    >>> info["openmp"]  # doctest: +SKIP
    True
    """
