import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import * as nb from '../../src/index.js';
import {
  RandomContrast,
  randomContrast,
  RandomFlip,
  randomFlip,
  RandomRotation,
  randomRotation,
  RandomTranslation,
  randomTranslation,
  RandomZoom,
  randomZoom,
} from '../../src/keras/layers/preprocessing/index.js';
import type { Layer } from '../../src/keras/engine/layer.js';
import type { LayerClass } from '../../src/keras/engine/serialization.js';
import { checkConfigRoundTrip, checkOutputShape } from './layer-check.js';

/** A float32 batch [b, h, w, c] with distinct values in [0, 255). */
function images(b: number, h: number, w: number, c: number, seed = 1): nb.Tensor {
  const v = new Float32Array(b * h * w * c);
  let s = seed >>> 0;
  for (let i = 0; i < v.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = (s >>> 8) % 255;
  }
  return nb.tensor(v, [b, h, w, c]);
}

const vals = (t: nb.Tensor): number[] => Array.from(t.dataSync());
const single = (t: nb.Tensor, i: number): nb.Tensor => nb.slice(t, [i, 0, 0, 0], [1, -1, -1, -1]);

const makers: [string, () => Layer, LayerClass][] = [
  ['RandomFlip', () => randomFlip({ seed: 1 }), RandomFlip],
  ['RandomRotation', () => randomRotation({ factor: 0.2, seed: 2 }), RandomRotation],
  ['RandomZoom', () => randomZoom({ heightFactor: 0.3, widthFactor: [-0.2, 0.1], seed: 3, fillMode: 'constant', fillValue: 7 }), RandomZoom],
  // A shift of 3-3.6 rows: a draw below half a pixel would leave the images unchanged at training.
  ['RandomTranslation', () => randomTranslation({ heightFactor: [0.5, 0.6], widthFactor: 0.1, fillMode: 'nearest', interpolation: 'nearest', seed: 4 }), RandomTranslation],
  ['RandomContrast', () => randomContrast({ factor: [0.1, 0.5], seed: 5 }), RandomContrast],
];

test('every layer: identity at inference (int32 cast to float32), output shape eager and symbolic, config round-trip', () => {
  const x = images(3, 6, 5, 2);
  for (const [name, make, cls] of makers) {
    const layer = make();
    const y = layer.apply(x) as nb.Tensor;
    assert.equal(y.dtype, 'float32');
    assert.deepEqual(vals(y), vals(x), `${name} at inference`);
    assert.deepEqual(vals(layer.apply(x, { training: false }) as nb.Tensor), vals(x));
    const xi = nb.cast(x, 'int32');
    const yi = layer.apply(xi) as nb.Tensor;
    assert.equal(yi.dtype, 'float32', `${name} casts int32 inputs`);
    assert.deepEqual(vals(yi), vals(x));
    const opts = { inputShapes: [[2, 6, 5, 3]], expectedShape: [2, 6, 5, 3] };
    checkOutputShape(make(), opts);
    checkOutputShape(make(), { ...opts, training: true });
    checkConfigRoundTrip(make(), cls, opts);
    // Training changes the images and keeps the shape; a single image [h, w, c] works too.
    const t = layer.apply(x, { training: true }) as nb.Tensor;
    assert.deepEqual(t.shape, x.shape);
    // One draw may leave every image as it was (no flip for any of the three: 1 in 64); three
    // calls (fresh draws each) all doing so would be a broken layer.
    const draws = [t, layer.apply(x, { training: true }) as nb.Tensor, layer.apply(x, { training: true }) as nb.Tensor];
    assert.ok(draws.some((d) => !isDeepStrictEqual(vals(d), vals(x))), `${name} changes something at training`);
    assert.deepEqual((layer.apply(nb.reshape(single(x, 0), [6, 5, 2]), { training: true }) as nb.Tensor).shape, [6, 5, 2]);
    assert.throws(() => layer.apply(nb.zeros([4, 5]), { training: true }), (e: Error) => e instanceof nb.ShapeError && e.message.includes(`${name} '${layer.name}'`));
  }
});

test('training inside a model follows fit/predict: active in a training call, off in predict', () => {
  const model = nb.keras.sequential([randomFlip({ mode: 'horizontal', seed: 4, inputShape: [4, 4, 1] })]);
  const x = images(8, 4, 4, 1);
  assert.deepEqual(vals(model.predict(x) as nb.Tensor), vals(x));
  assert.notDeepEqual(vals(model.apply(x, { training: true }) as nb.Tensor), vals(x));
});

