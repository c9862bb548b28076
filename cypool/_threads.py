"""How many OpenMP threads a kernel call uses.

Resolution order: the call's ``num_threads=``, then the innermost
``with cypool.num_threads(n):`` block of the current context (a ContextVar, so
concurrent Python threads and asyncio tasks do not see each other's setting), then
``cypool.set_num_threads(n)`` (process-wide), then OpenMP's default, which honours
``OMP_NUM_THREADS`` and ``threadpoolctl``.  The result is capped at the number of
work units so that tiny calls do not wake idle threads.  The count is passed to each
``prange`` explicitly; ``omp_set_num_threads`` is never called.
"""

import contextlib
import contextvars

from cypool import _args
from cypool._runtime import openmp_enabled, openmp_max_threads

_context_threads = contextvars.ContextVar("cypool_num_threads", default=None)
_process_threads = None


def _validate(value, name="num_threads"):
    n = _args.as_int(name, value)
    if n < 1:
        raise ValueError("%s must be >= 1, got %r" % (name, value))
    return n


def set_num_threads(n):
    """Set the process-wide default number of threads for cypool's kernels.

    Parameters
    ----------
    n : int or None
        Threads to use (>= 1); None restores OpenMP's default.

    Examples
    --------
    >>> import cypool
    >>> cypool.set_num_threads(1)
    >>> cypool.get_num_threads()
    1
    >>> cypool.set_num_threads(None)
    """
    global _process_threads
    _process_threads = None if n is None else _validate(n, "n")


def get_num_threads():
    """Number of threads the next kernel call will use at most.

    Examples
    --------
    >>> import cypool
    >>> with cypool.num_threads(2):
    ...     cypool.get_num_threads()
    2
    """
    n = _context_threads.get()
    if n is None:
        n = _process_threads
    if n is None:
        n = openmp_max_threads()
    return n


def explicit_num_threads():
    """The count set through cypool (context block, then process-wide), or None.

    ``cypool.torch`` uses it to defer to ``torch.get_num_threads()`` unless the
    user chose cypool's own count.
    """
    n = _context_threads.get()
    return _process_threads if n is None else n


@contextlib.contextmanager
def num_threads(n):
    """Context manager: use ``n`` threads inside the block (this context only).

    Parameters
    ----------
    n : int
        Threads for cypool's calls in the block (>= 1); an explicit ``num_threads=``
        argument still wins.

    Examples
    --------
    >>> import numpy as np, cypool
    >>> with cypool.num_threads(1):
    ...     y = cypool.max_pool2d(np.ones((1, 4, 4)), 2)
    """
    token = _context_threads.set(_validate(n, "n"))
    try:
        yield n
    finally:
        _context_threads.reset(token)


_OPENMP = openmp_enabled()


def resolve(num_threads, work_units):
    """Threads for one kernel call with ``work_units`` independent parallel units."""
    if num_threads is None:
        n = get_num_threads()
    elif type(num_threads) is int and num_threads >= 1:
        n = num_threads  # the common case, without _validate's generic checks
    else:
        n = _validate(num_threads)
    if not _OPENMP or work_units <= 1:
        return 1
    return n if n < work_units else work_units
