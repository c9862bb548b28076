# cypool's public Cython API: the kernels behind every pooling function, callable
# on raw buffers from other extensions, inside their own nogil / prange regions.
#
#     from cypool.kernels cimport pool_geometry_t, geometry_init, max_pool_forward
#
# Build with ``include_dirs=[cypool.get_include()]`` (see examples/cimport_demo).
#
# Conventions shared by every kernel
# - Arrays are C-contiguous (outer, D, H, W, channels): channels-first data passes
#   outer = N*C and channels = 1; channels-last data passes outer = N and its C.
#   1-D and 2-D data use D = H = 1 (geometry_init puts those dims in front).
# - Element types are fused: max-type kernels take float, double and every
#   integer type; average kernels take float or double.  Indices are int64 flat
#   indices into each (n, c) spatial plane.
# - Every function is ``noexcept nogil``; num_threads is the OpenMP team size
#   (pass 1 when calling from inside your own prange).
# - Functions returning int give 0, or -1 when a small work table cannot be
#   allocated; the scatters/gathers return how many indices were out of range.

from cypool._geometry cimport (
    pool_geometry_t, geometry_init, geometry_resolve, MAX_SPATIAL_DIMS, geometry_status,
    GEOMETRY_OK, GEOMETRY_BAD_INPUT_SIZE, GEOMETRY_BAD_KERNEL_SIZE, GEOMETRY_BAD_STRIDE,
    GEOMETRY_BAD_DILATION, GEOMETRY_NEGATIVE_PADDING, GEOMETRY_EMPTY_OUTPUT,
    GEOMETRY_PADDING_ONLY_WINDOW)
from cypool._typedefs cimport max_t, real_t, index_t
from cypool._max_pool cimport (
    max_pool_forward, max_pool_backward, adaptive_max_pool_forward, max_unpool_forward,
    max_unpool_backward)
from cypool._avg_pool cimport (
    avg_pool_forward, avg_pool_backward, adaptive_avg_pool_forward, adaptive_avg_pool_backward)
