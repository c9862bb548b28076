"""Give a reference module cypool's public names and signatures, by construction."""

import functools
import inspect

import cypool


def public_name(operation, ndim):
    """ "max_pool_backward", 2 -> "max_pool2d_backward"."""
    base, backward, _ = operation.partition("_backward")
    return "%s%dd%s" % (base, ndim, backward)


def mirror(namespace, drivers, flavour):
    """Define ``max_pool2d`` etc. in ``namespace`` calling ``drivers[operation](ndim, ...)``.

    Each function has the signature of its ``cypool`` counterpart; ``num_threads``
    is accepted and ignored (the references are single-threaded).
    """
    names = []
    for operation in drivers:
        for ndim in (1, 2, 3):
            name = public_name(operation, ndim)
            fast = getattr(cypool, name, None)
            if fast is None:  # fractional pooling has no 1-D version
                continue
            namespace[name] = _make(fast, drivers[operation], ndim, flavour, namespace["__name__"])
            names.append(name)
    return names


def _example(fast, module):
    """The fast function's docstring example, calling ``module`` instead."""
    example = inspect.cleandoc(fast.__doc__).split("Examples\n--------\n", 1)[1]
    example = example.replace("cypool.", module + ".")
    return example.replace("import numpy as np, cypool", "import numpy as np, " + module)


def _make(fast, driver, ndim, flavour, module):
    signature = inspect.signature(fast)

    @functools.wraps(fast, assigned=("__name__", "__qualname__"))
    def function(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("num_threads")
        return driver(ndim, **arguments)

    function.__signature__ = signature
    function.__doc__ = (
        "%s version of ``cypool.%s`` (same signature and semantics).\n\n"
        "Examples\n--------\n%s" % (flavour, fast.__name__, _example(fast, module))
    )
    return function


def mirror_signature(function, flavour, module):
    """Give a hand-written reference function (the NumPy-style ones) its cypool
    counterpart's docstring example; its signature must already be the same."""
    fast = getattr(cypool, function.__name__)
    if inspect.signature(function) != inspect.signature(fast):
        raise TypeError(
            "%s.%s must have cypool.%s's signature" % (module, function.__name__, fast.__name__)
        )
    function.__doc__ = (
        "%s version of ``cypool.%s`` (same signature and semantics).\n\n"
        "Examples\n--------\n%s" % (flavour, fast.__name__, _example(fast, module))
    )
