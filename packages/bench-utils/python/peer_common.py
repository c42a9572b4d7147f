"""What the numpy peers of the graphon-pai benchmarks share: timing with the warm-up rule of the TypeScript
side, and the BLAS kernels threadpoolctl reports (recorded with every peer result, so a ratio names the
kernel it was measured against).

A peer in packages/<name>/bench/ imports it from its own location:

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench-utils" / "python"))
    from peer_common import threadpool_report, timed
"""
import time

import numpy as np

WARMUP_S = 1.0


def timed(fn, reps, warmup=True):
    """Times `reps` calls of `fn` in milliseconds: {"median_ms", "runs"}.

    With `warmup`, first calls `fn` at least once and for at least WARMUP_S seconds (the rule of the
    TypeScript benchmarks), so both sides are measured warm.
    """
    if warmup:
        start = time.perf_counter()
        fn()
        while time.perf_counter() - start < WARMUP_S:
            fn()
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1e3)
    return {"median_ms": float(np.median(runs)), "runs": runs}


def threadpool_report():
    """threadpoolctl's threadpool_info() (BLAS library, kernel architecture, threads), or why it is missing."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed (pip install threadpoolctl)"
    return threadpool_info()
