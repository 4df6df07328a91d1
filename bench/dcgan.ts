// Time of one DCGAN training step (one discriminator and one generator update, batch 64, 28x28):
// nabla (the step of `nabla train dcgan`: buildDcgan + dcganTrainStep from src/apps/dcgan/model.ts)
// against PyTorch (bench/dcgan_torch.py: the app's exact architecture and step, the faster of its
// variants: channels-first / channels_last, each with nn.ConvTranspose2d and with the transposed
// convolutions as conv2d over zero-stuffed inputs, which avoids PyTorch 1.13's slow CPU
// slow_conv_transpose2d path; the ratio uses the fastest) in one run. Protocol for both: warm-up
// steps, then the median of N timed steps.
//   npm run bench -- dcgan [--steps 10] [--warmup 3] [--filters 64]
// ../shared/bench/pytorch/dcgan_step.py is NOT used: its model differs from the app's (4x4
// kernels, G with two transposed convs from 7x7x128, BatchNorm in D, no Dropout, three D forwards
// per step), so bench/dcgan_torch.py rebuilds the app's model layer for layer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { buildDcgan, dcganTrainStep } from '../src/apps/dcgan/model.js';
import { printTable } from './util.js';

const BATCH = 64;
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < (name === 'warmup' ? 0 : 1)) {
    console.error(`bench dcgan: --${name} must be a ${name === 'warmup' ? 'non-negative' : 'positive'} integer, got ${String(args[i + 1])}.`);
    process.exit(2);
  }
  return v;
};
const STEPS = opt('steps', 10);
const WARMUP = opt('warmup', 3);
const FILTERS = opt('filters', 64);

/** Median (the mean of the middle two for an even count, as Python's statistics.median). */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function sharedFashionDir(): string | null {
  const candidates = [process.env['FMNIST_DIR'], join(process.cwd(), '..', 'shared', 'data', 'fashion-mnist'), '/work/shared/data/fashion-mnist', '/usr/share/datasets/fashion-mnist'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(join(c!, 'train-images-idx3-ubyte.gz'))) ?? null;
}

/** Real batches in [-1, 1] as the GAN apps scale them, or seeded noise when Fashion-MNIST is absent. */
function realBatches(count: number): { batches: nb.Tensor[]; real: boolean } {
  const dir = sharedFashionDir();
  const n = count * BATCH;
  let x: nb.Tensor;
  if (dir) {
    const { train } = nb.datasets.fashionMnist.load({ path: dir });
    x = nb.sub(nb.div(nb.cast(nb.expandDims(nb.slice(train[0], [0, 0, 0], [n, 28, 28]), 3), 'float32'), 127.5), 1);
  } else {
    x = nb.sub(nb.mul(nb.randomUniform([n, 28, 28, 1]), 2), 1);
  }
  return { batches: Array.from({ length: count }, (_, i) => nb.slice(x, [i * BATCH, 0, 0, 0], [BATCH, 28, 28, 1])), real: dir !== null };
}

/** Median ms of `dcganTrainStep` on the active backend after `warmup` steps. */
function nablaMsPerStep(batches: nb.Tensor[]): { ms: number; dLoss: number; gLoss: number } {
  nb.setSeed(0);
  const gan = buildDcgan({ filters: FILTERS });
  for (let i = 0; i < WARMUP; i++) dcganTrainStep(gan, batches[i % batches.length]!);
  const times: number[] = [];
  let last = { dLoss: NaN, gLoss: NaN };
  for (let i = 0; i < STEPS; i++) {
    const t0 = performance.now();
    last = dcganTrainStep(gan, batches[(WARMUP + i) % batches.length]!);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), ...last };
}

/** Fastest PyTorch variant overall, and fastest with nn.ConvTranspose2d itself (no zero-stuffing). */
type TorchResult = { ms: number; format: string; plainMs: number | null; plainFormat: string | null; version: string } | { skipped: string };

