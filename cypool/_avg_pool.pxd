from cypool._geometry cimport pool_geometry_t
from cypool._typedefs cimport real_t
from libc.stdint cimport int64_t

# Divisor of a window: divisor_override when > 0, else its tap count (taps in the
# padding included when count_include_pad).  Layout as in cypool._max_pool.
cdef int avg_pool_forward(const real_t* x, real_t* y, const pool_geometry_t* g,
                          int64_t outer, int64_t channels, bint count_include_pad,
                          int64_t divisor_override, int num_threads) noexcept nogil

cdef int avg_pool_backward(const real_t* grad_out, real_t* grad_in, const pool_geometry_t* g,
                           int64_t outer, int64_t channels, bint count_include_pad,
                           int64_t divisor_override, int num_threads) noexcept nogil
