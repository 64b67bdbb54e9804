"""The measuring half of the harness for Python peers: the same warm-up, timed
blocks, options and BENCH_RESULT line as bench/lib/measure.mjs, plus a report of
which BLAS library the process really loaded and how many threads it runs."""

import argparse
import ctypes
import json
import resource
import sys
import time


def peer_arguments(parser=None):
    parser = parser or argparse.ArgumentParser()
    parser.add_argument("--warmup-ms", type=float, default=200)
    parser.add_argument("--block-ms", type=float, default=100)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    return parser


def time_blocks(step, warmup_ms, block_ms, blocks):
    """Runs `step` for warmup_ms (not at all for 0), then times `blocks` blocks sized
    from the warm-up's pace to last about block_ms (one call each without a warm-up).
    Returns microseconds per call for each block, and the calls per block."""
    calls = 0
    start = time.perf_counter()
    while (time.perf_counter() - start) * 1e3 < warmup_ms:
        step()
        calls += 1
    iters = 1
    if calls > 0:
        per_call_ms = (time.perf_counter() - start) * 1e3 / calls
        iters = max(1, round(block_ms / per_call_ms))
    block_us = []
    for _ in range(blocks):
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        block_us.append((time.perf_counter() - t0) * 1e6 / iters)
    return block_us, iters


# OpenBLAS builds prefix their exported symbols differently: Debian's plain build,
# 64-bit-integer builds, and the scipy-openblas build that numpy wheels bundle.
_SYMBOL_PREFIXES = ("openblas_", "scipy_openblas_")
_SYMBOL_SUFFIXES = ("", "64_")


def _call(lib, name, restype):
    for prefix in _SYMBOL_PREFIXES:
        for suffix in _SYMBOL_SUFFIXES:
            try:
                fn = getattr(lib, prefix + name + suffix)
            except AttributeError:
                continue
            fn.restype = restype
            return fn()
    return None


def loaded_blas():
    """Every OpenBLAS-like library mapped into this process, with what it says of itself.
    Asking the loaded library is the only reliable answer: numpy and torch pick their
    BLAS at build time, and environment variables only say what was requested."""
    paths = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = path.rsplit("/", 1)[-1]
            if ("blas" in name or "mkl" in name) and path not in paths:
                paths.append(path)
    found = []
    for path in paths:
        entry = {"path": path}
        try:
            lib = ctypes.CDLL(path)
            config = _call(lib, "get_config", ctypes.c_char_p)
            if config is not None:
                entry["config"] = config.decode().strip()
                entry["corename"] = (_call(lib, "get_corename", ctypes.c_char_p) or b"").decode().strip()
                entry["threads"] = _call(lib, "get_num_threads", ctypes.c_int)
        except OSError:
            pass
        found.append(entry)
    return found


def peak_rss_kb():
    """VmHWM from /proc: ru_maxrss on Linux carries over the high-water mark of the
    image before exec, i.e. of the parent runner."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit_result(result):
    payload = {"peakRssKb": peak_rss_kb(), "blasLibraries": loaded_blas(), **result}
    sys.stdout.write("BENCH_RESULT " + json.dumps(payload) + "\n")
    sys.stdout.flush()
