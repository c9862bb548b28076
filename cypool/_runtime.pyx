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


cdef bint _ints_only(tuple values):
    """Only ints, None and such tuples: then equal tuples are equal arguments."""
    cdef object item
    for item in values:
        if not (type(item) is int or item is None
                or (type(item) is tuple and _ints_only(<tuple> item))):
            return False
    return True


def plan_key(tuple arguments):
    """The memo key of a plan parser's arguments, ``(arguments, their types)``, or
    None when one is not a plain value (a list, an array, a NumPy scalar) whose
    equality would not mean an equal call.  With the types, 2, 2.0 and True get
    different keys; inside tuples only ints are plain."""
    cdef object value
    cdef type kind
    for value in arguments:
        kind = type(value)
        if not (kind is int or kind is str or kind is bool or kind is float or value is None
                or (kind is tuple and _ints_only(<tuple> value))
                or isinstance(value, cnp.dtype)):
            return None
    return (arguments, tuple([type(value) for value in arguments]))


cdef class MemoizedParser:
    """A plan parser memoized under ``plan_key`` of all its arguments (the parser's
    whole signature: callers pass every argument, positionally).  Compiled because
    a small call spends most of its time finding its plan.  cypool._args wraps
    each parser in one (``memoized_plan``)."""

    cdef readonly object parse
    cdef readonly dict cache
    cdef readonly Py_ssize_t arity
    cdef readonly Py_ssize_t limit
    cdef dict __dict__          # __name__, __doc__, __wrapped__ of the parser

    def __init__(self, parse, Py_ssize_t arity, Py_ssize_t limit):
        self.parse, self.arity, self.limit, self.cache = parse, arity, limit, {}

    def __call__(self, *arguments):
        if len(arguments) != self.arity:
            raise TypeError("%s takes %d arguments, got %d"
                            % (self.parse.__name__, self.arity, len(arguments)))
        key = plan_key(arguments)
        if key is not None:
            plan = self.cache.get(key)
            if plan is not None:
                return plan
        plan = self.parse(*arguments)
        if key is not None:
            if len(self.cache) >= self.limit:
                self.cache.clear()
            self.cache[key] = plan
        return plan


def plain_input(object x):
    """``x`` itself when it is a C-contiguous native array of a float16/32/64 or
    integer dtype (what the kernels take as it is), else None: the common case of
    ``cypool._args.as_input``, compiled because small calls feel every step."""
    if type(x) is not cnp.ndarray:
        return None
    cdef cnp.ndarray array = <cnp.ndarray> x
    if not cnp.PyArray_IS_C_CONTIGUOUS(array) or not cnp.PyArray_ISNOTSWAPPED(array):
        return None
    cdef int number = cnp.PyArray_TYPE(array)
    # The C types' own numbers (NPY_INT64 and friends alias one of them).
    if (number == cnp.NPY_FLOAT16 or number == cnp.NPY_FLOAT or number == cnp.NPY_DOUBLE
            or number == cnp.NPY_BYTE or number == cnp.NPY_UBYTE or number == cnp.NPY_SHORT
            or number == cnp.NPY_USHORT or number == cnp.NPY_INT or number == cnp.NPY_UINT
            or number == cnp.NPY_LONG or number == cnp.NPY_ULONG or number == cnp.NPY_LONGLONG
            or number == cnp.NPY_ULONGLONG):
        return x
    return None
