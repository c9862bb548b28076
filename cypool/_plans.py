"""Call plans: the fast path of repeated calls with the same shapes and window.

Validating the arguments and building a window geometry costs 15-20 µs of
Python, ten times the kernel of a small array.  The first call with a given
(input shape, dtype, window) takes the full path through ``cypool._args`` and,
when the input could be used as it is, leaves a plan: whatever the kernel needs
besides the data.  Later calls whose arguments are equal *and of the same exact
types* (so 2.0 or True never reuse the plan of 2) find the plan by one dict
lookup and check only what the key cannot tell: that x is C-contiguous, and the
``out=`` buffers.  Anything unusual falls back to the full path, which raises
the usual errors.
"""
import numpy as np

from cypool._runtime import contiguous_overlap

_PLANS = {}
_LIMIT = 512


def find(family, ndim, x, arguments, flags):
    """(key, plan) of a call: plan None when none is stored (or x is not
    C-contiguous), key None when the call cannot take the fast path at all.

    ``arguments`` must be ints (not bools), strings, None or tuples of ints and
    ``flags`` bools, so that equal keys mean equal calls (2 == 2.0 == True)."""
    if type(x) is not np.ndarray:
        return None, None
    for value in arguments:
        kind = type(value)
        if kind is not int and kind is not str and value is not None:
            if kind is not tuple:
                return None, None
            for item in value:
                if type(item) is not int:
                    return None, None
    for flag in flags:
        if type(flag) is not bool:
            return None, None
    plan_key = (family, ndim, x.shape, x.dtype, arguments, flags)
    plan = _PLANS.get(plan_key)
    if plan is not None and not x.flags.c_contiguous:
        plan = None
    return plan_key, plan


def store(plan_key, plan):
    if plan_key is not None:
        if len(_PLANS) >= _LIMIT:
            _PLANS.clear()
        _PLANS[plan_key] = plan


def output(out, shape, dtype, inputs):
    """A planned call's output: a new array, or ``out`` when it passes every check
    of ``_args.check_out``; None when it does not (the full path then raises).
    ``inputs`` are C-contiguous."""
    if out is None:
        return np.empty(shape, dtype)
    if (type(out) is np.ndarray and out.shape == shape and out.dtype == dtype
            and out.flags.c_contiguous and out.flags.writeable):
        for array in inputs:
            if contiguous_overlap(out, array):
                return None
        return out
    return None
