// fit/evaluate/predict run their steps through nb.function unless runEagerly: both paths must
// give the same numbers, trace once per batch shape, and fall back to eager where a trace would
// be wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose } from '../util/gradcheck.js';

const k = nb.keras;
const L = k.layers;

interface Run {
  model: nb.keras.Model;
  loss: number[];
  acc: number[];
  weights: number[][];
  evaluate: Record<string, number>;
  predict: number[];
}

/** Builds a model with `make` after setSeed(seed), trains it, evaluates and predicts. */
async function train(
  make: () => nb.keras.Model,
  runEagerly: boolean,
  data: { x: nb.Tensor; y: nb.Tensor },
  fit: Partial<nb.keras.FitArgs> = {},
  compile: Partial<nb.keras.CompileArgs> = {},
): Promise<Run> {
  nb.setSeed(11);
  const model = make();
  model.compile({
    optimizer: new k.optimizers.Adam({ learningRate: 0.01 }),
    loss: new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
    runEagerly,
    ...compile,
  });
  const h = await model.fit(data.x, data.y, { epochs: 3, batchSize: 16, verbose: 0, ...fit });
  return {
    model,
    loss: h.history.loss as number[],
    acc: h.history.accuracy as number[],
    weights: model.getWeights().map((w) => [...w.dataSync()]),
    evaluate: model.evaluate(data.x, data.y, { batchSize: 16, verbose: 0 }) as Record<string, number>,
    predict: [...(model.predict(data.x, { batchSize: 16 }) as nb.Tensor).dataSync()],
  };
}

function assertSameRun(traced: Run, eager: Run, tol = 1e-5): void {
  assertClose(nb.tensor(traced.loss), eager.loss, tol);
  assert.deepEqual(traced.acc, eager.acc);
  assert.equal(traced.weights.length, eager.weights.length);
  traced.weights.forEach((w, i) => assertClose(nb.tensor(w), eager.weights[i]!, tol));
  assertClose(nb.tensor(traced.evaluate.loss!), eager.evaluate.loss!, tol);
  assert.equal(traced.evaluate.accuracy, eager.evaluate.accuracy);
  assertClose(nb.tensor(traced.predict), eager.predict, tol);
}

function classification(n: number, shape: number[], classes: number): { x: nb.Tensor; y: nb.Tensor } {
  nb.setSeed(5);
  return { x: nb.randomNormal([n, ...shape]), y: nb.randomUniform([n], 0, classes, 'int32') };
}

const mlp = () =>
  k.sequential([
    L.dense({ units: 16, activation: 'relu', inputShape: [6] }),
    L.batchNormalization(),
    L.dropout({ rate: 0.4 }),
    L.dense({ units: 3 }),
  ]);

test('MLP with Dropout and BatchNormalization: traced fit/evaluate/predict equal the eager run', async () => {
  const data = classification(56, [6], 3); // 3 batches of 16 and one of 8
  const eager = await train(mlp, true, data);
  const traced = await train(mlp, false, data);
  assertSameRun(traced, eager);
  // BatchNormalization's moving statistics are updated by the traced step (not frozen at init).
  const movingMean = traced.model.getWeights()[4]!;
  assert.equal(movingMean.shape.join(), '16');
  assert.ok([...movingMean.dataSync()].some((v) => v !== 0), 'moving mean was updated');
  // Traced once per batch shape (16 and the last 8), not once per batch or per epoch.
  assert.deepEqual(traced.model.tracingCounts, { train: 2, test: 2, predict: 2 });
  assert.equal(traced.model.traceFallbackReason, null);
  assert.deepEqual(eager.model.tracingCounts, { train: 0, test: 0, predict: 0 });
});

