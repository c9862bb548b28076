"""``show_config``: what this build of cypool is and how it will run."""

import platform
import sys

import numpy as np

from cypool import _build_info, _threads, _variants
from cypool._runtime import openmp_enabled


def show_config():
    """Print cypool's build and runtime configuration and return it as a dict.

    Returns
    -------
    dict
        version, compiler, compile flags, whether OpenMP is on, the thread count a
        call would use, Cython/NumPy versions and the platform.

    Examples
    --------
    >>> import cypool
    >>> info = cypool.show_config()  # doctest: +SKIP
    >>> info["openmp"]  # doctest: +SKIP
    True
    """
    from cypool import __version__

    info = {
        "version": __version__,
        "compiler": _build_info.compiler,
        "compile_args": list(_build_info.compile_args),
        "openmp": openmp_enabled(),
        "num_threads": _threads.get_num_threads(),
        "kernels": _variants.KERNEL_SET,
        "kernel_variants_built": list(getattr(_build_info, "variants", ["baseline"])),
        "kernel_variants_cpu_runs": _variants.available(),
        "debug_build": _build_info.debug,
        "native_build": _build_info.native,
        "cython_version": _build_info.cython_version,
        "numpy_build_version": _build_info.numpy_build_version,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    if not info["openmp"]:
        info["note"] = "built WITHOUT OpenMP: kernels run serially"
    width = max(len(k) for k in info)
    for key, value in info.items():
        print("%-*s : %s" % (width, key, value))
    return info
