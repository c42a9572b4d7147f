"""numpy side of the convolution benchmark: the im2col arithmetic of @graphon-pai/nets' conv2d.ts on the same
inputs (.npy files written by conv.ts), chunk for chunk, in numpy's natural form: the compact im2col matrix
(ours uses a wide layout for stride 1, ≈ 1.1–1.4× the multiply-adds in exchange for block copies):

  forward   cols = im2col(x[chunk]) (K × b·L, C order), Y' = W @ cols, scattered to [b, O, L]
  backward  G' = gathered ∂L/∂y (O × b·L), dW += G' @ cols.T (cols recomputed), dcols = W.T @ G', col2im add

Each task is timed with OpenBLAS's default threads and with one thread, and with each chunk size the task lists
(ours, and the whole-batch-sized chunk of at most 2²² floats that suits numpy's per-chunk overhead); the fastest
is reported ("threads", "chunk"). Prints one JSON object {task: {"median_ms", "runs", "threads", "chunk",
"checksum" (Σ v² of y, dW, dx)}, "threadpool": threadpoolctl info}.
Usage: python3 conv_peer.py tasks.json
"""
import json
import sys
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench-utils" / "python"))
from peer_common import threadpool_report, timed  # noqa: E402


def im2col(xp, kh, kw, sh, sw, ho, wo):
    """xp: padded chunk [b, C, Hp, Wp] -> cols [C*kh*kw, b*Ho*Wo] (rows c, i, j; columns n, p, q)."""
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, : (ho - 1) * sh + 1 : sh, : (wo - 1) * sw + 1 : sw]
    # win: [b, C, Ho, Wo, kh, kw] -> [C, kh, kw, b, Ho, Wo]
    b, c = xp.shape[0], xp.shape[1]
    return np.ascontiguousarray(win.transpose(1, 4, 5, 0, 2, 3)).reshape(c * kh * kw, b * ho * wo)


def col2im_add(cols, dxp, kh, kw, sh, sw, ho, wo):
    b, c = dxp.shape[0], dxp.shape[1]
    v = cols.reshape(c, kh, kw, b, ho, wo)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i : i + (ho - 1) * sh + 1 : sh, j : j + (wo - 1) * sw + 1 : sw] += v[:, i, j].transpose(1, 0, 2, 3)


def conv_step(x, w, gy, t, chunk):
    count, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    sh, sw, ph, pw = t["sh"], t["sw"], t["ph"], t["pw"]
    ho = (h + 2 * ph - kh) // sh + 1
    wo = (wd + 2 * pw - kw) // sw + 1
    w2 = w.reshape(o, -1)
    gy = gy.reshape(count, o, ho * wo)
    y = np.empty((count, o, ho * wo), dtype=np.float32)
    dw = np.zeros_like(w2)
    dx = np.empty_like(x)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for first in range(0, count, chunk):
        b = min(chunk, count - first)
        cols = im2col(xpad[first : first + b], kh, kw, sh, sw, ho, wo)
        y[first : first + b] = (w2 @ cols).reshape(o, b, ho * wo).transpose(1, 0, 2)
    for first in range(0, count, chunk):
        b = min(chunk, count - first)
        cols = im2col(xpad[first : first + b], kh, kw, sh, sw, ho, wo)
        g = np.ascontiguousarray(gy[first : first + b].transpose(1, 0, 2)).reshape(o, b * ho * wo)
        dw += g @ cols.T
        dcols = w2.T @ g
        dxp = np.zeros((b, c, h + 2 * ph, wd + 2 * pw), dtype=np.float32)
        col2im_add(dcols, dxp, kh, kw, sh, sw, ho, wo)
        dx[first : first + b] = dxp[:, :, ph : ph + h, pw : pw + wd]
    return y, dw, dx


def main():
    tasks = json.load(open(sys.argv[1]))
    out = {}
    for t in tasks:
        x = np.load(t["x"]).reshape(t["xShape"])
        w = np.load(t["w"]).reshape(t["wShape"])
        gy = np.load(t["gy"])
        y, dw, dx = conv_step(x, w, gy, t, t["chunks"][0])
        best = None
        # The fastest of OpenBLAS's default threads and one thread (spin-waiting threads lose on a shared
        # machine), for each chunk size.
        for chunk in sorted(set(t["chunks"])):
            for threads in ("default", "1"):
                with threadpool_limits(limits=None if threads == "default" else 1):
                    r = timed(lambda: conv_step(x, w, gy, t, chunk), t["reps"])
                ms, runs = r["median_ms"], r["runs"]
                if best is None or ms < best[0]:
                    best = (ms, runs, threads, chunk)
        ms, runs, threads, chunk = best
        out[t["name"]] = {
            "median_ms": ms,
            "runs": runs,
            "threads": threads,
            "chunk": chunk,
            "checksum": [float(np.square(a.astype(np.float64)).sum()) for a in (y, dw, dx)],
        }
    out["threadpool"] = threadpool_report()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