test('Dropout draws a fresh mask at every traced step (not one folded in at trace time)', () => {
  nb.setSeed(2);
  const model = k.sequential([L.dropout({ rate: 0.5, inputShape: [40] }), L.dense({ units: 1, kernelInitializer: 'ones' })]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
  const x = nb.ones([4, 40]);
  const y = nb.zeros([4, 1]);
  const losses = [0, 1, 2].map(() => model.trainOnBatch(x, y) as number);
  assert.equal(model.tracingCounts.train, 1);
  assert.equal(new Set(losses).size, 3, `losses ${losses.join(', ')} should all differ`);
});

test('a small convnet trains the same traced and eagerly', async () => {
  const data = classification(24, [8, 8, 1], 2);
  const convnet = () =>
    k.sequential([
      L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dropout({ rate: 0.25 }),
      L.dense({ units: 2 }),
    ]);
  const eager = await train(convnet, true, data, { epochs: 2, batchSize: 8 });
  const traced = await train(convnet, false, data, { epochs: 2, batchSize: 8 });
  assertSameRun(traced, eager);
  assert.equal(traced.model.tracingCounts.train, 1);
});

test('learning-rate callbacks take effect in the traced path (the rate is not baked in)', async () => {
  const data = classification(32, [6], 3);
  const schedule = () => new k.callbacks.LearningRateScheduler((epoch) => 0.05 / (1 + 4 * epoch));
  const plateau = () => new k.callbacks.ReduceLROnPlateau({ monitor: 'loss', factor: 0.1, patience: 0, minDelta: 10 });
  for (const cb of [schedule, plateau]) {
    const eager = await train(mlp, true, data, { epochs: 3, callbacks: [cb()] });
    const traced = await train(mlp, false, data, { epochs: 3, callbacks: [cb()] });
    assertSameRun(traced, eager);
    const constant = await train(mlp, false, data, { epochs: 3 });
    assert.notDeepEqual(traced.weights[0], constant.weights[0], 'the callback changed training');
    assert.ok(traced.model.optimizer!.learningRate !== 0.01, 'the callback set a new rate');
  }
});

test('recompiling retraces: a new loss is used by the traced step', async () => {
  const data = classification(32, [6], 3);
  nb.setSeed(1);
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  await model.fit(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0 });
  assert.equal(model.tracingCounts.train, 1);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const oneHot = nb.oneHot(data.y, 3);
  const before = model.getWeights().map((w) => nb.tensor([...w.dataSync()], w.shape));
  nb.setSeed(7);
  const h = await model.fit(data.x, oneHot, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false });
  assert.equal(model.tracingCounts.train, 1, 'a fresh trace after compile');
  // The same step eagerly, from the same weights, gives the same loss.
  model.setWeights(before);
  model.compile({ optimizer: 'sgd', loss: 'mse', runEagerly: true });
  nb.setSeed(7);
  const h2 = await model.fit(data.x, oneHot, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false });
  assertClose(nb.tensor(h.history.loss as number[]), h2.history.loss as number[], 1e-5);
});

test('augmentation layers and seeded Dropout/GaussianNoise draw fresh values at every traced step', async () => {
  const data = classification(32, [6, 6, 1], 2);
  const augmented = () =>
    k.sequential([
      L.randomFlip({ mode: 'horizontal', inputShape: [6, 6, 1] }),
      L.randomRotation({ factor: 0.1, seed: 3 }),
      L.randomZoom({ heightFactor: 0.1 }),
      L.flatten(),
      L.gaussianNoise({ stddev: 0.1, seed: 2 }),
      L.dropout({ rate: 0.3, seed: 4 }),
      L.dense({ units: 2 }),
    ]);
  const eager = await train(augmented, true, data, { epochs: 2 });
  const traced = await train(augmented, false, data, { epochs: 2 });
  assertSameRun(traced, eager);
  assert.equal(traced.model.tracingCounts.train, 1);
  assert.equal(traced.model.traceFallbackReason, null);
  // Same batch, learning rate 0: every traced step sees a new flip/rotation/zoom/noise/mask.
  nb.setSeed(2);
  const model = augmented();
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = nb.slice(data.x, [0, 0, 0, 0], [4, 6, 6, 1]);
  const y = nb.slice(data.y, [0], [4]);
  const losses = [0, 1, 2].map(() => model.trainOnBatch(x, y) as number);
  assert.equal(model.tracingCounts.train, 1);
  assert.equal(new Set(losses).size, 3, `losses ${losses.join(', ')} should all differ`);
});

