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
``CYPOOL_VARIANTS=avx2,avx512`` (default: both, when the target is x86-64)
    which extra instruction-set builds of the kernels to compile (``none``: only
    the baseline); cypool._variants picks the best one the CPU runs at import.
    The target is the compiler's (``$CC -dumpmachine``) and a cross build's
    (``_PYTHON_HOST_PLATFORM``), not the build machine's: a build for another
    architecture (aarch64, ...) compiles the baseline kernels only.
``CYPOOL_NO_AVX2=1``
    the old spelling of ``CYPOOL_VARIANTS=none``.
"""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import warnings

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

KERNEL_MODULES = ["_geometry", "_runtime", "_max_pool", "_avg_pool", "_c_api_table"]
# The pooling kernels are compiled once more per instruction-set variant on x86-64:
# Cython runs once per kernel, and each variant compiles a copy of that C file under
# its own module name (variant_source); cypool._variants picks the best variant the
# CPU runs at import.  The row
# primitives (cypool/include/cypool_rows.h) use each variant's widest registers
# (512-bit with AVX-512); gcc's own loop vectorization stays at 256 bits there
# (-mprefer-vector-width=256).  F16C converts float16 in the kernels' staging.
VARIANT_KERNELS = ["_max_pool", "_avg_pool"]
VARIANT_FLAGS = {
    "avx2": ["-mavx2", "-mfma", "-mf16c"],
    "avx512": [
        "-mavx512f",
        "-mavx512bw",
        "-mavx512vl",
        "-mavx512dq",
        "-mavx2",
        "-mfma",
        "-mf16c",
        "-mprefer-vector-width=256",
    ],
}

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


def _compiler_command():
    """The C compiler command setuptools runs: $CC when set, else Python's own."""
    return os.environ.get("CC", "").strip() or sysconfig.get_config_var("CC") or "cc"


def _compiler():
    return shlex.split(_compiler_command())[0]


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
            capture_output=True,
            text=True,
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
        result = subprocess.run(
            [compiler] + flags + ["-c", src, "-o", os.path.join(tmp, "p.o")], capture_output=True
        )
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
    # errno is never read: sqrt and friends may then vectorize.
    # -g1 in release builds overrides Python's own CFLAGS' -g: full debug info (variable
    # locations) for the kernels' fused specializations made gcc a third slower; -g1
    # keeps line tables and the recorded flags.  CYPOOL_DEBUG and sanitizer builds keep -g.
    compile_args = (["-O1", "-g"] if debug else ["-O3", "-g1"]) + [
        "-ffp-contract=off",
        "-fno-math-errno",
    ]
    if native:
        compile_args.append("-march=native")
    link_args = []
    sanitizer = os.environ.get("CYPOOL_SANITIZE", "").strip()
    if sanitizer:
        compile_args = [arg for arg in compile_args if arg != "-g1"]
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


def write_build_info(compiler, compile_args, use_openmp, debug, native, variants):
    import Cython

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cypool", "_build_info.py")
    with open(path, "w") as f:
        f.write('"""Facts recorded by setup.py at build time (generated; do not edit)."""\n')
        f.write("compiler = %r\n" % compiler)
        f.write("compile_args = %r\n" % compile_args)
        f.write("openmp = %r\n" % use_openmp)
        f.write("debug = %r\n" % debug)
        f.write("native = %r\n" % native)
        f.write("variants = %r\n" % (["baseline"] + variants,))
        f.write("cython_version = %r\n" % Cython.__version__)
        f.write("numpy_build_version = %r\n" % np.__version__)


compiler, compile_args, link_args, directives, use_openmp, debug, native = build_settings()
jobs = os.cpu_count() or 1


X86_64 = ("x86_64", "amd64", "x64")


