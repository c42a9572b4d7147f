"""numpy / scipy side of the graphon benchmarks (run by bench/run.ts on the same inputs).

gen  <path> <rows> <cols> <density> <seed>: writes a bit-packed mask (uint8, little bit order, rows x cols/8) as .npy
hist <path> <rows> <cols> <K> <L> <reps>:   canonical K x L histogram (stable descending argsort of degrees,
                                            reorder, block means) on the dense uint8 array; prints JSON timings
svds <path> <rows> <cols> <k> <reps>:       scipy.sparse.linalg.svds(csr, k) on the same matrix
gen-scores <path> <rows> <cols> <seed>:     FSM scores A_j B_i xi_ji as float32 .npy (log-normal A and xi,
                                            half-normal B with every 7th input a zero column, 5 % exact zeros)
fit <path> <rows> <cols> <reps>:            the same two-way least-squares fit of log|s| on the non-zero pattern as
                                            fitFsm (alternating exact means, tolerance 1e-10, at most 200 sweeps;
                                            vectorised mat-vecs with the 0/1 pattern), factors and noise sample
limit <profile> <resolution> <law> <p> <reps>: the FSM threshold tau for one profile factor and C, xi ~ <law>
                                            (scipy brentq on the special-function product tail, exact per-piece
                                            Gauss-Legendre over the profile: test/fixtures/fsm-sample-factor/generate.py)
"""
import json
import sys
import time
import numpy as np


def load(path, rows, cols):
    packed = np.load(path)
    return np.unpackbits(packed, axis=1, bitorder="little")[:, :cols].reshape(rows, cols)


cmd = sys.argv[1]
if cmd == "gen":
    path, rows, cols, density, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    rng = np.random.default_rng(seed)
    out = np.empty((rows, (cols + 7) // 8), dtype=np.uint8)
    for r0 in range(0, rows, 1024):
        r1 = min(rows, r0 + 1024)
        out[r0:r1] = np.packbits(rng.random((r1 - r0, cols)) < density, axis=1, bitorder="little")
    np.save(path, out)
elif cmd == "hist":
    path, rows, cols, K, L, reps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    A = load(path, rows, cols)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        rd = A.sum(axis=1, dtype=np.int64)
        cd = A.sum(axis=0, dtype=np.int64)
        ro = np.argsort(-rd, kind="stable")
        co = np.argsort(-cd, kind="stable")
        B = A[ro][:, co]
        H = B.reshape(K, rows // K, L, cols // L).sum(axis=(1, 3), dtype=np.int64) / ((rows // K) * (cols // L))
        times.append(time.perf_counter() - t0)
        del B
    print(json.dumps({"times": times, "h00": float(H[0, 0]), "mean": float(H.mean())}))
elif cmd == "gen-scores":
    path, rows, cols, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = np.random.default_rng(seed)
    A = np.exp(0.7 * rng.standard_normal(rows))
    B = np.abs(rng.standard_normal(cols))
    B[::7] = 0
    S = (A[:, None] * B[None, :] * np.exp(0.5 * rng.standard_normal((rows, cols)))).astype(np.float32)
    S[rng.random((rows, cols)) < 0.05] = 0
    np.save(path, S)
elif cmd == "fit":
    path, rows, cols, reps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    S = np.load(path)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        nz = S != 0
        M = nz.astype(np.float64)
        Y = np.zeros(S.shape)
        np.log(np.abs(S, dtype=np.float64), out=Y, where=nz)
        rc = M.sum(axis=1)
        cc = M.sum(axis=0)
        ar = rc > 0
        ac = cc > 0
        rs = Y.sum(axis=1)
        cs = Y.sum(axis=0)
        alpha = np.zeros(rows)
        beta = np.zeros(cols)
        for sweep in range(200):
            na = np.where(ar, (rs - M @ beta) / np.where(ar, rc, 1), 0)
            nb = np.where(ac, (cs - M.T @ na) / np.where(ac, cc, 1), 0)
            change = max(np.abs(na - alpha).max(), np.abs(nb - beta).max())
            alpha, beta = na, nb
            if change <= 1e-10 and sweep > 0:
                break
        a = np.where(ar, np.exp(alpha), 0)
        b = np.where(ac, np.exp(beta), 0)
        xi = np.abs(S[np.ix_(ar, ac)]) / (a[ar][:, None] * b[ac][None, :])
        sigma = float(np.sqrt(np.mean(np.log(xi[xi > 0]) ** 2)))
        times.append(time.perf_counter() - t0)
    print(json.dumps({"times": times, "sweeps": sweep + 1, "sigma": sigma}))
elif cmd == "svds":
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds
    path, rows, cols, k, reps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    A = csr_matrix(load(path, rows, cols).astype(np.float64))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        s = svds(A, k=k, return_singular_vectors=True, random_state=0)[1]
        times.append(time.perf_counter() - t0)
    print(json.dumps({"times": times, "s": sorted(s.tolist(), reverse=True)}))
elif cmd == "limit":
    import importlib.util
    import os

    profile, resolution, law, p, reps = sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "fsm-sample-factor", "generate.py")
    spec = importlib.util.spec_from_file_location("fsm_sample_factor_reference", gen)
    ref = importlib.util.module_from_spec(spec)
    sys.argv = [gen, "--no-write"]
    spec.loader.exec_module(ref)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = ref.solve(profile, resolution, law, p)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"times": times, "tau": out["tau"]}))
