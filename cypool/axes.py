"""NumPy-style pooling over any ``axes``: ``cypool.max_pool(image, 2)`` on a plain image.

These functions route to the same kernels as the CNN-style ones.  The pooled axes
whose window is trivial (kernel 1, stride 1, no padding) act as batch axes; the
rest (at most three) are pooled.  When those axes are trailing the array is viewed
channels-first, when exactly one axis follows them it is viewed channels-last
(both without copying), and otherwise it is copied once with the pooled axes last.
"""

import math

import numpy as np

from cypool import _args
from cypool._docs import documented
from cypool._geometry import Geometry
from cypool._runner import run


def _normalize_axes(axes, ndim, name="axes"):
    if axes is None:
        return tuple(range(ndim))
    if isinstance(axes, (list, tuple)):
        values = [_args.as_int(name, a) for a in axes]
    else:
        values = [_args.as_int(name, axes)]
    normalized = []
    for a in values:
        if not -ndim <= a < ndim:
            raise ValueError(
                "%s: axis %d is out of bounds for an array of %d dims" % (name, a, ndim)
            )
        normalized.append(a % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError("%s must not repeat an axis, got %r" % (name, axes))
    if not normalized:
        raise ValueError("%s must name at least one axis" % name)
    return tuple(sorted(normalized))


def _per_axis(value, count):
    """Split a window argument given for ``count`` pooled axes into one per axis."""
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            return None
        return list(value)
    return [value] * count


class _Plan:
    """How a call over ``axes`` of ``shape`` maps onto the kernels."""

    def __init__(self, shape, axes, kernel_size, stride, padding, dilation, ceil_mode):
        self.shape = tuple(shape)
        self.axes = axes
        count = len(axes)
        ks = _per_axis(kernel_size, count)
        strides = _per_axis(stride, count) if stride is not None else [None] * count
        dils = _per_axis(dilation, count)
        if isinstance(padding, str):
            pads = [padding] * count
        else:
            pads = _per_axis(padding, count)
        for name, values, given in (
            ("kernel_size", ks, kernel_size),
            ("stride", strides, stride),
            ("padding", pads, padding),
            ("dilation", dils, dilation),
        ):
            if values is None:
                raise ValueError(
                    "%s must be an int or hold one entry per pooled axis (%d), "
                    "got %r" % (name, count, given)
                )
        self.windows = {}
        for axis, k, s, p, d in zip(axes, ks, strides, pads, dils):
            pad = p if isinstance(p, str) else (tuple(p),) if isinstance(p, (list, tuple)) else p
            try:
                geometry = _args.window_geometry((self.shape[axis],), k, s, pad, d, ceil_mode)
            except (ValueError, TypeError) as error:
                raise type(error)("%s (axis %d)" % (error, axis)) from None
            self.windows[axis] = geometry
        trivial = [a for a in axes if self._trivial(self.windows[a])]
        self.real = tuple(a for a in axes if a not in trivial) or (axes[-1],)
        if len(self.real) > 3:
            raise ValueError(
                "axes: at most 3 axes can have a real window (kernel_size, stride "
                "or padding other than 1, 1, 0), got %d" % len(self.real)
            )
        self.out_shape = tuple(
            self.windows[a].out_size[0] if a in self.windows else n
            for a, n in enumerate(self.shape)
        )
        self.ceil_mode = _args.as_bool("ceil_mode", ceil_mode)

    @staticmethod
    def _trivial(g):
        return (
            g.kernel_size == (1,)
            and g.stride == (1,)
            and g.pad_before == (0,)
            and g.pad_after == (0,)
        )

    def geometry(self):
        """The kernels' geometry over the real axes, from the per-axis ones (no re-parsing)."""
        gs = [self.windows[a] for a in self.real]
        geometry = Geometry(
            tuple(g.in_size[0] for g in gs),
            tuple(g.kernel_size[0] for g in gs),
            tuple(g.stride[0] for g in gs),
            tuple(g.pad_before[0] for g in gs),
            tuple(g.pad_after[0] for g in gs),
            tuple(g.dilation[0] for g in gs),
            self.ceil_mode,
        )
        assert geometry.status == 0, "valid per axis, so valid together"
        return geometry


def _route(shape, axes):
    """'first', 'last' or 'copy': how ``axes`` sit in an array of ``shape``."""
    ndim = len(shape)
    block = tuple(range(axes[0], axes[0] + len(axes)))
    if axes == block and axes[-1] == ndim - 1:
        return "first"
    if axes == block and axes[-1] == ndim - 2:
        return "last"
    return "copy"


def _others(ndim, axes):
    return tuple(a for a in range(ndim) if a not in axes)


def _view_shape(shape, axes, route):
    """Shape of the kernels' view of an array of ``shape`` with spatial dims ``axes``:
    unbatched channels-first (outer, *spatial) or batched channels-last."""
    spatial = tuple(shape[a] for a in axes)
    if route == "last":
        return (math.prod(shape[: axes[0]]),) + spatial + (shape[-1],)
    return (math.prod(shape[a] for a in _others(len(shape), axes)),) + spatial


def _layout(route):
    return "channels_last" if route == "last" else "channels_first"


def _kernel_view(array, axes, route):
    """``array`` viewed (or, for 'copy', copied once) with ``axes`` as spatial dims."""
    if route == "copy":
        array = np.ascontiguousarray(array.transpose(_others(array.ndim, axes) + axes))
    return array.reshape(
        _view_shape(
            array.shape if route != "copy" else _untranspose_shape(array.shape, axes), axes, route
        )
    )


def _untranspose_shape(moved_shape, axes):
    ndim = len(moved_shape)
    order = _others(ndim, axes) + axes
    shape = [0] * ndim
    for position, axis in enumerate(order):
        shape[axis] = moved_shape[position]
    return tuple(shape)


def _restore(result, axes, route, full_shape):
    """A kernel result back in ``full_shape``."""
    if route != "copy":
        return result.reshape(full_shape)
    order = _others(len(full_shape), axes) + axes
    moved = result.reshape(tuple(full_shape[a] for a in order))
    return np.ascontiguousarray(moved.transpose(np.argsort(order)))


def _full_indices(indices, plan):
    """Kernel indices (flat over the real axes) as flat indices over all ``axes``."""
    if plan.real == plan.axes:
        return indices
    coords = dict(zip(plan.real, np.unravel_index(indices, [plan.shape[a] for a in plan.real])))
    full = np.zeros(indices.shape, np.int64)
    for axis in plan.axes:
        if axis in coords:
            coord = coords[axis]
        else:  # a trivial axis: output position == input position
            shape = [1] * indices.ndim
            shape[axis] = indices.shape[axis]
            coord = np.arange(indices.shape[axis]).reshape(shape)
        full = full * plan.shape[axis] + coord
    return full


def _deliver(result, out, dtype, inputs, name="out"):
    if out is None or _same_buffer(result, out):
        return result if out is None else out
    _args.check_out(out, result.shape, dtype, inputs, name)[...] = result
    return out


def _same_buffer(a, b):
    return (
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
        and a.nbytes == b.nbytes
    )


def _run_into(kernel_plan, view, out, route, full_shape, inputs, num_threads):
    """run(kernel_plan, view) writing straight into ``out`` (checked against the
    result's full shape and dtype) when ``route`` keeps the result a plain view,
    so that ``out=`` costs no temporary and no copy; else into a new array that
    _deliver copies."""
    target = None
    if out is not None and route != "copy":
        target = _args.check_out(out, full_shape, kernel_plan.out_dtype, inputs)
        target = target.reshape(kernel_plan.out_shape)
    return run(kernel_plan, view, target, num_threads)


def _forward(x, axes, window_args):
    """(x, plan, route, kernel view of x, its extent, geometry) of a forward call."""
    x = _args.as_input("x", x)
    plan = _Plan(x.shape, _normalize_axes(axes, x.ndim), *window_args)
    route = _route(x.shape, plan.real)
    view = _kernel_view(x, plan.real, route)
    extent = _args.split_shape(view.shape, len(plan.real), _layout(route))
    return x, plan, route, view, extent, plan.geometry()


@documented("max_pool_axes")
def max_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    axes=None,
    out=None,
    num_threads=None,
):
    return _max_or_min_pool(
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        axes,
        out,
        num_threads,
        minimum=False,
    )


