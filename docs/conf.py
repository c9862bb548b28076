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
# _generated/ holds fragments the pages include (and the chart), not pages.
exclude_patterns = ["_build", "_generated", "images/README*"]
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
    # One row of navigation at 1280 px: the short toctree titles of index.md, the
    # rest under "More", and the search as a button next to the theme switch.
    "header_links_before_dropdown": 5,
    "navbar_align": "left",
    "navbar_persistent": ["search-button"],
    "navbar_end": ["theme-switcher"],
}
html_static_path = ["_static"]
html_css_files = ["cypool.css"]
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


def _results(app, name):
    return os.path.join(app.srcdir, os.pardir, "benchmarks", "results", name)


def _draw_ratio_chart(app):
    """The performance page's chart, from the committed suite table."""
    from cypool.benchmark.suite import chart_from_table

    os.makedirs(os.path.join(app.srcdir, "_generated"), exist_ok=True)
    chart = os.path.join(app.srcdir, "_generated", "ratio_chart.png")
    if chart_from_table(_results(app, "suite.md"), chart, targets=False) is None:
        raise RuntimeError("the performance chart needs matplotlib (pip install '.[docs]')")


# The suite's column names for its peers, as a reader knows them.
PEER_NAMES = [
    ("torch", "PyTorch"), ("onnxruntime", "onnxruntime"), ("JAX", "JAX"),
    ("TF", "TensorFlow"), ("numpy", "NumPy"),
]  # fmt: skip
LAYOUTS = {"CF": "channels-first", "CL": "channels-last"}


def _peer(column):
    return next((name for prefix, name in PEER_NAMES if column.startswith(prefix)), column)


def _suite_rows(app):
    """The 1-thread rows of the committed suite table, in words."""
    from cypool.benchmark.suite import describe, read_table

    rows = []
    for row in read_table(_results(app, "suite.md")):
        if row["threads"] != "1" or row["ratio"] == "-":
            continue
        ours = float(row["cypool out="].split()[0])
        theirs = float(row[row["best peer"]].split()[0])
        operation, shape = describe(row["workload"]).split(" on ")
        rows.append(
            dict(
                operation=operation,
                shape=shape,
                layout=LAYOUTS[row["layout"]],
                dtype=row["dtype"],
                op=row["op"].replace("forward+indices", "with indices"),
                ours=ours,
                peer=_peer(row["best peer"]),
                theirs=theirs,
                ratio=ours / theirs,
            )
        )
    return rows


def _ms(value):
    return "%.3f" % value if value < 1 else "%.1f" % value


def _performance_fragments(app):
    """The performance page's generated parts, from the committed results: the rows
    where another library is faster (in words), the 1-thread table with one column
    per fact, and cypool.torch's speed-ups per op."""
    rows = _suite_rows(app)
    slower = sorted((r for r in rows if r["ratio"] > 1.05), key=lambda r: -r["ratio"])
    misses = [
        "- **%s is %.1fx faster** on %s of %s %s %s, %s (%s against cypool's %s ms)"
        % (r["peer"], r["ratio"], r["operation"], r["shape"], r["layout"], r["dtype"], r["op"],
           _ms(r["theirs"]), _ms(r["ours"]))
        for r in slower
    ]  # fmt: skip
    table = [
        "| operation | shape | layout | dtype | pass | cypool ms | fastest other, ms | ratio |",
        "|---|---|---|---|---|--:|---|--:|",
    ] + [
        "| %s | %s | %s | %s | %s | %s | %s %s | %.2f |"
        % (r["operation"], r["shape"], r["layout"], r["dtype"], r["op"], _ms(r["ours"]),
           r["peer"], _ms(r["theirs"]), r["ratio"])
        for r in rows
    ]  # fmt: skip
    _write(app, os.path.join("_generated", "suite_misses.md"), misses + [""])
    _write(app, os.path.join("_generated", "suite_table.md"), table + [""])
    _write(app, os.path.join("_generated", "torch_speedups.md"), _torch_speedups(app))
    _write(app, os.path.join("_generated", "family_table.md"), _family_table(app))


def _torch_speedups(app):
    """cypool.torch's 1-thread speed-ups over torch, one row per op, and the model
    table as the benchmark wrote it."""
    from cypool.benchmark.suite import read_table

    columns = [("NCHW", "forward"), ("NCHW", "forward+backward"),
               ("channels_last", "forward"), ("channels_last", "forward+backward")]  # fmt: skip
    ops = {}
    for row in read_table(_results(app, "torch_bench.md")):
        if row.get("threads") == "1" and "op" in row:
            key = (row["op"], row["shape"])
            ops.setdefault(key, {})[(row["memory format"], row["mode"])] = row["speed-up"]
    lines = [
        "| op | shape | NCHW fwd | NCHW fwd+bwd | CL fwd | CL fwd+bwd |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for (op, shape), cells in ops.items():
        lines.append(
            "| %s | %s | %s |" % (op, shape, " | ".join(cells.get(c, "-") for c in columns))
        )
    with open(_results(app, "torch_bench.md")) as f:
        text = f.read()
    model = text[text.index("## ResNet") :].splitlines()[1:]
    heading = "The ResNet-18-shaped model, original against converted:"
    return lines + ["", heading, ""] + [line for line in model if line.strip()] + [""]


def _family_table(app):
    """The 1-thread rows of the family benchmark (the file also has 2-thread rows)."""
    from cypool.benchmark.suite import read_table

    columns = ["case", "shape", "peer", "peer ms", "cypool ms", "speed-up"]
    lines = ["| " + " | ".join(columns) + " |", "|---|---|---|--:|--:|--:|"]
    for row in read_table(_results(app, "family_bench.md")):
        if row["threads"] == "1":
            lines.append("| " + " | ".join(row[c] for c in columns) + " |")
    return lines + [""]


def setup(app):
    app.connect("builder-inited", _draw_ratio_chart)
    app.connect("builder-inited", _performance_fragments)
    # Before Sphinx lists the source files and autosummary scans them for stubs.
    app.connect("config-inited", _write_api_pages)
