// Evaluation reports of an estimator: the figures of one pass over an input function (evaluate's
// metrics plus ones computed from the predictions), the plots, and report.md / report.json.
// Shared by `Estimator.evaluate(..., {reportDir})`, `writeEvaluationReport` and the tabular CLI.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Estimator, EvalResult, PredictionRecord } from './estimator.js';
import { vocabularyLabelIds } from './head.js';
import { batches, labelsAsTensor, type InputFn } from './input.js';
import { rocCurve, type RocCurve } from './roc.js';
import { writeConfusionPng, writePredictedVsActualPng, writeRocPng } from './tabular-report.js';

/** Options of `writeEvaluationReport` / `evaluationData`. */
export interface EvaluationReportOptions {
  /** Evaluate only the first `steps` batches (default: all). */
  steps?: number;
  /** Evaluation name, as `evaluate`'s (results go to modelDir/eval_<name>). */
  name?: string;
  /** The report's heading (default: '<Estimator class> evaluation'). */
  title?: string;
  /** What the data is, for the plot titles (default 'evaluation set'). */
  setName?: string;
  /** Results of an `evaluate` call on the same input and steps, to reuse instead of evaluating again. */
  evalResult?: EvalResult;
}

/** The figures of an evaluation, with what the plots need. */
export interface EvaluationData {
  kind: 'classifier' | 'regressor';
  /**
   * loss, averageLoss, globalStep, rows; classifiers: accuracy, and precision / recall / auc (binary,
   * as evaluate computes them) plus rocAuc (exact, from the ROC curve), or macroPrecision /
   * macroRecall / macroAuc (more classes, one-vs-rest); regressors: mae, rmse, r2.
   */
  figures: Record<string, number>;
  /** True class ids or target values (flattened), in input order. */
  truth: number[];
  /** Predicted class ids or values (flattened), in input order. */
  predicted: number[];
  nClasses: number;
  classNames: string[] | undefined;
  /** The exact ROC curve of a binary classifier (absent when the data holds one class only). */
  roc: RocCurve | undefined;
}

function vocabularyOf(est: Estimator<unknown>): readonly string[] | undefined {
  const v = (est as unknown as { labelVocabulary?: unknown }).labelVocabulary;
  return Array.isArray(v) ? (v as string[]) : undefined;
}

function classFigures(truth: readonly number[], predicted: readonly number[], probs: readonly number[][], nClasses: number, where: string): { figs: Record<string, number>; roc: RocCurve | undefined } {
  truth.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= nClasses) throw new InvalidArgumentError(`${where}: label ${t} at example ${i} is not a class id in [0, ${nClasses}).`);
  });
  const figs: Record<string, number> = { accuracy: truth.filter((t, i) => t === predicted[i]).length / truth.length };
  const perClass = (c: number) => {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((t, i) => {
      if (predicted[i] === c && t === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (t === c) fn++;
    });
    return { precision: tp + fp > 0 ? tp / (tp + fp) : 0, recall: tp + fn > 0 ? tp / (tp + fn) : 0 };
  };
  const ovr = (c: number): RocCurve | undefined => {
    const y = truth.map((t) => (t === c ? 1 : 0));
    const pos = y.reduce((a: number, b) => a + b, 0);
    return pos === 0 || pos === y.length ? undefined : rocCurve(y, probs.map((p) => p[c]!));
  };
  if (nClasses === 2) {
    const { precision, recall } = perClass(1);
    const roc = ovr(1);
    Object.assign(figs, { precision, recall });
    if (roc) figs['rocAuc'] = roc.auc;
    return { figs, roc };
  }
  const classes = Array.from({ length: nClasses }, (_, c) => c);
  const pr = classes.map(perClass);
  figs['macroPrecision'] = pr.reduce((a, b) => a + b.precision, 0) / nClasses;
  figs['macroRecall'] = pr.reduce((a, b) => a + b.recall, 0) / nClasses;
  const aucs = classes.map(ovr).filter((r): r is RocCurve => r !== undefined).map((r) => r.auc);
  if (aucs.length > 0) figs['macroAuc'] = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  return { figs, roc: undefined };
}

function regressionFigures(truth: readonly number[], predicted: readonly number[]): Record<string, number> {
  const n = truth.length;
  const mean = truth.reduce((a, b) => a + b, 0) / n;
  const ssRes = truth.reduce((a, v, i) => a + (v - predicted[i]!) ** 2, 0);
  const ssTot = truth.reduce((a, v) => a + (v - mean) ** 2, 0) || 1;
  return { mae: truth.reduce((a, v, i) => a + Math.abs(v - predicted[i]!), 0) / n, rmse: Math.sqrt(ssRes / n), r2: 1 - ssRes / ssTot };
}

/**
 * Evaluates `estimator` on `inputFn` and predicts the same batches, for the report figures and
 * plots. Figures computed from the predictions (ROC, R², macro averages) ignore weightColumn.
 *
 * @example
 * ```ts
 * const {figures} = await nb.estimator.evaluationData(est, testFn);
 * ```
 */
