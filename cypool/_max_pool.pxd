from cypool._geometry cimport pool_geometry_t
from cypool._typedefs cimport max_t, index_t
from libc.stdint cimport int64_t

# Layout: every array is (outer, *spatial, channels) contiguous; channels-first data
# passes outer = N*C and channels = 1.  indices are flat into each spatial plane.
# Functions returning int return 0, -1 when a work table cannot be allocated, or
# -2 when indices are wanted but one window spans 2**31 input positions or more.

# x: (outer, *g.in_size, channels) -> y, indices: (outer, *g.out_size, channels);
# indices may be NULL.
cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil

# PyTorch's adaptive bins over in_size[3] -> out_size[3] (1s in front for 1-D/2-D).
cdef int adaptive_max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                                   const int64_t* in_size, const int64_t* out_size,
                                   int64_t outer, int64_t channels,
                                   int num_threads) noexcept nogil

# Fractional max pooling: output (od, oh, ow) of plane (n, c) is the maximum of
# the kernel-sized window starting at that plane's own interval starts, stored at
# starts[(n * channels + c) * (out_size[0] + out_size[1] + out_size[2]) + ...]:
# the D starts, then H's, then W's (each window inside the input).
cdef int fractional_max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                                     const int64_t* starts, const int64_t* in_size,
                                     const int64_t* out_size, const int64_t* kernel,
                                     int64_t outer, int64_t channels,
                                     int num_threads) noexcept nogil

# grad_in (outer, in_plane, channels) = grad_out scattered to indices, summed.
# Writes every grad_in element; returns how many indices were outside
# [0, in_plane) (their gradients are dropped).  Serves adaptive max pooling too.
cdef int64_t max_pool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                               int64_t outer, int64_t channels, int64_t out_plane,
                               int64_t in_plane, int num_threads) noexcept nogil

# y (outer, out_plane, channels) = zeros with x placed at indices.  Returns the
# out-of-range count.
cdef int64_t max_unpool_forward(const max_t* x, const index_t* indices, max_t* y,
                                int64_t outer, int64_t channels, int64_t in_plane,
                                int64_t out_plane, int num_threads) noexcept nogil

# grad_in (outer, in_plane, channels) = grad_out gathered at indices.
cdef int64_t max_unpool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                                 int64_t outer, int64_t channels, int64_t in_plane,
                                 int64_t out_plane, int num_threads) noexcept nogil