function torchMsPerStep(threads: number): TorchResult {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: '/usr/bin/python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)' };
  const r = spawnSync(
    '/usr/bin/python3',
    [join(here, 'dcgan_torch.py'), '--filters', String(FILTERS), '--threads', String(threads), '--warmup', String(WARMUP), '--steps', String(STEPS)],
    // OpenBLAS threads on top of torch's OpenMP threads oversubscribe a small machine (see bench/lstm.ts).
    { encoding: 'utf8', env: { OPENBLAS_NUM_THREADS: '1', ...process.env }, maxBuffer: 1 << 24 },
  );
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { torch: string; formats: Record<string, { ms_per_step: number }> };
    const sorted = Object.entries(json.formats).sort((a, b) => a[1].ms_per_step - b[1].ms_per_step);
    const [format, best] = sorted[0]!;
    const plain = sorted.find(([name]) => !name.includes('stuffed')) ?? null;
    return { ms: best.ms_per_step, format, plainMs: plain ? plain[1].ms_per_step : null, plainFormat: plain ? plain[0] : null, version: json.torch };
  } catch {
    return { skipped: `PyTorch run failed: ${(r.stderr || last).slice(-300)}` };
  }
}

const hasNative = nb.listBackends().includes('native');
nb.setBackend(hasNative ? 'native' : 'js');
const threads = hasNative ? nb.nativeInfo().threads || 2 : 1;
const { batches, real } = realBatches(Math.max(4, Math.min(WARMUP + STEPS, 40)));

const torch = torchMsPerStep(threads);
const nabla = nablaMsPerStep(batches);
const torchMs = 'ms' in torch ? torch.ms : null;

const figures = {
  bench: 'dcgan',
  batch: BATCH,
  filters: FILTERS,
  steps: STEPS,
  warmup: WARMUP,
  threads,
  backend: nb.getBackend(),
  data: real ? 'fashion-mnist' : 'noise (Fashion-MNIST not found)',
  nabla_ms_per_step: nabla.ms,
  torch_ms_per_step: torchMs,
  torch_format: 'format' in torch ? torch.format : null,
  torch_convtranspose_ms_per_step: 'plainMs' in torch ? torch.plainMs : null,
  torch_convtranspose_format: 'plainFormat' in torch ? torch.plainFormat : null,
  torch_skipped: 'skipped' in torch ? torch.skipped : null,
  ratio: torchMs !== null ? torchMs / nabla.ms : null,
};

printTable([
  { contender: `nabla ${figures.backend}`, msPerStep: nabla.ms, imagesPerSec: (1000 * BATCH) / nabla.ms, model: 'src/apps/dcgan (app step)' },
  {
    contender: 'format' in torch ? `pytorch ${torch.version} (${torch.format})` : 'pytorch',
    msPerStep: torchMs ?? 'skipped',
    imagesPerSec: torchMs !== null ? (1000 * BATCH) / torchMs : 'n/a',
    model: 'bench/dcgan_torch.py (same architecture)',
  },
  ...('plainMs' in torch && torch.plainMs !== null && torch.plainFormat !== torch.format
    ? [{ contender: `pytorch nn.ConvTranspose2d (${torch.plainFormat})`, msPerStep: torch.plainMs, imagesPerSec: (1000 * BATCH) / torch.plainMs, model: 'same, slow_conv_transpose2d path' }]
    : []),
]);
if ('skipped' in torch) console.log(`pytorch skipped: ${torch.skipped}`);
console.log(`batch ${BATCH}, filters ${FILTERS}, ${threads} thread(s), median of ${STEPS} steps after ${WARMUP} warm-up; last nabla losses d ${nabla.dLoss.toFixed(3)} g ${nabla.gLoss.toFixed(3)}`);
console.log("pytorch 'stuffed' = transposed convs computed as conv2d over zero-stuffed inputs (same result; faster than nn.ConvTranspose2d's slow_conv_transpose2d on CPU)");
console.log('note: ../shared/bench/pytorch/dcgan_step.py has a different model (4x4 kernels, 2 ConvT, BN in D, no Dropout) and is not used');
console.log(`ratio (torch ms / nabla ms, >1 means nabla faster): ${figures.ratio === null ? 'n/a' : figures.ratio.toFixed(3)}`);
console.log(JSON.stringify(figures));
