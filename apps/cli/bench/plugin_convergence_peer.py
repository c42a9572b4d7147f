"""Independent numpy check of the block-metric convergence rates (no graphon-pai code).

1. Random masks n x 784 at density p against (a) the exact block limit (rows: block means of the descending
   quantile function of Binomial(784, p)/784; columns: constant) and (b) a random reference mask of N_ref rows,
   as the TypeScript science check does. If the rate is n^(-1/2), (a) gives slope -0.5; (b) is steeper when the
   distance is dominated by the order-statistic bias of degree sorting that the finite reference shares
   (delta ~ c (n^(-1/2) - N_ref^(-1/2))).
2. SNIP masks of a 784 -> n -> 10 ReLU network (Kaiming normal, zero biases) on Gaussian inputs with labels
   of a linear teacher, against the plug-in limit (N_ref fresh neurons scored with the same output signal)
   at two reference widths.

block metric: canonical 16 x 16 histogram (rows and columns sorted by degree, descending, stable; equal blocks),
exact cut norm of the difference by enumerating the 2^16 row subsets.

Usage: python3 bench/plugin_convergence_peer.py [--seeds 3] [--out file.json]
"""
import argparse
import itertools
import json
import math

import numpy as np
from scipy.stats import binom

K = L = 16
P = 0.1
D = 784


def canonical(mask):
    rows = np.argsort(-mask.sum(1), kind="stable")
    cols = np.argsort(-mask.sum(0), kind="stable")
    m = mask[rows][:, cols].astype(np.float64)
    n, d = m.shape
    return m.reshape(K, n // K, L, d // L).mean(axis=(1, 3))


SUBSETS = np.array(list(itertools.product([0, 1], repeat=K)), dtype=np.float64)  # 2^16 x 16


def cut_norm(diff):
    c = SUBSETS @ diff  # 2^16 x L partial column sums
    best = max(np.clip(c, 0, None).sum(1).max(), np.clip(-c, 0, None).sum(1).max())
    return best / (K * L)


def ols(x, y):
    x = np.log(np.asarray(x, float))
    y = np.log(np.asarray(y, float))
    xm, ym = x.mean(), y.mean()
    sxx = ((x - xm) ** 2).sum()
    b = ((x - xm) * (y - ym)).sum() / sxx
    rss = ((y - ym - b * (x - xm)) ** 2).sum()
    return b, math.sqrt(rss / (len(x) - 2) / sxx)


def random_mask(rng, n):
    k = round(P * n * D)
    flat = np.zeros(n * D, dtype=bool)
    flat[rng.choice(n * D, k, replace=False)] = True
    return flat.reshape(n, D)


def random_limit():
    u = (np.arange(1_000_000) + 0.5) / 1_000_000
    q = binom.ppf(1 - u, D, P) / D  # descending quantile function of the row degree
    rows = q.reshape(K, -1).mean(1)
    return np.repeat(rows[:, None], L, axis=1)


def snip_setup(seed, B=512, classes=10):
    rng = np.random.default_rng(1000)
    x = rng.standard_normal((B, D)) * (rng.random(D) < 0.8)  # 20 % dead inputs, like MNIST borders
    teacher = rng.standard_normal((D, classes))
    y = np.argmax(x @ teacher, 1)
    return x.astype(np.float64), np.eye(classes)[y]


def snip_signal(x, y, W, A):
    h = np.maximum(x @ W.T, 0)
    f = h @ A.T
    p = np.exp(f - f.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    return (p - y) / x.shape[0]  # dL/df of the mean cross-entropy


def snip_scores(x, r, W, A):
    z = x @ W.T  # B x n
    c = (r @ A) * (z > 0)  # B x n
    return np.abs(W * (c.T @ x))


def top_mask(scores, k):
    flat = scores.ravel()
    idx = np.argpartition(-flat, k - 1)[:k]
    m = np.zeros(flat.size, dtype=bool)
    m[idx] = True
    return m.reshape(scores.shape)


def plugin_histogram(x, r, n_ref, classes, rng, chunk=4096):
    # Exact top-k over n_ref fresh neurons; scores are held (fine at these sizes in float32).
    scores = np.empty((n_ref, D), dtype=np.float32)
    for s in range(0, n_ref, chunk):
        c = min(chunk, n_ref - s)
        W = rng.standard_normal((c, D)) * math.sqrt(2 / D)
        A = rng.standard_normal((classes, c))
        scores[s : s + c] = snip_scores(x, r, W, A)
    return canonical(top_mask(scores, round(P * n_ref * D)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    widths = [256, 512, 1024, 2048, 4096]
    out = {"widths": widths}
    # 1. random
    exact = random_limit()
    rng = np.random.default_rng(7)
    n_ref = 32768
    ref = canonical(random_mask(rng, n_ref))
    xs, to_exact, to_ref = [], [], []
    for seed in range(a.seeds):
        rng = np.random.default_rng(seed)
        for n in widths:
            h = canonical(random_mask(rng, n))
            xs.append(n)
            to_exact.append(cut_norm(h - exact))
            to_ref.append(cut_norm(h - ref))
    out["random"] = {
        "to_exact_limit": {"slope_se": ols(xs, to_exact), "values": to_exact},
        "to_reference_32768": {"slope_se": ols(xs, to_ref), "values": to_ref},
        "reference_to_exact": cut_norm(ref - exact),
    }
    print("random: slope to exact limit %.3f +- %.3f; to N_ref=32768 mask %.3f +- %.3f" % (*ols(xs, to_exact), *ols(xs, to_ref)))
    # 2. SNIP, standard parametrisation (output does not vanish), per seed and width its own signal.
    x, y = snip_setup(0)
    res = {32768: [], 131072: []}
    xs = []
    for seed in range(a.seeds):
        for n in widths:
            rng = np.random.default_rng(100 + seed * 97 + n)
            W = rng.standard_normal((n, D)) * math.sqrt(2 / D)
            A = rng.standard_normal((10, n)) * math.sqrt(2 / n)
            r = snip_signal(x, y, W, A)
            h = canonical(top_mask(snip_scores(x, r, W, A), round(P * n * D)))
            xs.append(n)
            for n_ref in res:
                # The readout scale does not change SNIP's ranking; fresh readouts N(0, 1).
                res[n_ref].append(cut_norm(h - plugin_histogram(x, r, n_ref, 10, np.random.default_rng(5 + seed))))
    out["snip"] = {str(k): {"slope_se": ols(xs, v), "values": v} for k, v in res.items()}
    for k, v in res.items():
        print("snip: slope to plug-in N_ref=%d: %.3f +- %.3f" % (k, *ols(xs, v)))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
