"""Reads the shared problem file written by bench/train-step/data.js (layout there)."""

import struct

MAGIC = b"BPTSTEP1"
HEADER_BYTES = 32


def read_problem(path):
    """Header values plus, for each array, its shape and byte offset into `raw`."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:8] != MAGIC:
        raise ValueError(f"{path} is not a train-step problem file")
    n, d, h, o = struct.unpack_from("<4I", raw, 8)
    (lr,) = struct.unpack_from("<d", raw, 24)
    shapes = {"X": (n, d), "Y": (n, o), "W1": (d, h), "b1": (h,), "W2": (h, o), "b2": (o,)}
    arrays = {}
    offset = HEADER_BYTES
    for name, shape in shapes.items():
        count = 1
        for s in shape:
            count *= s
        arrays[name] = (shape, offset, count)
        offset += 8 * count
    return {"N": n, "D": d, "H": h, "O": o, "lr": lr, "raw": raw, "arrays": arrays}
