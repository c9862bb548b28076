# OpenMP shim: the same declarations whether or not the extension was built with
# -fopenmp, so kernels compile either way (prange then simply runs serially).
cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define CYPOOL_HAVE_OPENMP 1
    #else
    #define CYPOOL_HAVE_OPENMP 0
    static int omp_get_max_threads(void) { return 1; }
    static int omp_get_thread_num(void) { return 0; }
    #endif
    """
    int CYPOOL_HAVE_OPENMP
    int omp_get_max_threads() noexcept nogil
    int omp_get_thread_num() noexcept nogil