test('a layer that cannot be traced falls back to eager without an error', async () => {
  class HostScale extends L.Layer {
    static override readonly className = 'HostScale';
    override call(x: nb.Tensor | nb.Tensor[]): nb.Tensor {
      const t = Array.isArray(x) ? x[0]! : x;
      return nb.mul(t, 1 + Math.abs(t.dataSync()[0]!) * 0); // reads values: impossible on a graph tensor
    }
  }
  const data = classification(32, [6], 3);
  const make = () => k.sequential([L.dense({ units: 8, inputShape: [6] }), new HostScale(), L.dense({ units: 3 })]);
  const eager = await train(make, true, data, { epochs: 2 });
  const traced = await train(make, false, data, { epochs: 2 });
  assertSameRun(traced, eager);
  assert.match(traced.model.traceFallbackReason ?? '', /tracing failed/);
  assert.deepEqual(traced.model.tracingCounts, { train: 0, test: 0, predict: 0 });
  // A layer may also declare its hazard.
  class Jitter extends L.Layer {
    static override readonly className = 'Jitter';
    override traceHazard(): string {
      return 'Jitter reads Math.random in call';
    }
  }
  nb.setSeed(1);
  const m = k.sequential([L.dense({ units: 3, inputShape: [6] }), new Jitter()]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  m.trainOnBatch(data.x, nb.zeros([32, 3]));
  assert.match(m.traceFallbackReason ?? '', /Jitter reads Math.random/);
});

test('a traced step still reports target errors (run eagerly to get the real message)', async () => {
  nb.setSeed(1);
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = nb.randomNormal([8, 6]);
  await model.fit(x, nb.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32'), { epochs: 1, verbose: 0 });
  assert.equal(model.tracingCounts.train, 1);
  // Labels out of range are caught when the traced graph runs, with the loss op's message.
  assert.throws(() => model.trainOnBatch(x, nb.tensor([0, 1, 2, 3, 1, 2, 0, 1], [8], 'int32')), /label 3 at flat index 3 is outside the valid range \[0, 3\)/);
  assert.throws(() => model.trainOnBatch(x, nb.tensor([0, 1], [2], 'int32')), nb.ShapeError);
});

test('Embedding and LSTM with dropout masks: traced equals eager; bad indices still fail with the layer message', async () => {
  nb.setSeed(5);
  const data = { x: nb.randomUniform([24, 5], 0, 12, 'int32'), y: nb.randomUniform([24], 0, 2, 'int32') };
  const make = () =>
    k.sequential([
      L.embedding({ inputDim: 12, outputDim: 4, inputShape: [5] }),
      L.lstm({ units: 6, dropout: 0.3, recurrentDropout: 0.2 }),
      L.dense({ units: 2 }),
    ]);
  const eager = await train(make, true, data, { epochs: 2, batchSize: 8 });
  const traced = await train(make, false, data, { epochs: 2, batchSize: 8 });
  assertSameRun(traced, eager);
  assert.equal(traced.model.tracingCounts.train, 1);
  assert.equal(traced.model.traceFallbackReason, null);
  const bad = nb.tensor([[1, 2, 3, 4, 12]], [1, 5], 'int32');
  assert.throws(() => traced.model.predict(bad), /Embedding '.*': index 12 at position \[0,4\] of the input is out of range/);
  assert.ok(traced.model.tracingCounts.predict >= 2, 'the [1, 5] batch was traced');
});

test('freezing a layer without recompiling retraces (a frozen BatchNormalization uses its moving statistics)', () => {
  const data = classification(16, [6], 3);
  const run = (runEagerly: boolean) => {
    nb.setSeed(3);
    const model = k.sequential([L.dense({ units: 8, inputShape: [6] }), L.batchNormalization(), L.dense({ units: 3 })]);
    model.compile({ optimizer: 'sgd', loss: new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }), runEagerly });
    const losses = [model.trainOnBatch(data.x, data.y) as number];
    model.layers[1]!.trainable = false;
    losses.push(model.trainOnBatch(data.x, data.y) as number, model.trainOnBatch(data.x, data.y) as number);
    return { model, losses };
  };
  const eager = run(true);
  const traced = run(false);
  assertClose(nb.tensor(traced.losses), eager.losses, 1e-5);
  assert.equal(traced.model.tracingCounts.train, 1, 'a fresh trace after the flag changed, reused by the next step');
});

