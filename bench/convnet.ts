// Throughput of the Keras "mnist_convnet" (Conv2D 32 3x3 → MaxPool → Conv2D 64 3x3 → MaxPool →
// Flatten → Dropout 0.5 → Dense 10 softmax; Adam; batch 128) on Fashion-MNIST: training and
// inference samples/s for nabla native (the model of `nabla train mnist`), nabla js, TensorFlow.js
// cpu (same model, tf.train.adam, a few steps: it is slow) and PyTorch
// (../shared/bench/pytorch/convnet.py, the faster of its two memory formats), in one run, with the
// PyTorch script's protocol: warm-up batches, then timed windows of consecutive pre-sliced
// batches, median; inference in batches of 1000 over the 10k test images.
//   npm run bench -- convnet [--windows 3] [--window 30] [--tfjs-steps 1] [--epoch]
// --epoch also times one full training epoch over the 60k images (nabla native and PyTorch; about
// a minute each on 2 cores); without it the epoch time is estimated as 60000 / training samples/s.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { buildConvnet } from '../src/apps/mnist/model.js';
import { printTable } from './util.js';

const BATCH = 128;
const INFER_BATCH = 1000;
const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const WINDOWS = opt('windows', 3);
const WINDOW = opt('window', 30);
const FULL_EPOCH = args.includes('--epoch');
const TFJS_STEPS = opt('tfjs-steps', 1);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function sharedFashionDir(): string | null {
  const candidates = [process.env['FMNIST_DIR'], join(process.cwd(), '..', 'shared', 'data', 'fashion-mnist'), '/work/shared/data/fashion-mnist', '/usr/share/datasets/fashion-mnist'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(join(c!, 'train-images-idx3-ubyte.gz'))) ?? null;
}

interface Data {
  /** float32 [n, 28, 28, 1] pixel values 0..255 */
  xTrain: nb.Tensor;
  yTrain: nb.Tensor;
  xTest: nb.Tensor;
  yTest: nb.Tensor;
  real: boolean;
}

function loadData(): Data {
  const dir = sharedFashionDir();
  if (dir) {
    const { train, test } = nb.datasets.fashionMnist.load({ path: dir });
    const img = (x: nb.Tensor) => nb.expandDims(nb.cast(x, 'float32'), 3);
    return { xTrain: img(train[0]), yTrain: train[1], xTest: img(test[0]), yTest: test[1], real: true };
  }
  nb.setSeed(0);
  const noise = (n: number) => nb.mul(nb.randomUniform([n, 28, 28, 1]), 255);
  const labels = (n: number) => nb.cast(nb.floor(nb.randomUniform([n], 0, 9.999)), 'int32');
  return { xTrain: noise(6000), yTrain: labels(6000), xTest: noise(10000), yTest: labels(10000), real: false };
}

function batchesOf(x: nb.Tensor, y: nb.Tensor, size: number, count: number): [nb.Tensor, nb.Tensor][] {
  const n = x.shape[0]!;
  return Array.from({ length: Math.min(count, Math.floor(n / size)) }, (_, i) => [
    nb.slice(x, [i * size, 0, 0, 0], [size, 28, 28, 1]),
    nb.slice(y, [i * size], [size]),
  ]);
}

interface Figures {
  trainSps: number;
  inferSps: number;
  epochSeconds?: number;
}

function nablaThroughput(data: Data, warmup: number, window: number, windows: number, inferReps: number, inferBatches = 10): Figures {
  nb.setSeed(0);
  const model = buildConvnet([28, 28, 1], 10);
  const batches = batchesOf(data.xTrain, data.yTrain, BATCH, warmup + window);
  for (let i = 0; i < warmup; i++) model.trainOnBatch(...batches[i % batches.length]!);
  const rates: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < window; i++) model.trainOnBatch(...batches[(warmup + i) % batches.length]!);
    rates.push((window * BATCH) / ((performance.now() - t0) / 1000));
  }
  const infer = batchesOf(data.xTest, data.yTest, INFER_BATCH, inferBatches);
  model.predictOnBatch(infer[0]![0]);
  const inferRates: number[] = [];
  for (let r = 0; r < inferReps; r++) {
    const t0 = performance.now();
    for (const [x] of infer) (model.predictOnBatch(x) as nb.Tensor).dataSync();
    inferRates.push((infer.length * INFER_BATCH) / ((performance.now() - t0) / 1000));
  }
  return { trainSps: median(rates), inferSps: median(inferRates) };
}

