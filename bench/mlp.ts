// Training throughput of the Keras MLP 784-512-256-10 (ReLU, Adam lr 1e-3 eps 1e-7, batch 128,
// softmax cross-entropy) on Fashion-MNIST: nabla native, nabla js, TensorFlow.js cpu and PyTorch
// (../shared/bench/pytorch/mlp.py, OpenBLAS) in one run, same protocol as the PyTorch script:
// warm-up batches, then timed windows of consecutive batches, median samples/s.
//   npm run bench -- mlp [--windows 3] [--window 30]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { printTable } from './util.js';

const BATCH = 128;
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const WINDOWS = opt('windows', 3);
const WINDOW = opt('window', 30);

function sharedFashionDir(): string | null {
  const candidates = [process.env['FMNIST_DIR'], join(process.cwd(), '..', 'shared', 'data', 'fashion-mnist'), '/work/shared/data/fashion-mnist', '/usr/share/datasets/fashion-mnist'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(join(c!, 'train-images-idx3-ubyte.gz'))) ?? null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Consecutive batches of real data (or seeded noise when the dataset is absent). */
function batches(count: number): [nb.Tensor, nb.Tensor][] {
  const dir = sharedFashionDir();
  let x: nb.Tensor, y: nb.Tensor;
  if (dir) {
    const { train } = nb.datasets.fashionMnist.load({ path: dir });
    const n = count * BATCH;
    x = nb.div(nb.reshape(nb.cast(nb.slice(train[0], [0, 0, 0], [n, 28, 28]), 'float32'), [n, 784]), 255);
    y = nb.slice(train[1], [0], [n]);
  } else {
    x = nb.randomUniform([count * BATCH, 784]);
    y = nb.cast(nb.floor(nb.randomUniform([count * BATCH], 0, 9.999)), 'int32');
  }
  return Array.from({ length: count }, (_, i) => [
    nb.slice(x, [i * BATCH, 0], [BATCH, 784]),
    nb.slice(y, [i * BATCH], [BATCH]),
  ]);
}

/** Samples/s of nabla's `trainOnBatch` on the active backend. */
function nablaThroughput(data: [nb.Tensor, nb.Tensor][], warmup: number, window: number, windows: number): number {
  nb.setSeed(0);
  const L = nb.keras.layers;
  const model = nb.keras.sequential([
    L.dense({ units: 512, activation: 'relu', inputShape: [784] }),
    L.dense({ units: 256, activation: 'relu' }),
    L.dense({ units: 10 }),
  ]);
  model.compile({
    optimizer: nb.keras.optimizers.adam({ learningRate: 1e-3, epsilon: 1e-7 }),
    loss: new nb.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
  });
  for (let i = 0; i < warmup; i++) model.trainOnBatch(...data[i % data.length]!);
  const rates: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < window; i++) model.trainOnBatch(...data[(warmup + i) % data.length]!);
    rates.push((window * BATCH) / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

async function tfjsThroughput(data: [nb.Tensor, nb.Tensor][], warmup: number, window: number, windows: number): Promise<number> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  const tfData = data.map(([x, y]) => [tf.tensor2d(x.dataSync() as Float32Array, [BATCH, 784]), tf.tensor1d(y.dataSync() as Int32Array, 'int32')] as const);
  const step = ([x, y]: readonly [tf.Tensor2D, tf.Tensor1D]) =>
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), model.apply(x) as tf.Tensor2D) as tf.Scalar);
    });
  for (let i = 0; i < warmup; i++) step(tfData[i % tfData.length]!);
  const rates: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < window; i++) step(tfData[(warmup + i) % tfData.length]!);
    rates.push((window * BATCH) / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function torchThroughput(): { samplesPerSec: number; threads: number } | { skipped: string } {
  const script = join(process.cwd(), '..', 'shared', 'bench', 'pytorch', 'mlp.py');
  const alt = '/work/shared/bench/pytorch/mlp.py';
  const path = existsSync(script) ? script : existsSync(alt) ? alt : null;
  if (!path) return { skipped: 'PyTorch reference script not found (../shared/bench/pytorch/mlp.py)' };
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: 'python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)' };
  const dir = sharedFashionDir();
  const r = spawnSync('/usr/bin/python3', [path, '--epochs', '0'], {
    encoding: 'utf8',
    cwd: join(path, '..'),
    env: { ...process.env, ...(dir ? { FMNIST_DIR: dir } : {}), ANCHOR_THREADS: String(nb.nativeInfo().threads || 2) },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { train: { samples_per_sec: number } };
    return { samplesPerSec: json.train.samples_per_sec, threads: nb.nativeInfo().threads || 2 };
  } catch {
    return { skipped: `PyTorch run failed: ${(r.stderr || last).slice(-300)}` };
  }
}

const data = batches(40);
const figures: Record<string, number | string | null> = { batch: BATCH };
const rows: Record<string, string | number>[] = [];

const torch = torchThroughput();
const torchSps = 'samplesPerSec' in torch ? torch.samplesPerSec : null;
figures['torchSamplesPerSec'] = torchSps;
if (!torchSps) figures['torchSkipped'] = (torch as { skipped: string }).skipped;

let nativeSps: number | null = null;
if (nb.listBackends().includes('native')) {
  nb.setBackend('native');
  nativeSps = nablaThroughput(data, 5, WINDOW, WINDOWS);
}
nb.setBackend('js');
const jsSps = nablaThroughput(data, 2, Math.max(3, Math.floor(WINDOW / 6)), WINDOWS);
if (nb.listBackends().includes('native')) nb.setBackend('native');
const tfjsSps = await tfjsThroughput(data, 1, 2, 2);

figures['nativeSamplesPerSec'] = nativeSps;
figures['jsSamplesPerSec'] = jsSps;
figures['tfjsSamplesPerSec'] = tfjsSps;
figures['ratioVsTorch'] = nativeSps && torchSps ? nativeSps / torchSps : null;
figures['ratioVsTfjs'] = nativeSps ? nativeSps / tfjsSps : null;
figures['jsRatioVsTfjs'] = jsSps / tfjsSps;

rows.push({ contender: 'nabla native', samplesPerSec: nativeSps ?? 'n/a', msPerStep: nativeSps ? (1000 * BATCH) / nativeSps : 'n/a' });
rows.push({ contender: 'nabla js', samplesPerSec: jsSps, msPerStep: (1000 * BATCH) / jsSps });
rows.push({ contender: 'tfjs cpu', samplesPerSec: tfjsSps, msPerStep: (1000 * BATCH) / tfjsSps });
rows.push({ contender: 'pytorch', samplesPerSec: torchSps ?? 'skipped', msPerStep: torchSps ? (1000 * BATCH) / torchSps : 'n/a' });
printTable(rows);
console.log(`ratioVsTorch ${figures['ratioVsTorch'] ?? 'n/a'}   ratioVsTfjs ${figures['ratioVsTfjs'] ?? 'n/a'}`);
console.log(JSON.stringify({ bench: 'mlp', ...figures }));
