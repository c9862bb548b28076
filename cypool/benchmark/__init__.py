"""cypool's benchmark suite (not imported by ``import cypool``).

``tour`` is the short table a bare ``cypool`` prints: common calls named by their
shapes, cypool against NumPy and the peers installed.  ``suite`` times every
standard workload against every CPU peer and applies the performance targets;
``peers`` is the standalone program that times JAX and TensorFlow, each in its own
interpreter.  Run the suite as ``cypool bench --full`` or ``python benchmarks/suite.py``.
"""
