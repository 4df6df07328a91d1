// Train / evaluate / predict a premade estimator on a CSV table (behind `nabla estimator ...`).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { getOptimizer } from '../keras/optimizers/index.js';
import { columnsFromSpecs, inferColumnSpecs, labelTensor, readCsvTable, tableFeatures, type ColumnSpec, type CsvTable } from './csv-table.js';
import type { Estimator, PredictionRecord } from './estimator.js';
import { numpyInputFn } from './input-fns.js';
import { BaselineClassifier, BaselineRegressor, DNNClassifier, DNNRegressor, LinearClassifier, LinearRegressor } from './premade.js';
import { RunConfig } from './spec.js';
import { writeConfusionPng, writePredictedVsActualPng } from './tabular-report.js';

/** The premade models the tabular app can build. */
export const TABULAR_MODELS = ['dnn-classifier', 'linear-classifier', 'baseline-classifier', 'dnn-regressor', 'linear-regressor', 'baseline-regressor'] as const;
export type TabularModel = (typeof TABULAR_MODELS)[number];

/** What is saved next to the checkpoints (modelDir/estimator.json) to rebuild the estimator. */
export interface TabularSetup {
  model: TabularModel;
  label: string;
  hidden: number[];
  nClasses: number;
  specs: ColumnSpec[];
  optimizer: string;
  learningRate: number | null;
  seed: number;
  names: string[] | null;
  skipRows: number;
}

/** Options of `trainTabular`. */
export interface TabularTrainOptions {
  csv: string;
  label: string;
  model: TabularModel;
  modelDir: string;
  hidden?: number[];
  steps?: number;
  batchSize?: number;
  seed?: number;
  testFraction?: number;
  categorical?: string[];
  names?: string[];
  skipRows?: number;
  optimizer?: string;
  learningRate?: number;
  nClasses?: number;
  onLog?: (line: string) => void;
}

const isClassifier = (m: TabularModel): boolean => m.endsWith('classifier');

function buildEstimator(s: TabularSetup, modelDir: string): Estimator<unknown> {
  const featureColumns = columnsFromSpecs(s.specs);
  const optimizer = getOptimizer(s.optimizer, 'nabla estimator');
  if (s.learningRate !== null) optimizer.learningRate = s.learningRate;
  const common = { featureColumns, modelDir, optimizer, config: new RunConfig({ randomSeed: s.seed, saveCheckpointsSteps: 100, keepCheckpointMax: 3 }) };
  switch (s.model) {
    case 'dnn-classifier':
      return new DNNClassifier({ ...common, hiddenUnits: s.hidden, nClasses: s.nClasses });
    case 'linear-classifier':
      return new LinearClassifier({ ...common, nClasses: s.nClasses });
    case 'baseline-classifier':
      return new BaselineClassifier({ ...common, nClasses: s.nClasses });
    case 'dnn-regressor':
      return new DNNRegressor({ ...common, hiddenUnits: s.hidden });
    case 'linear-regressor':
      return new LinearRegressor({ ...common });
    case 'baseline-regressor':
      return new BaselineRegressor({ ...common });
  }
}

/** A seeded permutation split of row indices into train and test. */
function split(rows: number, testFraction: number, seed: number): { train: number[]; test: number[] } {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 4294967296);
  const idx = Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const nTest = Math.round(rows * testFraction);
  return { test: idx.slice(0, nTest), train: idx.slice(nTest) };
}

function subset(f: Record<string, Tensor | string[]>, y: Tensor, ix: number[]): { x: Record<string, Tensor | string[]>; y: Tensor } {
  const t = ops.tensor(Int32Array.from(ix), [ix.length], 'int32');
  const x: Record<string, Tensor | string[]> = {};
  for (const [k, v] of Object.entries(f)) x[k] = v instanceof Tensor ? ops.gather(v, t) : ix.map((i) => v[i]!);
  return { x, y: ops.gather(y, t) };
}