test('RandomFlip: each image is itself or nb.reverse on the width (horizontal) / height (vertical) axis', () => {
  const x = images(16, 5, 7, 3);
  const check = (mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical'): [number, number] => {
    const y = randomFlip({ mode, seed: 11 }).apply(x, { training: true }) as nb.Tensor;
    let flipped = 0;
    let kept = 0;
    for (let i = 0; i < 16; i++) {
      const xi = single(x, i);
      const yi = vals(single(y, i));
      const options = mode === 'horizontal' ? [[2]] : mode === 'vertical' ? [[1]] : [[2], [1], [1, 2]];
      if (yi.join() === vals(xi).join()) kept++;
      else {
        assert.ok(options.some((axes) => vals(nb.reverse(xi, axes)).join() === yi.join()), `${mode}: image ${i} is neither kept nor flipped`);
        flipped++;
      }
    }
    return [flipped, kept];
  };
  for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
    const [flipped, kept] = check(mode);
    assert.ok(flipped >= 2 && kept >= 1, `${mode}: ${flipped} flipped, ${kept} kept`);
  }
  assert.throws(() => randomFlip({ mode: 'diagonal' as never }), /RandomFlip 'random_flip.*': mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical'/);
});

test('seeded layers: reproducible across instances, fresh draws per call; unseeded follow nb.setSeed', () => {
  const x = images(6, 8, 8, 1);
  for (const [name, make] of makers) {
    nb.setSeed(77);
    const a = make();
    const a1 = vals(a.apply(x, { training: true }) as nb.Tensor);
    const a2 = vals(a.apply(x, { training: true }) as nb.Tensor);
    nb.setSeed(77);
    const b = make();
    assert.deepEqual(vals(b.apply(x, { training: true }) as nb.Tensor), a1, `${name}: same seed, same first call`);
    assert.deepEqual(vals(b.apply(x, { training: true }) as nb.Tensor), a2, `${name}: same seed, same second call`);
    assert.notDeepEqual(a2, a1, `${name}: a new transformation per call`);
  }
});

test('RandomRotation: a zero range is the identity; half a turn is a 180° flip; fill modes', () => {
  const x = images(2, 5, 6, 2);
  for (const interpolation of ['bilinear', 'nearest'] as const) {
    for (const fillMode of ['reflect', 'wrap', 'constant', 'nearest'] as const) {
      const y = randomRotation({ factor: 0, interpolation, fillMode }).apply(x, { training: true }) as nb.Tensor;
      assert.deepEqual(vals(y), vals(x), `factor 0, ${interpolation}, ${fillMode}`);
    }
    const half = randomRotation({ factor: [0.5, 0.5], interpolation }).apply(x, { training: true }) as nb.Tensor;
    const expected = vals(nb.reverse(x, [1, 2]));
    vals(half).forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-3, `180° ${interpolation} at ${i}: ${v} vs ${expected[i]}`));
  }
  // A quarter turn of a square image with constant fill keeps every pixel (a permutation).
  const sq = images(1, 4, 4, 1);
  const quarter = randomRotation({ factor: [0.25, 0.25], fillMode: 'constant', fillValue: -1 }).apply(sq, { training: true }) as nb.Tensor;
  assert.deepEqual([...vals(quarter)].map(Math.round).sort((a, b) => a - b), [...vals(sq)].sort((a, b) => a - b));
  // A small rotation with constant fill puts the fill value in the corners.
  const ones = nb.fill([1, 9, 9, 1], 100);
  const rot = randomRotation({ factor: [0.1, 0.1], fillMode: 'constant', fillValue: 0 }).apply(ones, { training: true }) as nb.Tensor;
  assert.equal(rot.values[0], 0);
  assert.equal(rot.values[40], 100); // the centre stays
  assert.throws(() => randomRotation({ factor: -0.1 }), /RandomRotation '.*': factor must be >= 0/);
  assert.throws(() => randomRotation({ factor: [0.2, 0.1] }), /lower <= upper/);
  assert.throws(() => randomRotation({ factor: 0.1, fillMode: 'mirror' as never }), /fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest'/);
  assert.throws(() => randomRotation({ factor: 0.1, interpolation: 'bicubic' as never }), /interpolation must be 'bilinear' or 'nearest'/);
});

test('RandomTranslation: a whole-pixel shift moves the values; fill modes fill the uncovered side', () => {
  // 1 image 3x4, values 1..12; widthFactor 0.25 of 4 = +1 pixel right, heightFactor 1/3 of 3 = +1 row down.
  const x = nb.tensor(Array.from({ length: 12 }, (_, i) => i + 1), [1, 3, 4, 1]);
  const shift = (opts: Partial<Parameters<typeof randomTranslation>[0]>): number[][] =>
    (nb.reshape(randomTranslation({ heightFactor: 0, widthFactor: 0, ...opts }).apply(x, { training: true }) as nb.Tensor, [3, 4]).arraySync() as number[][]);
  assert.deepEqual(shift({ widthFactor: [0.25, 0.25], fillMode: 'constant', fillValue: 0 }), [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]);
  assert.deepEqual(shift({ widthFactor: [-0.25, -0.25], fillMode: 'constant', fillValue: -5 }), [[2, 3, 4, -5], [6, 7, 8, -5], [10, 11, 12, -5]]);
  assert.deepEqual(shift({ widthFactor: [0.25, 0.25], fillMode: 'nearest' }), [[1, 1, 2, 3], [5, 5, 6, 7], [9, 9, 10, 11]]);
  assert.deepEqual(shift({ widthFactor: [0.5, 0.5], fillMode: 'reflect' }), [[2, 1, 1, 2], [6, 5, 5, 6], [10, 9, 9, 10]]);
  assert.deepEqual(shift({ widthFactor: [0.25, 0.25], fillMode: 'wrap' }), [[4, 1, 2, 3], [8, 5, 6, 7], [12, 9, 10, 11]]);
  assert.deepEqual(shift({ heightFactor: [1 / 3, 1 / 3], fillMode: 'constant', interpolation: 'nearest' }), [[0, 0, 0, 0], [1, 2, 3, 4], [5, 6, 7, 8]]);
  assert.throws(() => randomTranslation({ heightFactor: 1.5, widthFactor: 0 }), /heightFactor values must lie in \[-1, 1\]/);
});

