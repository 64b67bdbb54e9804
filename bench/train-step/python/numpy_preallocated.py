"""The training step in NumPy with every buffer allocated once: each operation writes
into its buffer through `out=`, so a step allocates nothing. The same arithmetic as
numpy_manual.py, without the temporary arrays its expressions create. (`out=` rather
than `+=`, which would make the buffers local names of step().)"""

import numpy as np


def create(problem):
    def load(name):
        shape, offset, count = problem["arrays"][name]
        return np.frombuffer(problem["raw"], dtype="<f8", count=count, offset=offset).reshape(shape).copy()

    X, Y, W1, b1, W2, b2 = (load(n) for n in ("X", "Y", "W1", "b1", "W2", "b2"))
    N, D, H, O, lr = problem["N"], problem["D"], problem["H"], problem["O"], problem["lr"]
    h, r, dh = np.empty((N, H)), np.empty((N, H)), np.empty((N, H))
    gate = np.empty((N, H), dtype=bool)
    pred, diff = np.empty((N, O)), np.empty((N, O))
    dW1, dW2 = np.empty((D, H)), np.empty((H, O))
    db1, db2 = np.empty(H), np.empty(O)

    def step():
        np.matmul(X, W1, out=h)
        np.add(h, b1, out=h)
        np.maximum(h, 0, out=r)
        np.matmul(r, W2, out=pred)
        np.add(pred, b2, out=pred)
        np.subtract(pred, Y, out=diff)
        loss = float(np.vdot(diff, diff))
        np.multiply(diff, 2, out=diff)  # now dpred
        np.sum(diff, axis=0, out=db2)
        np.matmul(r.T, diff, out=dW2)
        np.matmul(diff, W2.T, out=dh)
        np.greater(h, 0, out=gate)
        np.multiply(dh, gate, out=dh)
        np.sum(dh, axis=0, out=db1)
        np.matmul(X.T, dh, out=dW1)
        for param, grad in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            np.multiply(grad, lr, out=grad)
            np.subtract(param, grad, out=param)
        return loss

    versions = {"numpy": np.__version__}
    return step, versions
