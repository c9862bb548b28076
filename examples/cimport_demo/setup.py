"""Build the demo against the installed cypool: ``python setup.py build_ext --inplace``."""

import sys

from Cython.Build import cythonize
from setuptools import Extension, setup

import cypool

openmp = [] if sys.platform == "darwin" else ["-fopenmp"]
setup(
    name="cimport_demo",
    ext_modules=cythonize(
        [
            Extension(
                "cimport_demo",
                ["cimport_demo.pyx"],
                extra_compile_args=["-O2"] + openmp,
                extra_link_args=openmp,
            )
        ],
        include_path=[cypool.get_include()],
    ),
)
