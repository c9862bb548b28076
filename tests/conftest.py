"""Test-session checks that keep CI honest."""

import os


def pytest_configure(config):
    if os.environ.get("CYPOOL_REQUIRE_TORCH"):
        # CI installs torch: the differential tests must run, never skip.
        import torch  # noqa: F401


def pytest_report_header(config):
    from cypool._runtime import openmp_enabled

    import cypool

    return "cypool %s from %s, OpenMP %s" % (
        cypool.__version__,
        os.path.dirname(cypool.__file__),
        "on" if openmp_enabled() else "OFF",
    )


# Hypothesis profiles: the default keeps the suite fast; maintainers run
# ``pytest tests/test_fuzz.py tests/test_properties.py --hypothesis-profile=long``.
try:
    from hypothesis import settings

    settings.register_profile("ci", max_examples=300, deadline=None)
    settings.register_profile("long", max_examples=20000, deadline=None)
    settings.load_profile("ci")
except ImportError:  # hypothesis is a test extra
    pass
