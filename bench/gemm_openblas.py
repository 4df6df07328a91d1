"""OpenBLAS sgemm GFLOPS through numpy, for bench/gemm.ts to compare against.

Usage: /usr/bin/python3 bench/gemm_openblas.py --shapes "m,k,n,ta,tb;..." --threads 1,2 [--seconds 0.4]
Each shape is C[m,n] = op(A)[m,k] op(B)[k,n]; ta/tb = 1 stores that operand transposed (numpy
passes the transposed view straight to sgemm). Timing: one warm-up call, then repeat until
>= --seconds and >= 3 calls; GFLOPS = 2 m n k / time. Progress goes to stderr; stdout ends with
one JSON line: {"lib", "blas", "rows": [{m, k, n, transA, transB, threads, gflops_best, gflops_median}]}.
Needs Debian's python3-numpy with libopenblas0-pthread installed (it becomes libblas.so.3).
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


def set_threads(n):
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
    return max(g), statistics.median(g)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=0.4)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    np.dot(np.ones((64, 64), np.float32), np.ones((64, 64), np.float32))  # loads the BLAS
    blas = loaded_openblas()
    if not blas:
        print("gemm_openblas.py: numpy is not using OpenBLAS (apt-get install -y libopenblas0-pthread)", file=sys.stderr)
    rows = []
    for threads in [int(t) for t in args.threads.split(",")]:
        set_threads(threads)
        for spec in args.shapes.split(";"):
            m, k, n, ta, tb = (int(v) for v in spec.split(","))
            a = operand(m, k, ta == 1, rng)
            b = operand(k, n, tb == 1, rng)
            out = np.empty((m, n), np.float32)
            best, med = bench(lambda: np.matmul(a, b, out=out), 2.0 * m * n * k, args.seconds)
            rows.append({"m": m, "k": k, "n": n, "transA": ta == 1, "transB": tb == 1, "threads": threads,
                         "gflops_best": best, "gflops_median": med})
            print(f"openblas {m}x{k}x{n} ta={ta} tb={tb} threads={threads}: {best:.1f} GFLOPS", file=sys.stderr)
    print(json.dumps({"lib": "numpy " + np.__version__, "blas": blas, "rows": rows}))


if __name__ == "__main__":
    main()
