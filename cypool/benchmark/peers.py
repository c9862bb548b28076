"""Time JAX (XLA CPU) and TensorFlow pooling in a process of their own.

Standalone on purpose: it imports NumPy and one framework, never cypool, so it
can run in any interpreter that has that framework (``CYPOOL_BENCH_JAX_PYTHON``,
``CYPOOL_BENCH_TF_PYTHON``; default the suite's own).  Their thread pools would
disturb other frameworks' timings in one process, so the suite starts one
process per framework, restricted to one intra-op thread:

    python peers.py jax|tensorflow cases.json result.json

Each case gives a workload's family, shape (channels-first), window, operation,
layout and dtype; the input is regenerated from the suite's seed, so every peer
pools the same numbers.  The result maps each case's key to (median, minimum)
seconds, or to null where the framework has no such operation.
"""

import json
import os
import statistics
import sys
import time

import numpy as np


def measure(function, repeat, min_time=0.2):
    """(median, minimum) seconds per call; tiny calls are batched to ~1 ms, and
    calls over half a second (a peer's large-window filter) are sampled 3 times."""
    function()
    start = time.perf_counter()
    function()
    once = time.perf_counter() - start
    if once > 0.5:
        repeat = min(repeat, 3)
    batch = max(1, int(1e-3 / max(once, 1e-9)))
    samples = []
    spent = 0.0
    while len(samples) < repeat or (spent < min_time and len(samples) < 5 * repeat):
        start = time.perf_counter()
        for _ in range(batch):
            function()
        elapsed = time.perf_counter() - start
        samples.append(elapsed / batch)
        spent += elapsed
    return statistics.median(samples), min(samples)


def make_input(shape, dtype, layout):
    """The suite's input: seed 0 normal floats (or small integers), channels-first
    shape, moved to channels-last for "CL"."""
    rng = np.random.default_rng(0)
    if np.dtype(dtype).kind == "f":
        x = rng.standard_normal(shape).astype(dtype)
    else:
        x = rng.integers(0, 100, size=shape).astype(dtype)
    return np.ascontiguousarray(np.moveaxis(x, 1, -1)) if layout == "CL" else x


def _window(case):
    """Per-array window, strides and (low, high) pads in the case's layout."""
    nd = len(case["shape"]) - 2
    w = case["window"]
    k, s, p = w.get("kernel_size", 1), w.get("stride", w.get("kernel_size", 1)), w.get("padding", 0)
    if case["family"] == "adaptive_avg":  # 14 -> 7: equal bins, a plain k = s window
        k = s = case["shape"][-1] // w["output_size"]
    dims = [1, 1] + [k] * nd if case["layout"] == "CF" else [1] + [k] * nd + [1]
    strides = [1, 1] + [s] * nd if case["layout"] == "CF" else [1] + [s] * nd + [1]
    pads = (
        [(0, 0)] * 2 + [(p, p)] * nd
        if case["layout"] == "CF"
        else [(0, 0)] + [(p, p)] * nd + [(0, 0)]
    )
    return dims, strides, pads


def jax_calls(case, x):
    import jax
    import jax.numpy as jnp
    from jax import lax

    family, op = case["family"], case["op"]
    if op == "forward+indices":
        return None  # XLA has no argmax pooling
    xj = jax.device_put(x)
    nd = len(case["shape"]) - 2
    axes = tuple(range(2, 2 + nd)) if case["layout"] == "CF" else tuple(range(1, 1 + nd))
    if family == "global_avg":
        pool = jax.jit(lambda a: jnp.mean(a, axis=axes))
    else:
        dims, strides, pads = _window(case)
        if family == "max":

            def pool(a):
                return lax.reduce_window(a, -jnp.inf, lax.max, dims, strides, pads)
        elif family == "lp":

            def pool(a):
                return jnp.sqrt(lax.reduce_window(a * a, 0.0, lax.add, dims, strides, pads))
        elif case["window"].get("count_include_pad", True):
            count = float(np.prod(dims))

            def pool(a):
                return lax.reduce_window(a, 0.0, lax.add, dims, strides, pads) / count
        else:  # divide by the window's in-bounds elements
            # Counted once, outside the jitted function, and passed to it: a count
            # traced from constants, XLA constant-folds in its interpreter (about
            # 40 s for a 256x256 image at k15, most of an hour at 2048x2048).
            ones = jnp.ones(x.shape, x.dtype)
            counts = lax.reduce_window(ones, 0.0, lax.add, dims, strides, pads)
            divided = jax.jit(
                lambda a, c: lax.reduce_window(a, 0.0, lax.add, dims, strides, pads) / c
            )

            def pool(a):  # already jitted inside
                return divided(a, counts)

        if family != "avg" or case["window"].get("count_include_pad", True):
            pool = jax.jit(pool)
    if op == "forward":
        return lambda: pool(xj).block_until_ready()
    y = pool(xj)
    _, vjp = jax.vjp(pool, xj)
    # The vjp function is a pytree: passed as an argument, its residuals stay
    # arguments (closed over, XLA would constant-fold a 100 MB input for minutes).
    backward = jax.jit(lambda f, g: f(g)[0])
    g = jnp.ones_like(y)
    return lambda: backward(vjp, g).block_until_ready()


