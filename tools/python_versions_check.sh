#!/usr/bin/env bash
# Build cypool from its sdist on other Python versions and run the quick tests there.
#
#   bash tools/python_versions_check.sh [--cache DIR] [VERSION...] [-- PYTEST-ARGS...]
#   (default versions: 3.10 3.13)
#
# What it does:
#   1. copies the checkout (its tracked and unignored files: what a clone has) to a
#      temporary folder and makes the sdist there once (python -m build --sdist);
#   2. for each VERSION: a fresh virtual environment of pythonVERSION (found on PATH
#      or in pyenv's versions), the sdist built and installed into it with the
#      baseline kernels only (CYPOOL_VARIANTS=none), the test extra's requirements
#      (less "build": test_packaging's full sdist-and-wheel run is CI's 3.11 job; this
#      script is the sdist check on the other versions), then
#      `pytest -m "not slow" -p no:cacheprovider` from the copy's root, checking that
#      the INSTALLED cypool is what the tests import (the copy's cypool/ folder has
#      no compiled modules, so importing it would fail loudly).
#
# The wheel built from the sdist for each version is kept in the cache folder
# (default ~/.cache/cypool-pythons; --cache DIR or CYPOOL_PYTHONS_CACHE=DIR) under
# a key of everything that goes into it (setup.py, pyproject.toml, MANIFEST.in, the
# cypool/ sources, the build setting, the interpreter's version): when none changed, the
# sdist is not built again and that wheel is installed.  CYPOOL_PYTHONS_REBUILD=1
# ignores it.  The temporary folder is removed at the end.
set -euo pipefail

start=$SECONDS
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
repo="$(dirname "$(dirname "$script")")"
cache="${CYPOOL_PYTHONS_CACHE:-$HOME/.cache/cypool-pythons}"
if [ "${1:-}" = "--cache" ]; then
    cache="$2"
    shift 2
fi
versions=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    versions+=("$1")
    shift
done
[ "${1:-}" = "--" ] && shift
[ "${#versions[@]}" -gt 0 ] || versions=(3.10 3.13)
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cypool-pythons.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
host_python="${PYTHON:-python3}"
step() { echo "--- pythons: $1 (at $((SECONDS - start)) s)"; }
# pip, without the warnings about this machine's configured local indexes that are absent.
pip_() { "$@" 2> >(grep -v "is neither a file nor a directory" >&2); }

# pythonX.Y: on PATH and working (a pyenv shim may name a version it does not
# activate), else pyenv's own copy.
find_python() {
    local candidate
    for candidate in "python$1" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/"python$1"; do
        if "$candidate" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$1'.split('.')))" \
            >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "pythons: no working python$1 on PATH or in pyenv" >&2
    return 1
}

# The copy: what a fresh clone holds, plus files not yet committed (never ignored ones).
mkdir -p "$work/src"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$repo" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) |
        tar -xf - -C "$work/src"
else
    cp -a "$repo/." "$work/src/"
fi
# The test extra's requirements, read from pyproject.toml, less "build".
requirements=()
while IFS= read -r line; do requirements+=("$line"); done < <("$host_python" - "$work/src" <<'EOF'
import sys, tomllib
table = tomllib.load(open(sys.argv[1] + "/pyproject.toml", "rb"))
for item in table["project"]["optional-dependencies"]["test"]:
    if not item.replace(" ", "").startswith(("build>", "build=", "build<")) and item != "build":
        print(item)
EOF
)
sources_key="$( (cd "$work/src" && find setup.py pyproject.toml MANIFEST.in cypool -type f |
    LC_ALL=C sort | xargs sha256sum; echo "CYPOOL_VARIANTS=none") | sha256sum | cut -c1-16)"

sdist=""
make_sdist() {
    [ -n "$sdist" ] && return 0
    step "building the sdist"
    local builder="$host_python"
    # -I: a build/ folder in the current directory (setuptools' output) would
    # otherwise import as a namespace package named "build".
    if ! "$builder" -I -c "import build.__main__" 2>/dev/null; then
        "$host_python" -m venv "$work/build-venv"
        pip_ "$work/build-venv/bin/python" -m pip install -q build
        builder="$work/build-venv/bin/python"
    fi
    (cd "$work/src" && CYPOOL_VARIANTS=none nice -n 19 "$builder" -m build --sdist \
        --outdir "$work/dist" . > "$work/sdist.log" 2>&1) ||
        { tail -n 40 "$work/sdist.log" >&2; exit 1; }
    sdist="$(echo "$work"/dist/cypool-*.tar.gz)"
    echo "pythons: $(basename "$sdist"), $(tar -tzf "$sdist" | wc -l) files"
}

