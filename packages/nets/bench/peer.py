"""numpy side of the nets benchmarks: the same arithmetic on the same inputs (.npy files written by run.ts),
float32, by hand, the way a careful numpy user writes a training step (in-place updates). Prints one JSON
object {task: {"median_ms": ..., "runs": [...]}, "threadpool": threadpoolctl.threadpool_info()} on stdout.

Usage: python3 peer.py tasks.json   (run.ts starts it with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset)
"""
import json
import sys
import time

import numpy as np

WARMUP_S = 1.0


def timed(fn, reps, warmup=True):
    start = time.perf_counter()
    if warmup:
        fn()
        while time.perf_counter() - start < WARMUP_S:
            fn()
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1e3)
    return {"median_ms": float(np.median(runs)), "runs": runs}


class Net:
    """A ReLU MLP with masked SGD (momentum, L2 weight decay), float32, parameters updated in place."""

    def __init__(self, folder, layers, momentum, weight_decay):
        self.W = [np.load(f"{folder}/w{l}.npy") for l in range(layers)]
        self.b = [np.load(f"{folder}/b{l}.npy") for l in range(layers)]
        self.M = [np.load(f"{folder}/m{l}.npy").astype(np.float32) for l in range(layers)]
        for W, M in zip(self.W, self.M):
            W *= M
        self.vW = [np.zeros_like(W) for W in self.W]
        self.vb = [np.zeros_like(b) for b in self.b]
        self.mu = np.float32(momentum)
        self.wd = np.float32(weight_decay)

    def gradients(self, x, y):
        acts, zs = [x], []
        L = len(self.W)
        for l in range(L):
            z = acts[-1] @ self.W[l].T
            z += self.b[l]
            zs.append(z)
            acts.append(np.maximum(z, 0) if l < L - 1 else z)
        z = zs[-1]
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        m = x.shape[0]
        loss = -np.log(p[np.arange(m), y]).mean()
        p[np.arange(m), y] -= 1
        delta = p / np.float32(m)
        gW, gb = [None] * L, [None] * L
        for l in reversed(range(L)):
            gW[l] = delta.T @ acts[l]
            gb[l] = delta.sum(axis=0)
            if l > 0:
                delta = (delta @ self.W[l]) * (zs[l - 1] > 0)
        return loss, gW, gb

    def step(self, x, y, lr):
        loss, gW, gb = self.gradients(x, y)
        lr = np.float32(lr)
        for l in range(len(self.W)):
            d = gW[l]
            if self.wd:
                d += self.wd * self.W[l]
            d *= self.M[l]
            self.vW[l] *= self.mu
            self.vW[l] += d
            self.W[l] -= lr * self.vW[l]
            db = gb[l] + self.wd * self.b[l] if self.wd else gb[l]
            self.vb[l] *= self.mu
            self.vb[l] += db
            self.b[l] -= lr * self.vb[l]
        return loss


def idx(path, offset):
    return np.frombuffer(open(path, "rb").read()[offset:], dtype=np.uint8)


def main():
    tasks = json.load(open(sys.argv[1]))
    out = {}
    for task in tasks:
        name, kind, reps = task["name"], task["kind"], task["reps"]
        if kind == "products":
            a = np.load(task["a"])
            d = np.load(task["delta"])
            w = np.load(task["w"])
            out[name + " / forward a·Wᵀ (NT)"] = timed(lambda: a @ w.T, reps)
            out[name + " / weight gradient δᵀ·a (TN)"] = timed(lambda: d.T @ a, reps)
            out[name + " / input gradient δ·W (NN)"] = timed(lambda: d @ w, reps)
            continue
        net = Net(task["folder"], task["layers"], task["momentum"], task["weightDecay"])
        if kind == "step":
            x = np.load(task["x"])
            y = np.load(task["y"]).astype(np.int64)
            out[name] = timed(lambda: net.step(x, y, task["lr"]), reps)
            out[name.replace("masked SGD step", "forward + backward")] = timed(lambda: net.gradients(x, y), reps)
        elif kind == "epoch":
            images = idx(task["images"], 16).reshape(-1, 784)
            labels = idx(task["labels"], 8).astype(np.int64)
            order = np.load(task["order"]).astype(np.int64)
            batch = task["batch"]
            x_all = images.astype(np.float32) / np.float32(255)  # byte/255, loaded once (as run.ts does)

            def epoch():
                # Batches gathered in the epoch's order, one masked SGD step each.
                for s in range(0, len(order), batch):
                    rows = order[s:s + batch]
                    net.step(x_all[rows], labels[rows], task["lr"])

            out[name] = timed(epoch, reps, warmup=False)
    try:
        from threadpoolctl import threadpool_info

        out["threadpool"] = threadpool_info()
    except ImportError:
        out["threadpool"] = "threadpoolctl not installed (pip install threadpoolctl)"
    out["numpy"] = np.__version__
    print(json.dumps(out))


main()
