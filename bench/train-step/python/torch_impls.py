"""The training step in PyTorch (CPU): written out by hand with tensor ops (float64),
and the idiomatic way with nn.Linear, autograd and optim.SGD (float64, or float32 as
a user after throughput would pick)."""

import torch
from torch_info import torch_versions


def _load(problem, dtype=torch.float64):
    raw = bytearray(problem["raw"])

    def load(name):
        shape, offset, count = problem["arrays"][name]
        values = torch.frombuffer(raw, dtype=torch.float64, count=count, offset=offset).reshape(shape)
        return values.to(dtype, copy=True)

    return {n: load(n) for n in ("X", "Y", "W1", "b1", "W2", "b2")}


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

    return step, torch_versions()


def create_nn(problem, dtype=torch.float64):
    t = _load(problem, dtype)
    X, Y = t["X"], t["Y"]
    D, H, O = problem["D"], problem["H"], problem["O"]
    model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, O)).to(dtype)
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

    return step, torch_versions()
