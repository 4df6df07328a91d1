"""OpenBLAS sgemm timings through numpy (or torch), for bench/gemm.ts to compare against.

Usage: /usr/bin/python3 bench/gemm_openblas.py --shapes "m,k,n,ta,tb;..." --threads 1,2 [--seconds 0.4]
                                               [--lib numpy|torch]
Each shape is C[m,n] = op(A)[m,k] op(B)[k,n]; ta/tb = 1 stores that operand transposed (numpy and
torch pass the transposed view straight to sgemm, as a training step's x^T.dy and dy.W^T do).
Timing: one warm-up call, then repeat until >= --seconds and >= 3 calls; GFLOPS = 2 m n k / time.
Threads: openblas_set_num_threads(k) on every loaded OpenBLAS (and torch.set_num_threads(k) with
--lib torch). Progress goes to stderr; stdout ends with one JSON line: {"lib", "blas", "rows": [{m,
k, n, transA, transB, threads, gflops_best, gflops_median, ms_median}]}.
Needs Debian's python3-numpy (python3-torch for --lib torch) with libopenblas0-pthread installed
(it becomes libblas.so.3).
"""
import argparse
import ctypes
import json
import statistics
import sys
import time

import numpy as np


def loaded_openblas():
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "openblas" in line and line.strip().endswith(".so.0")
                 or "openblas" in line and ".so" in line.split()[-1]}
    return sorted(paths)


def set_threads(n, torch=None):
    if torch is not None:
        torch.set_num_threads(n)
    ok = False
    for path in loaded_openblas():
        try:
            ctypes.CDLL(path).openblas_set_num_threads(n)
            ok = True
        except (OSError, AttributeError):
            pass
    return ok


def operand(rows, cols, transposed, rng):
    """A rows x cols float32 operand, stored transposed (a Fortran-order view) when asked."""
    if transposed:
        return rng.random((cols, rows), dtype=np.float32).T
    return rng.random((rows, cols), dtype=np.float32)


def bench(fn, flops, seconds):
    fn()
    times = []
    while len(times) < 3 or sum(times) < seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    g = [flops / t / 1e9 for t in times]
    return max(g), statistics.median(g), statistics.median(times) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=0.4)
    ap.add_argument("--lib", choices=["numpy", "torch"], default="numpy")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    torch = None
    if args.lib == "torch":
        import torch  # noqa: F811  (only when asked: it takes a while to import)
        torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS
    np.dot(np.ones((64, 64), np.float32), np.ones((64, 64), np.float32))  # loads the BLAS
    blas = loaded_openblas()
    if not blas:
        print("gemm_openblas.py: numpy is not using OpenBLAS (apt-get install -y libopenblas0-pthread)", file=sys.stderr)
    rows = []
    for threads in [int(t) for t in args.threads.split(",")]:
        set_threads(threads, torch)
        for spec in args.shapes.split(";"):
            m, k, n, ta, tb = (int(v) for v in spec.split(","))
            a = operand(m, k, ta == 1, rng)
            b = operand(k, n, tb == 1, rng)
            if torch is not None:
                a, b = torch.from_numpy(np.asarray(a)), torch.from_numpy(np.asarray(b))
                out = torch.empty((m, n), dtype=torch.float32)
                fn = lambda: torch.mm(a, b, out=out)  # noqa: E731
            else:
                out = np.empty((m, n), np.float32)
                fn = lambda: np.matmul(a, b, out=out)  # noqa: E731
            best, med, ms = bench(fn, 2.0 * m * n * k, args.seconds)
            rows.append({"m": m, "k": k, "n": n, "transA": ta == 1, "transB": tb == 1, "threads": threads,
                         "gflops_best": best, "gflops_median": med, "ms_median": ms})
            print(f"{args.lib} {m}x{k}x{n} ta={ta} tb={tb} threads={threads}: {best:.1f} GFLOPS best, "
                  f"{ms:.3f} ms median", file=sys.stderr)
    lib = f"numpy {np.__version__}" if torch is None else f"torch {torch.__version__}"
    print(json.dumps({"lib": lib, "blas": blas, "rows": rows}))


if __name__ == "__main__":
    main()