/** One full epoch of `fit` (training only: no validation), wall seconds. */
async function nablaEpoch(data: Data): Promise<number> {
  nb.setSeed(0);
  const model = buildConvnet([28, 28, 1], 10);
  const t0 = performance.now();
  await model.fit(data.xTrain, data.yTrain, { epochs: 1, batchSize: BATCH, verbose: 0 });
  return (performance.now() - t0) / 1000;
}

async function tfjsThroughput(data: Data, steps: number): Promise<Figures> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.rescaling({ scale: 1 / 255, inputShape: [28, 28, 1] }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-7), loss: 'sparseCategoricalCrossentropy' });
  const toTf = ([x, y]: [nb.Tensor, nb.Tensor]) => [tf.tensor4d(x.dataSync() as Float32Array, [x.shape[0]!, 28, 28, 1]), tf.tensor1d(Array.from(y.dataSync()), 'float32')] as const;
  // tfjs's cpu backward convolutions take ~0.7 s per sample here, so one batch-128 step is over a
  // minute: warm up on a batch of 8 (kernels, optimizer slots), then time `steps` full batches.
  const batches = batchesOf(data.xTrain, data.yTrain, BATCH, steps).map(toTf);
  const [wx, wy] = toTf([nb.slice(data.xTrain, [0, 0, 0, 0], [8, 28, 28, 1]), nb.slice(data.yTrain, [0], [8])]);
  await model.trainOnBatch(wx, wy);
  const t0 = performance.now();
  for (const [x, y] of batches) await model.trainOnBatch(x, y);
  const trainSps = (steps * BATCH) / ((performance.now() - t0) / 1000);
  const [x] = toTf(batchesOf(data.xTest, data.yTest, INFER_BATCH, 1)[0]!);
  const inferRates: number[] = [];
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now();
    tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    inferRates.push(INFER_BATCH / ((performance.now() - t0) / 1000));
  }
  return { trainSps, inferSps: Math.max(...inferRates) };
}

interface TorchFormat {
  train: { samples_per_sec: number };
  infer: { samples_per_sec: number };
  fit?: { epoch_wall_s: number[] };
}

function torchThroughput(threads: number): (Figures & { format: string }) | { skipped: string } {
  const candidates = [join(process.cwd(), '..', 'shared', 'bench', 'pytorch', 'convnet.py'), '/work/shared/bench/pytorch/convnet.py'];
  const path = candidates.find((p) => existsSync(p));
  if (!path) return { skipped: 'PyTorch reference script not found (../shared/bench/pytorch/convnet.py)' };
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: 'python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)' };
  const dir = sharedFashionDir();
  if (!dir) return { skipped: 'Fashion-MNIST not found for the PyTorch script (set FMNIST_DIR)' };
  const r = spawnSync('/usr/bin/python3', [path, '--epochs', FULL_EPOCH ? '1' : '0', '--formats', 'cf,cl'], {
    encoding: 'utf8',
    cwd: join(path, '..'),
    env: { ...process.env, FMNIST_DIR: dir, ANCHOR_THREADS: String(threads) },
    maxBuffer: 1 << 24,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { formats: Record<string, TorchFormat> };
    const [format, best] = Object.entries(json.formats).sort((a, b) => b[1].train.samples_per_sec - a[1].train.samples_per_sec)[0]!;
    const inferSps = Math.max(...Object.values(json.formats).map((f) => f.infer.samples_per_sec));
    return { format, trainSps: best.train.samples_per_sec, inferSps, epochSeconds: best.fit?.epoch_wall_s[0] };
  } catch {
    return { skipped: `PyTorch run failed: ${(r.stderr || last).slice(-300)}` };
  }
}