export async function evaluationData(estimator: Estimator<unknown>, inputFn: InputFn, options: EvaluationReportOptions = {}): Promise<EvaluationData> {
  const where = 'evaluation report';
  const result = options.evalResult ?? (await estimator.evaluate(inputFn, { ...(options.steps !== undefined ? { steps: options.steps } : {}), ...(options.name ? { name: options.name } : {}) }));
  const vocab = vocabularyOf(estimator);
  const truthRows: number[][] = [];
  const preds: PredictionRecord[] = [];
  let nBatches = 0;
  for await (const batch of batches(inputFn, where)) {
    if (options.steps !== undefined && nBatches >= options.steps) break;
    nBatches++;
    if (batch.labels === undefined) throw new InvalidArgumentError(`${where}: a batch has no labels; the input function must yield [features, labels].`);
    const y: Tensor = vocab ? vocabularyLabelIds(batch.labels, vocab, where, 0, 'row of the batch') : labelsAsTensor(batch.labels, where)!;
    const rows = y.rank === 0 ? 1 : y.shape[0]!;
    const per = rows === 0 ? 0 : y.size / rows;
    for (let i = 0; i < rows; i++) truthRows.push(Array.from(y.values.subarray(i * per, (i + 1) * per), Number));
    for await (const p of estimator.predict(() => [[batch.features] as const])) preds.push(p);
  }
  if (preds.length !== truthRows.length) throw new InvalidArgumentError(`${where}: ${preds.length} predictions for ${truthRows.length} labelled examples; the model must predict one record per example.`);
  const base: Record<string, number> = { loss: result.loss, averageLoss: result.averageLoss, globalStep: result.globalStep, rows: truthRows.length };
  const first = preds[0] ?? {};
  if ('classIds' in first && Array.isArray(first['probabilities'])) {
    const probs = preds.map((p) => p['probabilities'] as number[]);
    const nClasses = probs[0]!.length;
    const truth = truthRows.map((r) => r[0]!);
    const predicted = preds.map((p) => p['classIds'] as number);
    const { figs, roc } = classFigures(truth, predicted, probs, nClasses, where);
    // evaluate's own metrics (weighted by weightColumn) take precedence over the recomputed ones.
    for (const k of ['accuracy', 'precision', 'recall', 'auc']) if (typeof result[k] === 'number') figs[k] = result[k];
    return { kind: 'classifier', figures: { ...base, ...figs }, truth, predicted, nClasses, classNames: vocab ? [...vocab] : undefined, roc };
  }
  if (Array.isArray(first['predictions']) || typeof first['predictions'] === 'number') {
    const truth = truthRows.flat();
    const predicted = preds.flatMap((p) => p['predictions'] as number | number[]);
    if (truth.length !== predicted.length) throw new InvalidArgumentError(`${where}: ${predicted.length} predicted values for ${truth.length} label values; give labels of the prediction's shape.`);
    return { kind: 'regressor', figures: { ...base, ...regressionFigures(truth, predicted) }, truth, predicted, nClasses: 0, classNames: undefined, roc: undefined };
  }
  throw new InvalidArgumentError(
    `${where}: the estimator predicts ${Object.keys(first).join(', ') || 'nothing'}; a report needs 'classIds' and 'probabilities' (classifiers) or 'predictions' (regressors), as the premade heads give.`,
  );
}

/** Writes the plots of an evaluation into `dir`: confusion matrix (+ ROC when binary), or predicted vs. actual. Returns the file names. */
export async function writeEvaluationPlots(dir: string, data: EvaluationData, setName = 'evaluation set'): Promise<string[]> {
  if (data.truth.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  if (data.kind === 'regressor') return [await writePredictedVsActualPng(dir, data.truth, data.predicted, `Predicted vs. actual (${setName})`)];
  const plots = [await writeConfusionPng(dir, data.truth, data.predicted, data.nClasses, data.classNames, `Confusion matrix (${setName})`)];
  if (data.roc) plots.push(await writeRocPng(dir, data.roc, setName));
  return plots;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes dir/report.json (the figures and `plots`) and dir/report.md (a table of the figures, then the plots). */
export function writeReportFiles(dir: string, title: string, figures: Record<string, unknown>, plots: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'report.json'), JSON.stringify({ ...figures, plots }, null, 2) + '\n');
  const rows = Object.entries(figures).map(([k, v]) => `| ${k} | ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)} |`);
  const images = plots.map((p) => `\n![${p}](${p})\n`).join('');
  writeAtomic(join(dir, 'report.md'), `# ${title}\n\n| figure | value |\n| --- | --- |\n${rows.join('\n')}\n${images}`);
}

/**
 * Evaluates an estimator and writes a report into `dir`: report.md and report.json with loss,
 * accuracy, precision, recall and AUC (classifiers) or MAE, RMSE and R² (regressors), and PNG
 * plots — confusion-matrix.png (+ roc.png for binary classifiers) or predicted-vs-actual.png.
 * TensorFlow has no equivalent; `estimator.evaluate(inputFn, {reportDir})` does the same.
 * Returns the figures.
 *
 * @example
 * ```ts
 * const figs = await nb.estimator.writeEvaluationReport(est, testFn, 'runs/iris/report');
 * console.log(figs.accuracy, figs.loss);
 * ```
 */
export async function writeEvaluationReport(estimator: Estimator<unknown>, inputFn: InputFn, dir: string, options: EvaluationReportOptions = {}): Promise<Record<string, number>> {
  const data = await evaluationData(estimator, inputFn, options);
  const plots = await writeEvaluationPlots(dir, data, options.setName ?? 'evaluation set');
  writeReportFiles(dir, options.title ?? `${estimator.constructor.name} evaluation${options.name ? ` (${options.name})` : ''}`, data.figures, plots);
  return data.figures;
}
