"""What the compiled extension knows about its own OpenMP runtime and CPU, and
one memory test the façade's fast path needs."""
cimport numpy as cnp
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
    static int cypool_cpu_runs(int variant) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                   && __builtin_cpu_supports("f16c");
        if (variant == 1) return avx2;
        return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
               && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    }
    #else
    static int cypool_cpu_runs(int variant) { return 0; }
    #endif
    """
    int cypool_cpu_runs(int variant) noexcept nogil


def cpu_runs(str variant):
    """Whether this CPU runs the instructions of kernel variant ``variant``
    ("baseline", "avx2": AVX2 + FMA + F16C, "avx512": that and AVX-512 F/BW/VL/DQ)."""
    if variant == "baseline":
        return True
    return bool(cypool_cpu_runs({"avx2": 1, "avx512": 2}[variant]))


cnp.import_array()


def contiguous_overlap(cnp.ndarray a, cnp.ndarray b):
    """Whether two C-contiguous arrays' memory ranges intersect (what
    ``np.may_share_memory`` decides for them, at a tenth of its cost)."""
    cdef char* a_start = <char*> cnp.PyArray_DATA(a)
    cdef char* b_start = <char*> cnp.PyArray_DATA(b)
    return (cnp.PyArray_NBYTES(a) > 0 and cnp.PyArray_NBYTES(b) > 0
            and a_start < b_start + cnp.PyArray_NBYTES(b)
            and b_start < a_start + cnp.PyArray_NBYTES(a))
