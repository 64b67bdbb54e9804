"""The training step written as a NumPy user would: one expression per line of the
chain rule, new arrays for intermediate results, BLAS for the products."""

import numpy as np


def create(problem, dtype=np.float64):
    def load(name):
        shape, offset, count = problem["arrays"][name]
        return np.frombuffer(problem["raw"], dtype="<f8", count=count, offset=offset).reshape(shape).astype(dtype)

    X, Y, W1, b1, W2, b2 = (load(n) for n in ("X", "Y", "W1", "b1", "W2", "b2"))
    lr = dtype(problem["lr"]) if dtype is not np.float64 else problem["lr"]

    def step():
        nonlocal W1, b1, W2, b2  # updated in place, but `-=` rebinds the name
        h = X @ W1 + b1
        r = np.maximum(h, 0)
        pred = r @ W2 + b2
        diff = pred - Y
        loss = float(np.vdot(diff, diff))
        dpred = 2 * diff
        db2 = dpred.sum(axis=0)
        dW2 = r.T @ dpred
        dr = dpred @ W2.T
        dh = dr * (h > 0)
        db1 = dh.sum(axis=0)
        dW1 = X.T @ dh
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        return loss

    versions = {"numpy": np.__version__}
    return step, versions
