import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { rand } from '../util/gradcheck.js';

const L = nb.keras.layers;
const cb = nb.keras.callbacks;

/** A linearly separable 2-class problem: label = x0 + x1 > 0. */
function blobs(n: number, seed: number): [nb.Tensor, nb.Tensor] {
  const x = rand([n, 2], -1, 1, seed);
  const v = x.values;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = v[2 * i]! + v[2 * i + 1]! > 0 ? 1 : 0;
  return [x, nb.tensor(y, [n, 1])];
}

function classifier(): nb.keras.Sequential {
  return nb.keras.sequential([L.dense({ units: 8, activation: 'tanh', inputShape: [2] }), L.dense({ units: 1, activation: 'sigmoid' })]);
}

test('fit learns, reports loss/metrics per epoch with validation, and evaluate/predict agree', async () => {
  nb.setSeed(5);
  const [x, y] = blobs(256, 1);
  const m = classifier();
  m.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await m.fit(x, y, { epochs: 8, batchSize: 32, validationSplit: 0.25, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.equal(history.history['loss']!.length, 8);
  assert.ok(history.history['loss']![7]! < history.history['loss']![0]!, 'loss falls');
  assert.ok(history.history['val_accuracy']![7]! >= 0.9, `val accuracy ${history.history['val_accuracy']![7]}`);
  const result = m.evaluate(x, y, { batchSize: 64 });
  assert.ok(result['accuracy']! >= 0.9);
  const p = m.predict(x, { batchSize: 50 }) as nb.Tensor;
  assert.deepEqual(p.shape, [256, 1]);
  let correct = 0;
  for (let i = 0; i < 256; i++) if ((p.values[i]! > 0.5 ? 1 : 0) === y.values[i]) correct++;
  assert.ok(Math.abs(correct / 256 - result['accuracy']!) < 1e-6, 'evaluate accuracy equals accuracy of predict');
});

test('fit is reproducible under nb.setSeed (shuffling and initialisation)', async () => {
  const run = async () => {
    nb.setSeed(11);
    const [x, y] = blobs(64, 2);
    const m = classifier();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    return m.getWeights().map((w) => w.dataSync());
  };
  assert.deepEqual(await run(), await run());
});

test('callbacks: EarlyStopping restores best weights, CSVLogger, ModelCheckpoint saveBestOnly, LambdaCallback, TerminateOnNaN', async () => {
  nb.setSeed(9);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cb-'));
  const [x, y] = blobs(64, 3);
  const m = classifier();
  m.compile({ optimizer: nb.keras.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const seen: number[] = [];
  // A validation set the model cannot fit (labels flipped): val_loss rises while loss falls.
  const [vx, vy] = blobs(32, 4);
  const flipped = nb.sub(1, vy);
  const stop = new cb.EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
  let bestWeights: Float32Array[] = [];
  let best = Infinity;
  const history = await m.fit(x, y, {
    epochs: 30,
    batchSize: 16,
    verbose: 0,
    validationData: [vx, flipped],
    callbacks: [
      new cb.LambdaCallback({
        onEpochEnd: (epoch, logs) => {
          seen.push(epoch);
          if (logs!['val_loss']! < best) {
            best = logs!['val_loss']!;
            bestWeights = m.getWeights().map((w) => w.dataSync() as Float32Array);
          }
        },
      }),
      stop,
      new cb.CSVLogger(join(dir, 'log.csv')),
      new cb.ModelCheckpoint({ filepath: join(dir, 'best-{epoch:02d}.nabla'), monitor: 'val_loss', saveBestOnly: true }),
    ],
  });
  assert.ok(seen.length < 30, `stopped early after ${seen.length} epochs`);
  assert.equal(history.history['loss']!.length, seen.length);
  m.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), bestWeights[i], 'best weights restored'));
  const csv = readFileSync(join(dir, 'log.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'epoch,loss,val_loss');
  assert.equal(csv.length, seen.length + 1);
  assert.ok(existsSync(join(dir, 'best-01.nabla')));

  // A linear model on huge inputs with a huge step overflows to inf, then NaN, in the first epoch.
  const nanModel = nb.keras.sequential([L.dense({ units: 1, inputShape: [2] })]);
  nanModel.compile({ optimizer: nb.keras.optimizers.sgd({ learningRate: 1e30 }), loss: 'mse' });
  const h = await nanModel.fit(nb.mul(x, 1e20), y, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [new cb.TerminateOnNaN()] });
  assert.equal(h.history['loss']!.length, 1);
  assert.ok(!Number.isFinite(h.history['loss']![0]!));
});

test('ReduceLROnPlateau and LearningRateScheduler change the optimizer learning rate', async () => {
  nb.setSeed(2);
  const [x, y] = blobs(32, 5);
  const m = classifier();
  const opt = nb.keras.optimizers.sgd({ learningRate: 0.1 });
  m.compile({ optimizer: opt, loss: 'mse' });
  await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new cb.LearningRateScheduler((epoch) => 0.1 / (epoch + 1))] });
  assert.ok(Math.abs(opt.currentLearningRate() - 0.1 / 3) < 1e-9);
  const [vx, vy] = blobs(16, 6);
  const h = await m.fit(x, y, { epochs: 4, verbose: 0, validationData: [vx, nb.sub(1, vy)], callbacks: [new cb.ReduceLROnPlateau({ patience: 1, factor: 0.5 })] });
  assert.ok(opt.currentLearningRate() < 0.1 / 3, `lr reduced to ${opt.currentLearningRate()}`);
  assert.equal(h.history['lr']!.length, 4);
});

