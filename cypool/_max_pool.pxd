from cypool._geometry cimport pool_geometry_t
from cypool._typedefs cimport max_t, index_t
from libc.stdint cimport int64_t

# x: input (outer, *in_size, channels); y, indices: outputs (outer, *out_size, channels).
# indices may be NULL.  Returns 0, or -1 when a work table cannot be allocated.
cdef int max_pool_forward(const max_t* x, max_t* y, index_t* indices,
                          const pool_geometry_t* g, int64_t outer, int64_t channels,
                          int num_threads) noexcept nogil

# Writes every grad_in element; returns how many indices were outside [0, in_plane)
# (those gradients are dropped).
cdef int64_t max_pool_backward(const max_t* grad_out, const index_t* indices, max_t* grad_in,
                               int64_t outer, int64_t channels, int64_t out_plane,
                               int64_t in_plane, int num_threads) noexcept nogil
