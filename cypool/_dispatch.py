"""Pick the kernel build for this CPU.

setup.py compiles every kernel module twice on x86-64: a baseline build (the
platform's default instruction set) and an ``_avx2`` build of the same source.
The AVX2 build is used when the CPU supports it, unless ``CYPOOL_KERNELS=baseline``
is set in the environment.  Results are identical either way: the kernels do the
same IEEE operations in the same order (fused multiply-add is disabled).
"""
import os

from cypool._runtime import cpu_has_avx2


def _load():
    if os.environ.get("CYPOOL_KERNELS", "").lower() != "baseline" and cpu_has_avx2():
        try:
            from cypool import _avg_pool_avx2 as avg, _max_pool_avx2 as max_
            return "avx2", max_, avg
        except ImportError:  # built without the AVX2 variant
            pass
    from cypool import _avg_pool as avg, _max_pool as max_
    return "baseline", max_, avg


KERNEL_SET, max_kernels, avg_kernels = _load()