/** Figures of an evaluation: accuracy/loss for classifiers, MAE/RMSE/R² for regressors. */
async function figures(est: Estimator<unknown>, s: TabularSetup, x: Record<string, Tensor | string[]>, y: Tensor): Promise<Record<string, number>> {
  const fn = numpyInputFn({ x, y, shuffle: false, batchSize: 256 });
  const r = await est.evaluate(fn);
  const out: Record<string, number> = { loss: r.loss, averageLoss: r.averageLoss, globalStep: r.globalStep, rows: y.size };
  if (isClassifier(s.model)) {
    out['accuracy'] = r['accuracy']!;
    for (const k of ['auc', 'precision', 'recall']) if (k in r) out[k] = r[k]!;
  } else {
    const preds: number[] = [];
    for await (const p of est.predict(numpyInputFn({ x, shuffle: false, batchSize: 256 }))) preds.push((p['predictions'] as number[])[0]!);
    const ys = Array.from(y.values, Number);
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const ssRes = ys.reduce((a, v, i) => a + (v - preds[i]!) ** 2, 0);
    const ssTot = ys.reduce((a, v) => a + (v - mean) ** 2, 0) || 1;
    out['mae'] = ys.reduce((a, v, i) => a + Math.abs(v - preds[i]!), 0) / ys.length;
    out['rmse'] = Math.sqrt(ssRes / ys.length);
    out['r2'] = 1 - ssRes / ssTot;
  }
  return out;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function report(modelDir: string, title: string, figs: Record<string, unknown>): void {
  writeAtomic(join(modelDir, 'report.json'), JSON.stringify(figs, null, 2) + '\n');
  const plot = typeof figs['plot'] === 'string' ? `\n![${figs['plot']}](${figs['plot']})\n` : '';
  const rows = Object.entries(figs).map(([k, v]) => `| ${k} | ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)} |`);
  writeAtomic(join(modelDir, 'report.md'), `# ${title}\n\n| figure | value |\n| --- | --- |\n${rows.join('\n')}\n${plot}`);
}

/**
 * Trains a premade estimator on a CSV (feature columns inferred), evaluates it on a seeded
 * held-out split, writes modelDir/estimator.json, report.json and report.md; returns the figures.
 *
 * @example
 * ```ts
 * const figs = await trainTabular({csv: 'data/iris.csv', label: 'species', model: 'dnn-classifier', modelDir: 'runs/iris'});
 * ```
 */
export async function trainTabular(o: TabularTrainOptions): Promise<Record<string, unknown>> {
  const log = o.onLog ?? (() => {});
  const table = readCsvTable(o.csv, { ...(o.names ? { names: o.names } : {}), skipRows: o.skipRows ?? 0 });
  const y = labelTensor(table, o.label);
  const seed = o.seed ?? 0;
  let nClasses = 0;
  if (isClassifier(o.model)) {
    const maxLabel = Math.max(...Array.from(y.values, Number));
    nClasses = o.nClasses ?? Math.max(2, maxLabel + 1);
  }
  const setup: TabularSetup = {
    model: o.model,
    label: o.label,
    hidden: o.hidden ?? [64, 32],
    nClasses,
    specs: inferColumnSpecs(table, { exclude: [o.label], ...(o.categorical ? { categorical: o.categorical } : {}) }),
    optimizer: o.optimizer ?? 'adam',
    learningRate: o.learningRate ?? (o.optimizer ? null : 0.01),
    seed,
    names: o.names ?? null,
    skipRows: o.skipRows ?? 0,
  };
  if (setup.specs.length === 0) throw new InvalidArgumentError(`nabla estimator: '${o.csv}' has no feature columns besides the label '${o.label}'.`);
  mkdirSync(o.modelDir, { recursive: true });
  writeAtomic(join(o.modelDir, 'estimator.json'), JSON.stringify(setup, null, 2) + '\n');
  const features = tableFeatures(table, setup.specs);
  const { train, test } = split(table.rows, o.testFraction ?? 0.2, seed);
  const tr = subset(features, y, train);
  const est = buildEstimator(setup, o.modelDir);
  log(`${o.model}: ${setup.specs.length} feature columns (${setup.specs.map((s) => `${s.name}:${s.kind}`).join(', ')}), ${train.length} train / ${test.length} test rows`);
  const t0 = performance.now();
  await est.train(numpyInputFn({ x: tr.x, y: tr.y, batchSize: o.batchSize ?? 32, numEpochs: null, seed }), { steps: o.steps ?? 500 });
  const trainSeconds = (performance.now() - t0) / 1000;
  const trainFigs = await figures(est, setup, tr.x, tr.y);
  const testFigs = test.length > 0 ? await figures(est, setup, subset(features, y, test).x, subset(features, y, test).y) : null;
  const figs: Record<string, unknown> = {
    model: o.model,
    csv: o.csv,
    label: o.label,
    globalStep: est.globalStep,
    trainRows: train.length,
    testRows: test.length,
    trainSeconds,
    ...Object.fromEntries(Object.entries(trainFigs).filter(([k]) => k !== 'globalStep' && k !== 'rows').map(([k, v]) => [`train${k[0]!.toUpperCase()}${k.slice(1)}`, v])),
    ...(testFigs ? Object.fromEntries(Object.entries(testFigs).filter(([k]) => k !== 'globalStep' && k !== 'rows')) : {}),
    modelDir: o.modelDir,
  };
  if (test.length > 0) {
    const te = subset(features, y, test);
    const preds: PredictionRecord[] = [];
    for await (const p of est.predict(numpyInputFn({ x: te.x, shuffle: false, batchSize: 256 }))) preds.push(p);
    const truth = Array.from(te.y.values, Number);
    figs['plot'] = isClassifier(o.model)
      ? await writeConfusionPng(o.modelDir, truth, preds.map((p) => p['classIds'] as number), nClasses)
      : await writePredictedVsActualPng(o.modelDir, truth, preds.map((p) => (p['predictions'] as number[])[0]!));
  }
  report(o.modelDir, `${o.model} on ${o.csv}`, figs);
  return figs;
}

function loadSetup(modelDir: string): TabularSetup {
  const p = join(modelDir, 'estimator.json');
  if (!existsSync(p)) throw new NotFoundError(`nabla estimator: '${modelDir}' has no estimator.json; train a model there first with 'nabla estimator train'.`);
  return JSON.parse(readFileSync(p, 'utf8')) as TabularSetup;
}

function loadTable(csv: string, s: TabularSetup, names?: string[], skipRows?: number): CsvTable {
  const n = names ?? s.names;
  return readCsvTable(csv, { ...(n ? { names: n } : {}), skipRows: skipRows ?? s.skipRows });
}

/** Evaluates the model in modelDir on a whole CSV; returns the figures. */
export async function evaluateTabular(o: { csv: string; modelDir: string; names?: string[]; skipRows?: number }): Promise<Record<string, unknown>> {
  const s = loadSetup(o.modelDir);
  const table = loadTable(o.csv, s, o.names, o.skipRows);
  const est = buildEstimator(s, o.modelDir);
  const figs = await figures(est, s, tableFeatures(table, s.specs), labelTensor(table, s.label));
  return { model: s.model, csv: o.csv, ...figs };
}

/** Predicts every row of a CSV with the model in modelDir. */
export async function predictTabular(o: { csv: string; modelDir: string; names?: string[]; skipRows?: number }): Promise<PredictionRecord[]> {
  const s = loadSetup(o.modelDir);
  const table = loadTable(o.csv, s, o.names, o.skipRows);
  const est = buildEstimator(s, o.modelDir);
  const out: PredictionRecord[] = [];
  const keys = isClassifier(s.model) ? ['classIds', 'probabilities'] : ['predictions'];
  for await (const p of est.predict(numpyInputFn({ x: tableFeatures(table, s.specs), shuffle: false, batchSize: 256 }), { predictKeys: keys })) out.push(p);
  return out;
}
