#!/usr/bin/env bash
# Build cypool for arm64 (aarch64 Linux) on an x86-64 machine and run a test subset
# there under user-mode emulation.
#
#   bash tools/arm64_check.sh [--cache DIR] [pytest arguments...]
#
# What it does:
#   1. installs the cross compiler and qemu (Debian: gcc-aarch64-linux-gnu,
#      qemu-user-static) when they are missing (needs root);
#   2. makes an arm64 sysroot from Debian's arm64 packages of Python 3.11 and the
#      libraries it needs (apt-get download + dpkg -x; no arm64 package is installed);
#   3. fetches an aarch64 NumPy wheel and the pure-Python pytest and hypothesis wheels
#      from PyPI and unpacks them into the sysroot's own site folder;
#   4. turns every kernel module of setup.py (KERNEL_MODULES) into C with the host's
#      Cython and the directives setup.py uses, and cross-compiles each with
#      aarch64-linux-gnu-gcc and setup.py's optimisation flags plus -fopenmp: the
#      baseline variant only, as setup.py builds for an aarch64 target;
#   5. runs the reference sweeps, the torch-free differential and error cases, the
#      variant and strategy tests and a short fuzz with the arm64 interpreter under
#      qemu-aarch64-static, and prints the pytest counts and the stage's seconds.
#
# The sysroot, the wheels and the unpacked site folder are kept in the cache folder
# (default ~/.cache/cypool-arm64; --cache DIR or CYPOOL_ARM64_CACHE=DIR choose
# another), so a second run only compiles and tests.  The build itself happens in a
# temporary folder, removed at the end; the checkout is never written to.
# Extra arguments go to pytest (e.g. -x, or -k NAME to run fewer tests).
set -euo pipefail

start=$SECONDS
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
repo="$(dirname "$(dirname "$script")")"
cache="${CYPOOL_ARM64_CACHE:-$HOME/.cache/cypool-arm64}"
if [ "${1:-}" = "--cache" ]; then
    cache="$2"
    shift 2
fi
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cypool-arm64.XXXXXX")"
trap 'rm -rf "$work"' EXIT
host_python="${PYTHON:-python3}"
pyver=3.11
triple=aarch64-linux-gnu
cc="${CYPOOL_ARM64_CC:-$triple-gcc}"
suffix=".cpython-${pyver/./}-$triple.so"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
step() { echo "--- arm64: $1 (at $((SECONDS - start)) s)"; }
# pip, without the warnings about this machine's configured local indexes that are absent.
pip_() { "$@" 2> >(grep -v "is neither a file nor a directory" >&2); }

