"""Build cypool's Cython kernels.

Everything about compilation lives here: the OpenMP probe, optimisation flags, Cython
directives and the build facts that ``cypool.show_config()`` reports.

Environment variables (documented in README.md):

``CYPOOL_NATIVE=1``
    add ``-march=native`` (the binary then only runs on CPUs like the build machine's).
``CYPOOL_DEBUG=1``
    turn Cython bounds checking back on and compile with ``-O1 -g`` (for debug test runs).
``CYPOOL_NO_OPENMP=1``
    build the serial extension even when OpenMP is available.
``CYPOOL_REQUIRE_OPENMP=1``
    fail the build instead of falling back to a serial build when OpenMP is missing.
``CYPOOL_SANITIZE=address``
    compile and link with ``-fsanitize=address`` (run Python with libasan preloaded,
    see README.md).
``CYPOOL_NO_AVX2=1``
    skip the extra AVX2 build of the kernels (x86-64 only; chosen at run time).
"""
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import warnings

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

KERNEL_MODULES = ["_geometry", "_runtime", "_max_pool", "_avg_pool"]
# Built a second time with AVX2 on x86-64; cypool._dispatch picks one at import.
AVX2_MODULES = ["_max_pool_avx2", "_avg_pool_avx2"]
AVX2_FLAGS = ["-mavx2", "-mfma"]

OPENMP_PROBE = r"""
#include <omp.h>
#include <stdio.h>
int main(void) {
    int n = 0;
    #pragma omp parallel reduction(+:n)
    n += 1;
    printf("%d\n", n > 0 && omp_get_max_threads() > 0);
    return 0;
}
"""


def _flag(name):
    return os.environ.get(name, "").strip() not in ("", "0", "false", "False", "no")


def _compiler():
    return (sysconfig.get_config_var("CC") or "cc").split()[0]


def openmp_works(compiler):
    """Compile, link and run a tiny OpenMP program: the only reliable test."""
    tmp = tempfile.mkdtemp(prefix="cypool-omp-")
    try:
        src = os.path.join(tmp, "probe.c")
        exe = os.path.join(tmp, "probe")
        with open(src, "w") as f:
            f.write(OPENMP_PROBE)
        build = subprocess.run(
            [compiler, "-fopenmp", src, "-o", exe],
            capture_output=True, text=True,
        )
        if build.returncode != 0:
            return False
        run = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        return run.returncode == 0 and run.stdout.strip() == "1"
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compiler_accepts(compiler, flags):
    """Whether ``compiler`` compiles a trivial C file with ``flags``."""
    tmp = tempfile.mkdtemp(prefix="cypool-flags-")
    try:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write("int main(void) { return 0; }\n")
        result = subprocess.run([compiler] + flags + ["-c", src, "-o", os.path.join(tmp, "p.o")],
                                capture_output=True)
        return result.returncode == 0
    except OSError:
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build_settings():
    compiler = _compiler()
    debug = _flag("CYPOOL_DEBUG")
    native = _flag("CYPOOL_NATIVE")
    use_openmp = False
    if not _flag("CYPOOL_NO_OPENMP"):
        use_openmp = openmp_works(compiler)
        if not use_openmp:
            message = (
                "cypool: OpenMP test compile failed with %r; building a SERIAL extension "
                "(cypool.show_config() will say so)." % compiler
            )
            if _flag("CYPOOL_REQUIRE_OPENMP"):
                sys.exit(message + " CYPOOL_REQUIRE_OPENMP is set: stopping.")
            warnings.warn(message)
    # No fused multiply-add contraction: every build variant rounds identically.
    compile_args = (["-O1", "-g"] if debug else ["-O3"]) + ["-ffp-contract=off"]
    if native:
        compile_args.append("-march=native")
    link_args = []
    sanitizer = os.environ.get("CYPOOL_SANITIZE", "").strip()
    if sanitizer:
        compile_args += ["-fsanitize=" + sanitizer, "-fno-omit-frame-pointer"]
        link_args += ["-fsanitize=" + sanitizer]
    if use_openmp:
        compile_args.append("-fopenmp")
        link_args.append("-fopenmp")
    directives = {
        "language_level": 3,
        "boundscheck": debug,
        "wraparound": False,
        "initializedcheck": debug,
        "cdivision": True,
        "embedsignature": True,
    }
    return compiler, compile_args, link_args, directives, use_openmp, debug, native


def write_build_info(compiler, compile_args, use_openmp, debug, native, avx2):
    import Cython

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cypool", "_build_info.py")
    with open(path, "w") as f:
        f.write('"""Facts recorded by setup.py at build time (generated; do not edit)."""\n')
        f.write("compiler = %r\n" % compiler)
        f.write("compile_args = %r\n" % compile_args)
        f.write("openmp = %r\n" % use_openmp)
        f.write("debug = %r\n" % debug)
        f.write("native = %r\n" % native)
        f.write("avx2_variant = %r\n" % avx2)
        f.write("cython_version = %r\n" % Cython.__version__)
        f.write("numpy_build_version = %r\n" % np.__version__)


compiler, compile_args, link_args, directives, use_openmp, debug, native = build_settings()
build_avx2 = (platform.machine().lower() in ("x86_64", "amd64") and not native
              and not _flag("CYPOOL_NO_AVX2") and compiler_accepts(compiler, AVX2_FLAGS))
write_build_info(compiler, compile_args, use_openmp, debug, native, build_avx2)


def extension(name, extra_flags=()):
    return Extension(
        "cypool." + name,
        ["cypool/%s.pyx" % name],
        include_dirs=[np.get_include()],
        extra_compile_args=compile_args + list(extra_flags),
        extra_link_args=link_args,
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )


extensions = [extension(name) for name in KERNEL_MODULES]
if build_avx2:
    extensions += [extension(name, AVX2_FLAGS) for name in AVX2_MODULES]

jobs = os.cpu_count() or 1
setup(
    ext_modules=cythonize(extensions, compiler_directives=directives, nthreads=jobs),
    options={"build_ext": {"parallel": jobs}},
)