const data = loadData();
const hasNative = nb.listBackends().includes('native');
const threads = hasNative ? nb.nativeInfo().threads || 2 : 2;

const torch = torchThroughput(threads);
const torchOk = 'trainSps' in torch ? torch : null;

let native: Figures | null = null;
if (hasNative) {
  nb.setBackend('native');
  native = nablaThroughput(data, 5, WINDOW, WINDOWS, 3);
  if (FULL_EPOCH && data.real) native.epochSeconds = await nablaEpoch(data);
}
nb.setBackend('js');
const js = nablaThroughput(data, 1, 2, 1, 1, 1);
if (hasNative) nb.setBackend('native');
const tfjs = await tfjsThroughput(data, TFJS_STEPS);

const ratio = (a: number | undefined, b: number | undefined): number | null => (a && b ? a / b : null);
const figures = {
  bench: 'convnet',
  batch: BATCH,
  data: data.real ? 'fashion-mnist' : 'noise (Fashion-MNIST not found)',
  threads,
  nativeTrainSamplesPerSec: native?.trainSps ?? null,
  nativeInferSamplesPerSec: native?.inferSps ?? null,
  nativeEpochSeconds: native ? (native.epochSeconds ?? 60000 / native.trainSps) : null,
  nativeEpochMeasured: native?.epochSeconds !== undefined,
  jsTrainSamplesPerSec: js.trainSps,
  jsInferSamplesPerSec: js.inferSps,
  tfjsTrainSamplesPerSec: tfjs.trainSps,
  tfjsInferSamplesPerSec: tfjs.inferSps,
  torchTrainSamplesPerSec: torchOk?.trainSps ?? null,
  torchInferSamplesPerSec: torchOk?.inferSps ?? null,
  torchEpochSeconds: torchOk ? (torchOk.epochSeconds ?? 60000 / torchOk.trainSps) : null,
  torchFormat: torchOk?.format ?? null,
  torchSkipped: torchOk ? null : (torch as { skipped: string }).skipped,
  ratioVsTorch: ratio(native?.trainSps, torchOk?.trainSps),
  ratioVsTfjs: ratio(native?.trainSps, tfjs.trainSps),
  inferRatioVsTorch: ratio(native?.inferSps, torchOk?.inferSps),
  inferRatioVsTfjs: ratio(native?.inferSps, tfjs.inferSps),
};

const na = (v: number | null | undefined): number | string => (v === null || v === undefined ? 'n/a' : v);
printTable([
  { contender: 'nabla native', trainSamplesPerSec: na(native?.trainSps), msPerStep: na(native && (1000 * BATCH) / native.trainSps), inferSamplesPerSec: na(native?.inferSps), epochSeconds: na(figures.nativeEpochSeconds) },
  { contender: 'nabla js', trainSamplesPerSec: js.trainSps, msPerStep: (1000 * BATCH) / js.trainSps, inferSamplesPerSec: js.inferSps, epochSeconds: 60000 / js.trainSps },
  { contender: 'tfjs cpu', trainSamplesPerSec: tfjs.trainSps, msPerStep: (1000 * BATCH) / tfjs.trainSps, inferSamplesPerSec: tfjs.inferSps, epochSeconds: 60000 / tfjs.trainSps },
  {
    contender: torchOk ? `pytorch (${torchOk.format})` : 'pytorch',
    trainSamplesPerSec: torchOk ? torchOk.trainSps : 'skipped',
    msPerStep: na(torchOk && (1000 * BATCH) / torchOk.trainSps),
    inferSamplesPerSec: na(torchOk?.inferSps),
    epochSeconds: na(figures.torchEpochSeconds),
  },
]);
console.log(`epochSeconds: ${FULL_EPOCH ? 'measured (nabla native, pytorch)' : 'estimated as 60000 / train samples/s (--epoch measures)'}`);
console.log(`ratioVsTorch ${figures.ratioVsTorch ?? 'n/a'}   ratioVsTfjs ${figures.ratioVsTfjs ?? 'n/a'}`);
console.log(JSON.stringify(figures));
