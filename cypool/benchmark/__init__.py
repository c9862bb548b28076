"""cypool's benchmark suite (not imported by ``import cypool``).

``suite`` times every standard workload against every CPU peer and applies the
performance targets; ``peers`` is the standalone program that times JAX and
TensorFlow, each in its own interpreter.  Run it as ``cypool bench --full`` or
``python benchmarks/suite.py``.
"""
