"""How fast this machine runs right now: the CPU time of a fixed piece of pure Python.

The bench machine's speed drifts (the same 10M additions took 0.45 to 2.4 s of CPU on one day), by
more than most changes measured. pages.py prints this probe before and after its load pass,
bench_coverage.py before it starts: compare passes only at similar probes, or alternate old and new
code in one pass.
"""

import time

# At module level (global names), as `python -c` runs it: the probe docs/benchmarks.md quotes.
LOOP = "total = 0\nfor i in range(10_000_000):\n    total += i\n"


def machine_probe() -> float:
    """CPU seconds for 10M additions in a Python loop (about 1 s on the bench machine at its usual speed)."""
    started = time.process_time()
    exec(LOOP, {})  # a constant
    return time.process_time() - started
