"""A Python peer of the fit benchmark, one implementation per process:

    python3 peer.py --form fastest|dataloader --dtype float64|float32 --data FILE
                    [--threads T] [timing options]

Trains the problem's check epochs from its initial weights and reports their losses
for the cross-check, then times whole fits of the problem's epochsPerCall epochs each.
The BLAS thread count is set by the parent through OPENBLAS_NUM_THREADS before this
process starts (OpenBLAS reads it once, at load)."""

import os
import platform
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "python"))

from bench_harness import emit_result, peer_arguments, time_blocks  # noqa: E402
from problem import read_fit_problem  # noqa: E402


def main():
    parser = peer_arguments()
    parser.add_argument("--form", required=True, choices=["fastest", "dataloader"])
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    problem = read_fit_problem(args.data)

    import torch

    # Governs ATen's own parallel loops; the BLAS it calls has its own pool, which
    # OPENBLAS_NUM_THREADS sized.
    torch.set_num_threads(args.threads)
    import torch_fit

    check, fit, versions = torch_fit.create(problem, args.form, getattr(torch, args.dtype))
    check_losses = check()
    block_us, iters = time_blocks(fit, args.warmup_ms, args.block_ms, args.blocks)
    emit_result(
        {
            "blockUs": block_us,
            "itersPerBlock": iters,
            "checkLosses": check_losses,
            "versions": {"python": platform.python_version(), "executable": sys.executable, **versions},
        }
    )


if __name__ == "__main__":
    main()