def target_machines():
    """Every architecture name the build's signs give for the TARGET, lower case: the
    cross-build platform (``_PYTHON_HOST_PLATFORM``, e.g. ``linux-aarch64``, which
    sysconfig reports too), the compiler's target triple (``$CC -dumpmachine``, e.g.
    ``aarch64-linux-gnu``) and macOS's ``ARCHFLAGS`` (``-arch arm64``).  The build
    machine's own CPU (``platform.machine()``) is not a sign: a cross compiler on an
    x86-64 machine makes code for another CPU."""
    machines = [sysconfig.get_platform().rsplit("-", 1)[-1]]
    host_platform = os.environ.get("_PYTHON_HOST_PLATFORM", "").strip()
    if host_platform:
        machines.append(host_platform.rsplit("-", 1)[-1])
    try:
        triple = subprocess.run(
            shlex.split(_compiler_command()) + ["-dumpmachine"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError, ValueError):
        triple = ""
    if triple:
        machines.append(triple.split("-", 1)[0])
    archflags = os.environ.get("ARCHFLAGS", "").split()
    machines += [archflags[i + 1] for i, flag in enumerate(archflags[:-1]) if flag == "-arch"]
    return [machine.lower() for machine in machines]


def variants_to_build(compiler):
    """The extra kernel variants this build compiles: the x86-64 ones only when every
    sign of the target says x86-64 (see target_machines; an aarch64 build has none),
    and none for -march=native builds, which are already tuned to the build machine."""
    machines = target_machines()
    if any(machine not in X86_64 for machine in machines):
        print("cypool: target %s: baseline kernels only" % "/".join(sorted(set(machines))))
        return []
    if native or _flag("CYPOOL_NO_AVX2"):
        return []
    asked = os.environ.get("CYPOOL_VARIANTS", "avx2,avx512").strip().lower()
    names = [] if asked in ("", "none") else [name.strip() for name in asked.split(",")]
    unknown = [name for name in names if name not in VARIANT_FLAGS]
    if unknown:
        sys.exit(
            "cypool: CYPOOL_VARIANTS names unknown variants %s; known: %s"
            % (unknown, ", ".join(VARIANT_FLAGS))
        )
    return [
        name
        for name in VARIANT_FLAGS
        if name in names and compiler_accepts(compiler, VARIANT_FLAGS[name])
    ]


def remove_old_twins():
    """Delete the one-line ``.pyx`` twins older versions of this file generated (a
    checkout built before would otherwise ship them as package data)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for variant in VARIANT_FLAGS:
        for kernel in VARIANT_KERNELS:
            path = os.path.join(here, "cypool", "%s_%s.pyx" % (kernel, variant))
            if os.path.exists(path) and "(generated; do not edit)" in open(path).read():
                os.remove(path)


def variant_source(kernel, variant):
    """Write cypool/<kernel>_<variant>.c, the kernel's Cython output renamed to the
    variant's module, and return its path (relative, as Extension sources are).

    Cython then runs once per kernel instead of once per variant: its output is the
    same for every variant, bar the module's name.  Renamed: the init function (the
    import looks it up by the module's name) and the standalone name strings, among
    them the one under which the module registers itself in sys.modules when that
    name is free: unrenamed, a variant imported before the baseline would be handed to
    every later ``import cypool._max_pool`` (and cimport).  Left: the copy in Cython's
    packed string table (its lengths are stored apart), so the variant's functions keep
    the baseline's ``__module__``; tracebacks name the variant.  Written when Cython
    wrote the kernel's C since (build_ext then compiles the variant again, as the
    baseline) or the text differs."""
    base = "cypool/%s.c" % kernel
    path = "cypool/%s_%s.c" % (kernel, variant)
    text = open(base).read()
    name = "cypool." + kernel
    renamed, found = re.subn(r"\bPyInit_%s\b" % kernel, "PyInit_%s_%s" % (kernel, variant), text)
    if not found:
        sys.exit("cypool: no PyInit_%s in %s: cannot make the %s variant" % (kernel, base, variant))
    # "cypool._max_pool", "cypool._max_pool.route_call", "init cypool._max_pool", "_max_pool"
    literal = r'"((?:init )?(?:cypool\.)?)%s((?:\.\w+)?)"' % re.escape(kernel)
    renamed = re.sub(literal, r'"\g<1>%s_%s\g<2>"' % (kernel, variant), renamed)
    if '"%s"' % name in text and '"%s_%s"' % (name, variant) not in renamed:
        sys.exit("cypool: %s's module name was not renamed in %s" % (name, path))
    if (
        not os.path.exists(path)
        or os.path.getmtime(path) < os.path.getmtime(base)
        or open(path).read() != renamed
    ):
        with open(path, "w") as f:
            f.write(renamed)
    return path


variants = variants_to_build(compiler)
remove_old_twins()
write_build_info(compiler, compile_args, use_openmp, debug, native, variants)


# The kernels' speed rests on every ``cdef inline`` helper being inlined into its
# caller with literal window sizes and ops (so gcc unrolls and vectorizes each
# copy); gcc's size heuristics refuse some of them (it made a constprop clone of
# window_pass, 25 instead of 3-4 instructions per output), so the kernel modules
# make Cython's inline keyword always_inline.
FORCED_INLINE = ("CYTHON_INLINE", "inline __attribute__((always_inline))")


HEADERS = sorted(
    os.path.relpath(path, os.path.dirname(os.path.abspath(__file__)))
    for path in glob.glob(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "cypool", "include", "*.h")
    )
) + ["cypool/cypool_api.h"]


def extension(name, extra_flags=(), source=None):
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
    if name.startswith(tuple(VARIANT_KERNELS)) and not debug:
        macros.append(FORCED_INLINE)
    return Extension(
        "cypool." + name,
        [source or "cypool/%s.pyx" % name],
        # The root, for "cypool/cypool_api.h" as callers include it; cypool/include
        # for the row primitives (cypool_rows.h).
        include_dirs=[
            np.get_include(),
            os.path.dirname(os.path.abspath(__file__)),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "cypool", "include"),
        ],
        extra_compile_args=compile_args + list(extra_flags),
        extra_link_args=link_args,
        define_macros=macros,
        # An edited header rebuilds every module (build_ext compares these dates).
        depends=HEADERS,
    )


extensions = cythonize(
    [extension(name) for name in KERNEL_MODULES], compiler_directives=directives, nthreads=jobs
)
for variant in variants:
    extensions += [
        extension(
            "%s_%s" % (kernel, variant), VARIANT_FLAGS[variant], variant_source(kernel, variant)
        )
        for kernel in VARIANT_KERNELS
    ]


def compile_rank(ext):
    """build_ext's workers take the modules in list order: the longest compiles first
    (the max kernels, whose variants take longer than the baseline, then the average
    kernels), so that no long compile starts last and runs alone on one core."""
    name = ext.name.split(".")[-1]
    kernel = next((k for k in VARIANT_KERNELS if name.startswith(k)), None)
    if kernel is None:
        return (len(VARIANT_KERNELS), 0)
    return (VARIANT_KERNELS.index(kernel), name == kernel)


extensions.sort(key=compile_rank)
setup(ext_modules=extensions, options={"build_ext": {"parallel": jobs}})
