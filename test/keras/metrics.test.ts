import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import * as M from '../../src/keras/metrics/index.js';
import * as L from '../../src/keras/losses/index.js';

const close = (a: number, b: number, msg = '', tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg}: ${a} vs ${b}`);

test('Mean: weighted running mean, accumulation and reset', () => {
  const m = new M.Mean();
  m.updateState(nb.tensor([1, 2, 3]));
  close(m.result(), 2, 'one batch');
  m.updateState(nb.tensor([10]), nb.tensor([2]));
  close(m.result(), (1 + 2 + 3 + 20) / 5, 'weighted second batch');
  m.updateState([4, 4]);
  close(m.result(), (26 + 8) / 7, 'plain numbers');
  m.resetState();
  assert.equal(m.result(), 0);
  m.updateState(5);
  close(m.result(), 5, 'after reset');
  m.reset();
  assert.equal(m.result(), 0);
});

test('accuracy metrics against hand-computed values, over two batches', () => {
  // Binary: threshold 0.5 (strictly greater is positive).
  const bin = new M.BinaryAccuracy();
  bin.updateState(nb.tensor([[1], [0], [1], [0]]), nb.tensor([[0.9], [0.2], [0.4], [0.5]])); // 3/4 correct (0.5 → 0)
  close(bin.result(), 0.75, 'binary batch 1');
  bin.updateState(nb.tensor([1, 1]), nb.tensor([[0.6], [0.1]])); // [B] labels vs [B,1] predictions: 1/2
  close(bin.result(), 4 / 6, 'binary batch 2');
  bin.resetState();
  assert.equal(bin.result(), 0);
  const bin2 = new M.BinaryAccuracy({ threshold: 0.3 });
  bin2.updateState(nb.tensor([[1, 0]]), nb.tensor([[0.4, 0.35]]));
  close(bin2.result(), 0.5, 'threshold 0.3');

  const yPred = nb.tensor([
    [0.1, 0.6, 0.3],
    [0.5, 0.2, 0.3],
    [0.2, 0.3, 0.5],
    [0.4, 0.35, 0.25],
  ]);
  const labels = [1, 2, 2, 1]; // correct: yes, no, yes, no
  const oneHot = nb.oneHot(nb.tensor(labels, [4], 'int32'), 3);
  const cat = new M.CategoricalAccuracy();
  cat.updateState(oneHot, yPred);
  close(cat.result(), 0.5, 'categorical');
  cat.updateState(nb.tensor([[0, 0, 1]]), nb.tensor([[0.1, 0.1, 0.8]]));
  close(cat.result(), 3 / 5, 'categorical batch 2');
  const sparse = new M.SparseCategoricalAccuracy();
  sparse.updateState(nb.tensor(labels, [4], 'int32'), yPred);
  close(sparse.result(), 0.5, 'sparse int32');
  sparse.updateState(nb.tensor([[0], [2]]), nb.tensor([[0.7, 0.2, 0.1], [0.7, 0.2, 0.1]]));
  close(sparse.result(), 3 / 6, 'sparse float [B,1]');
  // Weighted: weights 1, 0, 3, 0 on correct/incorrect/correct/incorrect → 1.
  const sw = new M.SparseCategoricalAccuracy();
  sw.updateState(nb.tensor(labels, [4], 'int32'), yPred, nb.tensor([1, 0, 3, 0]));
  close(sw.result(), 1, 'weighted sparse');

  // Top-k with k = 2: ranks of the true class are 1, 2, 1, 2 → all in; with ties counted in.
  const top2 = new M.TopKCategoricalAccuracy({ k: 2 });
  top2.updateState(oneHot, yPred);
  close(top2.result(), 1, 'top-2');
  const top1 = new M.SparseTopKCategoricalAccuracy({ k: 1 });
  top1.updateState(nb.tensor(labels, [4], 'int32'), yPred);
  close(top1.result(), 0.5, 'sparse top-1');
  const tie = new M.SparseTopKCategoricalAccuracy({ k: 1 });
  tie.updateState(nb.tensor([1], [1], 'int32'), nb.tensor([[0.4, 0.4, 0.2]]));
  close(tie.result(), 1, 'ties are in the top k');
  // Default k = 5 with 6 classes: the smallest class is out.
  const top5 = new M.SparseTopKCategoricalAccuracy();
  top5.updateState(nb.tensor([0, 1], [2], 'int32'), nb.tensor([[0.01, 0.2, 0.2, 0.2, 0.2, 0.19], [0.01, 0.2, 0.2, 0.2, 0.2, 0.19]]));
  close(top5.result(), 0.5, 'top-5');

  const exact = new M.Accuracy();
  exact.updateState(nb.tensor([[1, 2], [3, 4]]), nb.tensor([[1, 0], [3, 4]]));
  close(exact.result(), 0.75, 'exact accuracy');
});

test('functional accuracy forms return per-sample tensors', () => {
  assert.deepEqual(Array.from(M.binaryAccuracy(nb.tensor([[1, 0], [0, 0]]), nb.tensor([[0.7, 0.6], [0.1, 0.2]])).values), [0.5, 1]);
  assert.deepEqual(
    Array.from(M.categoricalAccuracy(nb.tensor([[0, 1], [1, 0]]), nb.tensor([[0.3, 0.7], [0.2, 0.8]])).values),
    [1, 0],
  );
  assert.deepEqual(Array.from(M.sparseCategoricalAccuracy(nb.tensor([1, 1]), nb.tensor([[0.3, 0.7], [0.2, 0.8]])).values), [1, 1]);
  const top = M.topKCategoricalAccuracy(nb.tensor([[0, 0, 1]]), nb.tensor([[0.5, 0.3, 0.2]]), 2);
  assert.deepEqual(top.shape, [1]);
  assert.deepEqual(Array.from(top.values), [0]);
});

test('regression metrics: mse, mae, rmse with weights', () => {
  const t = nb.tensor([[1, 2], [3, 4]]);
  const p = nb.tensor([[1, 4], [0, 4]]);
  // Per-sample squared errors: (0 + 4)/2 = 2, (9 + 0)/2 = 4.5; absolute: 1, 1.5.
  const mse = new M.MeanSquaredError();
  mse.updateState(t, p);
  close(mse.result(), 3.25, 'mse');
  mse.updateState(nb.tensor([[0, 0]]), nb.tensor([[1, 1]]));
  close(mse.result(), (2 + 4.5 + 1) / 3, 'mse batch 2');
  const mae = new M.MeanAbsoluteError();
  mae.updateState(t, p, nb.tensor([3, 1]));
  close(mae.result(), (3 * 1 + 1.5) / 4, 'weighted mae');
  const rmse = new M.RootMeanSquaredError();
  rmse.updateState(t, p);
  close(rmse.result(), Math.sqrt(13 / 4), 'rmse');
  rmse.updateState(nb.tensor([[0, 0]]), nb.tensor([[2, 2]]), nb.tensor([2]));
  close(rmse.result(), Math.sqrt((13 + 2 * 8) / (4 + 4)), 'rmse weighted batch 2');
  rmse.reset();
  assert.equal(rmse.result(), 0);
});

test('loss-named metrics are running means of the loss', () => {
  const yt = nb.tensor([[0, 1, 0], [1, 0, 0]]);
  const yp = nb.tensor([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]);
  const m = M.getMetric('categorical_crossentropy');
  m.updateState(yt, yp);
  close(m.result(), (-Math.log(0.7) - Math.log(0.5)) / 2, 'cce', 1e-5);
  const b = M.getMetric('binary_crossentropy');
  b.updateState(nb.tensor([[1], [0]]), nb.tensor([[0.8], [0.4]]));
  close(b.result(), (-Math.log(0.8) - Math.log(0.6)) / 2, 'bce', 1e-5);
  const cos = new M.CosineSimilarity();
  cos.updateState(nb.tensor([[1, 0], [1, 1]]), nb.tensor([[2, 0], [-1, -1]]));
  close(cos.result(), 0, 'cosine (+1 and −1)', 1e-6);
  // They never record on an enclosing tape.
  const tape = new nb.GradientTape();
  const x = nb.variable(nb.tensor([[0.3, 0.7]]));
  tape.record(() => M.getMetric('kld').updateState(nb.tensor([[0.5, 0.5]]), x));
  assert.equal(tape.gradient(nb.tensor(0), x), null);
});

test('Precision and Recall against hand-computed counts', () => {
  const yTrue = nb.tensor([1, 0, 1, 1, 0, 0]);
  const yPred = nb.tensor([0.9, 0.8, 0.3, 0.6, 0.1, 0.5]); // > 0.5: 1 1 0 1 0 0 → tp 2, fp 1, fn 1, tn 2
  const p = new M.Precision();
  const r = new M.Recall();
  p.updateState(yTrue, yPred);
  r.updateState(yTrue, yPred);
  close(p.result(), 2 / 3, 'precision');
  close(r.result(), 2 / 3, 'recall');
  p.updateState(nb.tensor([0, 1]), nb.tensor([0.7, 0.9]), nb.tensor([2, 1])); // fp +2, tp +1
  close(p.result(), 3 / 6, 'precision batch 2 weighted');
  const tp = new M.TruePositives();
  tp.updateState(yTrue, yPred);
  assert.equal(tp.result(), 2);
  const rt = new M.Recall({ thresholds: 0.2 });
  rt.updateState(yTrue, yPred);
  close(rt.result(), 1, 'recall at 0.2');
  const none = new M.Precision();
  none.updateState(nb.tensor([1]), nb.tensor([0.1]));
  assert.equal(none.result(), 0, 'no positives predicted → 0');
  const perClass = new M.Recall({ classId: 1 });
  perClass.updateState(nb.tensor([[1, 1], [0, 1]]), nb.tensor([[0.1, 0.9], [0.9, 0.2]]));
  close(perClass.result(), 0.5, 'classId 1');
  assert.throws(() => new M.Precision().updateState(nb.tensor([1]), nb.tensor([2.5])), nb.InvalidArgumentError);
});

test('AUC matches the directly computed ROC area', () => {
  // Distinct scores, each pair more than 1/199 apart, so every ROC vertex is a threshold.
  const scores = [0.05, 0.12, 0.33, 0.41, 0.47, 0.58, 0.66, 0.71, 0.83, 0.94];
  const labels = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1];
  // ROC area = P(score of a random positive > score of a random negative).
  let wins = 0;
  let pairs = 0;
  labels.forEach((li, i) =>
    labels.forEach((lj, j) => {
      if (li === 1 && lj === 0) {
        pairs++;
        if (scores[i]! > scores[j]!) wins++;
      }
    }),
  );
  const expected = wins / pairs;
  const auc = new M.AUC();
  auc.updateState(nb.tensor(labels.slice(0, 5)), nb.tensor(scores.slice(0, 5)));
  auc.updateState(nb.tensor(labels.slice(5)), nb.tensor(scores.slice(5)));
  close(auc.result(), expected, 'AUC over two batches', 1e-9);
  const perfect = new M.AUC();
  perfect.updateState(nb.tensor([0, 0, 1, 1]), nb.tensor([0.1, 0.2, 0.8, 0.9]));
  close(perfect.result(), 1, 'separable ROC');
  const prPerfect = new M.AUC({ curve: 'PR' });
  prPerfect.updateState(nb.tensor([0, 0, 1, 1]), nb.tensor([0.1, 0.2, 0.8, 0.9]));
  close(prPerfect.result(), 1, 'separable PR', 1e-3);
  // Coarse thresholds: with 3 thresholds (−ε, 0.5, 1+ε) the curve is (0,0) → (fpr, tpr at 0.5) → (1,1).
  const coarse = new M.AUC({ numThresholds: 3 });
  coarse.updateState(nb.tensor(labels), nb.tensor(scores));
  const pos = labels.filter((l) => l === 1).length;
  const neg = labels.length - pos;
  const tpr = labels.filter((l, i) => l === 1 && scores[i]! > 0.5).length / pos;
  const fpr = labels.filter((l, i) => l === 0 && scores[i]! > 0.5).length / neg;
  close(coarse.result(), (1 - fpr) * (1 + tpr) / 2 + fpr * tpr / 2, 'trapezoids at 3 thresholds', 1e-9);
  // A prediction equal to a threshold is not above it.
  const edge = new M.AUC({ numThresholds: 3 });
  edge.updateState(nb.tensor([1, 0]), nb.tensor([0.5, 0.2]));
  close(edge.result(), 0.5, 'prediction on a threshold', 1e-9);
  auc.resetState();
  assert.equal(auc.result(), 0);
});

test('getMetric resolves accuracy like Keras and keeps the name', () => {
  const probs = nb.tensor([[0.1, 0.9], [0.8, 0.2]]);
  const sparseAcc = M.getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' });
  assert.equal(sparseAcc.name, 'accuracy');
  sparseAcc.updateState(nb.tensor([1, 1], [2], 'int32'), probs);
  close(sparseAcc.result(), 0.5, 'sparse');

  const catAcc = M.getMetric('acc', { lossName: 'categoricalCrossentropy' });
  assert.equal(catAcc.name, 'acc');
  catAcc.updateState(nb.tensor([[0, 1], [0, 1]]), probs);
  close(catAcc.result(), 0.5, 'categorical');
  assert.throws(() => catAcc.updateState(nb.tensor([1, 1]), probs), (e: Error) => e instanceof nb.ShapeError && /sparse_categorical_accuracy/.test(e.message));

  const binAcc = M.getMetric('accuracy', { lossName: 'binary_crossentropy' });
  binAcc.updateState(nb.tensor([[1, 0], [1, 0]]), probs);
  close(binAcc.result(), 0.5, 'binary (element-wise threshold)');
  const byShape = M.getMetric('accuracy', { lossName: 'mse', outputShape: [null, 1] });
  byShape.updateState(nb.tensor([[1], [0]]), nb.tensor([[0.7], [0.6]]));
  close(byShape.result(), 0.5, 'binary from last dim 1');
  // No context: decided from the first batch's shapes ([B] labels vs [B, C] predictions → sparse).
  const lazy = M.getMetric('accuracy');
  lazy.updateState(nb.tensor([1, 0]), probs);
  close(lazy.result(), 1, 'sparse from shapes');

  for (const id of ['mse', 'mae', 'rmse', 'precision', 'recall', 'auc', 'top_k_categorical_accuracy', 'topKCategoricalAccuracy', 'meanSquaredError', 'sparseCategoricalAccuracy']) {
    const m = M.getMetric(id);
    assert.equal(m.name, id);
    assert.ok(m instanceof M.Metric);
  }
  assert.ok(M.getMetric('rmse') instanceof M.RootMeanSquaredError);
  assert.ok(M.getMetric('meanAbsoluteError') instanceof M.MeanAbsoluteError);
  const inst = new M.AUC();
  assert.equal(M.getMetric(inst), inst);
  assert.throws(
    () => M.getMetric('acuracy'),
    (e: Error) => e instanceof nb.InvalidArgumentError && /acuracy/.test(e.message) && /accuracy/.test(e.message) && /precision/.test(e.message),
  );
});

test('metric shape errors name the metric and the fix', () => {
  assert.throws(
    () => new M.CategoricalAccuracy().updateState(nb.tensor([1, 2]), nb.zeros([2, 3])),
    (e: Error) => e instanceof nb.ShapeError && /categorical_accuracy/.test(e.message) && e.message.includes('[2,3]') && /sparse_categorical_accuracy/.test(e.message),
  );
  assert.throws(
    () => new M.SparseCategoricalAccuracy().updateState(nb.zeros([2, 3]), nb.zeros([2, 3])),
    (e: Error) => e instanceof nb.ShapeError && /one-hot/.test(e.message) && /categorical_accuracy/.test(e.message),
  );
  assert.throws(() => new M.MeanSquaredError().updateState(nb.zeros([2, 3]), nb.zeros([2, 2])), nb.ShapeError);
  assert.throws(() => new M.Mean().updateState(nb.zeros([2, 3]), nb.zeros([3])), nb.ShapeError);
  // A failed update leaves the state as it was.
  const auc = new M.AUC();
  auc.updateState(nb.tensor([0, 1]), nb.tensor([0.2, 0.8]));
  assert.throws(() => auc.updateState(nb.tensor([0, 1]), nb.tensor([0.2, 1.8])), nb.InvalidArgumentError);
  close(auc.result(), 1, 'unchanged');
  // Metric results agree with the loss functions they mirror.
  const t = nb.tensor([[0.2, 0.5], [1, 3]]);
  const p = nb.tensor([[0.1, 0.9], [2, 2.5]]);
  const msle = new M.MeanSquaredLogarithmicError();
  msle.updateState(t, p);
  close(msle.result(), nb.mean(L.meanSquaredLogarithmicError(t, p)).item(), 'msle', 1e-6);
});
