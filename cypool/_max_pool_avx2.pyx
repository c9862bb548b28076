"""The max-pooling kernels compiled for AVX2 (setup.py adds -mavx2 on x86-64).

cypool._dispatch loads this module instead of cypool._max_pool when the CPU has
AVX2; the code is the same file, so results are identical.
"""
include "_max_pool.pyx"
