"""The references' own window arithmetic, written from API.md ("Window arguments").

Output sizes, "same" pads, ceil_mode and the every-window-samples-the-input rule
are computed here in plain Python, independently of the compiled geometry
(``cypool._geometry``), so the tests compare two implementations of those rules
rather than one with itself.  Only the parsing of argument *forms* (ints, tuples,
(before, after) pairs, layouts) is shared with the package.
"""

from collections import namedtuple

from cypool import _args

Windows = namedtuple("Windows", "in_size out_size kernel_size stride pad_before pad_after dilation")


def _floor_div(a, b):
    return a // b  # Python's // floors, also for negative a


def _ceil_div(a, b):
    return -((-a) // b)


# API.md: "sizes whose products overflow int64 raise ValueError".  One dim's window
# arithmetic adds the padded input, the dilated kernel extent's product
# dilation * (k - 1) and one more stride (the ceil_mode overhang); cypool keeps that
# sum below 2**61, so that no intermediate of its int64 arithmetic (a sum of a few of
# these terms, as in a ceiling division's numerator) can overflow, and refuses window
# arguments that take it further.  Python's integers never overflow, so the
# reference computes the sum exactly and applies the same limit.
WINDOW_ARITHMETIC_LIMIT = 2**61


def _check_int64_room(n, k, s, before, after, dilation):
    """ValueError when one dim's window arithmetic would leave int64 (see above),
    naming the largest contribution: the dilated kernel, the stride or the padding."""
    parts = {"kernel_size": dilation * (k - 1), "stride": s, "padding": before + after}
    if n + sum(parts.values()) >= WINDOW_ARITHMETIC_LIMIT:
        raise ValueError(
            "%s is too large: the window arithmetic would overflow int64"
            % max(parts, key=parts.get)
        )


def resolve(in_size, kernel_size, stride, padding, dilation, ceil_mode, input_name="x"):
    """``Windows`` of a pooling call over spatial sizes ``in_size``."""
    ndim = len(in_size)
    kernel, strides, before, after, dilations, same = _args.window_arguments(
        ndim, kernel_size, stride, padding, dilation
    )
    ceil = _args.as_bool("ceil_mode", ceil_mode)
    before, after, out_size = list(before), list(after), []
    for d in range(ndim):
        n, k, s, dil = in_size[d], kernel[d], strides[d], dilations[d]
        _check_int64_room(n, k, s, before[d], after[d], dil)
        for name, value in (("kernel_size", k), ("stride", s), ("dilation", dil)):
            if value < 1:
                raise ValueError("%s must be >= 1, got %r" % (name, value))
        if before[d] < 0 or after[d] < 0:
            raise ValueError("padding must be >= 0, got %r" % (padding,))
        if n < 1:
            raise ValueError("%s must have spatial sizes >= 1, got %r" % (input_name, in_size))
        span = dil * (k - 1) + 1  # the dilated kernel extent
        if same:  # SAME_UPPER: output ceil(n / s), the odd pad at the end
            total = max(0, (_ceil_div(n, s) - 1) * s + span - n)
            before[d], after[d] = total // 2, total - total // 2
        room = n + before[d] + after[d] - span
        if room < 0:
            raise ValueError("kernel_size (dilated) is larger than the padded input")
        out = (_ceil_div(room, s) if ceil else _floor_div(room, s)) + 1
        if ceil and (out - 1) * s >= n + before[d]:
            out -= 1  # the last window must start inside the input or the left padding
        for o in range(out):
            start = o * s - before[d]
            if not any(0 <= start + t * dil < n for t in range(k)):
                raise ValueError("padding is so large that a window would sample only padding")
        out_size.append(out)
    return Windows(
        tuple(in_size), tuple(out_size), kernel, strides, tuple(before), tuple(after), dilations
    )


def forward_call(ndim, x, kernel_size, stride, padding, dilation, ceil_mode, layout):
    """(x, extent, windows) of a forward window-pooling call."""
    x = _args.as_input("x", x)
    extent = _args.split_shape(x.shape, ndim, _args.parse_layout(layout))
    return x, extent, resolve(extent.spatial, kernel_size, stride, padding, dilation, ceil_mode)


def backward_call(
    ndim, grad_output, input_shape, kernel_size, stride, padding, dilation, ceil_mode, layout
):
    """(grad, input extent, windows) of a backward call that repeats the forward window."""
    in_extent = _args.input_extent(input_shape, ndim, _args.parse_layout(layout))
    windows = resolve(
        in_extent.spatial, kernel_size, stride, padding, dilation, ceil_mode, "input_shape"
    )
    grad = _args.as_input("grad_output", grad_output)
    if grad.shape != in_extent.shape(windows.out_size):
        raise ValueError(
            "grad_output must have shape %r for this input_shape and window, got %r"
            % (in_extent.shape(windows.out_size), grad.shape)
        )
    return grad, in_extent, windows


def unpool_size(extent, kernel_size, stride, padding, output_size, ndim):
    """max_unpool's spatial output sizes: PyTorch's default
    ``(in - 1) * stride - pad_before - pad_after + kernel_size``, or ``output_size``
    (whose forms only are parsed by the package)."""
    if output_size is not None:
        return _args.unpool_size(extent, kernel_size, stride, padding, output_size, ndim)
    kernel, strides, before, after, _, same = _args.window_arguments(
        ndim, kernel_size, stride, padding, 1
    )
    if same:
        raise ValueError("padding='same' is ambiguous for max_unpool")
    if min(kernel) < 1 or min(strides) < 1 or min(before + after) < 0:
        raise ValueError("kernel_size and stride must be >= 1 and padding >= 0")
    sizes = tuple(
        (n - 1) * s - b - a + k
        for n, s, b, a, k in zip(extent.spatial, strides, before, after, kernel)
    )
    if min(sizes) < 1:
        raise ValueError("padding: the default output size %r of max_unpool is empty" % (sizes,))
    return sizes
