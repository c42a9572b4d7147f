"""numpy peer of the saliency benchmarks: the same arithmetic in float32 on the same inputs.

Usage: python3 peer.py <dir> <case> <reps>. Reads <dir>/<case>.{W0,b0,W1,...,x,y}.npy, runs SNIP (forward +
backward + |W*G|), GraSP (forward, backward, R-forward, R-backward with T=200, W*Hg) and one SynFlow pass
(|W| products and outer products), prints JSON {snip, grasp, synflow: median ms} and a checksum of each
score so the TypeScript side can confirm both computed the same thing.
"""
import json
import sys
import time

import numpy as np


def main():
    d, case, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    L = 0
    while True:
        try:
            np.load(f'{d}/{case}.W{L}.npy')
            L += 1
        except FileNotFoundError:
            break
    W = [np.load(f'{d}/{case}.W{l}.npy') for l in range(L)]
    b = [np.load(f'{d}/{case}.b{l}.npy') for l in range(L)]
    x = np.load(f'{d}/{case}.x.npy')
    y = np.load(f'{d}/{case}.y.npy')
    m = x.shape[0]
    K = W[-1].shape[0]
    Y = np.zeros((m, K), np.float32)
    Y[np.arange(m), y] = 1

    def forward():
        a, z = [x], []
        for l in range(L):
            zl = a[-1] @ W[l].T + b[l]
            z.append(zl)
            a.append(np.maximum(zl, 0) if l < L - 1 else zl)
        return z, a

    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def backward(z, a, delta):
        G, deltas, slopes = [None] * L, [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            deltas[l] = delta
            G[l] = delta.T @ a[l]
            if l > 0:
                slopes[l - 1] = (z[l - 1] > 0).astype(np.float32)
                delta = (delta @ W[l]) * slopes[l - 1]
        return G, deltas, slopes

    def snip():
        z, a = forward()
        G, _, _ = backward(z, a, (softmax(z[-1]) - Y) / m)
        return [np.abs(W[l] * G[l]) for l in range(L)]

    def grasp(T=200.0):
        z, a = forward()
        p = softmax(z[-1] / T)
        G, deltas, slopes = backward(z, a, (p - Y) / (m * T))
        V = G
        rz, ra = [None] * L, None
        for l in range(L):
            r = a[l] @ V[l].T
            if ra is not None:
                r += ra @ W[l].T
            rz[l] = r
            ra = slopes[l] * r if l < L - 1 else None
        pz = p * rz[-1]
        rdelta = (pz - p * pz.sum(axis=1, keepdims=True)) / (m * T * T)
        Hg = [None] * L
        for l in range(L - 1, -1, -1):
            h = rdelta.T @ a[l]
            if l > 0:
                h += deltas[l].T @ (slopes[l - 1] * rz[l - 1])
                rdelta = (rdelta @ W[l] + deltas[l] @ V[l]) * slopes[l - 1]
            Hg[l] = h
        return [W[l] * Hg[l] for l in range(L)]

    def synflow():
        A = [np.abs(w) for w in W]
        rho = [np.ones(W[0].shape[1], np.float32)]
        for l in range(L - 1):
            rho.append(A[l] @ rho[-1])
        lam = [None] * L
        lam[-1] = np.ones(K, np.float32)
        for l in range(L - 1, 0, -1):
            lam[l - 1] = lam[l] @ A[l]
        return [A[l] * np.outer(lam[l], rho[l]) for l in range(L)]

    out = {}
    for name, fn in (('snip', snip), ('grasp', grasp), ('synflow', synflow)):
        fn()
        runs = []
        for _ in range(reps):
            t = time.perf_counter()
            s = fn()
            runs.append((time.perf_counter() - t) * 1000)
        out[name] = {'median_ms': float(np.median(runs)), 'checksum': [float(np.abs(v).astype(np.float64).sum()) for v in s]}
    print(json.dumps(out))


main()
