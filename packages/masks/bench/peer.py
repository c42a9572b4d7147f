"""numpy peers of the @graphon-pai/masks benchmarks (run by bench/run.ts in the same run, same inputs).

    python3 peer.py gen   OUT.npy N SEED           # |N(0,1)| float32 scores (magnitude-like), one array
    python3 peer.py topk  SCORES.npy DENSITY REPS  # np.argpartition + boolean mask; JSON on stdout
    python3 peer.py synflow DENSITY ROUNDS W0.npy W1.npy …  # iterative SynFlow (exponential schedule), JSON

Allocator settings (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) come from the environment, set alike
for both sides by run.ts.
"""
import json
import resource
import sys
import time

import numpy as np


def rss_peak_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_now_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def gen(out, n, seed):
    rng = np.random.default_rng(int(seed))
    s = np.abs(rng.standard_normal(int(n), dtype=np.float32))
    np.save(out, s)
    print(json.dumps({"n": int(n)}))


def topk(path, density, reps):
    scores = np.load(path)
    n = scores.size
    k = int(np.floor(float(density) * n + 0.5))  # same rounding as keptCount (halves up)
    base = rss_now_bytes()
    part_t, mask_t, total_t = [], [], []
    kept = None
    for _ in range(int(reps)):
        t0 = time.perf_counter()
        idx = np.argpartition(scores, n - k)[n - k:]
        t1 = time.perf_counter()
        mask = np.zeros(n, dtype=bool)
        mask[idx] = True
        t2 = time.perf_counter()
        part_t.append(t1 - t0)
        mask_t.append(t2 - t1)
        total_t.append(t2 - t0)
        kept = int(np.count_nonzero(mask))
        del idx, mask
    print(json.dumps({
        "n": n, "k": k, "kept": kept,
        "argpartition_s": part_t, "mask_s": mask_t, "total_s": total_t,
        "median_total_s": float(np.median(total_t)),
        "scores_bytes": scores.nbytes, "rss_after_load_bytes": base, "peak_rss_bytes": rss_peak_bytes(),
    }))


def synflow(density, rounds, *paths):
    ws = [np.abs(np.load(p)).astype(np.float64) for p in paths]
    masks = [np.ones(w.shape, dtype=bool) for w in ws]
    sizes = [w.size for w in ws]
    total = sum(sizes)
    final = int(np.floor(float(density) * total + 0.5))
    score_t = select_t = 0.0
    t_all = time.perf_counter()
    prev = total
    for r in range(1, int(rounds) + 1):
        t0 = time.perf_counter()
        eff = [w * m for w, m in zip(ws, masks)]
        # R = 1ᵀ|W_L|…|W_1|1; ∂R/∂W_l = b_l a_{l-1}ᵀ; score = |W_l| ⊙ ∂R/∂W_l (rescaled per layer for range).
        acts = [np.ones(ws[0].shape[1])]
        for w in eff:
            a = w @ acts[-1]
            acts.append(a / max(a.max(), 1e-300))
        back = [np.ones(ws[-1].shape[0])]
        for w in reversed(eff):
            b = back[-1] @ w
            back.append(b / max(b.max(), 1e-300))
        back = back[::-1]
        scores = [(e * np.outer(back[l + 1], acts[l])).astype(np.float32).ravel() for l, e in enumerate(eff)]
        t1 = time.perf_counter()
        k = final if r == int(rounds) else min(prev, max(final, int(np.floor(total * (final / total) ** (r / int(rounds)) + 0.5))))
        flat = np.concatenate(scores)
        eligible = np.flatnonzero(np.concatenate([m.ravel() for m in masks]))
        sub = flat[eligible]
        idx = eligible[np.argpartition(sub, sub.size - k)[sub.size - k:]]
        keep = np.zeros(total, dtype=bool)
        keep[idx] = True
        off = 0
        for l, m in enumerate(masks):
            masks[l] = keep[off:off + sizes[l]].reshape(m.shape)
            off += sizes[l]
        prev = k
        t2 = time.perf_counter()
        score_t += t1 - t0
        select_t += t2 - t1
    print(json.dumps({
        "total_s": time.perf_counter() - t_all, "scoring_s": score_t, "selection_s": select_t,
        "kept": int(sum(int(m.sum()) for m in masks)), "final": final,
    }))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(*sys.argv[2:5])
    elif cmd == "topk":
        topk(*sys.argv[2:5])
    elif cmd == "synflow":
        synflow(*sys.argv[2:])
    else:
        raise SystemExit(f"unknown command {cmd}")
