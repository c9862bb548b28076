from cypool._geometry cimport pool_geometry_t
from cypool._typedefs cimport real_t
from libc.stdint cimport int64_t

# Layout as in cypool._max_pool: (outer, *spatial, channels) contiguous.
# The divisor of a window is divisor_override when > 0, else its tap count (taps
# in the padding included when count_include_pad).  Return 0, or -1 when a work
# table cannot be allocated.
cdef int avg_pool_forward(const real_t* x, real_t* y, const pool_geometry_t* g,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads) noexcept nogil

cdef int avg_pool_backward(const real_t* grad_out, real_t* grad_in, const pool_geometry_t* g,
                           int64_t outer, int64_t channels, bint count_include_pad,
                           int64_t divisor_override, int num_threads) noexcept nogil

# PyTorch's adaptive bins over in_size[3] -> out_size[3] (1s in front for 1-D/2-D).
cdef int adaptive_avg_pool_forward(const real_t* x, real_t* y, const int64_t* in_size,
                                   const int64_t* out_size, int64_t outer, int64_t channels,
                                   int num_threads) noexcept nogil

cdef int adaptive_avg_pool_backward(const real_t* grad_out, real_t* grad_in,
                                    const int64_t* in_size, const int64_t* out_size,
                                    int64_t outer, int64_t channels,
                                    int num_threads) noexcept nogil
