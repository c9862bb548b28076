# Element and index types shared by every kernel module.
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

# Averages are computed in the array's own floating type (as PyTorch does);
# integer input runs in float64 and float16/bfloat16 in float32, converted slab by
# slab in per-thread scratch (cypool/_staging.pxd), never as a whole-array copy.
ctypedef fused real_t:
    float
    double

# Max-type pooling only compares and copies, so it runs natively on every
# numeric type NumPy users hand it (uint8 images above all).
ctypedef fused max_t:
    float
    double
    int8_t
    uint8_t
    int16_t
    uint16_t
    int32_t
    uint32_t
    int64_t
    uint64_t

# Flat indices and every size are 64-bit: planes above 2**31 elements are legal.
ctypedef int64_t index_t
