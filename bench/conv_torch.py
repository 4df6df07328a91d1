"""PyTorch CPU conv2d forward+backward times, for bench/conv.ts to compare against.

Usage: /usr/bin/python3 bench/conv_torch.py --shapes "n,hw,cin,cout,k;..." [--threads 2] [--seconds 0.5]
Each shape is one Conv2d layer, stride 1, no padding ('valid'), no bias (as bench/conv.ts times
nabla), input and filter both requiring grad, so backward computes dX and dW like a training step.
Both memory formats are timed (contiguous NCHW and channels_last, as ../shared/bench/README.md
asks) and the faster one is the figure to compare with. Timing (as ../shared/bench/pytorch/conv.py):
3 warm-up calls, then timed calls until >= --seconds and >= 5 calls (>= 3 when one call takes over
0.1 s); median. Progress goes to stderr; stdout ends with one JSON line:
{"torch", "threads", "defaultThreads", "mkldnn", "rows": [{n, hw, cin, cout, k, format, fwdbwd_ms, ...}]}.
Needs Debian's python3-torch (oneDNN does the convolutions).
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def bench(fn, seconds):
    for _ in range(3):
        fn()
    times = []
    while True:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        need = 3 if times[0] > 0.1 else 5
        if len(times) >= need and sum(times) >= seconds:
            break
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=0.5)
    args = ap.parse_args()
    default_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rows = []
    for spec in args.shapes.split(";"):
        n, hw, cin, cout, k = (int(v) for v in spec.split(","))
        hout = hw - k + 1
        for fmt, mf in (("channels_first", torch.contiguous_format), ("channels_last", torch.channels_last)):
            x = torch.rand(n, cin, hw, hw).contiguous(memory_format=mf).requires_grad_(True)
            w = (torch.rand(cout, cin, k, k) - 0.5).contiguous(memory_format=mf).requires_grad_(True)
            gy = torch.rand(n, cout, hout, hout).contiguous(memory_format=mf)

            def fwd():
                with torch.no_grad():
                    F.conv2d(x, w)

            def fwd_bwd():
                x.grad = None
                w.grad = None
                F.conv2d(x, w).backward(gy)

            fb_med, fb_min = bench(fwd_bwd, args.seconds)
            f_med, _ = bench(fwd, args.seconds / 2)
            rows.append({"n": n, "hw": hw, "cin": cin, "cout": cout, "k": k, "format": fmt,
                         "fwdbwd_ms": 1000 * fb_med, "fwdbwd_ms_min": 1000 * fb_min, "fwd_ms": 1000 * f_med})
            print(f"torch N={n} {hw}x{hw} {cin}->{cout} {k}x{k} {fmt:14s}: fwd+bwd {1000 * fb_med:8.2f} ms"
                  f"  fwd {1000 * f_med:7.2f} ms", file=sys.stderr, flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "defaultThreads": default_threads,
                      "mkldnn": torch.backends.mkldnn.is_available() and bool(torch.backends.mkldnn.enabled),
                      "rows": rows}))


if __name__ == "__main__":
    main()