test(`after ${8} input shapes, new shapes run eagerly instead of tracing again`, () => {
  nb.setSeed(1);
  const model = k.sequential([L.dense({ units: 3, inputShape: [4] })]);
  const x = nb.randomNormal([10, 4]);
  for (let n = 1; n <= 10; n++) {
    const part = nb.slice(x, [0, 0], [n, 4]);
    assertClose(model.predict(part) as nb.Tensor, (model.apply(part) as nb.Tensor).arraySync() as number[][], 1e-6);
  }
  assert.equal(model.tracingCounts.predict, 8);
  assert.match(model.traceFallbackReason ?? '', /8 input shapes were traced already/);
  model.predict(nb.slice(x, [0, 0], [3, 4]));
  assert.equal(model.tracingCounts.predict, 8, 'a traced shape still runs its trace');
});

test('predict inside a GradientTape records nothing, traced or eager', () => {
  nb.setSeed(1);
  const model = k.sequential([L.dense({ units: 3, inputShape: [4] })]);
  const x = nb.randomNormal([5, 4]);
  model.predict(x);
  const tape = new nb.GradientTape();
  tape.watch(x);
  const y = tape.record(() => nb.sum(model.predict(x) as nb.Tensor));
  assert.equal(model.tracingCounts.predict, 1);
  assert.equal(tape.gradient(y, x), null, 'predict is not differentiable, as eagerly');
});

test('two inputs, two outputs, loss weights, metrics, sample and class weights, validation: traced equals eager', async () => {
  nb.setSeed(9);
  const xa = nb.randomNormal([40, 5]);
  const xb = nb.randomNormal([40, 3]);
  const yc = nb.randomUniform([40], 0, 3, 'int32');
  const yr = nb.randomNormal([40, 2]);
  const sw = nb.randomUniform([40], 0.5, 2);
  const build = () => {
    const a = k.input({ shape: [5], name: 'a' });
    const b = k.input({ shape: [3], name: 'b' });
    const h = L.dense({ units: 8, activation: 'tanh' }).apply(L.concatenate().apply([a, b]) as nb.keras.SymbolicTensor) as nb.keras.SymbolicTensor;
    const d = L.dropout({ rate: 0.2 }).apply(h) as nb.keras.SymbolicTensor;
    const cls = L.dense({ units: 3, name: 'cls' }).apply(d) as nb.keras.SymbolicTensor;
    const reg = L.dense({ units: 2, name: 'reg', kernelRegularizer: 'l2' }).apply(h) as nb.keras.SymbolicTensor;
    return k.model({ inputs: [a, b], outputs: [cls, reg] });
  };
  const run = async (runEagerly: boolean, weights: { sampleWeight?: nb.Tensor; classWeight?: Record<number, number> }) => {
    nb.setSeed(4);
    const model = build();
    model.compile({
      optimizer: new k.optimizers.RMSprop({ learningRate: 0.01 }),
      loss: [new k.losses.SparseCategoricalCrossentropy({ fromLogits: true }), 'mse'],
      lossWeights: [1, 0.5],
      metrics: [['accuracy'], ['mae']],
      runEagerly,
    });
    const h = await model.fit([xa, xb], [yc, yr], { epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25, ...weights });
    return { model, history: h.history as Record<string, number[]> };
  };
  for (const weights of [{ sampleWeight: sw }, { classWeight: { 0: 1, 1: 2, 2: 0.5 } }]) {
    const eager = await run(true, weights);
    const traced = await run(false, weights);
    assert.deepEqual(Object.keys(traced.history).sort(), Object.keys(eager.history).sort());
    for (const key of Object.keys(eager.history)) assertClose(nb.tensor(traced.history[key]!), eager.history[key]!, 1e-5);
    assert.ok(traced.model.tracingCounts.train >= 1 && traced.model.tracingCounts.test >= 1);
    assert.equal(traced.model.traceFallbackReason, null);
  }
});