def tf_calls(case, x):
    import tensorflow as tf

    family, op, nd = case["family"], case["op"], len(case["shape"]) - 2
    if case["layout"] != "CL":
        return None  # TensorFlow's CPU pooling kernels take channels-last only
    xt = tf.constant(x)
    w = case["window"]
    if family == "global_avg":

        def pool(a):
            return tf.reduce_mean(a, axis=list(range(1, 1 + nd)))
    else:
        k, s = w.get("kernel_size", 1), w.get("stride", w.get("kernel_size", 1))
        if family == "adaptive_avg":
            k = s = case["shape"][-1] // w["output_size"]
        # TF pads "SAME" (ceil(in / s) outputs): the same output size as these
        # workloads' symmetric padding, with the odd pad at the end.
        padding = "SAME" if w.get("padding", 0) else "VALID"
        if family == "max" and op == "forward+indices":
            if nd != 2:
                return None
            return lambda: tf.nn.max_pool_with_argmax(xt, k, s, padding)
        if family == "max":

            def pool(a):
                return tf.nn.max_pool(a, k, s, padding)
        elif family == "lp":

            def pool(a):
                return tf.sqrt(tf.nn.avg_pool(a * a, k, s, padding) * float(k**nd))
        else:

            def pool(a):
                return tf.nn.avg_pool(a, k, s, padding)

    if op == "forward":
        fn = tf.function(pool)
        return lambda: fn(xt).numpy()
    # The backward alone, as the other peers' rows time it: TensorFlow's 2-D
    # gradient ops (a tape would time the forward pass too).
    if nd != 2 or family not in ("max", "avg"):
        return None
    y = pool(xt)
    g = tf.ones_like(y)
    ksize, strides = [1, k, k, 1], [1, s, s, 1]
    if family == "max":
        grad = tf.function(
            lambda: tf.raw_ops.MaxPoolGrad(
                orig_input=xt, orig_output=y, grad=g, ksize=ksize, strides=strides, padding=padding
            )
        )
    else:
        shape = tf.constant(x.shape, tf.int32)
        grad = tf.function(
            lambda: tf.raw_ops.AvgPoolGrad(
                orig_input_shape=shape, grad=g, ksize=ksize, strides=strides, padding=padding
            )
        )
    return lambda: grad().numpy()


def main(argv):
    framework, cases_path, result_path = argv
    if hasattr(os, "sched_setaffinity"):
        # One core: whatever threads the framework starts, it computes on one.
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if framework == "jax":
        os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")
        import jax

        jax.config.update("jax_enable_x64", True)
        version = jax.__version__
        calls = jax_calls
    else:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        version = tf.__version__
        calls = tf_calls
    with open(cases_path) as f:
        cases = json.load(f)
    times = {}
    for case in cases:
        x = make_input(tuple(case["shape"]), case["dtype"], case["layout"])
        try:
            call = calls(case, x)
            times[case["key"]] = None if call is None else measure(call, case["repeat"])
        except Exception as error:  # an operation or dtype the framework lacks
            print(
                "%s: %s: %s" % (framework, case["key"], str(error).splitlines()[0]), file=sys.stderr
            )
            times[case["key"]] = None
    with open(result_path, "w") as f:
        json.dump({"version": version, "times": times}, f)


if __name__ == "__main__":
    main(sys.argv[1:])
