import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import * as L from '../../src/keras/losses/index.js';
import { gradCheck, rand } from '../util/gradcheck.js';

const EPS = 1e-7;
const B = 4;
const C = 3;

/** Rows of a [B, C] tensor as plain number arrays. */
function rows(t: nb.Tensor): number[][] {
  const c = t.shape[t.rank - 1]!;
  const out: number[][] = [];
  for (let r = 0; r < t.size / c; r++) out.push(Array.from(t.values.slice(r * c, (r + 1) * c)));
  return out;
}

function closeArrays(actual: nb.Tensor, expected: number[], tol = 1e-5, msg = ''): void {
  assert.equal(actual.size, expected.length, `${msg}: size`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual.values[i]!;
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg}: element ${i}: ${a} vs ${e}`);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Random probability rows (each row sums to 1). */
function probs(seed: number, b = B, c = C): nb.Tensor {
  const raw = rand([b, c], 0.1, 1, seed);
  const v = raw.dataSync();
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += v[r * c + j]!;
    for (let j = 0; j < c; j++) v[r * c + j] = v[r * c + j]! / s;
  }
  return nb.tensor(v, [b, c]);
}

function oneHot(labels: number[], c = C): nb.Tensor {
  const v = new Float32Array(labels.length * c);
  labels.forEach((k, r) => (v[r * c + k] = 1));
  return nb.tensor(v, [labels.length, c]);
}

const LABELS = [2, 0, 1, 2];

// Independent per-sample references (plain loops over rows).
type Ref = (t: number[], p: number[]) => number;
const refs: Record<string, Ref> = {
  mse: (t, p) => mean(t.map((x, i) => (x - p[i]!) ** 2)),
  mae: (t, p) => mean(t.map((x, i) => Math.abs(x - p[i]!))),
  mape: (t, p) => 100 * mean(t.map((x, i) => Math.abs(x - p[i]!) / Math.max(Math.abs(x), EPS))),
  msle: (t, p) => mean(t.map((x, i) => (Math.log(Math.max(p[i]!, EPS) + 1) - Math.log(Math.max(x, EPS) + 1)) ** 2)),
  huber: (t, p) =>
    mean(
      t.map((x, i) => {
        const e = Math.abs(p[i]! - x);
        return e <= 1 ? 0.5 * e * e : e - 0.5;
      }),
    ),
  logCosh: (t, p) => mean(t.map((x, i) => Math.log(Math.cosh(p[i]! - x)))),
  poisson: (t, p) => mean(t.map((x, i) => p[i]! - x * Math.log(p[i]! + EPS))),
  cosine: (t, p) => {
    const dot = sum(t.map((x, i) => x * p[i]!));
    const nt = Math.sqrt(sum(t.map((x) => x * x)));
    const np = Math.sqrt(sum(p.map((x) => x * x)));
    return -dot / (nt * np);
  },
  kld: (t, p) =>
    sum(
      t.map((x, i) => {
        const a = clip(x, EPS, 1);
        const b = clip(p[i]!, EPS, 1);
        return a * Math.log(a / b);
      }),
    ),
  hinge: (t, p) => mean(t.map((x, i) => Math.max(1 - (2 * x - 1) * p[i]!, 0))),
  squaredHinge: (t, p) => mean(t.map((x, i) => Math.max(1 - (2 * x - 1) * p[i]!, 0) ** 2)),
  categoricalHinge: (t, p) => {
    const pos = sum(t.map((x, i) => x * p[i]!));
    const neg = Math.max(...t.map((x, i) => (1 - x) * p[i]!));
    return Math.max(0, neg - pos + 1);
  },
  bce: (t, p) =>
    mean(
      t.map((y, i) => {
        const q = clip(p[i]!, EPS, 1 - EPS);
        return -(y * Math.log(q + EPS) + (1 - y) * Math.log(1 - q + EPS));
      }),
    ),
  cce: (t, p) => {
    const s = sum(p);
    return -sum(t.map((y, i) => y * Math.log(clip(p[i]! / s, EPS, 1 - EPS))));
  },
};

function perSample(ref: Ref, yTrue: nb.Tensor, yPred: nb.Tensor): number[] {
  const t = rows(yTrue);
  const p = rows(yPred);
  return t.map((r, i) => ref(r, p[i]!));
}

test('regression losses match plain-loop formulas', () => {
  const t = rand([B, C], -1, 1, 11);
  const p = rand([B, C], -1, 1, 12);
  closeArrays(L.meanSquaredError(t, p), perSample(refs.mse!, t, p), 1e-5, 'mse');
  closeArrays(L.meanAbsoluteError(t, p), perSample(refs.mae!, t, p), 1e-5, 'mae');
  closeArrays(L.meanAbsolutePercentageError(t, p), perSample(refs.mape!, t, p), 1e-5, 'mape');
  closeArrays(L.huber(t, p), perSample(refs.huber!, t, p), 1e-5, 'huber');
  closeArrays(L.logCosh(t, p), perSample(refs.logCosh!, t, p), 1e-5, 'logCosh');
  closeArrays(L.cosineSimilarity(t, p), perSample(refs.cosine!, t, p), 1e-5, 'cosine');
  const pos = rand([B, C], 0.1, 3, 13);
  const posT = rand([B, C], 0, 3, 14);
  closeArrays(L.meanSquaredLogarithmicError(posT, pos), perSample(refs.msle!, posT, pos), 1e-5, 'msle');
  closeArrays(L.poisson(posT, pos), perSample(refs.poisson!, posT, pos), 1e-5, 'poisson');
  // Huber with another delta.
  const d = 0.3;
  const huberD: Ref = (a, b) =>
    mean(
      a.map((x, i) => {
        const e = Math.abs(b[i]! - x);
        return e <= d ? 0.5 * e * e : d * e - 0.5 * d * d;
      }),
    );
  closeArrays(L.huber(t, p, d), perSample(huberD, t, p), 1e-5, 'huber delta');
  closeArrays(new L.Huber({ delta: d }).call(t, p), perSample(huberD, t, p), 1e-5, 'Huber class');
});

test('classification losses match plain-loop formulas', () => {
  const p = probs(21);
  const oh = oneHot(LABELS);
  closeArrays(L.categoricalCrossentropy(oh, p), perSample(refs.cce!, oh, p), 1e-5, 'cce');
  // Unnormalised probabilities are renormalised as Keras does.
  const scaled = nb.mul(p, 3);
  closeArrays(L.categoricalCrossentropy(oh, scaled), perSample(refs.cce!, oh, p), 1e-5, 'cce renormalised');
  const sparseExpected = LABELS.map((k, r) => -Math.log(rows(p)[r]![k]!));
  closeArrays(L.sparseCategoricalCrossentropy(nb.tensor(LABELS, [B], 'int32'), p), sparseExpected, 1e-5, 'scce int32 [B]');
  closeArrays(L.sparseCategoricalCrossentropy(nb.tensor(LABELS.map((k) => [k])), p), sparseExpected, 1e-5, 'scce float [B,1]');
  const bt = nb.tensor([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]);
  const bp = rand([B, C], 0.02, 0.98, 22);
  closeArrays(L.binaryCrossentropy(bt, bp), perSample(refs.bce!, bt, bp), 1e-5, 'bce');
  // Saturated probabilities stay finite thanks to the epsilon clipping.
  const sat = L.binaryCrossentropy(nb.tensor([[1, 0]]), nb.tensor([[0, 1]]));
  assert.ok(Number.isFinite(sat.values[0]!) && sat.values[0]! > 10, `saturated bce ${sat.values[0]}`);
  closeArrays(L.kullbackLeiblerDivergence(probs(23), p), perSample(refs.kld!, probs(23), p), 1e-5, 'kld');
  const sp = rand([B, C], -2, 2, 24);
  closeArrays(L.hinge(bt, sp), perSample(refs.hinge!, bt, sp), 1e-5, 'hinge');
  closeArrays(L.squaredHinge(bt, sp), perSample(refs.squaredHinge!, bt, sp), 1e-5, 'squared hinge');
  // Labels already in {-1, 1} are used as they are.
  const signed = nb.sub(nb.mul(bt, 2), 1);
  closeArrays(L.hinge(signed, sp), perSample(refs.hinge!, bt, sp), 1e-5, 'hinge signed labels');
  closeArrays(L.categoricalHinge(oh, sp), perSample(refs.categoricalHinge!, oh, sp), 1e-5, 'categorical hinge');
});

test('fromLogits equals the loss of softmax / sigmoid probabilities', () => {
  const logits = rand([B, C], -2, 2, 31);
  const oh = oneHot(LABELS);
  closeArrays(
    L.categoricalCrossentropy(oh, logits, { fromLogits: true }),
    Array.from(L.categoricalCrossentropy(oh, nb.softmax(logits)).values),
    1e-5,
    'cce',
  );
  const labels = nb.tensor(LABELS, [B], 'int32');
  closeArrays(
    L.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }),
    Array.from(L.sparseCategoricalCrossentropy(labels, nb.softmax(logits)).values),
    1e-5,
    'scce',
  );
  const bt = nb.tensor([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]);
  closeArrays(
    L.binaryCrossentropy(bt, logits, { fromLogits: true }),
    Array.from(L.binaryCrossentropy(bt, nb.sigmoid(logits)).values),
    1e-4,
    'bce',
  );
});

test('label smoothing moves labels towards uniform', () => {
  const p = probs(41);
  const oh = oneHot(LABELS);
  const s = 0.2;
  const smoothed = nb.tensor(rows(oh).map((r) => r.map((y) => y * (1 - s) + s / C)));
  closeArrays(L.categoricalCrossentropy(oh, p, { labelSmoothing: s }), perSample(refs.cce!, smoothed, p), 1e-5, 'cce');
  const bt = nb.tensor([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]);
  const bSmoothed = nb.tensor(rows(bt).map((r) => r.map((y) => y * (1 - s) + 0.5 * s)));
  closeArrays(L.binaryCrossentropy(bt, p, { labelSmoothing: s }), perSample(refs.bce!, bSmoothed, p), 1e-5, 'bce');
  const logits = rand([B, C], -2, 2, 42);
  closeArrays(
    new L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: s }).call(oh, logits),
    perSample(refs.cce!, smoothed, nb.softmax(logits)),
    1e-5,
    'cce logits',
  );
  assert.throws(() => L.binaryCrossentropy(bt, p, { labelSmoothing: 1.5 }), nb.InvalidArgumentError);
});

test('apply: weighted mean over the batch (SUM_OVER_BATCH_SIZE), sample weights broadcast', () => {
  const t = rand([B, C], -1, 1, 51);
  const p = rand([B, C], -1, 1, 52);
  const per = perSample(refs.mse!, t, p);
  const loss = new L.MeanSquaredError();
  const plain = loss.apply(t, p);
  assert.deepEqual(plain.shape, []);
  assert.ok(Math.abs(plain.item() - mean(per)) < 1e-6);
  const w = [0.5, 2, 0, 1];
  const expected = sum(per.map((x, i) => x * w[i]!)) / B;
  assert.ok(Math.abs(loss.apply(t, p, nb.tensor(w)).item() - expected) < 1e-6, 'weights [B]');
  assert.ok(Math.abs(loss.apply(t, p, nb.tensor(w.map((x) => [x]))).item() - expected) < 1e-6, 'weights [B,1]');
  assert.ok(Math.abs(loss.apply(t, p, nb.scalar(2)).item() - 2 * mean(per)) < 1e-6, 'scalar weight');
  assert.ok(Math.abs(new L.MeanSquaredError({ reduction: 'sum' }).apply(t, p).item() - sum(per)) < 1e-5, 'sum reduction');
  assert.deepEqual(new L.MeanSquaredError({ reduction: 'none' }).apply(t, p).shape, [B]);
  assert.throws(() => loss.apply(t, p, nb.tensor([1, 2, 3])), (e: Error) => e instanceof nb.ShapeError && /sampleWeight/.test(e.message));
  // [B] labels against [B, 1] predictions are aligned (one loss per sample).
  const col = rand([B, 1], 0, 1, 53);
  const lab = nb.tensor([0, 1, 1, 0]);
  const bce = new L.BinaryCrossentropy().call(lab, col);
  assert.deepEqual(bce.shape, [B]);
  closeArrays(bce, perSample(refs.bce!, nb.reshape(lab, [B, 1]), col), 1e-5, 'bce [B] vs [B,1]');
});

test('gradients with respect to predictions match central differences', () => {
  const t = rand([B, C], -1, 1, 61);
  const p = rand([B, C], -1, 1, 62);
  const pr = probs(63);
  const oh = oneHot(LABELS);
  const labels = nb.tensor(LABELS, [B], 'int32');
  const bt = nb.tensor([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]);
  const pos = rand([B, C], 0.2, 2, 64);
  const cases: [string, (x: nb.Tensor) => nb.Tensor, nb.Tensor][] = [
    ['mse', (x) => L.meanSquaredError(t, x), p],
    ['mae', (x) => L.meanAbsoluteError(t, x), p],
    ['mape', (x) => L.meanAbsolutePercentageError(t, x), p],
    ['msle', (x) => L.meanSquaredLogarithmicError(pos, x), pos],
    ['huber', (x) => L.huber(t, x, 0.5), p],
    ['logCosh', (x) => L.logCosh(t, x), p],
    ['cosine', (x) => L.cosineSimilarity(t, x), p],
    ['poisson', (x) => L.poisson(t, x), pos],
    ['kld', (x) => L.kld(pr, x), probs(65)],
    ['hinge', (x) => L.hinge(bt, x), p],
    ['squaredHinge', (x) => L.squaredHinge(bt, x), p],
    ['categoricalHinge', (x) => L.categoricalHinge(oh, x), p],
    ['bce', (x) => L.binaryCrossentropy(bt, x), pr],
    ['bce logits', (x) => L.binaryCrossentropy(bt, x, { fromLogits: true, labelSmoothing: 0.1 }), p],
    ['cce', (x) => L.categoricalCrossentropy(oh, x), pr],
    ['cce logits', (x) => L.categoricalCrossentropy(oh, x, { fromLogits: true, labelSmoothing: 0.1 }), p],
    ['scce', (x) => L.sparseCategoricalCrossentropy(labels, x), pr],
    ['scce logits', (x) => L.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), p],
    ['apply weighted', (x) => new L.CategoricalCrossentropy({ fromLogits: true }).apply(oh, x, nb.tensor([1, 2, 0.5, 0])), p],
  ];
  for (const [name, f, x] of cases) {
    try {
      gradCheck(f, [x]);
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
});

test('shape errors name the loss, both shapes and the fix', () => {
  const p = probs(71, 32, 10);
  assert.throws(
    () => L.categoricalCrossentropy(nb.zeros([32], 'int32'), p),
    (e: Error) =>
      e instanceof nb.ShapeError &&
      /categorical_crossentropy/.test(e.message) &&
      e.message.includes('[32]') &&
      e.message.includes('[32,10]') &&
      /sparse_categorical_crossentropy/.test(e.message),
  );
  assert.throws(
    () => L.sparseCategoricalCrossentropy(oneHot(new Array(32).fill(1), 10), p),
    (e: Error) => e instanceof nb.ShapeError && /sparse_categorical_crossentropy/.test(e.message) && /use categorical_crossentropy/.test(e.message),
  );
  assert.throws(
    () => L.meanSquaredError(nb.zeros([4, 3]), nb.zeros([4, 2])),
    (e: Error) => e instanceof nb.ShapeError && /mean_squared_error/.test(e.message) && e.message.includes('[4,3]') && e.message.includes('[4,2]'),
  );
  assert.throws(() => new L.BinaryCrossentropy().apply(nb.zeros([4, 2]), nb.zeros([4, 3])), nb.ShapeError);
  assert.throws(
    () => L.sparseCategoricalCrossentropy(nb.tensor([0.5, 1]), probs(72, 2, 3)),
    (e: Error) => e instanceof nb.InvalidArgumentError && /not an integer/.test(e.message),
  );
  assert.throws(() => L.sparseCategoricalCrossentropy(nb.tensor([0, 3], [2], 'int32'), probs(73, 2, 3)), nb.InvalidArgumentError);
  assert.throws(() => L.meanSquaredError(nb.zeros([2]), nb.zeros([2], 'int32')), nb.DTypeError);
});

test('getLoss resolves Keras and camelCase names, instances and functions', () => {
  const cases: [string, string][] = [
    ['mse', 'mean_squared_error'],
    ['mean_squared_error', 'mean_squared_error'],
    ['meanSquaredError', 'mean_squared_error'],
    ['MeanSquaredError', 'mean_squared_error'],
    ['mae', 'mean_absolute_error'],
    ['mape', 'mean_absolute_percentage_error'],
    ['msle', 'mean_squared_logarithmic_error'],
    ['categorical_crossentropy', 'categorical_crossentropy'],
    ['categoricalCrossentropy', 'categorical_crossentropy'],
    ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'],
    ['sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
    ['binary_crossentropy', 'binary_crossentropy'],
    ['binaryCrossentropy', 'binary_crossentropy'],
    ['kld', 'kl_divergence'],
    ['kullbackLeiblerDivergence', 'kl_divergence'],
    ['huber', 'huber_loss'],
    ['log_cosh', 'log_cosh'],
    ['logcosh', 'log_cosh'],
    ['hinge', 'hinge'],
    ['squared_hinge', 'squared_hinge'],
    ['categorical_hinge', 'categorical_hinge'],
    ['poisson', 'poisson'],
    ['cosine_similarity', 'cosine_similarity'],
  ];
  for (const [id, name] of cases) assert.equal(L.getLoss(id).name, name, id);
  const inst = new L.SparseCategoricalCrossentropy({ fromLogits: true });
  assert.equal(L.getLoss(inst), inst);
  function myLoss(t: nb.Tensor, p: nb.Tensor) {
    return nb.mean(nb.abs(nb.sub(t, p)), -1);
  }
  const wrapped = L.getLoss(myLoss);
  assert.equal(wrapped.name, 'my_loss');
  assert.ok(Math.abs(wrapped.apply(nb.tensor([[1, 2]]), nb.tensor([[2, 2]])).item() - 0.5) < 1e-7);
  assert.throws(
    () => L.getLoss('mean_sqared_error', 'model.compile'),
    (e: Error) => e instanceof nb.InvalidArgumentError && /model\.compile/.test(e.message) && /mean_sqared_error/.test(e.message) && /mean_squared_error/.test(e.message),
  );
  assert.deepEqual(inst.getConfig(), { name: 'sparse_categorical_crossentropy', reduction: 'auto', fromLogits: true });
  const round = L.deserializeLoss(L.serializeLoss(new L.CategoricalCrossentropy({ labelSmoothing: 0.1 })));
  assert.ok(round instanceof L.CategoricalCrossentropy);
  assert.equal((round as L.CategoricalCrossentropy).labelSmoothing, 0.1);
});

test('crossentropy of a softmax output uses its logits (as tf.keras), so saturated samples keep their loss and gradient', () => {
  const z = nb.tensor([[100, 0, 0], [0, 2, 1]]);
  const softmax = nb.keras.activations.getActivation('softmax');
  const p = softmax(z);
  const exact = (nb.mean(nb.sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([1, 1], [2], 'int32'), logits: z })).item() as number);
  const sparse = L.sparseCategoricalCrossentropy(nb.tensor([1, 1], [2], 'int32'), p);
  assert.ok(Math.abs((nb.mean(sparse).item() as number) - exact) < 1e-4, `sparse ${String(nb.mean(sparse).item())} vs exact ${exact}`);
  const categorical = L.categoricalCrossentropy(nb.tensor([[0, 1, 0], [0, 1, 0]]), p);
  assert.ok(Math.abs((nb.mean(categorical).item() as number) - exact) < 1e-4);
  // The same probabilities as a plain tensor are clipped at 1e-7 (Keras on probabilities): -log(1e-7) for the first.
  const plain = L.sparseCategoricalCrossentropy(nb.tensor([1, 1], [2], 'int32'), nb.tensor(p.arraySync() as number[][]));
  assert.ok(Math.abs((plain.arraySync() as number[])[0]! - 16.118) < 1e-2);
  // The softmax layer over the last axis is recognised too, and the gradient reaches the logits.
  const tape = new nb.GradientTape();
  tape.watch(z);
  const loss = tape.record(() => nb.mean(L.sparseCategoricalCrossentropy(nb.tensor([1, 1], [2], 'int32'), nb.keras.layers.softmax().apply(z) as nb.Tensor)));
  const g = tape.gradient(loss, z)!.arraySync() as number[][];
  assert.ok(g[0]![0]! > 0.49 && g[0]![1]! < -0.49, `gradient of the saturated row: ${JSON.stringify(g[0])}`);
});
