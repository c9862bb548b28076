"""The table behind ``cypool._c_api``: the capsule C and C++ extensions bind with
``import_cypool()`` (cypool/cypool_api.h).

Its kernels are those of the variant ``cypool._variants`` loaded, so C callers run
what the Python functions run.
"""
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_New
from libc.stdint cimport int64_t, uint32_t
from libc.string cimport memcpy

from cypool._geometry cimport geometry_init, pool_geometry_t


cdef extern from "cypool/cypool_api.h":
    """#define CYPOOL_API_TABLE_ONLY"""
    int CYPOOL_ABI_VERSION
    int CYPOOL_API_VERSION
    int CYPOOL_MAX_TYPES
    int CYPOOL_AVG_TYPES
    ctypedef struct cypool_geometry:
        pass
    ctypedef int (*cypool_geometry_init_fn)(
        cypool_geometry*, int, const int64_t*, const int64_t*, const int64_t*, const int64_t*,
        const int64_t*, const int64_t*, int, int, int*) noexcept nogil
    ctypedef struct cypool_c_api:
        uint32_t abi_version
        uint32_t api_version
        uint32_t geometry_size
        const char* kernel_set
        cypool_geometry_init_fn geometry_init
        void* max_pool_forward[10]
        void* max_pool_backward[10]
        void* avg_pool_forward[2]
        void* avg_pool_backward[2]

from cypool import _variants

cdef cypool_c_api _table
cdef bytes _kernel_set = _variants.KERNEL_SET.encode()


cdef void _fill_table() except *:
    cdef void** max_entries = <void**> PyCapsule_GetPointer(
        _variants.max_kernels.c_entry_points(), b"cypool.max_pool_entry_points")
    cdef void** avg_entries = <void**> PyCapsule_GetPointer(
        _variants.avg_kernels.c_entry_points(), b"cypool.avg_pool_entry_points")
    if sizeof(cypool_geometry) != sizeof(pool_geometry_t):
        raise ImportError("cypool_api.h's cypool_geometry does not match pool_geometry_t")
    _table.abi_version = CYPOOL_ABI_VERSION
    _table.api_version = CYPOOL_API_VERSION
    _table.geometry_size = sizeof(cypool_geometry)
    _table.kernel_set = _kernel_set
    _table.geometry_init = <cypool_geometry_init_fn> geometry_init
    memcpy(_table.max_pool_forward, max_entries, CYPOOL_MAX_TYPES * sizeof(void*))
    memcpy(_table.max_pool_backward, max_entries + CYPOOL_MAX_TYPES,
           CYPOOL_MAX_TYPES * sizeof(void*))
    memcpy(_table.avg_pool_forward, avg_entries, CYPOOL_AVG_TYPES * sizeof(void*))
    memcpy(_table.avg_pool_backward, avg_entries + CYPOOL_AVG_TYPES,
           CYPOOL_AVG_TYPES * sizeof(void*))


_fill_table()

#: The capsule ``import_cypool()`` reads (also published as ``cypool._c_api``).
capsule = PyCapsule_New(<void*> &_table, b"cypool._c_api", NULL)
abi_version = CYPOOL_ABI_VERSION
api_version = CYPOOL_API_VERSION
