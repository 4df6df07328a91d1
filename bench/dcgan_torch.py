"""PyTorch CPU time of one DCGAN training step with the exact architecture of nabla's DCGAN app
(src/apps/dcgan/model.ts, the TensorFlow tutorial's model), for bench/dcgan.ts.

Usage: /usr/bin/python3 bench/dcgan_torch.py [--filters 64] [--threads 2] [--warmup 3] [--steps 10]
                                             [--formats cf,cl,cfs,cls]
G: z(100) -> Linear(7*7*4f, no bias) -> BatchNorm1d -> LeakyReLU(0.3) -> view 4f x 7 x 7
   -> ConvT(4f->2f, 5, s1, 'same', no bias) -> BN -> LeakyReLU -> ConvT(2f->f, 5, s2, 'same', no bias)
   -> BN -> LeakyReLU -> ConvT(f->1, 5, s2, 'same', no bias) -> tanh
D: Conv(1->f, 5, s2, 'same') -> LeakyReLU(0.3) -> Dropout(0.3) -> Conv(f->2f, 5, s2, 'same')
   -> LeakyReLU -> Dropout(0.3) -> Flatten -> Linear(1) (logit)
Step (the tutorial's train_step, as the app): one G forward, D on the real and on the fake batch,
BCE-with-logits losses, the G gradient of the G loss and the D gradient of the D loss from the same
graph, one Adam(2e-4, beta1 0.5) update per network. Batch 64; real images are seeded uniform
noise in [-1, 1] (the speed of a step does not depend on the values). Warm-up steps, then the
median of the timed steps, for each variant: cf = channels-first, cl = channels_last, and cfs / cls
the same with the transposed convolutions computed as conv2d over zero-stuffed inputs
(stuffed_conv_transpose: same result, oneDNN kernels instead of slow_conv_transpose2d).
Progress goes to stderr; stdout ends with one JSON line.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, NOISE = 64, 100


class Generator(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f
        self.fc = nn.Linear(NOISE, 7 * 7 * 4 * f, bias=False)
        self.bn0 = nn.BatchNorm1d(7 * 7 * 4 * f, eps=1e-3, momentum=0.01)
        self.up1 = nn.ConvTranspose2d(4 * f, 2 * f, 5, stride=1, padding=2, bias=False)
        self.bn1 = nn.BatchNorm2d(2 * f, eps=1e-3, momentum=0.01)
        self.up2 = nn.ConvTranspose2d(2 * f, f, 5, stride=2, padding=2, output_padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(f, eps=1e-3, momentum=0.01)
        self.up3 = nn.ConvTranspose2d(f, 1, 5, stride=2, padding=2, output_padding=1, bias=False)

    def forward(self, z, mf, stuffed=False):
        up = stuffed_conv_transpose if stuffed else (lambda m, x: m(x))
        # Keras reshapes NHWC [7, 7, 4f]; the layout of the dense output does not change the cost.
        h = F.leaky_relu(self.bn0(self.fc(z)), 0.3).view(-1, 4 * self.f, 7, 7).contiguous(memory_format=mf)
        h = F.leaky_relu(self.bn1(up(self.up1, h)), 0.3)
        h = F.leaky_relu(self.bn2(up(self.up2, h)), 0.3)
        return torch.tanh(up(self.up3, h))


def stuffed_conv_transpose(m, x):
    """m(x) for a bias-free ConvTranspose2d(k=5, 'same') computed as a plain conv2d (oneDNN path) over
    the zero-stuffed input with the flipped kernel: PyTorch 1.13's CPU ConvTranspose2d takes
    slow_conv_transpose2d, whose backward dominates the step."""
    s, p, op = m.stride[0], m.padding[0], m.output_padding[0]
    k = m.kernel_size[0]
    if s > 1:
        n, c, h, w = x.shape
        cl = x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous()
        z = x.new_zeros(n, c, (h - 1) * s + 1, (w - 1) * s + 1)
        z = z.contiguous(memory_format=torch.channels_last if cl else torch.contiguous_format)
        z[:, :, ::s, ::s] = x
        x = z
    lo, hi = k - 1 - p, k - 1 - p + op
    x = F.pad(x, (lo, hi, lo, hi))
    return F.conv2d(x, m.weight.flip(2, 3).transpose(0, 1))


class Discriminator(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.c1 = nn.Conv2d(1, f, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(f, 2 * f, 5, stride=2, padding=2)
        self.fc = nn.Linear(7 * 7 * 2 * f, 1)

    def forward(self, x):
        h = F.dropout(F.leaky_relu(self.c1(x), 0.3), 0.3, self.training)
        h = F.dropout(F.leaky_relu(self.c2(h), 0.3), 0.3, self.training)
        return self.fc(torch.flatten(h, 1))


def glorot_(module):
    """Keras defaults: glorot_uniform kernels, zero biases."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return module


def measure(args, mf, stuffed):
    torch.manual_seed(args.seed)
    G = glorot_(Generator(args.filters)).to(memory_format=mf)
    D = glorot_(Discriminator(args.filters)).to(memory_format=mf)
    g_params, d_params = list(G.parameters()), list(D.parameters())
    opt_g = torch.optim.Adam(g_params, lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
    opt_d = torch.optim.Adam(d_params, lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
    real = (torch.rand(BATCH, 1, 28, 28) * 2 - 1).contiguous(memory_format=mf)
    ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)

    def step():
        z = torch.randn(BATCH, NOISE)
        fake = G(z, mf, stuffed)
        real_out, fake_out = D(real), D(fake)
        g_loss = F.binary_cross_entropy_with_logits(fake_out, ones)
        d_loss = (F.binary_cross_entropy_with_logits(real_out, ones)
                  + F.binary_cross_entropy_with_logits(fake_out, zeros))
        g_grads = torch.autograd.grad(g_loss, g_params, retain_graph=True)
        d_grads = torch.autograd.grad(d_loss, d_params)
        for p, g in zip(g_params, g_grads):
            p.grad = g
        for p, g in zip(d_params, d_grads):
            p.grad = g
        opt_g.step()
        opt_d.step()
        return d_loss.item(), g_loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        d, g = step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"[{'channels_last' if mf == torch.channels_last else 'channels_first'}{' stuffed' if stuffed else ''}] median {1000 * med:.1f} ms/step "
          f"(d_loss {d:.3f}, g_loss {g:.3f})", file=sys.stderr, flush=True)
    return {"ms_per_step": 1000 * med, "ms_min": 1000 * min(times), "steps": len(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--filters", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default="cf,cl,cfs,cls")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": BATCH,
           "filters": args.filters, "formats": {}}
    for name in args.formats.split(","):
        mf = torch.channels_last if name.startswith("cl") else torch.contiguous_format
        key = ("channels_last" if name.startswith("cl") else "channels_first") + ("+stuffed" if name.endswith("s") else "")
        res["formats"][key] = measure(args, mf, name.endswith("s"))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
