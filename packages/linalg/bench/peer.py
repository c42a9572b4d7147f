"""numpy / scipy side of the linalg benchmarks: runs the same tasks on the same inputs (.npy files written
by run.ts) and prints one JSON object {task: {"median_ms": ..., "runs": [...], ...}, "numpy": version,
"threadpool": threadpoolctl's report of the BLAS kernel} on stdout.

Usage: python3 peer.py tasks.json
"""
import json
import sys
from pathlib import Path

import numpy as np
import scipy.linalg
import scipy.sparse.linalg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench-utils" / "python"))
from peer_common import threadpool_report, timed  # noqa: E402  (the warm-up rule of run.ts)


def mlp_step(x, ws):
    """Forward and backward of sum(out²)/2 through relu layers (no relu after the last), by hand."""
    hs = [x]
    pre = []
    h = x
    for i, w in enumerate(ws):
        z = h @ w
        pre.append(z)
        h = np.maximum(z, 0) if i < len(ws) - 1 else z
        hs.append(h)
    dh = hs[-1]  # d/d out of sum(out²)/2
    grads = [None] * len(ws)
    for i in range(len(ws) - 1, -1, -1):
        dz = dh if i == len(ws) - 1 else dh * (pre[i] > 0)
        grads[i] = hs[i].T @ dz
        if i > 0:
            dh = dz @ ws[i].T
    return grads


def main():
    tasks = json.load(open(sys.argv[1]))
    out = {}
    for task in tasks:
        name, kind, reps = task["name"], task["kind"], task["reps"]
        if kind == "gemm":
            m, k, n = task["m"], task["k"], task["n"]
            a = np.load(task["a"]).reshape((k, m) if task["transA"] else (m, k))
            b = np.load(task["b"]).reshape((n, k) if task["transB"] else (k, n))
            a_op = a.T if task["transA"] else a
            b_op = b.T if task["transB"] else b
            out[name] = timed(lambda: a_op @ b_op, reps)
        elif kind == "mlp":
            x = np.load(task["x"])
            ws = [np.load(p) for p in task["ws"]]
            out[name] = timed(lambda: mlp_step(x, ws), reps)
        elif kind == "eigh":
            a = np.load(task["a"])
            out[name] = timed(lambda: np.linalg.eigh(a), reps)
        elif kind == "cholesky":
            a = np.load(task["a"])
            out[name] = timed(lambda: np.linalg.cholesky(a), reps)
        elif kind in ("svds", "svds-mask"):
            if kind == "svds":
                a = np.load(task["a"])
                matrix = a
            else:
                # Bit-packed 0/1 mask (little bit order, as BitMatrix words), as a float64 CSR matrix.
                n = task["n"]
                a = np.unpackbits(np.load(task["a"]), axis=1, bitorder="little")[:, :n].astype(np.float64)
                matrix = scipy.sparse.csr_matrix(a)
            k = task["k"]
            result = {}
            count = {"matvecs": 0}

            def mv(x):
                count["matvecs"] += 1 if x.ndim == 1 else x.shape[1]
                return matrix @ x

            def rmv(x):
                count["matvecs"] += 1 if x.ndim == 1 else x.shape[1]
                return matrix.T @ x

            # The same products as svds(matrix) does, counted (the Python wrapper costs µs per call).
            counted = scipy.sparse.linalg.LinearOperator(
                matrix.shape, matvec=mv, rmatvec=rmv, matmat=mv, rmatmat=rmv, dtype=np.float64
            )

            def run():
                count["matvecs"] = 0
                result["usv"] = scipy.sparse.linalg.svds(counted, k=k, random_state=0)

            out[name] = timed(run, reps)
            u, s, vt = result["usv"]
            order = np.argsort(s)[::-1]
            s = s[order]
            u = u[:, order]
            vt = vt[order]
            res = np.linalg.norm(a @ vt.T - u * s, axis=0).max()
            out[name]["values"] = s.tolist()
            res_t = np.linalg.norm(a.T @ u - vt.T * s, axis=0).max()
            out[name]["max_residual"] = float(max(res, res_t))
            out[name]["matvecs"] = count["matvecs"]
        else:
            raise ValueError(kind)
        print(f"peer {name}: {out[name]['median_ms']:.1f} ms", file=sys.stderr)
    out["numpy"] = np.__version__
    out["threadpool"] = threadpool_report()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
