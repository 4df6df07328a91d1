import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-estimator-'));
const { Estimator, EstimatorSpec, RunConfig } = nb.estimator;

// y = 2a - b + 1 on 16 fixed points; full-batch input so every step sees the same batch.
const xa = Array.from({ length: 16 }, (_, i) => (i % 4) - 1.5);
const xb = Array.from({ length: 16 }, (_, i) => Math.floor(i / 4) - 1.5);
const ys = nb.tensor(xa.map((a, i) => 2 * a - xb[i]! + 1), [16, 1]);
const inputFn = () => nb.data.Dataset.fromGenerator(function* () {
  for (;;) yield [{ a: nb.tensor(xa, [16, 1]), b: nb.tensor(xb, [16, 1]) }, ys] as const;
});

const modelFn: nb.estimator.ModelFn<{ lr: number }> = ({ features, labels, mode, params, ctx }) => {
  const x = ctx.layer('input', () => nb.featureColumn.denseFeatures([nb.featureColumn.numericColumn('a'), nb.featureColumn.numericColumn('b')])).transform(features);
  const y = ctx.layer('dense', () => nb.keras.layers.dense({ units: 1 })).apply(x) as nb.Tensor;
  const loss = labels ? nb.mean(nb.square(nb.sub(y, labels))) : undefined;
  return new EstimatorSpec({ mode, predictions: { y }, ...(loss ? { loss } : {}), optimizer: new nb.keras.optimizers.Adam({ learningRate: params.lr }) });
};
const make = (modelDir: string, extra: nb.estimator.RunConfigOptions = {}) =>
  new Estimator({ modelFn, modelDir, params: { lr: 0.05 }, config: new RunConfig({ randomSeed: 7, saveCheckpointsSteps: 50, ...extra }) });

test('custom modelFn: train lowers the loss, evaluate gives loss/averageLoss/globalStep, predict yields records', async () => {
  const est = make(tmp());
  const before = await est.evaluate(inputFn, { steps: 1 });
  await est.train(inputFn, { steps: 300 });
  const after = await est.evaluate(inputFn, { steps: 2, name: 'check' });
  assert.equal(after.globalStep, 300);
  assert.ok(after.loss < before.loss / 20, `loss ${before.loss} -> ${after.loss}`);
  assert.ok(Math.abs(after.averageLoss - after.loss) < 1e-6);
  assert.ok(existsSync(join(est.modelDir!, 'eval_check', 'results.json')));
  const preds: nb.estimator.PredictionRecord[] = [];
  for await (const p of est.predict(() => [[{ a: nb.tensor([[1]]), b: nb.tensor([[2]]) }]] as const, { predictKeys: ['y'] })) preds.push(p);
  assert.equal(preds.length, 1);
  assert.ok(Math.abs((preds[0]!['y'] as number[])[0]! - 1) < 0.1, `prediction ${JSON.stringify(preds)} for 2*1-2+1 = 1`);
  await assert.rejects(async () => {
    for await (const _ of est.predict(inputFn, { predictKeys: ['nope'] })) break;
  }, (e: Error) => e instanceof nb.InvalidArgumentError && /'nope'/.test(e.message) && /predicts: y/.test(e.message));
});

test('resume: 100 steps + new Estimator 100 steps == 200 uninterrupted (global step and weights)', async () => {
  const dirA = tmp();
  await make(dirA).train(inputFn, { steps: 100 });
  const resumed = make(dirA);
  await resumed.train(inputFn, { steps: 100 });
  assert.equal(resumed.globalStep, 200);
  const straight = make(tmp());
  await straight.train(inputFn, { maxSteps: 200 });
  assert.equal(straight.globalStep, 200);
  assert.deepEqual(resumed.getVariableNames(), straight.getVariableNames());
  for (const name of straight.getVariableNames()) {
    assert.deepEqual(Array.from(resumed.getVariableValue(name).values), Array.from(straight.getVariableValue(name).values), name);
  }
  // maxSteps already reached: no more steps.
  await make(dirA).train(inputFn, { maxSteps: 150 });
  assert.equal(nb.estimator.listCheckpoints(dirA)[0]!.step, 200);
});

test('keepCheckpointMax keeps the newest N; checkpoints every saveCheckpointsSteps and at the end', async () => {
  const dir = tmp();
  await make(dir, { saveCheckpointsSteps: 20, keepCheckpointMax: 3 }).train(inputFn, { steps: 110 });
  assert.deepEqual(nb.estimator.listCheckpoints(dir).map((c) => c.step), [110, 100, 80]);
  assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp')), 'no temporary files left');
});

