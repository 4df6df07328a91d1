"""PyTorch CPU time of one style-transfer optimisation step, as nabla's style-transfer app takes it
(src/apps/style-transfer/transfer.ts, Adam), for bench/style.ts.

Usage: /usr/bin/python3 bench/style_torch.py [--sizes 256,512] [--steps 3] [--warmup 1]
                                             [--threads 2] [--formats cf,cl]
Network: VGG19's convolutions written out by hand (torchvision is not needed): 3x3 'same' convs
with ReLU, 2x2 max-pools, blocks of 64, 128, 256x4, 512x4, 512 channels, up to block5_conv2 (the
deepest layer the app reads), seeded He-uniform weights (no ImageNet file; speed does not depend
on the values), weights frozen. Loss as the app: content = mean squared difference at
block5_conv2 (weight 1); style = sum over block{1..5}_conv1 of sum((G - A)^2) / (4 c^2) with
G = F^T F / (h w), times 0.05 / 5; total variation = mean(((x[i,j]-x[i+1,j])^2 +
(x[i,j]-x[i,j+1])^2)^1.25) (weight 1). A step = forward + backward to the image + one Adam (lr 5)
update of the image. Square images of each size; warm-up steps, then the median of the timed
steps, per memory format (cf = channels-first, cl = channels_last). Progress goes to stderr;
stdout ends with one JSON line.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# (block, convs, channels) of VGG19.
BLOCKS = [(1, 2, 64), (2, 2, 128), (3, 4, 256), (4, 4, 512), (5, 4, 512)]
CONTENT = "block5_conv2"
STYLE = ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"]


def make_vgg(mf):
    """[(name, weight, bias)] up to block5_conv2 with seeded He-uniform kernels."""
    layers, cin = [], 3
    for block, convs, cout in BLOCKS:
        for i in range(1, convs + 1):
            name = f"block{block}_conv{i}"
            limit = math.sqrt(6 / (9 * cin))
            w = (torch.rand(cout, cin, 3, 3) * 2 - 1) * limit
            layers.append((name, w.contiguous(memory_format=mf), torch.zeros(cout)))
            cin = cout
            if name == CONTENT:
                return layers
        layers.append(("pool", None, None))
    return layers


def features(layers, x):
    out = {}
    for name, w, b in layers:
        if name == "pool":
            x = F.max_pool2d(x, 2, 2)
        else:
            x = F.relu(F.conv2d(x, w, b, padding=1))
            out[name] = x
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return (m @ m.t()) / (h * w)


def tv_loss(x):
    a = (x[:, :, :-1, :-1] - x[:, :, 1:, :-1]) ** 2
    b = (x[:, :, :-1, :-1] - x[:, :, :-1, 1:]) ** 2
    return torch.mean((a + b) ** 1.25)


def measure(size, mf, args):
    torch.manual_seed(args.seed)
    layers = make_vgg(mf)
    content = ((torch.rand(1, 3, size, size) * 255) - 128).contiguous(memory_format=mf)
    style = ((torch.rand(1, 3, size, size) * 255) - 128).contiguous(memory_format=mf)
    with torch.no_grad():
        content_target = features(layers, content)[CONTENT]
        fs = features(layers, style)
        style_targets = [gram(fs[n]) for n in STYLE]
    image = content.clone().requires_grad_(True)
    adam = torch.optim.Adam([image], lr=5.0, eps=1e-7)

    def step():
        adam.zero_grad(set_to_none=True)
        f = features(layers, image)
        c = torch.mean((f[CONTENT] - content_target) ** 2)
        s = sum(torch.sum((gram(f[n]) - t) ** 2) / (4 * t.shape[0] ** 2) for n, t in zip(STYLE, style_targets))
        total = c + s * (0.05 / len(STYLE)) + tv_loss(image)
        total.backward()
        adam.step()
        return total.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    fmt = "channels_last" if mf == torch.channels_last else "channels_first"
    print(f"[{size} {fmt}] median {med:.3f} s/step (loss {loss:.4g})", file=sys.stderr, flush=True)
    return {"s_per_step": med, "s_min": min(times), "steps": len(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="256,512")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default="cf,cl")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",")]:
        res["sizes"][str(size)] = {}
        for name in args.formats.split(","):
            mf = torch.channels_last if name == "cl" else torch.contiguous_format
            res["sizes"][str(size)]["channels_last" if name == "cl" else "channels_first"] = measure(size, mf, args)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
