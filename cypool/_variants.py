"""Pick the kernel variant for this CPU.

setup.py compiles the pooling kernels once per instruction-set variant on
x86-64: ``baseline`` (the platform's default instruction set), ``avx2`` (AVX2,
FMA, F16C) and ``avx512`` (AVX-512 F/BW/VL/DQ besides).  At import the best
variant that was built and that the CPU runs is loaded; ``CYPOOL_KERNELS=baseline``
(or ``avx2`` / ``avx512``) in the environment asks for one.  Results are identical
whichever runs: every variant does the same IEEE operations in the same order
(fused multiply-add contraction is disabled), which ``tests/test_variants.py`` checks.
"""

import importlib
import os
import warnings

from cypool import _build_info
from cypool._runtime import cpu_runs

VARIANTS = ("baseline", "avx2", "avx512")  # worst to best


def _suffix(variant):
    return "" if variant == "baseline" else "_" + variant


def available():
    """The variants that were built and that this CPU runs, worst to best."""
    built = getattr(_build_info, "variants", ["baseline"])
    return [v for v in VARIANTS if v in built and cpu_runs(v)]


def _load():
    usable = available()
    asked = os.environ.get("CYPOOL_KERNELS", "").strip().lower()
    if asked and asked not in VARIANTS:
        raise ValueError("CYPOOL_KERNELS must be one of %s, got %r" % (", ".join(VARIANTS), asked))
    variant = usable[-1]
    if asked:
        if asked in usable:
            variant = asked
        else:
            warnings.warn(
                "CYPOOL_KERNELS=%s: that variant was not built or this CPU cannot run "
                "it; using %s" % (asked, variant),
                RuntimeWarning,
                stacklevel=2,
            )
    max_ = importlib.import_module("cypool._max_pool" + _suffix(variant))
    avg = importlib.import_module("cypool._avg_pool" + _suffix(variant))
    return variant, max_, avg


KERNEL_SET, max_kernels, avg_kernels = _load()
