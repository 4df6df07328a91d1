"""PyTorch CPU training throughput of the LSTM text classifier that bench/lstm.ts times in nabla.

Usage: /usr/bin/python3 bench/lstm_torch.py [--threads 2] [--warmup 3] [--window 10] [--windows 3]
Model: Embedding(1000, 64) -> LSTM(128) (last output) -> Linear(10), Adam lr 1e-3, softmax
cross-entropy, batch 64, sequences of 100 token ids (seeded random ids and labels: the speed of a
step does not depend on the values). Protocol as bench/lstm.ts: warm-up steps, then timed windows
of consecutive steps; the figure is the median samples/s. Progress goes to stderr; stdout ends
with one JSON line {"torch", "threads", "samples_per_sec", "ms_per_step", "rates",
"cpu_samples_per_sec"} (the last per second of process CPU time: steadier on a loaded machine).
Run it with OPENBLAS_NUM_THREADS=1 (bench/lstm.ts does): OpenBLAS threads on top of torch's
OpenMP threads made a step ~20x slower on a 2-core machine.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn

VOCAB, DIM, UNITS, CLASSES, SEQ, BATCH = 1000, 64, 128, 10, 100, 64


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, DIM)
        self.lstm = nn.LSTM(DIM, UNITS, batch_first=True)
        self.dense = nn.Linear(UNITS, CLASSES)

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x))
        return self.dense(out[:, -1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--windows", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(torch.randint(0, VOCAB, (BATCH, SEQ)), torch.randint(0, CLASSES, (BATCH,))) for _ in range(8)]

    def step(i):
        x, y = batches[i % len(batches)]
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    for i in range(args.warmup):
        step(i)
    rates = []
    cpu_rates = []
    for w in range(args.windows):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for i in range(args.window):
            step(i)
        rate = args.window * BATCH / (time.perf_counter() - t0)
        rates.append(rate)
        cpu_rates.append(args.window * BATCH / (time.process_time() - c0))
        print(f"torch window {w + 1}/{args.windows}: {rate:.1f} samples/s", file=sys.stderr, flush=True)
    sps = statistics.median(rates)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "samples_per_sec": sps,
                      "ms_per_step": 1000 * BATCH / sps, "rates": rates,
                      "cpu_samples_per_sec": statistics.median(cpu_rates)}))


if __name__ == "__main__":
    main()
