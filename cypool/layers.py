"""Pooling layers for hand-written NumPy CNNs: ``forward(x)`` returns the output and
keeps what ``backward(grad_output)`` needs (indices, shapes, the window), so a
backward always matches its forward.

A CS231n-style network calls them like its other layers::

    pool = cypool.layers.MaxPool2d(2)
    y = pool.forward(x)                  # or pool(x)
    dx = pool.backward(dy)               # dy shaped like y

Window arguments are those of the functions (``cypool.max_pool2d`` etc.) and are
checked when the layer is built; every error names the argument and says what
is accepted.  The average layers take the functions' ``dtype`` too (the result's
dtype, such as ``np.uint8`` for an image pyramid); their backward is the
gradient of the mean, through which rounding passes unchanged.
"""

import cypool
from cypool import _args


class _Pool:
    """One pooling layer; subclasses set ``_ndim`` and say how to run and differentiate."""

    _ndim = None

    def __init__(self, **options):
        self._options = options
        self._cache = None
        self._output_shape = None

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self):
        return "%s(%s)" % (
            type(self).__name__,
            ", ".join("%s=%r" % item for item in self._options.items() if item[1] is not None),
        )

    def forward(self, x):
        """The layer's output for ``x``; remembers what ``backward`` needs."""
        y, self._cache = self._forward(_args.as_input("x", x))
        self._output_shape = y.shape
        return y

    def backward(self, grad_output):
        """The gradient with respect to the last ``forward``'s input."""
        if self._cache is None:
            raise RuntimeError("%s.backward: call forward first" % type(self).__name__)
        grad = _args.as_input("grad_output", grad_output)
        if grad.shape != self._output_shape:
            raise ValueError(
                "grad_output must have the shape of the last forward output %r, "
                "got %r" % (self._output_shape, grad.shape)
            )
        return self._backward(grad, self._cache)


def _checked_window(ndim, kernel_size, stride, padding, dilation, ceil_mode):
    """The window arguments, checked as far as they can be without an input."""
    _args.check_window_arguments(ndim, kernel_size, stride, padding, dilation)
    _args.as_bool("ceil_mode", ceil_mode)
    return dict(
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        ceil_mode=ceil_mode,
    )


class _MaxPool(_Pool):
    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        ceil_mode=False,
        layout="channels_first",
        num_threads=None,
    ):
        super().__init__(
            **_checked_window(self._ndim, kernel_size, stride, padding, dilation, ceil_mode),
            layout=_args.parse_layout(layout),
            num_threads=num_threads,
        )

    def _forward(self, x):
        y, indices = getattr(cypool, "max_pool%dd" % self._ndim)(
            x, return_indices=True, **self._options
        )
        return y, (indices, x.shape)

    def _backward(self, grad, cache):
        indices, shape = cache
        return getattr(cypool, "max_pool%dd_backward" % self._ndim)(
            grad,
            indices,
            shape,
            layout=self._options["layout"],
            num_threads=self._options["num_threads"],
        )


class _AvgPool(_Pool):
    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
        layout="channels_first",
        num_threads=None,
        *,
        dtype=None,
    ):
        count_include_pad, _ = _args.average_arguments(count_include_pad, divisor_override)
        _args.average_dtype(None, dtype)
        super().__init__(
            **_checked_window(self._ndim, kernel_size, stride, padding, dilation, ceil_mode),
            count_include_pad=count_include_pad,
            divisor_override=divisor_override,
            layout=_args.parse_layout(layout),
            num_threads=num_threads,
            dtype=dtype,
        )

    def _forward(self, x):
        return getattr(cypool, "avg_pool%dd" % self._ndim)(x, **self._options), x.shape

    def _backward(self, grad, shape):
        options = dict(self._options)
        del options["dtype"]  # the gradient of the mean; rounding passes it through
        return getattr(cypool, "avg_pool%dd_backward" % self._ndim)(grad, shape, **options)


class _AdaptiveMaxPool(_Pool):
    def __init__(self, output_size, layout="channels_first", num_threads=None):
        _args.output_size("output_size", output_size, (1,) * self._ndim)
        super().__init__(
            output_size=output_size, layout=_args.parse_layout(layout), num_threads=num_threads
        )

    def _forward(self, x):
        y, indices = getattr(cypool, "adaptive_max_pool%dd" % self._ndim)(
            x, return_indices=True, **self._options
        )
        return y, (indices, x.shape)

    def _backward(self, grad, cache):
        indices, shape = cache
        return getattr(cypool, "adaptive_max_pool%dd_backward" % self._ndim)(
            grad,
            indices,
            shape,
            layout=self._options["layout"],
            num_threads=self._options["num_threads"],
        )


