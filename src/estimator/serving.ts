// exportSavedModel / loadServable and trainAndEvaluate.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { saveCheckpoint } from './checkpoint.js';
import type { Estimator, EvalResult, PredictionRecord, TrainHook } from './estimator.js';
import type { FeatureRecord } from './feature-column/raw.js';
import type { InputFn } from './input.js';

const SERVABLE = 'servable.json';

/**
 * Writes a servable model directory: the current variables as a checkpoint (`ckpt-<step>.nbckpt`,
 * without optimizer state) and `servable.json` (format, global step, prediction keys). Code
 * cannot be stored, so `loadServable` rebuilds the estimator with a factory you give it.
 *
 * @example
 * ```ts
 * await nb.estimator.exportSavedModel(est, '/tmp/served');
 * ```
 */
export async function exportSavedModel(estimator: Estimator<unknown>, dir: string, options: { sampleInputFn?: InputFn } = {}): Promise<string> {
  if (estimator.getVariableNames().length === 0) {
    if (!options.sampleInputFn) throw new FailedPreconditionError(`exportSavedModel: the estimator has no variables yet; train it first (or pass sampleInputFn to build it from its modelDir).`);
    for await (const _ of estimator.predict(options.sampleInputFn)) break;
  }
  mkdirSync(dir, { recursive: true });
  const variables = estimator.getVariableNames().map((name) => ({ name, tensor: estimator.getVariableValue(name) }));
  saveCheckpoint(dir, { globalStep: estimator.globalStep, variables, optimizer: [], optimizerClass: null }, null);
  const meta = { format: 'nabla-estimator-servable', version: 1, globalStep: estimator.globalStep, estimator: estimator.constructor.name, variables: variables.length };
  const tmp = join(dir, `.${SERVABLE}.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(meta, null, 2) + '\n');
  renameSync(tmp, join(dir, SERVABLE));
  return dir;
}

/** A loaded servable: predicts records for a batch of raw features. */
export interface Servable {
  readonly globalStep: number;
  predict(features: FeatureRecord, options?: { predictKeys?: readonly string[] }): Promise<PredictionRecord[]>;
}

/**
 * Loads a directory written by `exportSavedModel`. `make(modelDir)` builds the same estimator
 * (same model function / premade options) on that directory; its variables come from the export.
 *
 * @example
 * ```ts
 * const served = await nb.estimator.loadServable('/tmp/served', (modelDir) => new nb.estimator.DNNClassifier({...options, modelDir}));
 * const [first] = await served.predict({x: nb.tensor([[5.1, 3.5, 1.4, 0.2]])});
 * ```
 */
export async function loadServable(dir: string, make: (modelDir: string) => Estimator<unknown>): Promise<Servable> {
  const metaPath = join(dir, SERVABLE);
  if (!existsSync(metaPath)) throw new NotFoundError(`loadServable: '${dir}' has no ${SERVABLE}; export one with nb.estimator.exportSavedModel(estimator, dir).`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { format?: string; globalStep?: number };
  if (meta.format !== 'nabla-estimator-servable') throw new InvalidArgumentError(`loadServable: '${metaPath}' is not a nabla servable (format ${JSON.stringify(meta.format)}).`);
  const est = make(dir);
  return {
    globalStep: meta.globalStep ?? 0,
    async predict(features, options = {}) {
      const out: PredictionRecord[] = [];
      for await (const r of est.predict(() => [[features]], options)) out.push(r);
      return out;
    },
  };
}

/** What to train on in `trainAndEvaluate`. */
export interface TrainSpec {
  inputFn: InputFn;
  /** Train until the global step reaches this. */
  maxSteps: number;
  hooks?: TrainHook[];
}

/** What to evaluate on in `trainAndEvaluate`. */
export interface EvalSpec {
  inputFn: InputFn;
  /** Evaluation batches (default: the whole input). */
  steps?: number;
  name?: string;
  /** Evaluate every this many training steps (default: the config's saveCheckpointsSteps, or once at the end). */
  everySteps?: number;
}

/**
 * Alternates training and evaluation until `trainSpec.maxSteps`; returns every evaluation.
 *
 * @example
 * ```ts
 * const {final} = await nb.estimator.trainAndEvaluate(est, {inputFn: trainFn, maxSteps: 1000}, {inputFn: evalFn, everySteps: 200});
 * ```
 */
export async function trainAndEvaluate(estimator: Estimator<unknown>, trainSpec: TrainSpec, evalSpec: EvalSpec): Promise<{ final: EvalResult; history: EvalResult[] }> {
  if (!Number.isInteger(trainSpec.maxSteps) || trainSpec.maxSteps < 1) throw new InvalidArgumentError(`trainAndEvaluate: trainSpec.maxSteps must be a positive integer, got ${trainSpec.maxSteps}.`);
  const every = evalSpec.everySteps ?? (estimator.config.saveCheckpointsSteps || trainSpec.maxSteps);
  const history: EvalResult[] = [];
  const evalOpts = { ...(evalSpec.steps !== undefined ? { steps: evalSpec.steps } : {}), ...(evalSpec.name !== undefined ? { name: evalSpec.name } : {}) };
  do {
    const before = estimator.globalStep;
    const target = Math.min(trainSpec.maxSteps, (Math.floor(before / every) + 1) * every);
    await estimator.train(trainSpec.inputFn, { maxSteps: target, ...(trainSpec.hooks ? { hooks: trainSpec.hooks } : {}) });
    history.push(await estimator.evaluate(evalSpec.inputFn, evalOpts));
    if (estimator.globalStep === before) break; // the input ran out
  } while (estimator.globalStep < trainSpec.maxSteps);
  return { final: history[history.length - 1]!, history };
}
