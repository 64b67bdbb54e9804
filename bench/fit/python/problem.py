"""Reads the shared fit problem file written by bench/fit/data.js (layout there)."""

import struct

MAGIC = b"BPFIT001"
HEADER_BYTES = 48
HEADER_FIELDS = ("rows", "D", "H", "O", "batchSize", "epochsPerCall", "checkEpochs", "seed")


def read_fit_problem(path):
    """Header values, the raw bytes, and for each array its shape and byte offset into them."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:8] != MAGIC:
        raise ValueError(f"{path} is not a fit problem file")
    problem = dict(zip(HEADER_FIELDS, struct.unpack_from("<8I", raw, 8)))
    (problem["lr"],) = struct.unpack_from("<d", raw, 40)
    rows, d, h, o = problem["rows"], problem["D"], problem["H"], problem["O"]
    shapes = {"X": (rows, d), "Y": (rows, o), "W1": (d, h), "b1": (h,), "W2": (h, o), "b2": (o,)}
    arrays = {}
    offset = HEADER_BYTES
    for name, shape in shapes.items():
        count = 1
        for s in shape:
            count *= s
        arrays[name] = (shape, offset, count)
        offset += 8 * count
    problem["orders"] = (offset, problem["checkEpochs"], rows)
    offset += 4 * rows * problem["checkEpochs"]
    if offset != len(raw):
        raise ValueError(f"{path} is {len(raw)} bytes where its header describes {offset}")
    problem["raw"] = raw
    problem["arrays"] = arrays
    return problem
