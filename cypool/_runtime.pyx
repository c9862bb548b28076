"""What the compiled extension knows about its own OpenMP runtime."""
from cypool._openmp cimport CYPOOL_HAVE_OPENMP, omp_get_max_threads


def openmp_enabled():
    """True when the kernels were compiled with OpenMP (``-fopenmp``)."""
    return bool(CYPOOL_HAVE_OPENMP)


def openmp_max_threads():
    """OpenMP's current default team size (honours ``OMP_NUM_THREADS``); 1 when serial."""
    return omp_get_max_threads()
