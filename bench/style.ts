// Seconds per style-transfer optimisation step (VGG19 forward + backward to the image with the
// app's content + Gram style + total-variation loss, then one Adam update of the image) at each
// square size: nabla (the step of `nabla style-transfer`: styleTransfer() from
// src/apps/style-transfer with weights 'random', i.e. seeded random VGG19 features) against
// PyTorch (bench/style_torch.py: the same VGG19 convolutions written by hand, same layers and
// losses, random weights, the faster of channels-first and channels_last) in one run. Protocol for
// both: warm-up steps, then the median of N timed steps.
//   npm run bench -- style [--sizes 256,512] [--steps 3] [--warmup 1]
// 512x512 takes several seconds per step on 2 cores: keep --steps small.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { styleTransfer } from '../src/apps/style-transfer/index.js';
import { printTable } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const usage = (msg: string): never => {
  console.error(`bench style: ${msg}\nusage: npm run bench -- style [--sizes 256,512] [--steps 3] [--warmup 1]`);
  process.exit(2);
};
const optInt = (name: string, dflt: number, min: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < min) usage(`--${name} must be an integer >= ${min}, got ${String(args[i + 1])}.`);
  return v;
};
const STEPS = optInt('steps', 3, 1);
const WARMUP = optInt('warmup', 1, 0);
const sizesArg = args.includes('--sizes') ? (args[args.indexOf('--sizes') + 1] ?? '') : '256,512';
const SIZES = sizesArg.split(',').map(Number);
if (SIZES.some((s) => !Number.isInteger(s) || s < 32)) usage(`--sizes must be comma-separated integers >= 32 (VGG19 needs 32 pixels per side), got ${JSON.stringify(sizesArg)}.`);

/** Median (the mean of the middle two for an even count, as Python's statistics.median). */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Median seconds per Adam step of styleTransfer() at `size`x`size` with random features. The app
 * logs a cumulative time after each step; step k's share (k >= 1) is one Adam update plus one
 * forward + backward, except the last step, which only evaluates the losses. So it runs
 * WARMUP + STEPS + 1 steps and takes the median of the deltas of steps WARMUP+1 .. WARMUP+STEPS.
 */
async function nablaSecondsPerStep(size: number): Promise<{ seconds: number; loss: number }> {
  nb.setSeed(0);
  const image = () => nb.mul(nb.randomUniform([size, size, 3]), 255);
  const result = await styleTransfer({ content: image(), style: image(), size, steps: WARMUP + STEPS + 1, weights: 'random', seed: 42 });
  const h = result.history;
  const deltas = h.slice(WARMUP + 1, WARMUP + STEPS + 1).map((e) => e.seconds - h[e.step - 1]!.seconds);
  return { seconds: median(deltas), loss: h[h.length - 1]!.total };
}

type TorchSizes = Record<string, Record<string, { s_per_step: number }>>;

function torchSecondsPerStep(threads: number): { sizes: TorchSizes; version: string } | { skipped: string } {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: '/usr/bin/python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)' };
  const r = spawnSync(
    '/usr/bin/python3',
    [join(here, 'style_torch.py'), '--sizes', SIZES.join(','), '--threads', String(threads), '--warmup', String(WARMUP), '--steps', String(STEPS)],
    // OpenBLAS threads on top of torch's OpenMP threads oversubscribe a small machine (see bench/lstm.ts).
    { encoding: 'utf8', env: { OPENBLAS_NUM_THREADS: '1', ...process.env }, maxBuffer: 1 << 24 },
  );
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { torch: string; sizes: TorchSizes };
    return { sizes: json.sizes, version: json.torch };
  } catch {
    return { skipped: `PyTorch run failed: ${(r.stderr || last).slice(-300)}` };
  }
}

const hasNative = nb.listBackends().includes('native');
nb.setBackend(hasNative ? 'native' : 'js');
const threads = hasNative ? nb.nativeInfo().threads || 2 : 1;

const torch = torchSecondsPerStep(threads);
const figures: Record<string, number | string | null> = { bench: 'style', backend: nb.getBackend(), threads, steps: STEPS, warmup: WARMUP };
if ('skipped' in torch) figures['torch_skipped'] = torch.skipped;
const rows: Record<string, string | number>[] = [];
for (const size of SIZES) {
  const nabla = await nablaSecondsPerStep(size);
  const formats = 'sizes' in torch ? Object.entries(torch.sizes[String(size)] ?? {}).sort((a, b) => a[1].s_per_step - b[1].s_per_step) : [];
  const best = formats[0] ?? null;
  const torchS = best ? best[1].s_per_step : null;
  figures[`nabla_s_per_step_${size}`] = nabla.seconds;
  figures[`torch_s_per_step_${size}`] = torchS;
  figures[`torch_format_${size}`] = best ? best[0] : null;
  figures[`ratio_${size}`] = torchS !== null ? torchS / nabla.seconds : null;
  rows.push({
    size: `${size}x${size}`,
    nablaSecondsPerStep: nabla.seconds,
    torchSecondsPerStep: torchS ?? 'skipped',
    torchFormat: best ? best[0] : 'n/a',
    otherTorchFormat: formats[1] ? `${formats[1][0]} ${formats[1][1].s_per_step.toFixed(3)}` : 'n/a',
    ratio: torchS !== null ? torchS / nabla.seconds : 'n/a',
  });
}
printTable(rows);
if ('skipped' in torch) console.log(`pytorch skipped: ${torch.skipped}`);
else console.log(`pytorch ${torch.version}: bench/style_torch.py, hand-written VGG19 convs, random weights`);
console.log(`nabla ${nb.getBackend()} (${threads} thread(s)): styleTransfer({weights: 'random'}), Adam; median of ${STEPS} steps after ${WARMUP} warm-up`);
console.log('ratio = torch s / nabla s (>1 means nabla faster)');
console.log(JSON.stringify(figures));
