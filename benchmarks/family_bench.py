"""The second-round functions against their peers: ``python benchmarks/family_bench.py``
(see ``cypool/benchmark/family.py``; ``--quick``, ``--threads``, ``--output``)."""

import sys

from cypool.benchmark.family import main

if __name__ == "__main__":
    sys.exit(main())