class _AdaptiveAvgPool(_Pool):
    def __init__(self, output_size, layout="channels_first", num_threads=None, *, dtype=None):
        _args.output_size("output_size", output_size, (1,) * self._ndim)
        _args.average_dtype(None, dtype)
        super().__init__(
            output_size=output_size,
            layout=_args.parse_layout(layout),
            num_threads=num_threads,
            dtype=dtype,
        )

    def _forward(self, x):
        return getattr(cypool, "adaptive_avg_pool%dd" % self._ndim)(x, **self._options), x.shape

    def _backward(self, grad, shape):
        return getattr(cypool, "adaptive_avg_pool%dd_backward" % self._ndim)(
            grad, shape, layout=self._options["layout"], num_threads=self._options["num_threads"]
        )


class _GlobalPool(_Pool):
    """Global pooling as adaptive pooling to size 1 over the 1-3 spatial dims,
    returning (N, C) (or, with ``keepdims``, x's rank with spatial sizes 1)."""

    _adaptive = None  # the name of the adaptive layers it runs ("AdaptiveMaxPool")

    def __init__(self, layout="channels_first", keepdims=False, num_threads=None):
        super().__init__(
            layout=_args.parse_layout(layout),
            keepdims=_args.as_bool("keepdims", keepdims),
            num_threads=num_threads,
        )

    def _forward(self, x):
        if not 3 <= x.ndim <= 5:
            raise ValueError(
                "x must be batched with 1 to 3 spatial dims, (N, C, *spatial) or "
                "(N, *spatial, C); got shape %r" % (x.shape,)
            )
        ndim = x.ndim - 2
        extra = {"dtype": self._options["dtype"]} if "dtype" in self._options else {}
        layer = globals()["%s%dd" % (self._adaptive, ndim)](
            1, layout=self._options["layout"], num_threads=self._options["num_threads"], **extra
        )
        y = layer.forward(x)
        shape = (
            y.shape
            if self._options["keepdims"]
            else (x.shape[0], _args.split_shape(x.shape, ndim, self._options["layout"]).channels)
        )
        return y.reshape(shape), (layer, y.shape)

    def _backward(self, grad, cache):
        layer, kernel_shape = cache
        return layer.backward(grad.reshape(kernel_shape))


class GlobalMaxPool(_GlobalPool):
    """Maximum over all spatial positions of each (n, c) (see ``cypool.global_max_pool``)."""

    _adaptive = "AdaptiveMaxPool"


class GlobalAvgPool(_GlobalPool):
    """Mean over all spatial positions of each (n, c) (see ``cypool.global_avg_pool``);
    ``dtype`` is that function's."""

    _adaptive = "AdaptiveAvgPool"

    def __init__(self, layout="channels_first", keepdims=False, num_threads=None, *, dtype=None):
        super().__init__(layout, keepdims, num_threads)
        _args.average_dtype(None, dtype)
        self._options["dtype"] = dtype


def _layer(base, ndim, function):
    name = {
        _MaxPool: "MaxPool",
        _AvgPool: "AvgPool",
        _AdaptiveMaxPool: "AdaptiveMaxPool",
        _AdaptiveAvgPool: "AdaptiveAvgPool",
    }[base] + "%dd" % ndim
    doc = (
        "%s layer: ``forward(x)`` is ``cypool.%s(x, ...)`` with this layer's arguments; "
        "``backward(grad_output)`` its gradient with respect to the last forward's input.\n\n"
        "Examples\n--------\n>>> import numpy as np, cypool\n"
        ">>> layer = cypool.layers.%s(%s)\n"
        ">>> x = np.random.default_rng(0).standard_normal((2, 3) + (8,) * %d)\n"
        ">>> y = layer.forward(x)\n>>> dx = layer.backward(np.ones_like(y))\n"
        ">>> dx.shape == x.shape\nTrue\n"
        % (name, function % ndim, name, "2" if base in (_MaxPool, _AvgPool) else "4", ndim)
    )
    return type(name, (base,), {"_ndim": ndim, "__doc__": doc, "__module__": __name__})


MaxPool1d, MaxPool2d, MaxPool3d = (_layer(_MaxPool, nd, "max_pool%dd") for nd in (1, 2, 3))
AvgPool1d, AvgPool2d, AvgPool3d = (_layer(_AvgPool, nd, "avg_pool%dd") for nd in (1, 2, 3))
AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d = (
    _layer(_AdaptiveMaxPool, nd, "adaptive_max_pool%dd") for nd in (1, 2, 3)
)
AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d = (
    _layer(_AdaptiveAvgPool, nd, "adaptive_avg_pool%dd") for nd in (1, 2, 3)
)

__all__ = [
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "GlobalMaxPool",
    "GlobalAvgPool",
]
