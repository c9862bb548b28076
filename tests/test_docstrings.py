"""Every public function has a NumPy-style docstring whose example runs."""

import doctest
import inspect

import pytest

import cypool
from cypool import reference

PUBLIC = [getattr(cypool, name) for name in cypool.__all__]
REFERENCE = [getattr(reference.loops, n) for n in reference.loops.__all__] + [
    getattr(reference.vectorized, n) for n in reference.vectorized.__all__
]


@pytest.mark.parametrize(
    "function", PUBLIC + REFERENCE, ids=lambda f: "%s.%s" % (f.__module__, f.__name__)
)
def test_docstring_example_runs(function):
    assert "Examples\n" in function.__doc__ or "Examples\n    --------" in function.__doc__
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(function, function.__name__, globs={})
    assert tests and tests[0].examples
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


def _described_parameters(doc):
    """Names of the Parameters section's entries that have a description: an entry
    is an unindented line ("name : type" or "a, b : type"), its description the
    indented lines under it; the section ends at the next "Title / -----" pair."""
    lines = inspect.cleandoc(doc).splitlines()
    start = lines.index("Parameters") + 2
    described, names = set(), []
    for line, following in zip(lines[start:], lines[start + 1 :] + [""]):
        if following.startswith("---"):
            break
        if line.startswith(" ") and line.strip():
            described.update(names)
        elif line.strip():
            names = [n.strip() for n in line.split(" : ")[0].split(",")]
    return described


@pytest.mark.parametrize("function", PUBLIC, ids=lambda f: f.__name__)
def test_every_parameter_is_described(function):
    parameters = inspect.signature(function).parameters
    described = _described_parameters(function.__doc__) if parameters else set()
    for name in parameters:
        assert name in described, "%s: parameter %s has no description" % (function.__name__, name)


@pytest.mark.parametrize(
    "function",
    [f for f in PUBLIC if not f.__name__.startswith(("get_", "set_", "show_", "num_threads"))],
    ids=lambda f: f.__name__,
)
def test_every_pooling_function_says_what_it_returns(function):
    assert "\nReturns\n-------\n" in inspect.cleandoc(function.__doc__), function.__name__
