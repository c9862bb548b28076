"""Build the C and C++ examples against the installed cypool:

    python setup.py build_ext --inplace

Only ``cypool.get_include()`` is needed (and pybind11 for the C++ one); nothing
links to cypool, which the modules find at import through ``import_cypool()``.
"""

import pybind11
from setuptools import Extension, setup

import cypool

setup(
    name="c_api_demo",
    ext_modules=[
        Extension("c_api_demo", ["c_api_demo.c"], include_dirs=[cypool.get_include()]),
        Extension(
            "c_api_demo_cpp",
            ["c_api_demo_cpp.cpp"],
            include_dirs=[cypool.get_include(), pybind11.get_include()],
            language="c++",
            extra_compile_args=["-std=c++17"],
        ),
    ],
)
