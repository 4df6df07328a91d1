// Train / evaluate / predict a premade estimator on a CSV table (behind `nabla estimator ...`).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { getOptimizer } from '../keras/optimizers/index.js';
import { columnsFromSpecs, inferColumnSpecs, inferLabelVocabulary, isStringLabelColumn, labelTensor, readCsvTable, tableFeatures, type ColumnSpec, type CsvTable } from './csv-table.js';
import type { Estimator, PredictionRecord } from './estimator.js';
import { evaluationData, writeEvaluationPlots, writeReportFiles } from './evaluation-report.js';
import { numpyInputFn } from './input-fns.js';
import { BaselineClassifier, BaselineRegressor, DNNClassifier, DNNRegressor, LinearClassifier, LinearRegressor } from './premade.js';
import { RunConfig } from './spec.js';

/** The premade models the tabular app can build. */
export const TABULAR_MODELS = ['dnn-classifier', 'linear-classifier', 'baseline-classifier', 'dnn-regressor', 'linear-regressor', 'baseline-regressor'] as const;
export type TabularModel = (typeof TABULAR_MODELS)[number];

/** What is saved next to the checkpoints (modelDir/estimator.json) to rebuild the estimator. */
export interface TabularSetup {
  model: TabularModel;
  label: string;
  hidden: number[];
  nClasses: number;
  /** Class names of a label column holding names (ids are positions here), or null for numeric labels. */
  labelVocabulary?: string[] | null;
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
  /** Class names in id order for a label column of names (default: its sorted distinct values). */
  labelVocabulary?: string[];
  onLog?: (line: string) => void;
}

const isClassifier = (m: TabularModel): boolean => m.endsWith('classifier');

function buildEstimator(s: TabularSetup, modelDir: string): Estimator<unknown> {
  const featureColumns = columnsFromSpecs(s.specs);
  const optimizer = getOptimizer(s.optimizer, 'nabla estimator');
  if (s.learningRate !== null) optimizer.learningRate = s.learningRate;
  const common = { featureColumns, modelDir, optimizer, config: new RunConfig({ randomSeed: s.seed, saveCheckpointsSteps: 100, keepCheckpointMax: 3 }) };
  const classes = { nClasses: s.nClasses, ...(s.labelVocabulary ? { labelVocabulary: s.labelVocabulary } : {}) };
  switch (s.model) {
    case 'dnn-classifier':
      return new DNNClassifier({ ...common, hiddenUnits: s.hidden, ...classes });
    case 'linear-classifier':
      return new LinearClassifier({ ...common, ...classes });
    case 'baseline-classifier':
      return new BaselineClassifier({ ...common, ...classes });
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

/** The figures and plot data of an evaluation on in-memory rows (the shared evaluation-report path). */
function evaluateRows(est: Estimator<unknown>, x: Record<string, Tensor | string[]>, y: Tensor) {
  return evaluationData(est, numpyInputFn({ x, y, shuffle: false, batchSize: 256 }));
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The label vocabulary for a classifier: the option, else inferred when the label column holds names. */
function resolveLabelVocabulary(table: CsvTable, o: TabularTrainOptions, log: (line: string) => void): string[] | null {
  if (!isClassifier(o.model)) {
    if (o.labelVocabulary) throw new InvalidArgumentError(`nabla estimator: --label-vocabulary is for classifiers; '${o.model}' predicts numbers.`);
    return null;
  }
  if (o.labelVocabulary) {
    if (o.labelVocabulary.length < 2) throw new InvalidArgumentError(`nabla estimator: --label-vocabulary needs at least 2 class names, got ${JSON.stringify(o.labelVocabulary)}.`);
    return [...o.labelVocabulary];
  }
  if (!isStringLabelColumn(table, o.label)) return null;
  const vocab = inferLabelVocabulary(table, o.label);
  log(`label column '${o.label}' holds class names: labelVocabulary inferred as ${vocab.join(',')} (its sorted distinct values; --label-vocabulary a,b,c sets the order)`);
  return vocab;
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
  const labelVocabulary = resolveLabelVocabulary(table, o, log);
  const y = labelTensor(table, o.label, labelVocabulary ?? undefined);
  const seed = o.seed ?? 0;
  let nClasses = 0;
  if (isClassifier(o.model)) {
    const maxLabel = Math.max(...Array.from(y.values, Number));
    nClasses = o.nClasses ?? (labelVocabulary ? labelVocabulary.length : Math.max(2, maxLabel + 1));
  }
  // Linear models default to FTRL at 0.2 (TensorFlow's default for them), the others to Adam at 0.01.
  const linear = o.model.startsWith('linear-');
  const setup: TabularSetup = {
    model: o.model,
    label: o.label,
    hidden: o.hidden ?? [64, 32],
    nClasses,
    labelVocabulary,
    specs: inferColumnSpecs(table, { exclude: [o.label], ...(o.categorical ? { categorical: o.categorical } : {}) }),
    optimizer: o.optimizer ?? (linear ? 'ftrl' : 'adam'),
    learningRate: o.learningRate ?? (o.optimizer ? null : linear ? 0.2 : 0.01),
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
  const trainFigs = (await evaluateRows(est, tr.x, tr.y)).figures;
  const te = test.length > 0 ? subset(features, y, test) : null;
  const testData = te ? await evaluateRows(est, te.x, te.y) : null;
  const testFigs = testData?.figures ?? null;
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
  if (labelVocabulary) figs['labelVocabulary'] = labelVocabulary.join(',');
  const plots = testData ? await writeEvaluationPlots(o.modelDir, testData, 'test set') : [];
  writeReportFiles(o.modelDir, `${o.model} on ${o.csv}`, figs, plots);
  return { ...figs, plots };
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

/**
 * Evaluates the model in modelDir on a whole CSV; returns the figures. With `reportDir`, also
 * writes report.md, report.json and the plots there (as `writeEvaluationReport`).
 */
export async function evaluateTabular(o: { csv: string; modelDir: string; names?: string[]; skipRows?: number; reportDir?: string }): Promise<Record<string, unknown>> {
  const s = loadSetup(o.modelDir);
  const table = loadTable(o.csv, s, o.names, o.skipRows);
  const est = buildEstimator(s, o.modelDir);
  const data = await evaluateRows(est, tableFeatures(table, s.specs), labelTensor(table, s.label, s.labelVocabulary ?? undefined));
  const figs: Record<string, unknown> = { model: s.model, csv: o.csv, ...data.figures };
  if (o.reportDir !== undefined) {
    const plots = await writeEvaluationPlots(o.reportDir, data, o.csv);
    writeReportFiles(o.reportDir, `${s.model} (${o.modelDir}) evaluated on ${o.csv}`, figs, plots);
    figs['plots'] = plots;
  }
  return figs;
}

/** Predicts every row of a CSV with the model in modelDir. */
export async function predictTabular(o: { csv: string; modelDir: string; names?: string[]; skipRows?: number }): Promise<PredictionRecord[]> {
  const s = loadSetup(o.modelDir);
  const table = loadTable(o.csv, s, o.names, o.skipRows);
  const est = buildEstimator(s, o.modelDir);
  const out: PredictionRecord[] = [];
  const keys = isClassifier(s.model) ? ['classIds', ...(s.labelVocabulary ? ['classes'] : []), 'probabilities'] : ['predictions'];
  for await (const p of est.predict(numpyInputFn({ x: tableFeatures(table, s.specs), shuffle: false, batchSize: 256 }), { predictKeys: keys })) out.push(p);
  return out;
}