test('RandomZoom: zero range is the identity; zooming in by 1/2 magnifies the centre', () => {
  const x = images(2, 6, 6, 1);
  assert.deepEqual(vals(randomZoom({ heightFactor: 0 }).apply(x, { training: true }) as nb.Tensor), vals(x));
  // Zoom -0.5 on a 5x5 ramp: output x samples input 2 + (x - 2) / 2.
  const ramp = nb.tensor(Array.from({ length: 25 }, (_, i) => i % 5), [1, 5, 5, 1]);
  const z = randomZoom({ heightFactor: [-0.5, -0.5] }).apply(ramp, { training: true }) as nb.Tensor;
  assert.deepEqual(vals(nb.slice(z, [0, 2, 0, 0], [1, 1, 5, 1])), [1, 1.5, 2, 2.5, 3]);
  // Zooming out with constant fill surrounds a shrunk image with the fill value.
  const out = randomZoom({ heightFactor: [1, 1], fillMode: 'constant', fillValue: -1 }).apply(nb.fill([1, 5, 5, 1], 9), { training: true }) as nb.Tensor;
  assert.equal(out.values[0], -1);
  assert.equal(out.values[12], 9);
  assert.throws(() => randomZoom({ heightFactor: [-1.5, 0] }), /RandomZoom '.*': heightFactor values must be >= -1/);
});

test('RandomContrast: keeps each image\'s per-channel mean, scales deviations within [1-lower, 1+upper]', () => {
  // Values 100..150 and factors <= 1.5 never reach the clip range [0, 255].
  const x = nb.add(nb.mul(images(4, 5, 5, 3), 50 / 255), 100);
  const y = randomContrast({ factor: 0.5, seed: 3 }).apply(x, { training: true }) as nb.Tensor;
  const mx = nb.mean(x, [1, 2]);
  const my = nb.mean(y, [1, 2]);
  vals(my).forEach((m, i) => assert.ok(Math.abs(m - vals(mx)[i]!) < 1e-3, `mean ${i}: ${m} vs ${vals(mx)[i]}`));
  for (let i = 0; i < 4; i++) {
    const dx = vals(nb.sub(single(x, i), nb.mean(single(x, i), [1, 2], true)));
    const dy = vals(nb.sub(single(y, i), nb.mean(single(y, i), [1, 2], true)));
    const k = dy[0]! / dx[0]!;
    assert.ok(k >= 0.5 - 1e-4 && k <= 1.5 + 1e-4, `factor ${k}`);
    dx.forEach((d, j) => assert.ok(Math.abs(dy[j]! - k * d) < 1e-2, 'one factor per image'));
  }
  // Outputs are clipped to valueRange.
  const hi = randomContrast({ factor: [0, 5], valueRange: [0, 1] }).apply(nb.tensor([0, 1, 0, 1], [1, 2, 2, 1]), { training: true }) as nb.Tensor;
  assert.ok(vals(hi).every((v) => v >= 0 && v <= 1));
  assert.throws(() => randomContrast({ factor: -0.1 }), /RandomContrast '.*': factor values must be >= 0/);
  assert.throws(() => randomContrast({ factor: 0.1, valueRange: [1, 0] }), /min < max/);
});

test('a model with augmentation layers saves and reloads its config', () => {
  const model = nb.keras.sequential([
    randomFlip({ mode: 'horizontal', inputShape: [8, 8, 3] }),
    randomRotation({ factor: 0.1, fillMode: 'constant' }),
    randomZoom({ heightFactor: 0.1 }),
    randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
    randomContrast({ factor: 0.2 }),
    nb.keras.layers.flatten(),
    nb.keras.layers.dense({ units: 2 }),
  ]);
  const copy = nb.keras.Sequential.fromConfig(JSON.parse(JSON.stringify(model.getConfig())) as Record<string, unknown>) as nb.keras.Sequential;
  assert.deepEqual(copy.layers.map((l) => l.getClassName()).slice(0, 5), ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast']);
  assert.deepEqual((copy.layers[1] as RandomRotation).fillMode, 'constant');
});
