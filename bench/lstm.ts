// Training throughput of a small LSTM text classifier: Embedding(1000, 64) -> LSTM(128) (last
// output) -> Dense(10), Adam lr 1e-3 eps 1e-7, softmax cross-entropy from logits, batch 64,
// sequences of 100 token ids: nabla (native, optionally js) and PyTorch (bench/lstm_torch.py, run
// with /usr/bin/python3; skipped with a note when torch is missing) in one run, same protocol:
// warm-up steps, then timed windows of consecutive steps, median samples/s (wall clock, and per
// second of process CPU time, which holds steadier when other work shares the machine).
//   npm run bench -- lstm [--windows 3] [--window 10] [--threads N] [--js]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { printTable } from './util.js';

const VOCAB = 1000;
const DIM = 64;
const UNITS = 128;
const CLASSES = 10;
const SEQ = 100;
const BATCH = 64;
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const WINDOWS = opt('windows', 3);
const WINDOW = opt('window', 10);
const here = dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seeded random token ids and labels: a step's speed does not depend on the values. */
function batches(count: number): [nb.Tensor, nb.Tensor][] {
  nb.setSeed(0);
  return Array.from({ length: count }, () => [
    nb.cast(nb.floor(nb.randomUniform([BATCH, SEQ], 0, VOCAB - 1e-3)), 'int32'),
    nb.cast(nb.floor(nb.randomUniform([BATCH], 0, CLASSES - 1e-3)), 'int32'),
  ]);
}

/** Seconds of CPU time this process has used (all threads). */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function nablaThroughput(data: [nb.Tensor, nb.Tensor][], warmup: number, window: number, windows: number): { sps: number; cpuSps: number } {
  nb.setSeed(0);
  const L = nb.keras.layers;
  const model = nb.keras.sequential([L.embedding({ inputDim: VOCAB, outputDim: DIM, inputShape: [SEQ] }), L.lstm({ units: UNITS }), L.dense({ units: CLASSES })]);
  model.compile({
    optimizer: nb.keras.optimizers.adam({ learningRate: 1e-3, epsilon: 1e-7 }),
    loss: new nb.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
  });
  for (let i = 0; i < warmup; i++) model.trainOnBatch(...data[i % data.length]!);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    const c0 = cpuSeconds();
    for (let i = 0; i < window; i++) model.trainOnBatch(...data[(warmup + i) % data.length]!);
    rates.push((window * BATCH) / ((performance.now() - t0) / 1000));
    cpuRates.push((window * BATCH) / (cpuSeconds() - c0));
    console.error(`nabla ${nb.getBackend()} window ${w + 1}/${windows}: ${rates.at(-1)!.toFixed(1)} samples/s`);
  }
  return { sps: median(rates), cpuSps: median(cpuRates) };
}

function torchThroughput(threads: number): { sps: number; cpuSps: number; version: string } | { skipped: string } {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skipped: 'python3 cannot import torch (apt-get install python3-torch)' };
  const r = spawnSync('/usr/bin/python3', [join(here, 'lstm_torch.py'), '--threads', String(threads), '--window', String(WINDOW), '--windows', String(WINDOWS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // OpenBLAS's own thread pool fights torch's OpenMP threads for the cores (on 2 cores a step
    // took 2 s instead of 0.1 s); torch's threads already parallelise, so OpenBLAS gets one.
    env: { OPENBLAS_NUM_THREADS: '1', ...process.env },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { samples_per_sec: number; cpu_samples_per_sec: number; torch: string };
    return { sps: json.samples_per_sec, cpuSps: json.cpu_samples_per_sec, version: json.torch };
  } catch {
    return { skipped: `PyTorch run failed (status ${r.status}): ${last.slice(-300)}` };
  }
}

const hasNative = nb.listBackends().includes('native');
const threads = opt('threads', hasNative ? nb.nativeInfo().threads || 2 : 2);
const data = batches(8);
const figures: Record<string, number | string | null> = { bench: 'lstm', batch: BATCH, seq_length: SEQ, vocab: VOCAB, embedding_dim: DIM, units: UNITS, threads };
const rows: Record<string, string | number>[] = [];

nb.setBackend(hasNative ? 'native' : 'js');
const nabla = nablaThroughput(data, 2, WINDOW, WINDOWS);
figures['nabla_backend'] = nb.getBackend();
figures['nabla_samples_per_s'] = nabla.sps;
figures['nabla_cpu_samples_per_s'] = nabla.cpuSps;
rows.push({ contender: `nabla ${nb.getBackend()}`, samplesPerSec: nabla.sps, msPerStep: (1000 * BATCH) / nabla.sps, perCpuSecond: nabla.cpuSps });
if (args.includes('--js') && hasNative) {
  nb.setBackend('js');
  const js = nablaThroughput(data, 1, Math.max(2, Math.floor(WINDOW / 5)), WINDOWS);
  figures['nabla_js_samples_per_s'] = js.sps;
  rows.push({ contender: 'nabla js', samplesPerSec: js.sps, msPerStep: (1000 * BATCH) / js.sps, perCpuSecond: js.cpuSps });
  nb.setBackend('native');
}
const torch = torchThroughput(threads);
if ('sps' in torch) {
  figures['torch_samples_per_s'] = torch.sps;
  figures['torch_version'] = torch.version;
  figures['torch_cpu_samples_per_s'] = torch.cpuSps;
  figures['ratio'] = nabla.sps / torch.sps;
  figures['ratio_cpu'] = nabla.cpuSps / torch.cpuSps;
  rows.push({ contender: `pytorch ${torch.version}`, samplesPerSec: torch.sps, msPerStep: (1000 * BATCH) / torch.sps, perCpuSecond: torch.cpuSps });
} else {
  figures['torch_samples_per_s'] = null;
  figures['ratio'] = null;
  figures['ratio_cpu'] = null;
  figures['torch_skipped'] = torch.skipped;
  rows.push({ contender: 'pytorch', samplesPerSec: 'skipped', msPerStep: 'n/a', perCpuSecond: 'n/a' });
}
printTable(rows);
console.log(
  figures['ratio'] === null
    ? `ratio nabla/pytorch: n/a (${figures['torch_skipped']})`
    : `ratio nabla/pytorch: ${(figures['ratio'] as number).toFixed(3)} wall-clock, ${(figures['ratio_cpu'] as number).toFixed(3)} per CPU-second (steadier on a loaded machine)`,
);
console.log(JSON.stringify(figures));