# Each version: its environment and the wheel (built one after the other: each build
# runs two compilers), then its tests.  CYPOOL_PYTHONS_JOBS=2 runs the versions' test
# runs side by side (each mostly keeps one core busy); the default runs them in turn.
jobs="${CYPOOL_PYTHONS_JOBS:-1}"
prepare() {
    local version="$1" python key wheels venv
    python="$(find_python "$version")"
    key="$sources_key-$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
    wheels="$cache/wheel-$version"
    venv="$work/venv-$version"
    step "Python $version ($python): environment"
    "$python" -m venv "$venv"
    pip_ "$venv/bin/python" -m pip install -q --upgrade pip
    pip_ "$venv/bin/python" -m pip install -q "${requirements[@]}"
    if [ "${CYPOOL_PYTHONS_REBUILD:-0}" = 1 ] || [ "$(cat "$wheels/key" 2>/dev/null)" != "$key" ] ||
        ! ls "$wheels"/cypool-*.whl >/dev/null 2>&1; then
        make_sdist
        step "Python $version: building cypool from the sdist (baseline kernels)"
        rm -rf "$wheels"
        mkdir -p "$wheels"
        CYPOOL_VARIANTS=none pip_ nice -n 19 "$venv/bin/python" -m pip wheel -q --no-deps \
            -w "$wheels" "$sdist"
        echo "$key" > "$wheels/key"
    else
        step "Python $version: reusing the wheel built from these sources"
    fi
    pip_ "$venv/bin/python" -m pip install -q --no-deps "$wheels"/cypool-*.whl
    (cd "$work" && "$venv/bin/python" -c "import cypool; cypool.show_config()") |
        grep -E "^(version|kernel|openmp|python) "
}
# The test run of one version; its output goes to $work/pytest-VERSION.log.
run_tests() {
    local version="$1" venv="$work/venv-$version" result
    shift
    set +e
    # The venv's pytest script, not "python -m pytest": that would put the current
    # folder, whose cypool/ is the uncompiled source, first on sys.path.
    (cd "$work/src" && env -u CYPOOL_REQUIRE_TORCH -u CYPOOL_KERNELS \
        nice -n 19 "$venv/bin/pytest" -m "not slow" -p no:cacheprovider "$@") \
        > "$work/pytest-$version.log" 2>&1
    result=$?
    set -e
    if ! grep -q "^cypool .* from $venv/lib/python$version/site-packages/cypool," \
        "$work/pytest-$version.log"; then
        echo "pythons: the tests did not import the installed cypool of $venv" \
            >> "$work/pytest-$version.log"
        result=1
    fi
    echo "$result $((SECONDS - start))" > "$work/result-$version"
}

for version in "${versions[@]}"; do
    prepare "$version"
done
step "pytest -m \"not slow\" on ${versions[*]} ($jobs at a time)"
tests_start=$SECONDS
running=0
for version in "${versions[@]}"; do
    if [ "$jobs" -gt 1 ]; then
        run_tests "$version" "$@" &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then
            wait -n || true
            running=$((running - 1))
        fi
    else
        run_tests "$version" "$@"
    fi
done
wait || true
status=0
summary=()
for version in "${versions[@]}"; do
    echo "=== pythons: the tests on Python $version"
    cat "$work/pytest-$version.log"
    result=1
    finished="?"
    read -r result finished < "$work/result-$version" || true
    counts="$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$work/pytest-$version.log" |
        tail -n 1 | tr -d '=')"
    summary+=("Python $version: ${counts:-no pytest summary} (exit $result), done at $finished s")
    [ "$result" = 0 ] || status=1
done
printf 'pythons: %s\n' "${summary[@]}"
echo "pythons: tests took $((SECONDS - tests_start)) s; the stage $((SECONDS - start)) s"
exit "$status"