test('a corrupt latest checkpoint is reported and the previous good one is used', async () => {
  const dir = tmp();
  await make(dir).train(inputFn, { steps: 100 });
  const [latest, previous] = nb.estimator.listCheckpoints(dir);
  assert.equal(previous!.step, 50);
  const bytes = readFileSync(latest!.path);
  const dataStart = (12 + bytes.readUInt32LE(8) + 7) & ~7; // magic, header length, header, padding
  bytes[dataStart + 1] ^= 0xff; // a byte of the first tensor
  writeFileSync(latest!.path, bytes);
  const warnings: string[] = [];
  const est = make(dir, { onWarning: (m) => warnings.push(m) });
  const r = await est.evaluate(inputFn, { steps: 1 });
  assert.equal(r.globalStep, 50);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /ckpt-100\.nbckpt/);
  assert.match(warnings[0]!, /corrupt/);
  assert.match(warnings[0]!, /previous checkpoint/);
  // A truncated file too.
  writeFileSync(latest!.path, bytes.subarray(0, 20));
  const w2: string[] = [];
  assert.equal((await make(dir, { onWarning: (m) => w2.push(m) }).evaluate(inputFn, { steps: 1 })).globalStep, 50);
  assert.match(w2[0]!, /truncated|corrupt/);
});

test('typed errors: bad input element, non-scalar loss, model changed under a modelDir, spec without loss', async () => {
  const est = make(tmp());
  await assert.rejects(est.train(() => [nb.tensor([1])] as never, { steps: 1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /\[features record, labels tensor\]/.test(e.message));
  await assert.rejects(est.train(inputFn, { steps: 1, maxSteps: 2 }), /steps or maxSteps, not both/);
  assert.throws(() => new EstimatorSpec({ mode: 'train', predictions: {} }), (e: Error) => e instanceof nb.InvalidArgumentError && /needs a loss/.test(e.message));
  const dir = tmp();
  await make(dir).train(inputFn, { steps: 2 });
  const other = new Estimator({
    modelDir: dir,
    modelFn: ({ features, labels, mode, ctx }) => {
      const x = nb.concat([features['a'] as nb.Tensor, features['b'] as nb.Tensor], 1);
      const y = ctx.layer('other', () => nb.keras.layers.dense({ units: 1 })).apply(x) as nb.Tensor;
      return new EstimatorSpec({ mode, predictions: { y }, loss: nb.mean(nb.square(nb.sub(y, labels!))), optimizer: 'sgd' });
    },
  });
  await assert.rejects(other.evaluate(inputFn, { steps: 1 }), (e: Error) => e instanceof nb.FailedPreconditionError && /different model/.test(e.message) && /new modelDir/.test(e.message));
});

test('hooks: begin/afterStep/end are called, afterStep returning true stops training; logStepCountSteps logs', async () => {
  const calls: string[] = [];
  const logs: string[] = [];
  const est = make(tmp(), { logStepCountSteps: 5, onLog: (m) => logs.push(m) });
  await est.train(inputFn, {
    steps: 100,
    hooks: [{ begin: () => calls.push('begin'), afterStep: ({ globalStep, loss }) => (calls.push(`step ${globalStep} ${Number.isFinite(loss)}`), globalStep >= 12), end: ({ globalStep }) => calls.push(`end ${globalStep}`) }],
  });
  assert.equal(est.globalStep, 12);
  assert.equal(calls[0], 'begin');
  assert.equal(calls[1], 'step 1 true');
  assert.equal(calls.at(-1), 'end 12');
  assert.deepEqual(logs.map((l) => l.split(':')[0]), ['global step 5', 'global step 10']);
  assert.deepEqual(nb.estimator.listCheckpoints(est.modelDir!).map((c) => c.step), [12]);
  assert.throws(() => new RunConfig({ keepCheckpointMax: -1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /keepCheckpointMax/.test(e.message));
});

test('summaries: train writes the loss to modelDir every saveSummarySteps, evaluate to modelDir/eval_NAME; 0 turns them off', async () => {
  const readScalars = (dir: string) =>
    readFileSync(join(dir, nb.summary.SUMMARIES_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tag: string; step: number; value: number });
  const est = make(tmp(), { saveSummarySteps: 20 });
  await est.train(inputFn, { steps: 60 });
  const loss = readScalars(est.modelDir!).filter((r) => r.tag === 'loss');
  assert.deepEqual(loss.map((r) => r.step), [1, 20, 40, 60], 'the first step, then every 20');
  assert.ok(loss.at(-1)!.value < loss[0]!.value, 'the logged loss falls');
  assert.ok(readdirSync(est.modelDir!).some((f) => f.startsWith('events.out.tfevents.')), 'a TensorBoard event file too');
  const evalResult = await est.evaluate(inputFn, { steps: 1, name: 'holdout' });
  const evalLoss = readScalars(join(est.modelDir!, 'eval_holdout')).find((r) => r.tag === 'loss')!;
  assert.equal(evalLoss.step, 60);
  assert.ok(Math.abs(evalLoss.value - evalResult.loss) < 1e-6);
  const quiet = make(tmp(), { saveSummarySteps: 0 });
  await quiet.train(inputFn, { steps: 5 });
  assert.ok(!existsSync(join(quiet.modelDir!, nb.summary.SUMMARIES_FILE)), 'saveSummarySteps 0 writes no summaries');
  assert.throws(() => new RunConfig({ saveSummarySteps: -1 }), (e: Error) => e instanceof nb.InvalidArgumentError && e.message.includes('saveSummarySteps'));
});
