"""Every ``>>>`` example in the README and the documentation pages runs and prints
what the page says (the docstrings' examples run under ``sphinx-build -b doctest``
in CI, and through test_docstrings.py everywhere)."""

import doctest
import glob
import os
import re

import numpy as np
import pytest

import cypool

ROOT = os.path.join(os.path.dirname(__file__), os.pardir)
PAGES = sorted(
    [os.path.join(ROOT, "README.md")]
    + glob.glob(os.path.join(ROOT, "docs", "*.md"))
    + glob.glob(os.path.join(ROOT, "examples", "*.md"))
)
# Fenced Python blocks; a page's blocks run in order in one namespace, as read.
FENCE = re.compile(r"^```(?:python|pycon)\n(.*?)^```", re.S | re.M)
# The packages a page's examples import (the tutorial's photo is scikit-learn's).
IMPORTS = re.compile(r"^>>> (?:from|import) (\w+)", re.M)


def _examples(path):
    with open(path) as f:
        blocks = [b for b in FENCE.findall(f.read()) if ">>>" in b]
    return "\n".join(blocks)


def test_the_pages_hold_examples():
    counted = {os.path.basename(p): _examples(p).count(">>>") for p in PAGES}
    for page in ("README.md", "index.md", "coming_from_pytorch.md", "coming_from_onnx.md",
                 "coming_from_scikit_image.md"):  # fmt: skip
        assert counted.get(page, 0) >= 3, counted


@pytest.mark.parametrize("path", PAGES, ids=os.path.basename)
def test_page_examples_run(path):
    text = _examples(path)
    if not text:
        return  # a page without examples: nothing to run
    for module in IMPORTS.findall(text):
        reason = "the examples of %s need %s" % (os.path.basename(path), module)
        pytest.importorskip(module, reason=reason)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"np": np, "cypool": cypool}, path, path, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)[-3000:]
    assert runner.tries == text.count(">>>")
