"""Write ``cypool/__init__.pyi`` from the code: signatures from ``inspect``, types
from the parameter table below, docstrings from the functions themselves (so IDEs
show them).  ``tests/test_typing.py`` checks the committed stub equals this
script's output and runs ``mypy.stubtest`` over it.

    python tools/make_stub.py            # rewrite the stub
    python tools/make_stub.py --check    # exit 1 if it is out of date
"""

import inspect
import os
import sys

HEADER = '''"""Type stubs for cypool's public API, written by tools/make_stub.py (do not edit).

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
'''

# The annotation of every public parameter, by name (a new parameter name fails
# the generator until it is added here).
PARAMETER_TYPES = {
    "x": "npt.ArrayLike",
    "grad_output": "npt.ArrayLike",
    "indices": "npt.ArrayLike",
    "kernel_size": "_Window",
    "stride": "_Window | None",
    "padding": "_Padding",
    "dilation": "_Window",
    "ceil_mode": "bool",
    "count_include_pad": "bool",
    "divisor_override": "int | None",
    "norm_type": "float",
    "layout": "_Layout",
    "input_shape": "_Shape",
    "axes": "int | tuple[int, ...] | None",
    "keepdims": "bool",
    "out": "_Array | None",
    "num_threads": "int | None",
    "return_indices": "bool",
    "output_size": "_OutputSize",
    "n": "int",
    "output_ratio": "float | tuple[float, ...] | None",
    "samples": "npt.ArrayLike | None",
    "rng": "np.random.Generator | int | None",
    "image": "npt.ArrayLike",
    "block_size": "int | tuple[int, ...]",
    "func": "Callable[..., Any]",
    "cval": "Any",
    "func_kwargs": "dict[str, Any] | None",
    "dtype": "npt.DTypeLike | None",
}
RETURNS = {
    "set_num_threads": "None",
    "get_num_threads": "int",
    "num_threads": "AbstractContextManager[int]",
    "show_config": "dict[str, Any]",
    "get_include": "str",
}
EXCEPTIONS = {
    ("max_unpool", "output_size"): "_Shape | None",
    ("set_num_threads", "n"): "int | None",
    ("fractional", "output_size"): "_OutputSize | None",
}
PAIR = "tuple[_Array, _Array]"


def _annotation(function, name):
    for (prefix, parameter), annotation in EXCEPTIONS.items():
        if parameter == name and function.__name__.startswith(prefix):
            return annotation
    return PARAMETER_TYPES[name]


def _parameters(function, override=None, keyword_only_from=None):
    """The stub's parameter list; ``override`` maps names to other annotations."""
    parts = []
    for parameter in inspect.signature(function).parameters.values():
        keyword_only = parameter.kind is inspect.Parameter.KEYWORD_ONLY
        if parameter.name == keyword_only_from or (keyword_only and "*" not in parts):
            parts.append("*")
        annotation = (override or {}).get(parameter.name) or _annotation(function, parameter.name)
        default = "" if parameter.default is inspect.Parameter.empty else " = ..."
        if parameter.name == keyword_only_from:
            default = ""
        parts.append("%s: %s%s" % (parameter.name, annotation, default))
    return ", ".join(parts)


def _body(function):
    doc = inspect.getdoc(function)
    assert '"""' not in doc and "\\" not in doc, function.__name__
    indented = "\n".join(("    " + line).rstrip() for line in doc.splitlines())
    return "\n" + indented.replace("    ", '    """', 1) + '\n    """\n'


def _definitions(function):
    name = function.__name__
    parameters = inspect.signature(function).parameters
    if "return_indices" not in parameters:
        return "def %s(%s) -> %s:%s" % (
            name,
            _parameters(function),
            RETURNS.get(name, "_Array"),
            _body(function),
        )
    variants = [
        (dict(return_indices="Literal[False]"), None, "_Array"),
        (dict(return_indices="Literal[True]", out=PAIR + " | None"), "return_indices", PAIR),
        (dict(out="_Array | %s | None" % PAIR), None, "_Array | " + PAIR),
    ]
    return "".join(
        "@overload\ndef %s(%s) -> %s:%s"
        % (name, _parameters(function, override, keyword_only), returns, _body(function))
        for override, keyword_only, returns in variants
    )


def render():
    import cypool

    names = "".join('    "%s",\n' % name for name in sorted(cypool.__all__))
    return (
        HEADER
        + "\n__all__ = [\n"
        + names
        + "]\n\n"
        + "\n".join(_definitions(getattr(cypool, name)) for name in sorted(cypool.__all__))
    )


def main():
    path = os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cypool", "__init__.pyi"
    )
    text = render()
    if "--check" in sys.argv:
        with open(path) as f:
            sys.exit(
                0
                if f.read() == text
                else "cypool/__init__.pyi is out of date: run python tools/make_stub.py"
            )
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
