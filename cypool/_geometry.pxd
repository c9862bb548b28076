# Window geometry shared by every kernel family: the plain C struct a caller fills,
# the nogil rule that validates it and derives output sizes, and the per-dimension
# tables the kernels walk so that no tap ever needs a bounds branch.
from libc.stdint cimport int64_t

cdef enum:
    # Every kernel works on three spatial dims; 1-D and 2-D pooling put size-1,
    # kernel-1 dims in front, which costs nothing in the loops.
    MAX_SPATIAL_DIMS = 3

ctypedef struct pool_geometry_t:
    int64_t in_size[3]
    int64_t out_size[3]       # filled by geometry_resolve
    int64_t kernel_size[3]
    int64_t stride[3]
    int64_t pad_before[3]     # filled by geometry_resolve when padding is "same"
    int64_t pad_after[3]
    int64_t dilation[3]
    int ceil_mode

# Result codes of geometry_resolve; the failing dimension is stored in *bad_dim.
cdef enum geometry_status:
    GEOMETRY_OK = 0
    GEOMETRY_BAD_INPUT_SIZE = 1
    GEOMETRY_BAD_KERNEL_SIZE = 2
    GEOMETRY_BAD_STRIDE = 3
    GEOMETRY_BAD_DILATION = 4
    GEOMETRY_NEGATIVE_PADDING = 5
    GEOMETRY_EMPTY_OUTPUT = 6
    GEOMETRY_PADDING_ONLY_WINDOW = 7

cdef int geometry_resolve(pool_geometry_t* g, bint same_padding, int* bad_dim) noexcept nogil

# Fill ``g`` from ``ndim`` (1..3) per-dim arrays (size-1, kernel-1 dims go in front)
# and resolve it; bad_dim is counted in the caller's ``ndim`` dims.
cdef int geometry_init(pool_geometry_t* g, int ndim, const int64_t* in_size,
                       const int64_t* kernel_size, const int64_t* stride,
                       const int64_t* pad_before, const int64_t* pad_after,
                       const int64_t* dilation, bint ceil_mode, bint same_padding,
                       int* bad_dim) noexcept nogil

# What a kernel walks: per output position o along dim d, the in-bounds taps of
# its window are the input indices first[d][o] + i * step[d] for i < taps[d][o].
# padded_taps counts the taps inside input + padding (the count_include_pad
# divisor factor).  Regular tables (from a pool_geometry_t) also describe the
# last dim's stride pattern, so that channels-first kernels can sweep a whole
# output row tap by tap in vectorizable loops: tap e of output o reads input
# column o * stride_w - pad_w + e * step[2], which is in bounds exactly for
# run_lo[e] <= o < run_hi[e].  Adaptive tables (PyTorch's bins) have no such
# structure and set regular = 0, unless their bins are equal (in % out == 0,
# more than one output along W): those are plain windows, kernel = stride.
ctypedef struct window_table_t:
    int64_t in_size[3]
    int64_t out_size[3]
    int64_t step[3]
    int64_t* first[3]
    int64_t* taps[3]
    int64_t* padded_taps[3]
    int regular
    int64_t kernel_w
    int64_t stride_w
    int64_t pad_w
    int64_t* run_lo
    int64_t* run_hi
    # Averages divide by the divisor (0) or, like PyTorch's adaptive pooling,
    # by each dim's tap count in turn (1).
    int divide_per_dim
    int64_t* block

cdef int window_table_init(window_table_t* table, const pool_geometry_t* g) noexcept nogil
cdef int window_table_init_adaptive(window_table_t* table, const int64_t* in_size,
                                    const int64_t* out_size) noexcept nogil
cdef void window_table_free(window_table_t* table) noexcept nogil

# The transpose of a window table, for gather-style backward passes: the
# outputs whose windows tap input index x along dim d are
# outputs[d][offsets[d][x] : offsets[d][x + 1]], in increasing order.
ctypedef struct coverage_table_t:
    int64_t* offsets[3]
    int64_t* outputs[3]
    int64_t* block

cdef int coverage_table_init(coverage_table_t* table, const window_table_t* windows) noexcept nogil
cdef void coverage_table_free(coverage_table_t* table) noexcept nogil

cdef class Geometry:
    cdef pool_geometry_t c
    cdef readonly int ndim
    cdef readonly int status     # geometry_status of the validation (0: valid)
    cdef readonly int bad_dim    # the failing spatial dim, counted in the caller's dims
    cdef tuple _trailing(self, const int64_t* values)