test('progress output: one Keras-style line per epoch when not a terminal', async () => {
  const [x, y] = blobs(40, 7);
  const m = classifier();
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const out: string[] = [];
  const stream = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream;
  await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [Object.assign(new cb.ProgbarLogger({ stream }), {})] });
  // verbose 0 silences the logger given explicitly too (it reads params.verbose)
  assert.equal(out.length, 0);
  const logger = new cb.ProgbarLogger({ stream });
  logger.setParams({ epochs: 2, steps: 3, samples: 40, batchSize: 16, verbose: 2, metrics: [] });
  logger.onEpochBegin(0);
  logger.onTrainBatchEnd(2, { loss: 0.5 });
  logger.onEpochEnd(0, { loss: 0.35123, accuracy: 0.87412 });
  assert.equal(out[0], 'Epoch 1/2\n');
  assert.match(out[1]!, /^3\/3 \[==============================\] - \d+(s|ms|us) \d+(s|ms|us)\/step - loss: 0\.3512 - accuracy: 0\.8741\n$/);
});

test('re-entrancy: predict and trainOnBatch alternate thousands of times, also inside callbacks, without memory growth', async () => {
  nb.setSeed(4);
  const m = nb.keras.sequential([L.dense({ units: 16, activation: 'relu', inputShape: [4] }), L.dense({ units: 2 })]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const s = rand([1, 4], -1, 1, 1);
  const xb = rand([8, 4], -1, 1, 2);
  const yb = rand([8, 2], -1, 1, 3);
  const loop = (n: number) => {
    for (let i = 0; i < n; i++) {
      m.predict(s);
      m.trainOnBatch(xb, yb);
    }
  };
  loop(1000);
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  loop(10000);
  if (global.gc) global.gc();
  const growth = (process.memoryUsage().rss - before) / 2 ** 20;
  assert.ok(growth < 64, `RSS grew ${growth.toFixed(1)} MiB over 10k predict+trainOnBatch pairs`);

  let inner = 0;
  await m.fit(xb, yb, {
    epochs: 2,
    verbose: 0,
    callbacks: [new cb.LambdaCallback({ onTrainBatchEnd: () => { m.predict(s); m.trainOnBatch(xb, yb); inner++; } })],
  });
  assert.equal(inner, 2);
});

test('bad input: uncompiled, wrong input shape, wrong label rank, unknown names — each names the culprit', async () => {
  const m = classifier();
  const [x, y] = blobs(8, 8);
  await assert.rejects(() => m.fit(x, y), /not compiled.*compile/);
  assert.throws(() => m.evaluate(x, y), /not compiled/);
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  assert.throws(() => m.trainOnBatch(rand([8, 3]), y), /expects input shape \[None, 2\].*\[8, 3\]/);
  assert.throws(() => m.predict(rand([8, 2, 1])), /expects input shape/);
  assert.throws(() => m.trainOnBatch(x, nb.ones([7, 1])), /8 samples.*7|7.*8/);

  const c = nb.keras.sequential([L.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
  c.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  assert.throws(() => c.trainOnBatch(x, nb.zeros([8])), /categorical.*sparse/i);
  assert.throws(() => c.compile({ optimizer: 'adamm', loss: 'mse' }), /adamm/);
  assert.throws(() => c.compile({ optimizer: 'adam', loss: 'msee' }), /msee/);
  assert.throws(() => L.dense({ units: 3, activation: 'relux' }), /relux/);
  assert.throws(() => c.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }), /acuracy/);
  await assert.rejects(() => c.fit(x, nb.zeros([8, 3]), { batchSize: 0 }), /batchSize/);
});

test('a custom GradientTape loop with optimizer.applyGradients matches fit exactly', async () => {
  const [x, y] = blobs(32, 12);
  const make = () => {
    nb.setSeed(31);
    return nb.keras.sequential([L.dense({ units: 4, activation: 'tanh', inputShape: [2] }), L.dense({ units: 1 })]);
  };
  const a = make();
  a.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
  await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });

  const b = make();
  const optimizer = nb.keras.optimizers.adam({ learningRate: 0.01 });
  const mse = new nb.keras.losses.MeanSquaredError();
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let start = 0; start < 32; start += 8) {
      const xb = nb.slice(x, [start, 0], [8, 2]);
      const yb = nb.slice(y, [start, 0], [8, 1]);
      const tape = new nb.GradientTape();
      const loss = tape.record(() => mse.apply(yb, b.apply(xb, { training: true }) as nb.Tensor));
      const grads = tape.gradient(loss, b.trainableWeights);
      optimizer.applyGradients(b.trainableWeights.map((w, i) => [grads[i]!, w] as const));
    }
  }
  b.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), a.getWeights()[i]!.dataSync(), `weight ${i}`));
});
