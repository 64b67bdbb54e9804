"""What a PyTorch peer reports about the torch it ran."""

import re

import torch


def torch_versions():
    # BLAS_INFO names the BLAS torch was built against ("generic": whatever libblas.so.3
    # resolves to); the library actually loaded is reported by the harness.
    build = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=([^,\s]+)", build)
    return {
        "torch": torch.__version__,
        "torchThreads": torch.get_num_threads(),
        "torchBlasInfo": blas_info.group(1) if blas_info else "unknown",
    }
