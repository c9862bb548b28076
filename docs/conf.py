"""Sphinx configuration of cypool's documentation site.

Build (from the repository root, with cypool installed and ``pip install ".[docs]"``):

    sphinx-build -W --keep-going -b html docs docs/_build/html

The API pages are generated from the installed package's docstrings at every build
(``_write_api_page`` below), so they cannot drift from the code.
"""

import os
import re

import cypool

project = "cypool"
author = "The cypool developers"
copyright = "2026, The cypool developers"
release = version = cypool.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "images/README*"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autosummary_generate = True
autodoc_default_options = {"members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Every docstring example runs under `sphinx-build -b doctest`.
doctest_test_doctest_blocks = "default"
doctest_global_setup = "import numpy as np\nimport cypool"

html_theme = "pydata_sphinx_theme"
html_title = "cypool %s" % release
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_static_path = []
# Only the API pages have siblings to navigate; the others use the full width.
html_sidebars = {
    name: [] for name in ("index", "install", "tutorial", "performance", "coming_from_*", "cython",
                          "c_api", "changelog")
}  # fmt: skip


# The API reference: one page per public function, grouped by family (a function's
# family is its name without "_backward").  A name cypool adds to __all__ lands
# under "Other" until it gets a group here.
def _dims(name, dims=(1, 2, 3)):
    return ["%s%dd" % (name, d) for d in dims]


API_GROUPS = [
    ("Max pooling", _dims("max_pool")),
    ("Average pooling", _dims("avg_pool")),
    ("Lp pooling", _dims("lp_pool")),
    ("Adaptive pooling", _dims("adaptive_max_pool") + _dims("adaptive_avg_pool")),
    ("Global pooling", ["global_max_pool", "global_avg_pool"]),
    ("Fractional max pooling", _dims("fractional_max_pool", (2, 3))),
    ("Max-unpooling", _dims("max_unpool")),
    ("NumPy style, over any axes", ["max_pool", "min_pool", "avg_pool", "lp_pool"]),
    ("scikit-image style", ["block_reduce"]),
    ("Threads and configuration", ["set_num_threads", "get_num_threads", "num_threads",
                                   "show_config", "get_include"]),
]  # fmt: skip


def _group_of(name):
    family = re.sub("_backward$", "", name)
    return next((title for title, members in API_GROUPS if family in members), "Other")


def _autosummary(module, names):
    head = ["```{eval-rst}", ".. currentmodule:: " + module, "", ".. autosummary::"]
    return head + ["   :toctree: generated", ""] + ["   " + name for name in names] + ["```", ""]


def _write(app, name, lines):
    """Write a generated page, leaving it untouched when unchanged (no rebuild)."""
    text = "\n".join(lines)
    path = os.path.join(app.srcdir, name)
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return
    with open(path, "w") as f:
        f.write(text)


def _write_api_pages(app, config):
    import cypool.layers

    groups = {title: [] for title, _ in API_GROUPS}
    groups["Other"] = []
    for name in sorted(cypool.__all__):
        groups[_group_of(name)].append(name)
    lines = [
        "# API reference",
        "",
        "Every public function of `cypool`, one page each, generated from its docstring.",
        "The layer classes for NumPy CNNs are in {doc}`cypool.layers <api_layers>`.",
        "",
    ]
    for title, names in groups.items():
        if names:
            lines += ["## " + title, ""] + _autosummary("cypool", names)
    _write(app, "api.md", lines)
    _write(
        app,
        "api_layers.md",
        [
            "# Layers for NumPy CNNs: `cypool.layers`",
            "",
            "Small classes for hand-written NumPy networks. `forward(x)` returns the output",
            "and keeps what `backward(grad_output)` needs (indices, shapes), so a backward",
            "pass cannot be called with arguments that do not match its forward.",
            "",
        ]
        + _autosummary("cypool.layers", cypool.layers.__all__),
    )


def _draw_ratio_chart(app):
    """The performance page's chart, from the committed suite table."""
    from cypool.benchmark.suite import chart_from_table

    os.makedirs(os.path.join(app.srcdir, "_generated"), exist_ok=True)
    table = os.path.join(app.srcdir, os.pardir, "benchmarks", "results", "suite.md")
    if chart_from_table(table, os.path.join(app.srcdir, "_generated", "ratio_chart.png")) is None:
        raise RuntimeError("the performance chart needs matplotlib (pip install '.[docs]')")


def setup(app):
    app.connect("builder-inited", _draw_ratio_chart)
    # Before Sphinx lists the source files and autosummary scans them for stubs.
    app.connect("config-inited", _write_api_pages)
