# cython: language_level=3, boundscheck=False, wraparound=False
"""A tiny extension that runs cypool's kernels on its own buffers, in its own prange.

It max- and average-pools a stack of 2-D planes, then runs both backward passes
with the forward outputs as upstream gradients, one plane per OpenMP iteration.
"""
from cython.parallel cimport prange
from libc.stdint cimport int64_t

from cypool.kernels cimport (
    GEOMETRY_OK, avg_pool_backward, avg_pool_forward, geometry_init, max_pool_backward,
    max_pool_forward, pool_geometry_t)

import numpy as np


def pool_planes(double[:, :, ::1] x, int64_t kernel_size, int64_t stride, int64_t padding):
    """Return (max, indices, avg, max_grad, avg_grad) for planes x of shape (P, H, W)."""
    cdef pool_geometry_t g
    cdef int64_t in_size[2], kernel[2], strides[2], pads[2], dilation[2]
    cdef int bad_dim, d
    cdef Py_ssize_t p, planes = x.shape[0]
    in_size[0], in_size[1] = x.shape[1], x.shape[2]
    for d in range(2):
        kernel[d], strides[d], pads[d], dilation[d] = kernel_size, stride, padding, 1
    if geometry_init(&g, 2, in_size, kernel, strides, pads, pads, dilation, False, False,
                     &bad_dim) != GEOMETRY_OK:
        raise ValueError("bad window for spatial dim %d" % bad_dim)
    cdef int64_t oh = g.out_size[1], ow = g.out_size[2]
    cdef double[:, :, ::1] y_max = np.empty((planes, oh, ow))
    cdef int64_t[:, :, ::1] indices = np.empty((planes, oh, ow), dtype=np.int64)
    cdef double[:, :, ::1] y_avg = np.empty((planes, oh, ow))
    cdef double[:, :, ::1] g_max = np.empty_like(x)
    cdef double[:, :, ::1] g_avg = np.empty_like(x)
    for p in prange(planes, nogil=True):
        max_pool_forward(&x[p, 0, 0], &y_max[p, 0, 0], &indices[p, 0, 0], &g, 1, 1, 1)
        avg_pool_forward(&x[p, 0, 0], &y_avg[p, 0, 0], &g, 1, 1, True, 0, 1)
        max_pool_backward(&y_max[p, 0, 0], &indices[p, 0, 0], &g_max[p, 0, 0], 1, 1, oh * ow,
                          in_size[0] * in_size[1], 1)
        avg_pool_backward(&y_avg[p, 0, 0], &g_avg[p, 0, 0], &g, 1, 1, True, 0, 1)
    return (np.asarray(y_max), np.asarray(indices), np.asarray(y_avg), np.asarray(g_max),
            np.asarray(g_avg))
