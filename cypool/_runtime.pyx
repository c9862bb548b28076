"""What the compiled extension knows about its own OpenMP runtime."""
from cypool._openmp cimport CYPOOL_HAVE_OPENMP, omp_get_max_threads


def openmp_enabled():
    """True when the kernels were compiled with OpenMP (``-fopenmp``)."""
    return bool(CYPOOL_HAVE_OPENMP)


def openmp_max_threads():
    """OpenMP's current default team size (honours ``OMP_NUM_THREADS``); 1 when serial."""
    return omp_get_max_threads()


cdef extern from *:
    """
    #if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    static int cypool_cpu_has_avx2(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    #else
    static int cypool_cpu_has_avx2(void) { return 0; }
    #endif
    """
    int cypool_cpu_has_avx2() noexcept nogil


def cpu_has_avx2():
    """True when this CPU runs AVX2 (and FMA) code."""
    return bool(cypool_cpu_has_avx2())