@documented("min_pool_axes")
def min_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
    axes=None,
    out=None,
    num_threads=None,
):
    return _max_or_min_pool(
        x,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        return_indices,
        axes,
        out,
        num_threads,
        minimum=True,
    )


def _max_or_min_pool(
    x,
    kernel_size,
    stride,
    padding,
    dilation,
    ceil_mode,
    return_indices,
    axes,
    out,
    num_threads,
    minimum,
):
    """max_pool and min_pool: one kernel family, min being max of order-reversed values."""
    return_indices = _args.as_bool("return_indices", return_indices)
    x, plan, route, view, extent, geometry = _forward(
        x, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    kernel_plan = _args.max_plan(extent, geometry, x.dtype, return_indices, minimum=minimum)
    if not return_indices:
        result = _run_into(kernel_plan, view, out, route, plan.out_shape, [x], num_threads)
        return _deliver(_restore(result, plan.real, route, plan.out_shape), out, x.dtype, [x])
    result = run(kernel_plan, view, None, num_threads)
    values_out, indices_out = _args.split_out_pair(out)
    values = _restore(result[0], plan.real, route, plan.out_shape)
    indices = _full_indices(_restore(result[1], plan.real, route, plan.out_shape), plan)
    return (
        _deliver(values, values_out, x.dtype, [x]),
        _deliver(indices, indices_out, np.dtype(np.int64), [x], "out[1]"),
    )


@documented("avg_pool_axes")
def avg_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    axes=None,
    out=None,
    num_threads=None,
    *,
    dtype=None,
):
    x, plan, route, view, extent, geometry = _forward(
        x, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    kernel_plan = _args.average_plan(
        extent,
        geometry,
        x.dtype,
        *_args.average_arguments(count_include_pad, divisor_override),
        out_dtype=_args.average_dtype(x.dtype, dtype)[0],
    )
    result = _run_into(kernel_plan, view, out, route, plan.out_shape, [x], num_threads)
    result = _restore(result, plan.real, route, plan.out_shape)
    return _deliver(result, out, result.dtype, [x])


@documented("lp_pool_axes")
def lp_pool(
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    axes=None,
    out=None,
    num_threads=None,
):
    x, plan, route, view, extent, geometry = _forward(
        x, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    kernel_plan = _args.lp_plan(extent, geometry, x.dtype, norm_type)
    result = _run_into(kernel_plan, view, out, route, plan.out_shape, [x], num_threads)
    result = _restore(result, plan.real, route, plan.out_shape)
    return _deliver(result, out, result.dtype, [x])


def _backward_plan(grad_output, input_shape, axes, window_args):
    """(grad, plan, route, kernel view of grad, the input view's extent, geometry)."""
    grad = _args.as_input("grad_output", grad_output)
    input_shape = _args.parse_shape("input_shape", input_shape)
    plan = _Plan(input_shape, _normalize_axes(axes, len(input_shape)), *window_args)
    if grad.shape != plan.out_shape:
        raise ValueError(
            "grad_output must have shape %r for this input_shape and window, got %r"
            % (plan.out_shape, grad.shape)
        )
    route = _route(input_shape, plan.real)
    in_extent = _args.split_shape(
        _view_shape(input_shape, plan.real, route), len(plan.real), _layout(route)
    )
    return grad, plan, route, _kernel_view(grad, plan.real, route), in_extent, plan.geometry()


@documented("avg_pool_backward_axes")
def avg_pool_backward(
    grad_output,
    input_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
    axes=None,
    out=None,
    num_threads=None,
):
    grad, plan, route, grad_view, in_extent, geometry = _backward_plan(
        grad_output, input_shape, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    result = run(
        _args.average_plan(
            in_extent,
            geometry,
            grad.dtype,
            *_args.average_arguments(count_include_pad, divisor_override),
            backward=True,
        ),
        grad_view,
        None,
        num_threads,
    )
    result = _restore(result, plan.real, route, plan.shape)
    return _deliver(result, out, result.dtype, [grad])


@documented("lp_pool_backward_axes")
def lp_pool_backward(
    grad_output,
    x,
    norm_type,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    axes=None,
    out=None,
    num_threads=None,
):
    x = _args.as_input("x", x)
    grad, plan, route, grad_view, in_extent, geometry = _backward_plan(
        grad_output, x.shape, axes, (kernel_size, stride, padding, dilation, ceil_mode)
    )
    result = run(
        _args.lp_plan(in_extent, geometry, x.dtype, norm_type, backward=True),
        grad_view,
        None,
        num_threads,
        (_kernel_view(x, plan.real, route),),
    )
    result = _restore(result, plan.real, route, plan.shape)
    return _deliver(result, out, result.dtype, [grad, x])


@documented("min_pool_backward_axes")
def min_pool_backward(grad_output, indices, input_shape, axes=None, out=None, num_threads=None):
    # min pooling's indices mean what max pooling's do: the same scatter.
    return max_pool_backward(grad_output, indices, input_shape, axes, out, num_threads)


@documented("max_pool_backward_axes")
def max_pool_backward(grad_output, indices, input_shape, axes=None, out=None, num_threads=None):
    grad = _args.as_input("grad_output", grad_output)
    input_shape = _args.parse_shape("input_shape", input_shape)
    axes = _normalize_axes(axes, len(input_shape))
    if grad.ndim != len(input_shape) or any(
        grad.shape[a] != input_shape[a] for a in _others(grad.ndim, axes)
    ):
        raise ValueError(
            "grad_output shape %r does not match input_shape %r outside axes %r"
            % (grad.shape, input_shape, axes)
        )
    if any(input_shape[a] < 1 or grad.shape[a] < 1 for a in axes):
        raise ValueError("input_shape and grad_output must have sizes >= 1 along axes")
    indices = _args.as_indices("indices", indices, grad.shape)
    route = _route(input_shape, axes)
    # The pooled axes flatten into one plane of each (outer, channels) slice.
    layout = _layout(route)
    grad_view = _kernel_view(grad, axes, route)
    index_view = _kernel_view(indices, axes, route)
    in_view = _view_shape(input_shape, axes, route)
    planes = (math.prod(grad.shape[a] for a in axes), math.prod(input_shape[a] for a in axes))
    extents = [
        _flat_extent(view_shape, plane, layout)
        for view_shape, plane in ((grad_view.shape, planes[0]), (in_view, planes[1]))
    ]
    result = run(
        _args.route_plan("max_pool_backward", extents[0], extents[1], grad.dtype),
        grad_view,
        None,
        num_threads,
        (index_view,),
    )
    result = _restore(result, axes, route, input_shape)
    return _deliver(result, out, grad.dtype, [grad, indices])


def _flat_extent(view_shape, plane, layout):
    """Extent of a kernel view whose spatial dims are flattened into one plane."""
    flat = (view_shape[0], plane) + ((view_shape[-1],) if layout == "channels_last" else ())
    return _args.split_shape(flat, 1, layout)
