"""numpy / scipy side of the graphon benchmarks (run by bench/run.ts on the same inputs).

gen  <path> <rows> <cols> <density> <seed>: writes a bit-packed mask (uint8, little bit order, rows x cols/8) as .npy
hist <path> <rows> <cols> <K> <L> <reps>:   canonical K x L histogram (stable descending argsort of degrees,
                                            reorder, block means) on the dense uint8 array; prints JSON timings
svds <path> <rows> <cols> <k> <reps>:       scipy.sparse.linalg.svds(csr, k) on the same matrix
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
