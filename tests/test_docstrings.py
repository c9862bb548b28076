"""Every public function has a NumPy-style docstring whose example runs."""
import doctest

import pytest

import cypool
from cypool import reference

PUBLIC = [getattr(cypool, name) for name in cypool.__all__]
REFERENCE = ([getattr(reference.loops, n) for n in reference.loops.__all__]
             + [getattr(reference.vectorized, n) for n in reference.vectorized.__all__])


@pytest.mark.parametrize("function", PUBLIC + REFERENCE,
                         ids=lambda f: "%s.%s" % (f.__module__, f.__name__))
def test_docstring_example_runs(function):
    assert "Examples\n" in function.__doc__ or "Examples\n    --------" in function.__doc__
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(function, function.__name__, globs={})
    assert tests and tests[0].examples
    for test in tests:
        runner.run(test)
    assert runner.failures == 0
