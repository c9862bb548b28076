"""The full benchmark suite; results go to benchmarks/results/ (see cypool/benchmark/suite.py).

python benchmarks/suite.py [--quick] [--only W1 W5] [--threads 1 2]
"""

import os
import sys

from cypool.benchmark import suite

if __name__ == "__main__":
    results = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    defaults = [
        "--output",
        os.path.join(results, "suite.md"),
        "--plot",
        os.path.join(results, "suite.png"),
    ]
    suite.main(defaults + sys.argv[1:])
