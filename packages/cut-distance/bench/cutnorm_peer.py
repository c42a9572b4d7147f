"""Peer for the cut-norm benchmark: cutnorm's published algorithm, re-implemented in numpy.

Written from the description of pingkoc/cutnorm (Alon–Naor augmentation; low-rank SDP solved with the
Wen–Yin feasible method on a product of spheres, "OptManiMulitBallGBB": Barzilai–Borwein steps with the
Zhang–Hager non-monotone line search; rank p = max(min(round(sqrt(2n)/2), 100), 1); 600 iterations;
xtol = gtol = 1e-8, ftol = 1e-10, tau = 1e-3, rho = 1e-4, eta = 0.1, gamma = 0.85, nt = 5; 100 Gaussian
hyperplane roundings). Deviations, both in the peer's favour or neutral:
  * the gradient of the bilinear objective is the exact one (U gets C·V, V gets Cᵀ·U), so non-symmetric
    inputs (bipartite masks) are handled correctly;
  * a rounded value is evaluated as uᵀ(C v) (one mat-vec) instead of sum(C * outer(u, v)).

Usage: python3 cutnorm_peer.py A.npy B.npy seed  ->  JSON on stdout.
A and B are square 0/1 (or real) matrices; C = (A − B) / n², as cutnorm does for equal sizes.
"""
import json
import sys
import time

import numpy as np


def _sphere_terms(x, g):
    """Per-column xᵀg, xᵀx, xᵀx·gᵀg, the projected gradient x·xᵀg − g and its norm."""
    xtg = np.sum(x * g, axis=0)
    xx = np.sum(x * x, axis=0)
    xxgg = xx * np.sum(g * g, axis=0)
    dtx = x * xtg - g
    return xtg, xx, xxgg, dtx, np.linalg.norm(dtx)


def sphere_gbb(x, fun, xtol=1e-8, ftol=1e-10, gtol=1e-8, rho=1e-4, eta=0.1, gamma=0.85, tau=1e-3, nt=5, mxitr=600):
    """Minimise fun over matrices whose columns are unit vectors (Wen & Yin 2013, Algorithm 1 + GBB)."""
    n = x.shape[0]
    x = x / np.sqrt(np.sum(x * x, axis=0))
    f, g = fun(x)
    nfe = 1
    xtg, xx, xxgg, dtx, nrmg = _sphere_terms(x, g)
    q_weight, c_val = 1.0, f
    tau0 = tau
    hist = []
    itr = 0
    for itr in range(mxitr):
        xp, fp, gp, dtxp = x, f, g, dtx
        deriv = rho * nrmg ** 2
        nls = 1
        while True:
            # Curvilinear (Cayley) step on each sphere, in closed form.
            t2 = tau / 2
            beta = 1 + t2 ** 2 * (-xtg ** 2 + xxgg)
            a1 = ((1 + t2 * xtg) ** 2 - t2 ** 2 * xxgg) / beta
            a2 = -tau * xx / beta
            x = xp * a1 + gp * a2
            f, g = fun(x)
            nfe += 1
            if f <= c_val - tau * deriv or nls >= 5:
                break
            tau *= eta
            nls += 1
        xtg, xx, xxgg, dtx, nrmg = _sphere_terms(x, g)
        s = x - xp
        xdiff = np.linalg.norm(s) / np.sqrt(n)
        fdiff = abs(fp - f) / (abs(fp) + 1)
        hist.append((xdiff, fdiff))
        recent = np.mean(np.array(hist[-(nt + 1):]), axis=0)
        if (xdiff < xtol and fdiff < ftol) or nrmg < gtol or (recent[0] < 10 * xtol and recent[1] < 10 * ftol):
            break
        y = dtx - dtxp
        sy = abs(np.sum(s * y))
        tau = tau0
        if sy > 0:
            tau = np.sum(s * s) / sy if itr % 2 == 0 else sy / np.sum(y * y)
            tau = max(min(tau, 1e20), 1e-20)
        q_prev = q_weight
        q_weight = gamma * q_prev + 1
        c_val = (gamma * q_prev * c_val + f) / q_weight
    x = x / np.sqrt(np.sum(x * x, axis=0))
    return x, itr + 1, nfe


def cutnorm_peer(c, rng, rounds=100):
    n = c.shape[0]
    rs = c.sum(axis=1)
    cs = c.sum(axis=0)
    ca = np.empty((n + 1, n + 1))
    ca[:n, :n] = c
    ca[:n, n] = -rs
    ca[n, :n] = -cs
    ca[n, n] = cs.sum()
    p = int(max(min(round(np.sqrt(2 * n) / 2), 100), 1))
    m = n + 1
    cat = np.ascontiguousarray(ca.T)

    def fun(x):
        u = x[:, :m]
        v = x[:, m:]
        gu = 2 * (v @ cat)  # p × m: 2 Σ_j C_ij v_j
        gv = 2 * (u @ ca)   # p × m: 2 Σ_i C_ij u_i
        f = np.sum(gu * u)  # = 2 ⟨C, UᵀV⟩
        return f, np.concatenate([gu, gv], axis=1)

    x0 = rng.standard_normal((p, 2 * m))
    x, iters, nfe = sphere_gbb(x0, fun)
    u = x[:, :m]
    v = x[:, m:]
    sdp = abs(np.sum(u * (v @ cat))) / 4
    best = 0.0
    gauss = rng.standard_normal((rounds, p))
    for k in range(rounds):
        su = np.sign(gauss[k] @ u)
        sv = np.sign(gauss[k] @ v)
        val = abs(su @ (ca @ sv))
        best = max(best, val)
    return best / 4, sdp, iters, nfe, p


def main():
    a = np.load(sys.argv[1]).astype(np.float64)
    b = np.load(sys.argv[2]).astype(np.float64)
    seed = int(sys.argv[3])
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    n = a.shape[0]
    out = []
    for r in range(reps):
        rng = np.random.default_rng(seed + r)
        t = time.perf_counter()
        c = (a - b) / (n * n)
        rounded, sdp, iters, nfe, p = cutnorm_peer(c, rng)
        out.append({"seconds": time.perf_counter() - t, "rounded": rounded, "sdp": sdp, "iterations": iters,
                    "evaluations": nfe, "rank": p})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
