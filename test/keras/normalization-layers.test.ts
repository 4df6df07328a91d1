import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { checkLayer } from './layer-check.js';
import { rand } from '../util/gradcheck.js';
import { BatchNormalization, batchNormalization } from '../../src/keras/layers/normalization/batch-normalization.js';
import { LayerNormalization, layerNormalization } from '../../src/keras/layers/normalization/layer-normalization.js';
import * as normBarrel from '../../src/keras/layers/normalization/index.js';

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: size`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * (1 + Math.abs(expected[i]!)), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Per-channel (last axis) mean and biased variance of a row-major array with C channels. */
function channelStats(values: ArrayLike<number>, channels: number): { mean: number[]; variance: number[] } {
  const n = values.length / channels;
  const mean = new Array<number>(channels).fill(0);
  const variance = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % channels]! += values[i]! / n;
  for (let i = 0; i < values.length; i++) variance[i % channels]! += (values[i]! - mean[i % channels]!) ** 2 / n;
  return { mean, variance };
}

test('BatchNormalization: shapes, gradients, config round-trip (inference and training)', () => {
  const init = { movingMeanInitializer: 'randomUniform', movingVarianceInitializer: { className: 'RandomUniform', config: { minval: 0.5, maxval: 2 } } };
  checkLayer(() => batchNormalization(init), BatchNormalization, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => batchNormalization({ ...init, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }), BatchNormalization, {
    inputShapes: [[2, 2, 2, 3]],
    expectedShape: [2, 2, 2, 3],
  });
  checkLayer(() => batchNormalization({ momentum: 0.9, gammaInitializer: 'randomNormal' }), BatchNormalization, {
    inputShapes: [[6, 3]],
    expectedShape: [6, 3],
    training: true,
  });
  checkLayer(() => batchNormalization({ axis: 1, center: false }), BatchNormalization, {
    inputShapes: [[2, 3, 2, 2]],
    expectedShape: [2, 3, 2, 2],
    training: true,
  });
  checkLayer(() => batchNormalization({ axis: [1, 3], scale: false }), BatchNormalization, {
    inputShapes: [[3, 2, 2, 2]],
    expectedShape: [3, 2, 2, 2],
    training: true,
  });
});

test('BatchNormalization training: per-channel zero mean / unit variance; moving stats follow the formula', () => {
  const bn = batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const x = nb.add(nb.mul(rand([4, 3, 3, 2], -1, 1, 5), nb.tensor([3, 0.5])), nb.tensor([5, -2]));
  const y = bn.apply(x, { training: true });
  const ys = channelStats(y.dataSync(), 2);
  const xs = channelStats(x.dataSync(), 2);
  assertClose(ys.mean, [0, 0], 1e-4, 'output mean');
  assertClose(ys.variance, xs.variance.map((v) => v / (v + 1e-3)), 1e-3, 'output variance');
  assert.ok(ys.variance.every((v) => Math.abs(v - 1) < 2e-2));
  // moving = moving * momentum + batch * (1 - momentum), from the initial 0 and 1; biased variance.
  assertClose(bn.movingMean.dataSync(), xs.mean.map((m) => 0 * 0.9 + m * 0.1), 1e-4, 'moving mean');
  assertClose(bn.movingVariance.dataSync(), xs.variance.map((v) => 1 * 0.9 + v * 0.1), 1e-4, 'moving variance');
  // A second step compounds.
  const mm1 = Array.from(bn.movingMean.dataSync());
  const x2 = rand([4, 3, 3, 2], 0, 2, 6);
  bn.apply(x2, { training: true });
  const s2 = channelStats(x2.dataSync(), 2);
  assertClose(bn.movingMean.dataSync(), mm1.map((m, c) => m * 0.9 + s2.mean[c]! * 0.1), 1e-4, 'moving mean after step 2');
});

test('BatchNormalization inference uses the moving statistics, gamma and beta', () => {
  const bn = batchNormalization({ epsilon: 0.01 });
  const x = rand([5, 3], -2, 2, 7);
  bn.apply(x);
  const gamma = [2, -1, 0.5];
  const beta = [0.1, 0.2, -0.3];
  const mm = [0.5, -1, 2];
  const mv = [4, 0.25, 1];
  bn.setWeights([nb.tensor(gamma), nb.tensor(beta), nb.tensor(mm), nb.tensor(mv)]);
  const xv = x.dataSync();
  const expected = Array.from(xv, (v, i) => gamma[i % 3]! * (v - mm[i % 3]!) / Math.sqrt(mv[i % 3]! + 0.01) + beta[i % 3]!);
  assertClose(bn.apply(x).dataSync(), expected, 1e-5, 'inference (default)');
  assertClose(bn.apply(x, { training: false }).dataSync(), expected, 1e-5, 'inference (training: false)');
  // Inference leaves the moving statistics alone.
  assert.deepEqual(Array.from(bn.movingMean.dataSync()), mm);
});

test('BatchNormalization frozen (trainable = false): inference mode even with training: true, no updates', () => {
  const bn = batchNormalization({ momentum: 0.5 });
  const x = rand([6, 2], -3, 3, 9);
  bn.apply(x, { training: true });
  const mm = Array.from(bn.movingMean.dataSync());
  const mv = Array.from(bn.movingVariance.dataSync());
  bn.trainable = false;
  assert.equal(bn.trainableWeights.length, 0);
  assert.equal(bn.nonTrainableWeights.length, 4);
  const frozen = bn.apply(x, { training: true }).dataSync();
  assert.deepEqual(Array.from(bn.movingMean.dataSync()), mm);
  assert.deepEqual(Array.from(bn.movingVariance.dataSync()), mv);
  assertClose(frozen, bn.apply(x, { training: false }).dataSync(), 1e-6, 'frozen output');
  const expected = Array.from(x.dataSync(), (v, i) => (v - mm[i % 2]!) / Math.sqrt(mv[i % 2]! + 1e-3));
  assertClose(frozen, expected, 1e-5, 'frozen = moving statistics');
  // Unfrozen again: batch statistics and updates resume.
  bn.trainable = true;
  bn.apply(x, { training: true });
  assert.notDeepEqual(Array.from(bn.movingMean.dataSync()), mm);
});

test('BatchNormalization weights: gamma/beta trainable, moving stats non-trainable; updates stay off the tape', () => {
  const bn = batchNormalization();
  const x = rand([4, 3], -1, 1, 10);
  bn.apply(x);
  const n = bn.name;
  assert.deepEqual(bn.weights.map((w) => w.name), [`${n}/gamma`, `${n}/beta`, `${n}/moving_mean`, `${n}/moving_variance`]);
  assert.deepEqual(bn.trainableWeights.map((w) => w.name), [`${n}/gamma`, `${n}/beta`]);
  assert.deepEqual(bn.nonTrainableWeights.map((w) => w.name), [`${n}/moving_mean`, `${n}/moving_variance`]);
  assert.ok(bn.nonTrainableWeights.every((w) => !w.trainable));
  assert.ok(bn.nonTrainableWeights.includes(bn.movingMean) && bn.nonTrainableWeights.includes(bn.movingVariance));
  // Training step under a tape: gradients reach x, gamma and beta; the updated moving mean is
  // not connected to x (the assignment was not recorded).
  const tape = new nb.GradientTape({ persistent: true });
  tape.watch(x);
  const y = tape.record(() => nb.sum(nb.mul(bn.apply(x, { training: true }), rand([4, 3], -1, 1, 11))));
  const after = tape.record(() => nb.sum(nb.mul(bn.movingMean, 1)));
  const [gx, gGamma, gBeta] = tape.gradient(y, [x, bn.gamma!, bn.beta!]);
  assert.ok(gx && gGamma && gBeta);
  assert.equal(tape.gradient(after, x), null);
  const none = batchNormalization({ center: false, scale: false });
  none.apply(x);
  assert.deepEqual(none.weights.map((w) => w.name.split('/')[1]), ['moving_mean', 'moving_variance']);
  assert.equal(none.trainableWeights.length, 0);
});

test('BatchNormalization axis=1 normalises per axis-1 feature; multi-axis parameters keep the rank', () => {
  const bn = batchNormalization({ axis: 1 });
  const x = rand([3, 2, 4], -2, 2, 12);
  const y = bn.apply(x, { training: true }).dataSync();
  assert.deepEqual(bn.gamma!.shape, [2]);
  for (let c = 0; c < 2; c++) {
    const vals: number[] = [];
    for (let b = 0; b < 3; b++) for (let k = 0; k < 4; k++) vals.push(y[(b * 2 + c) * 4 + k]!);
    const { mean, variance } = channelStats(vals, 1);
    assert.ok(Math.abs(mean[0]!) < 1e-5 && Math.abs(variance[0]! - 1) < 2e-2, `feature ${c}: mean ${mean[0]}, variance ${variance[0]}`);
  }
  const multi = batchNormalization({ axis: [1, 2] });
  multi.apply(nb.zeros([2, 3, 4]));
  assert.deepEqual(multi.gamma!.shape, [1, 3, 4]);
  assert.deepEqual(multi.movingMean.shape, [1, 3, 4]);
});

test('BatchNormalization: bad arguments and inputs give errors naming the layer and the value', () => {
  assert.throws(() => batchNormalization({ momentum: 1.5 }), /BatchNormalization: momentum must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => batchNormalization({ epsilon: -1 }), /BatchNormalization: epsilon must be a finite number >= 0, got -1/);
  assert.throws(() => batchNormalization({ axis: 'x' as unknown as number }), /BatchNormalization: axis must be an integer/);
  assert.throws(
    () => batchNormalization({ name: 'bn_bad', axis: 3 }).apply(nb.zeros([2, 3])),
    (e: Error) => e instanceof nb.ShapeError && /BatchNormalization 'bn_bad'/.test(e.message) && /axis 3 is out of range for an input of rank 2/.test(e.message),
  );
  const bn = batchNormalization({ name: 'bn_c' });
  bn.apply(nb.zeros([2, 3]));
  assert.throws(() => bn.apply(nb.zeros([2, 4])), (e: Error) => /'bn_c'/.test(e.message) && /value 3/.test(e.message));
  assert.throws(() => bn.apply(nb.zeros([2, 2, 3])), (e: Error) => /'bn_c'/.test(e.message) && /expected ndim=2/.test(e.message));
});

test('LayerNormalization: shapes, gradients, config round-trip', () => {
  checkLayer(() => layerNormalization({ gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }), LayerNormalization, {
    inputShapes: [[3, 5]],
    expectedShape: [3, 5],
  });
  checkLayer(() => layerNormalization({ axis: [1, 2], gammaInitializer: 'randomNormal' }), LayerNormalization, {
    inputShapes: [[2, 3, 4]],
    expectedShape: [2, 3, 4],
  });
  checkLayer(() => layerNormalization({ axis: [1, 2], center: false }), LayerNormalization, {
    inputShapes: [[2, 2, 3, 2]],
    expectedShape: [2, 2, 3, 2],
    training: true,
  });
});

test('LayerNormalization uses per-example statistics over axis; gamma/beta broadcast over those dims', () => {
  const ln = layerNormalization({ epsilon: 1e-3 });
  const x = nb.mul(rand([3, 2, 6], -1, 1, 13), nb.tensor([[[1]], [[5]], [[0.2]]]));
  const y = ln.apply(x).dataSync();
  for (let r = 0; r < 6; r++) {
    const row = Array.from(y.slice(r * 6, r * 6 + 6));
    const xr = Array.from(x.dataSync().slice(r * 6, r * 6 + 6));
    const { mean, variance } = channelStats(row, 1);
    const xv = channelStats(xr, 1).variance[0]!;
    assert.ok(Math.abs(mean[0]!) < 1e-5, `row ${r}: mean ${mean[0]}`);
    assert.ok(Math.abs(variance[0]! - xv / (xv + 1e-3)) < 1e-3, `row ${r}: variance ${variance[0]}`);
  }
  // Training and inference agree (no moving statistics).
  assert.deepEqual(ln.apply(x, { training: true }).dataSync(), ln.apply(x).dataSync());
  // axis [1, 2] of [B, 2, 3, C]: gamma/beta of shape [2, 3], each example normalised over its (2, 3) block per channel.
  const ln2 = layerNormalization({ axis: [1, 2], epsilon: 0.01 });
  const x2 = rand([2, 2, 3, 2], -1, 1, 14);
  ln2.apply(x2);
  const gamma = rand([2, 3], 0.5, 1.5, 15);
  const beta = rand([2, 3], -1, 1, 16);
  ln2.setWeights([gamma, beta]);
  const got = ln2.apply(x2).dataSync();
  const xv = x2.dataSync();
  const gv = gamma.dataSync();
  const bv = beta.dataSync();
  const idx = (b: number, h: number, w: number, c: number): number => ((b * 2 + h) * 3 + w) * 2 + c;
  for (let b = 0; b < 2; b++)
    for (let c = 0; c < 2; c++) {
      const vals: number[] = [];
      for (let h = 0; h < 2; h++) for (let w = 0; w < 3; w++) vals.push(xv[idx(b, h, w, c)]!);
      const { mean, variance } = channelStats(vals, 1);
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 3; w++) {
          const e = gv[h * 3 + w]! * (xv[idx(b, h, w, c)]! - mean[0]!) / Math.sqrt(variance[0]! + 0.01) + bv[h * 3 + w]!;
          assert.ok(Math.abs(got[idx(b, h, w, c)]! - e) < 1e-4, `(${b},${h},${w},${c}): ${got[idx(b, h, w, c)]} vs ${e}`);
        }
    }
});

test('LayerNormalization: errors name the layer; barrel exports; Keras default names', () => {
  assert.throws(
    () => layerNormalization({ name: 'ln_bad', axis: [1, 5] }).apply(nb.zeros([2, 3])),
    (e: Error) => e instanceof nb.ShapeError && /LayerNormalization 'ln_bad'/.test(e.message) && /axis 5 is out of range/.test(e.message),
  );
  assert.throws(() => layerNormalization({ axis: [] }), /LayerNormalization: axis must be an integer or a non-empty list/);
  assert.throws(() => layerNormalization({ axis: [1, -1] }).apply(nb.zeros([2, 3])), /names the same dimension twice/);
  assert.throws(() => layerNormalization({ epsilon: Number.NaN }), /LayerNormalization: epsilon must be a finite number/);
  for (const name of ['BatchNormalization', 'LayerNormalization', 'batchNormalization', 'layerNormalization']) {
    assert.equal(typeof (normBarrel as Record<string, unknown>)[name], 'function', name);
  }
  assert.match(batchNormalization().name, /^batch_normalization(_\d+)?$/);
  assert.match(layerNormalization().name, /^layer_normalization(_\d+)?$/);
  const config = JSON.parse(JSON.stringify(batchNormalization({ axis: [1, 2], momentum: 0.8 }).getConfig())) as Record<string, unknown>;
  assert.deepEqual(config.axis, [1, 2]);
  assert.equal(config.momentum, 0.8);
  assert.equal(config.epsilon, 1e-3);
});