# 1. Tools ------------------------------------------------------------------------
if ! command -v qemu-aarch64-static >/dev/null || ! command -v "$cc" >/dev/null; then
    step "installing qemu-user-static and gcc-$triple"
    [ "$(id -u)" = 0 ] || { echo "arm64: need root to apt-get install the tools" >&2; exit 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static "gcc-$triple" \
        >/dev/null
fi

# 2. Sysroot ----------------------------------------------------------------------
# The interpreter (python3.11-minimal), its standard library and headers, and the
# shared libraries the interpreter, its extension modules, NumPy and OpenMP load.
packages="libc6 libgcc-s1 libstdc++6 gcc-12-base libgomp1 zlib1g libexpat1 libssl3
    libffi8 libbz2-1.0 liblzma5 libcrypt1 libuuid1 libsqlite3-0
    python$pyver-minimal libpython$pyver-minimal libpython$pyver-stdlib libpython$pyver-dev"
packages="$(echo $packages)"
sysroot="$cache/sysroot"
if [ "$(cat "$cache/sysroot.stamp" 2>/dev/null)" != "$packages" ]; then
    step "making the arm64 sysroot from Debian packages"
    [ "$(id -u)" = 0 ] || { echo "arm64: need root for dpkg --add-architecture" >&2; exit 1; }
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
    fi
    apt-get update -qq
    mkdir -p "$work/debs"
    # (apt-get download warns that it runs unsandboxed as root: harmless here.)
    if ! (cd "$work/debs" && apt-get download -qq $(printf '%s:arm64 ' $packages) \
        > "$work/apt.log" 2>&1); then
        cat "$work/apt.log" >&2
        exit 1
    fi
    rm -rf "$sysroot" "$cache/sysroot.stamp"
    mkdir -p "$sysroot"
    for deb in "$work/debs"/*.deb; do
        dpkg -x "$deb" "$sysroot"
    done
    [ -x "$sysroot/usr/bin/python$pyver" ] || { echo "arm64: no interpreter in sysroot" >&2; exit 1; }
    echo "$packages" > "$cache/sysroot.stamp"
fi
python_arm64="$sysroot/usr/bin/python$pyver"

# 3. Wheels -----------------------------------------------------------------------
requirements="numpy pytest hypothesis"
site="$cache/site"
if [ "$(cat "$cache/site.stamp" 2>/dev/null)" != "$requirements" ]; then
    step "fetching the aarch64 NumPy wheel and pytest, hypothesis"
    target=(--platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64
        --only-binary=:all: --python-version "$pyver" --implementation cp
        --abi "cp${pyver/./}")
    pip_ "$host_python" -m pip download -q "${target[@]}" -d "$cache/wheels" $requirements
    rm -rf "$site" "$cache/site.stamp"
    pip_ "$host_python" -m pip install -q "${target[@]}" --no-index --find-links "$cache/wheels" \
        --target "$site" $requirements
    echo "$requirements" > "$cache/site.stamp"
fi
numpy_include="$(echo "$site"/numpy/_core/include)"
[ -d "$numpy_include" ] || numpy_include="$(echo "$site"/numpy/core/include)"

# Cython, then the cross compiler: the modules go to $work/pkg/cypool.
build_modules() {
step "generating C with the host's Cython"
# Read setup.py's module list, Cython directives and flags without running it.
"$host_python" - "$repo/setup.py" "$work/pkg" "$site" "$cc" > "$work/build.env" <<'EOF'
import ast, contextlib, os, shlex, shutil, subprocess, sys, sysconfig, tempfile

from Cython.Build import cythonize

setup_py, pkg, site, cross_cc = sys.argv[1:5]
tree = ast.parse(open(setup_py).read())

# setup.py's own choice of kernel variants (its functions, run here without running
# setup.py) for an aarch64 target, named by the cross compiler and by a cross build's
# platform: baseline only.  For this machine's x86-64 compiler it must still choose
# some, or the check would show nothing.
wanted = ("_flag", "_compiler_command", "_compiler", "compiler_accepts", "target_machines",
          "variants_to_build", "X86_64", "VARIANT_FLAGS")
space = dict(os=os, shlex=shlex, shutil=shutil, subprocess=subprocess, sys=sys,
             sysconfig=sysconfig, tempfile=tempfile, native=False)
for node in tree.body:
    name = getattr(node, "name", None) or getattr(getattr(node, "targets", [None])[0], "id", None)
    if name in wanted:
        exec(compile(ast.Module([node], []), setup_py, "exec"), space)
missing = [name for name in wanted if name not in space]
if missing:
    sys.exit("arm64: setup.py has no %s: update tools/arm64_check.sh" % ", ".join(missing))


def chosen(**env):
    saved = dict(os.environ)
    for name in ("CC", "_PYTHON_HOST_PLATFORM", "ARCHFLAGS", "CYPOOL_VARIANTS", "CYPOOL_NO_AVX2"):
        os.environ.pop(name, None)
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return space["variants_to_build"](space["_compiler"]())
    finally:
        os.environ.clear()
        os.environ.update(saved)


by_compiler = chosen(CC=cross_cc)
by_platform = chosen(_PYTHON_HOST_PLATFORM="linux-aarch64")
native_choice = chosen()
print("setup.py chooses: %s for CC=%s, %s for _PYTHON_HOST_PLATFORM=linux-aarch64, %s here"
      % (by_compiler, cross_cc, by_platform, native_choice), file=sys.stderr)
if by_compiler or by_platform:
    sys.exit("arm64: setup.py would build x86 kernel variants for an aarch64 target")
if sysconfig.get_platform().endswith("x86_64") and not native_choice:
    sys.exit("arm64: setup.py chooses no variant for this x86-64 machine either")
found = {}
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        name = getattr(node.targets[0], "id", None)
        if name in ("KERNEL_MODULES", "VARIANT_KERNELS", "FORCED_INLINE", "directives",
                    "compile_args") and name not in found:
            try:  # a release build: debug off
                found[name] = eval(compile(ast.Expression(node.value), setup_py, "eval"),
                                   {"debug": False})
            except Exception as error:
                print("setup.py's %s is not readable here: %s" % (name, error), file=sys.stderr)
modules = found["KERNEL_MODULES"]
directives = found.get("directives", {"language_level": 3, "boundscheck": False,
                                      "wraparound": False, "initializedcheck": False,
                                      "cdivision": True})
flags = found.get("compile_args", ["-O3"])
os.chdir(pkg)
cythonize(["cypool/%s.pyx" % m for m in modules], compiler_directives=directives,
          include_path=[pkg, site], nthreads=2, quiet=True)
forced = found.get("FORCED_INLINE")
print("modules=(%s)" % " ".join(modules))
print("inlined=(%s)" % " ".join(found.get("VARIANT_KERNELS", [])))
print("forced_inline=%s" % shlex.quote("-D%s=%s" % forced if forced else ""))
print("flags=(%s)" % " ".join(shlex.quote(f) for f in flags))
import Cython
print("cython_version=%s" % Cython.__version__)
EOF
# shellcheck disable=SC1091
. "$work/build.env"

step "cross-compiling ${#modules[@]} modules with $cc"
# NumPy's, the package root's (for "cypool/cypool_api.h"), the kernel headers' and
# the arm64 Python's (Debian's pyconfig.h includes <aarch64-linux-gnu/...>, hence
# the sysroot's include folder, after the cross compiler's own).
includes=(-I"$numpy_include" -I"$work/pkg" -I"$sysroot/usr/include/python$pyver"
    -idirafter "$sysroot/usr/include")
[ -d "$work/pkg/cypool/include" ] && includes+=(-I"$work/pkg/cypool/include")
# An x86 intrinsic or builtin outside its variant guard is a missing declaration
# here: an error, not a symbol left for the import to miss.
cflags=("${flags[@]}" -fopenmp -fPIC -Werror=implicit-function-declaration
    -DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION "${includes[@]}")
pids=()
for module in "${modules[@]}"; do
    extra=()
    for kernel in "${inlined[@]}"; do
        [ "$module" = "$kernel" ] && [ -n "$forced_inline" ] && extra=("$forced_inline")
    done
    (nice -n 19 "$cc" "${cflags[@]}" "${extra[@]}" -shared "$work/pkg/cypool/$module.c" \
        -o "$work/pkg/cypool/$module$suffix" > "$work/$module.log" 2>&1 ||
        { echo "FAILED: $module" >> "$work/$module.log"; exit 1; }) &
    pids+=($!)
    # Two compilers at a time: the machine has two cores.
    if [ "${#pids[@]}" -ge 2 ]; then
        wait "${pids[0]}" || true
        pids=("${pids[@]:1}")
    fi
done
wait || true
failed=0
for module in "${modules[@]}"; do
    if grep -q "^FAILED" "$work/$module.log"; then
        echo "arm64: cross-compiling $module failed:" >&2
        grep -E "error|FAILED" "$work/$module.log" | head -20 >&2
        failed=1
    fi
done
[ "$failed" = 0 ] || exit 1
numpy_version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$site"/numpy/version.py 2>/dev/null ||
    true)"
# The facts setup.py records (cypool/_build_info.py): an aarch64 build has only the
# baseline kernels.
cat > "$work/pkg/cypool/_build_info.py" <<EOF
"""Facts recorded by tools/arm64_check.sh at build time (generated; do not edit)."""
compiler = '$cc'
compile_args = [$(printf "'%s', " "${flags[@]}")'-fopenmp']
openmp = True
debug = False
native = False
variants = ['baseline']
cython_version = '$cython_version'
numpy_build_version = '${numpy_version:-unknown}'
EOF
}

# 4. Build ------------------------------------------------------------------------
if ! "$host_python" -c "import Cython" 2>/dev/null; then
    "$host_python" -m venv "$work/host-venv"
    pip_ "$work/host-venv/bin/python" -m pip install -q "Cython>=3.0"
    host_python="$work/host-venv/bin/python"
fi
# A copy of the package: the C files and objects are made there, not in the checkout.
mkdir -p "$work/pkg"
(cd "$repo" && tar --exclude='*.so' --exclude='*.c' --exclude='__pycache__' \
    --exclude='_build_info.py' --exclude='_*_avx2.pyx' --exclude='_*_avx512.pyx' \
    -cf - cypool) | tar -xf - -C "$work/pkg"
# The compiled modules are kept under the key of everything they are made from: the
# package's sources, setup.py, this script, the Cython, compiler and NumPy versions.
key="$( (cd "$work/pkg" && find cypool -type f | LC_ALL=C sort | xargs sha256sum
    sha256sum < "$repo/setup.py"
    sha256sum < "$script"
    "$host_python" -c "import Cython; print(Cython.__version__)"
    "$cc" --version | head -n 1
    ls "$site") | sha256sum | cut -c1-16)"
built="$cache/build-$key"
if [ -f "$built/done" ]; then
    step "reusing the modules built from these sources ($built)"
else
    rm -rf "$cache"/build-*
    mkdir -p "$built.tmp"
    build_modules
    cp "$work/pkg/cypool/"*"$suffix" "$work/pkg/cypool/_build_info.py" "$built.tmp/"
    touch "$built.tmp/done"
    mv "$built.tmp" "$built"
fi
cp "$built/"*"$suffix" "$built/_build_info.py" "$work/pkg/cypool/"

# 5. Tests ------------------------------------------------------------------------
step "testing under qemu-aarch64-static"
# The emulated interpreter; tests that start "sys.executable" get this wrapper (the
# host kernel cannot start an aarch64 program by itself: no binfmt_misc).
cat > "$work/python-arm64" <<EOF
#!/bin/sh
exec qemu-aarch64-static -L "$sysroot" "$python_arm64" -s "\$@"
EOF
chmod +x "$work/python-arm64"
mkdir -p "$work/plugin" "$work/run"
cat > "$work/plugin/cypool_arm64_plugin.py" <<EOF
"""pytest plugin of tools/arm64_check.sh: the emulated interpreter as sys.executable,
and a short hypothesis profile (emulation runs about ten times slower)."""
import sys

sys.executable = "$work/python-arm64"
try:
    from hypothesis import settings

    settings.register_profile("arm64", max_examples=40, deadline=None, database=None)
except ImportError:
    pass
EOF
tests=()
for name in test_reference test_family_reference test_errors test_window_rules \
    test_special_values test_layout_and_dtypes test_fuzz test_variants test_strategies; do
    [ -f "$repo/tests/$name.py" ] && tests+=("$repo/tests/$name.py")
done
run_arm64() {
    env -u CYPOOL_REQUIRE_TORCH -u CYPOOL_KERNELS OMP_NUM_THREADS=2 \
        PYTHONPATH="$work/plugin:$work/pkg:$site" PYTHONDONTWRITEBYTECODE=1 \
        nice -n 19 "$work/python-arm64" "$@"
}
cd "$work/run"
# What was built and what runs (show_config), from the emulated interpreter.
run_arm64 -c "import cypool; print('cypool from', cypool.__file__); cypool.show_config()" |
    grep -E "^(cypool from|kernel|openmp|python|platform)"
# No torch in the sysroot: its tests skip (CYPOOL_REQUIRE_TORCH would make them fail).
# The variant sweep compares other variants to the baseline; none is built here.
set +e
run_arm64 -m pytest -p no:cacheprovider -p cypool_arm64_plugin --hypothesis-profile=arm64 \
    --rootdir "$repo" -c "$repo/pyproject.toml" -q \
    --deselect tests/test_variants.py::test_variant_equals_baseline_bit_for_bit \
    "${tests[@]}" "$@" 2>&1 | tee "$work/pytest.log"
status=${PIPESTATUS[0]}
set -e
counts="$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$work/pytest.log" | tail -n 1 |
    tr -d '=')"
echo "arm64: ${counts:-no pytest summary} (pytest exit $status);" \
    "stage took $((SECONDS - start)) s"
exit "$status"
