"""cypool.torch vs torch.nn.functional (see cypool/benchmark/torch_ops.py).

python benchmarks/torch_bench.py [--quick] [--threads 1 2] [--no-model]
"""

import os
import sys

from cypool.benchmark import torch_ops

if __name__ == "__main__":
    results = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    torch_ops.main(["--output", os.path.join(results, "torch_bench.md")] + sys.argv[1:])
