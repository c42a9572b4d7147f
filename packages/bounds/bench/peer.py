#!/usr/bin/env python3
"""numpy peer for bench/run.ts: the same Graphon-NTK Gram + bound on the same inputs, timed in the same run.

Usage: python3 peer.py DIR REPEATS   (DIR holds x.npy, row_cuts.npy, col_cuts.npy, values.npy, y.npy)
Prints one JSON object with median times (seconds) and writes DIR/k_numpy.npy (the 'blocks' variant).

Variants (all float64, same formulas and conventions as graphonNtk, both layers trained, sigma_w^2 = 1):
* blocks:  the natural numpy code, one weighted Gram per row block: S_a = (X * w_a) @ X.T / d, then the
           arc-cosine formulas on full m x m arrays (what a researcher would write; K GEMMs of m x d x m).
* grouped: the algorithm of graphonNtk: inputs with equal profile columns grouped, per row tile the group
           Grams X_g[tile] @ X_g.T, one tensordot with the K x G value matrix, then the arc-cosine formulas.
* bound:   Cholesky (numpy.linalg.cholesky) + two triangular solves (scipy.linalg.solve_triangular),
           lambda_min by numpy.linalg.eigvalsh (values only).
"""
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.linalg import solve_triangular

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "test" / "fixtures" / "bounds"), str(HERE.parents[1] / "bench-utils" / "python")]
from peer_common import threadpool_report  # noqa: E402
from step_cells import cell_averages  # noqa: E402  (the fixtures' reference averaging)


def term(S, nr, nc):
    """Both-layer NTK term for one row node; nr, nc: sqrt of the diagonal for the rows / cols."""
    n = np.outer(nr, nc)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.clip(S / n, -1.0, 1.0)
        theta = np.arccos(c)
        t = (np.pi - theta) * S / np.pi + np.sqrt(np.clip(n * n - S * S, 0, None)) / (2 * np.pi)
    return np.where(n > 0, t, 0.0)


def ntk_blocks(X, om, W):
    m, d = X.shape
    K = np.zeros((m, m))
    for a in range(len(om)):
        S = (X * W[a]) @ X.T / d
        nd = np.sqrt(np.clip(np.diag(S), 0, None))
        t = term(S, nd, nd)
        np.fill_diagonal(t, np.diag(S))  # theta = 0 exactly on the diagonal (as graphonNtk does)
        K += om[a] * t
    return K


def ntk_grouped(X, om, W, tile=62):
    m, d = X.shape
    cols, inverse = np.unique(W.T, axis=0, return_inverse=True)  # G distinct profile columns
    inverse = inverse.ravel()
    keep = np.any(cols != 0, axis=1)
    groups = [np.flatnonzero(inverse == g) for g in range(len(cols)) if keep[g]]
    Wg = cols[keep].T  # K x G
    Xg = [np.ascontiguousarray(X[:, idx]) for idx in groups]
    sq = np.stack([np.sum(x * x, axis=1) for x in Xg])  # G x m
    diag = Wg @ sq / d  # K x m
    norm = np.sqrt(diag)
    K = np.zeros((m, m))
    for i0 in range(0, m, tile):
        i1 = min(m, i0 + tile)
        grams = np.stack([x[i0:i1] @ x[i0:].T for x in Xg])  # G x t x w
        S = np.tensordot(Wg, grams, axes=(1, 0)) / d  # K x t x w
        for a in range(len(om)):
            t = term(S[a], norm[a, i0:i1], norm[a, i0:])
            r = np.arange(i1 - i0)
            t[r, r] = diag[a, i0:i1]  # theta = 0 exactly on the diagonal
            K[i0:i1, i0:] += om[a] * t
    iu = np.triu_indices(m, 1)
    K[(iu[1], iu[0])] = K[iu]
    return K


def bound(K, y, delta=0.05, C=3 / math.sqrt(2)):
    m = len(y)
    L = np.linalg.cholesky(K)
    z = solve_triangular(L, y, lower=True)
    q = float(z @ z)
    lmin = float(np.linalg.eigvalsh(K)[0])
    lead = math.sqrt(2 * q / m)
    conf = C * math.sqrt(max(0.0, math.log(m / (lmin * delta))) / m)
    return {"quadraticForm": q, "leadingTerm": lead, "lambdaMin": lmin, "confidenceTerm": conf, "bound": lead + conf}


def timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, out


def main():
    folder, repeats = sys.argv[1], int(sys.argv[2])
    X = np.load(f"{folder}/x.npy")
    rc, cc, vals, y = (np.load(f"{folder}/{n}.npy") for n in ("row_cuts", "col_cuts", "values", "y"))
    om, W = cell_averages(rc, cc, vals, X.shape[1])
    tb, tbs, Kb = timed(lambda: ntk_blocks(X, om, W), repeats)
    tg, tgs, Kg = timed(lambda: ntk_grouped(X, om, W), repeats)
    tbo, tbos, b = timed(lambda: bound(Kb, y), repeats)
    np.save(f"{folder}/k_numpy.npy", Kb)
    print(json.dumps({
        "numpy": np.__version__,
        "threadpool": threadpool_report(),
        "ntkBlocks": tb, "ntkBlocksRuns": tbs,
        "ntkGrouped": tg, "ntkGroupedRuns": tgs,
        "bound": tbo, "boundRuns": tbos,
        "groupedVsBlocksMaxRelDiff": float(np.max(np.abs(Kg - Kb)) / np.max(np.abs(Kb))),
        "boundValues": b,
    }))


if __name__ == "__main__":
    main()
