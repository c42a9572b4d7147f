"""numpy side of the nets benchmarks: the same arithmetic on the same inputs (.npy files written by run.ts),
float32, by hand, the way a careful numpy user writes a training step (in-place updates; Adam as torch.optim.Adam
with L2 weight decay). Prints one JSON object {task: {"median_ms": ..., "runs": [...]}, "threadpool":
threadpoolctl.threadpool_info()} on stdout; timing and the threadpool report come from bench-utils' peer_common.

Usage: python3 peer.py tasks.json   (run.ts starts it with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset)
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench-utils" / "python"))
from peer_common import threadpool_report, timed  # noqa: E402  (the warm-up rule of run.ts)


class Net:
    """A ReLU MLP with masked SGD (momentum, L2 weight decay) or Adam, float32, parameters updated in place."""

    def __init__(self, folder, layers, task):
        self.W = [np.load(f"{folder}/w{l}.npy") for l in range(layers)]
        self.b = [np.load(f"{folder}/b{l}.npy") for l in range(layers)]
        self.M = [np.load(f"{folder}/m{l}.npy").astype(np.float32) for l in range(layers)]
        for W, M in zip(self.W, self.M):
            W *= M
        self.adam = task.get("optimizer", "sgd") == "adam"
        params = self.W + self.b
        self.state = [[np.zeros_like(p) for p in params] for _ in range(2 if self.adam else 1)]
        self.mu = np.float32(task.get("momentum", 0))
        self.b1 = task.get("beta1", 0.9)
        self.b2 = task.get("beta2", 0.999)
        self.eps = np.float32(task.get("epsilon", 1e-8))
        self.wd = np.float32(task["weightDecay"])
        self.t = 0

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
        self.t += 1
        L = len(self.W)
        lr = np.float32(lr)
        for i, (p, g) in enumerate(zip(self.W + self.b, gW + gb)):
            d = g  # a fresh array of this step: updated in place
            if self.wd:
                d += self.wd * p
            if i < L:
                d *= self.M[i]
            if self.adam:
                m, v = self.state[0][i], self.state[1][i]
                m *= np.float32(self.b1)
                m += np.float32(1 - self.b1) * d
                v *= np.float32(self.b2)
                v += np.float32(1 - self.b2) * (d * d)
                denom = np.sqrt(v)
                denom /= np.float32(np.sqrt(1 - self.b2**self.t))
                denom += self.eps
                p -= np.float32(lr / (1 - self.b1**self.t)) * (m / denom)
            else:
                buf = self.state[0][i]
                buf *= self.mu
                buf += d
                p -= lr * buf
        return loss


def idx(path, offset):
    return np.frombuffer(open(path, "rb").read()[offset:], dtype=np.uint8)


def main():
    tasks = json.load(open(sys.argv[1]))
    out = {}
    for task in tasks:
        name, kind, reps = task["name"], task["kind"], task["reps"]
        if kind == "products":
            # Into preallocated outputs, as ours writes into its reused workspace.
            a = np.load(task["a"])
            d = np.load(task["delta"])
            w = np.load(task["w"])
            y = np.empty((a.shape[0], w.shape[0]), np.float32)  # batch × out
            gw = np.empty((d.shape[1], a.shape[1]), np.float32)  # out × in
            gx = np.empty((d.shape[0], w.shape[1]), np.float32)  # batch × in
            out[name + " / forward a·Wᵀ (NT)"] = timed(lambda: np.matmul(a, w.T, out=y), reps)
            out[name + " / weight gradient δᵀ·a (TN)"] = timed(lambda: np.matmul(d.T, a, out=gw), reps)
            out[name + " / input gradient δ·W (NN)"] = timed(lambda: np.matmul(d, w, out=gx), reps)
            continue
        net = Net(task["folder"], task["layers"], task)
        if kind in ("step", "gradients"):
            x = np.load(task["x"])
            y = np.load(task["y"]).astype(np.int64)
            if kind == "step":
                out[name] = timed(lambda: net.step(x, y, task["lr"]), reps)
            else:
                out[name] = timed(lambda: net.gradients(x, y), reps)
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
    out["threadpool"] = threadpool_report()
    out["numpy"] = np.__version__
    print(json.dumps(out))


main()
