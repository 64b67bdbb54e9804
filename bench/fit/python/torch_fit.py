"""Mini-batch training over whole epochs in PyTorch (CPU), with nn.Linear, autograd,
MSELoss and optim.SGD, in two forms:

- "fastest": the fastest correct loop we found. Each epoch's order is one
  torch.randperm from a seeded generator, and each batch's rows are gathered with
  index_select into tensors allocated once. (Indexing X[idx] instead allocates the
  batch anew and was about a quarter slower per epoch at 10→64→1; an optimizer with
  foreach=True, or summing the loss as a tensor rather than calling item(), made no
  measurable difference.)
- "dataloader": as PyTorch teaches it, a DataLoader over a TensorDataset with
  shuffle=True, which fetches and stacks the rows of each batch one by one.

Both run in float64 or float32. The check epochs take their order from the problem
file (a sampler for the DataLoader), so that their losses can be compared with the
other peers'; the timed epochs shuffle as their form does."""

import torch
from torch.utils.data import DataLoader, TensorDataset
from torch_info import torch_versions

FORMS = ("fastest", "dataloader")


def _tensors(problem, dtype):
    raw = bytearray(problem["raw"])

    def load(name):
        shape, offset, count = problem["arrays"][name]
        values = torch.frombuffer(raw, dtype=torch.float64, count=count, offset=offset).reshape(shape)
        return values.to(dtype, copy=True)

    tensors = {n: load(n) for n in ("X", "Y", "W1", "b1", "W2", "b2")}
    offset, epochs, rows = problem["orders"]
    # uint32 in the file; every index is below 2^31, so int32 reads the same values.
    orders = torch.frombuffer(raw, dtype=torch.int32, count=epochs * rows, offset=offset).reshape(epochs, rows)
    return tensors, orders.long()


def create(problem, form, dtype):
    if form not in FORMS:
        raise ValueError(f"unknown form {form}")
    t, file_orders = _tensors(problem, dtype)
    X, Y = t["X"], t["Y"]
    rows, D, H, O, B = problem["rows"], problem["D"], problem["H"], problem["O"], problem["batchSize"]
    model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, O)).to(dtype)
    with torch.no_grad():
        # nn.Linear keeps its weight as out×in; the shared file stores in×out.
        model[0].weight.copy_(t["W1"].t())
        model[0].bias.copy_(t["b1"])
        model[2].weight.copy_(t["W2"].t())
        model[2].bias.copy_(t["b2"])
    loss_fn = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=problem["lr"])
    generator = torch.Generator().manual_seed(problem["seed"])

    def train_batch(x, y):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item() * x.shape[0]

    xb = torch.empty((B, D), dtype=dtype)
    yb = torch.empty((B, O), dtype=dtype)

    def epoch_in_order(order):
        total = 0.0
        for start in range(0, rows, B):
            idx = order[start : start + B]
            n = idx.shape[0]
            x, y = (xb, yb) if n == B else (xb[:n], yb[:n])
            torch.index_select(X, 0, idx, out=x)
            torch.index_select(Y, 0, idx, out=y)
            total += train_batch(x, y)
        return total / rows

    def epoch_of(loader):
        return sum(train_batch(x, y) for x, y in loader) / rows

    dataset = TensorDataset(X, Y)
    shuffled = DataLoader(dataset, batch_size=B, shuffle=True, generator=generator)

    def check():
        if form == "fastest":
            return [epoch_in_order(order) for order in file_orders]
        return [epoch_of(DataLoader(dataset, batch_size=B, sampler=order.tolist())) for order in file_orders]

    def fit():
        for _ in range(problem["epochsPerCall"]):
            if form == "fastest":
                epoch_in_order(torch.randperm(rows, generator=generator))
            else:
                epoch_of(shuffled)

    versions = {**torch_versions(), "form": form, "dtype": str(dtype).replace("torch.", "")}
    return check, fit, versions
