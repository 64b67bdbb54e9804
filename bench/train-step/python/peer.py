"""A Python peer of the train-step benchmark, one implementation per process:

    python3 peer.py --impl numpy|numpy-preallocated|torch-manual|torch-nn|torch-nn-f32 --data FILE
                    [--check-steps K]
                    [--threads T] [timing options]

Runs K training steps and reports their losses for the cross-check, then keeps
training while it times the step. The BLAS thread count is set by the parent through
OPENBLAS_NUM_THREADS before this process starts (OpenBLAS reads it once, at load)."""

import os
import platform
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "python"))

from bench_harness import emit_result, peer_arguments, time_blocks  # noqa: E402
from problem import read_problem  # noqa: E402


def main():
    parser = peer_arguments()
    parser.add_argument("--impl", required=True, choices=["numpy", "numpy-preallocated", "torch-manual", "torch-nn", "torch-nn-f32"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--check-steps", type=int, default=3)
    args = parser.parse_args()
    problem = read_problem(args.data)

    if args.impl == "numpy":
        from numpy_manual import create

        step, versions = create(problem)
    elif args.impl == "numpy-preallocated":
        from numpy_preallocated import create

        step, versions = create(problem)
    else:
        import torch

        # Governs ATen's own parallel loops; the BLAS it calls has its own pool, which
        # OPENBLAS_NUM_THREADS sized.
        torch.set_num_threads(args.threads)
        import torch_impls

        if args.impl == "torch-manual":
            step, versions = torch_impls.create_manual(problem)
        else:
            dtype = torch.float32 if args.impl == "torch-nn-f32" else torch.float64
            step, versions = torch_impls.create_nn(problem, dtype)

    check_losses = [step() for _ in range(args.check_steps)]
    block_us, iters = time_blocks(step, args.warmup_ms, args.block_ms, args.blocks)
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
