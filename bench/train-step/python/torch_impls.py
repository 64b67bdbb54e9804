"""The training step in PyTorch (CPU, float64): written out by hand with tensor ops,
and the idiomatic way with nn.Linear, autograd and optim.SGD."""

import re

import torch


def _load(problem):
    raw = bytearray(problem["raw"])

    def load(name):
        shape, offset, count = problem["arrays"][name]
        return torch.frombuffer(raw, dtype=torch.float64, count=count, offset=offset).reshape(shape).clone()

    return {n: load(n) for n in ("X", "Y", "W1", "b1", "W2", "b2")}


def _versions():
    # BLAS_INFO names the BLAS torch was built against ("generic": whatever libblas.so.3
    # resolves to); the library actually loaded is reported by the harness.
    build = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=([^,\s]+)", build)
    return {
        "torch": torch.__version__,
        "torchThreads": torch.get_num_threads(),
        "torchBlasInfo": blas_info.group(1) if blas_info else "unknown",
    }


def create_manual(problem):
    t = _load(problem)
    X, Y, W1, b1, W2, b2 = t["X"], t["Y"], t["W1"], t["b1"], t["W2"], t["b2"]
    lr = problem["lr"]

    @torch.no_grad()
    def step():
        h = torch.addmm(b1, X, W1)
        r = torch.relu(h)
        pred = torch.addmm(b2, r, W2)
        diff = pred - Y
        loss = float(torch.dot(diff.reshape(-1), diff.reshape(-1)))
        dpred = 2 * diff
        db2 = dpred.sum(dim=0)
        dW2 = r.t() @ dpred
        dr = dpred @ W2.t()
        dh = dr * (h > 0)
        db1 = dh.sum(dim=0)
        dW1 = X.t() @ dh
        W1.sub_(dW1, alpha=lr)
        b1.sub_(db1, alpha=lr)
        W2.sub_(dW2, alpha=lr)
        b2.sub_(db2, alpha=lr)
        return loss

    return step, _versions()


def create_nn(problem):
    t = _load(problem)
    X, Y = t["X"], t["Y"]
    D, H, O = problem["D"], problem["H"], problem["O"]
    model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, O)).double()
    with torch.no_grad():
        # nn.Linear keeps its weight as out×in; the shared file stores in×out.
        model[0].weight.copy_(t["W1"].t())
        model[0].bias.copy_(t["b1"])
        model[2].weight.copy_(t["W2"].t())
        model[2].bias.copy_(t["b2"])
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=problem["lr"])

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step, _versions()
