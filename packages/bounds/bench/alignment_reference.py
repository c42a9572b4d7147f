#!/usr/bin/env python3
"""numpy float64 reference for bench/alignment-vs-bound.ts.

Usage: python3 alignment_reference.py DIR [both|hidden]   (DIR holds x.npy (m x d), y.npy (m,), w.npy (d,): a column-only
graphon profile). Writes DIR/k.npy (the Graphon-NTK, sigma_w^2 = 1, both layers or the hidden term only) and prints JSON with
y^T K^{-1} y (numpy.linalg.solve) and the alignment y^T K y / (||K||_F ||y||^2).

Independent of the TypeScript code: the kernel is written from the Graphon-NTK formulas (docs: concepts/graphon-ntk) directly,
Sigma = (X * w) @ X.T / d, theta = arccos(Sigma / sqrt(diag diag^T)),
K = (pi - theta)/(2 pi) * Sigma + sqrt(diag diag^T) (sin theta + (pi - theta) cos theta) / (2 pi).
"""
import json
import sys

import numpy as np

d_ir = sys.argv[1]
X = np.load(f"{d_ir}/x.npy")
y = np.load(f"{d_ir}/y.npy")
w = np.load(f"{d_ir}/w.npy")
m, d = X.shape
S = (X * w) @ X.T / d
n = np.sqrt(np.outer(np.diag(S), np.diag(S)))
c = np.clip(S / n, -1.0, 1.0)
np.fill_diagonal(c, 1.0)
t = np.arccos(c)
K = (np.pi - t) / (2 * np.pi) * S
if (sys.argv[2] if len(sys.argv) > 2 else 'both') == 'both':
    K = K + n * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi)
np.save(f"{d_ir}/k.npy", K)
q = float(y @ np.linalg.solve(K, y))
a = float(y @ K @ y / (np.linalg.norm(K) * (y @ y)))
print(json.dumps({"quadraticForm": q, "alignment": a}))
