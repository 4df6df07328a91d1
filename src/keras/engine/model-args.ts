// The option objects of Model's compile/evaluate/predict/*OnBatch, and the checks and helpers
// around them that need no model.
import { InvalidArgumentError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Callback } from '../callbacks/base.js';
import type { Layer } from './layer.js';
import type { CompileTargets } from './compile-state.js';
import { concatBatches } from './data-adapter.js';

export interface CompileArgs extends CompileTargets {
  /** An optimizer instance or name ('adam', 'sgd', 'rmsprop', ...). */
  optimizer: string | Optimizer;
  /**
   * Run every step eagerly, op by op (Keras's `run_eagerly`; default false: `fit`, `evaluate`
   * and `predict` run their per-batch computation as a traced `nb.function`). Set it to debug a
   * step, or for layers whose `call` has JavaScript side effects that must happen every step.
   */
  runEagerly?: boolean;
}

export interface EvaluateArgs {
  /** Samples per batch for tensors (default 32; not for a Dataset, which is batched already). */
  batchSize?: number;
  verbose?: number;
  sampleWeight?: Tensor;
  callbacks?: Callback[];
  /** Batches of a Dataset to use (default: all; needed for an infinite one). */
  steps?: number;
}

export interface PredictArgs {
  /** Samples per batch for tensors (default 32; not for a Dataset, which is batched already). */
  batchSize?: number;
  verbose?: number;
  /** Batches of a Dataset to use (default: all; needed for an infinite one). */
  steps?: number;
}

/** Rejects options that only apply to tensors, and a `steps` that is not a positive integer. */
export function checkDatasetArgs(args: { batchSize?: number; sampleWeight?: Tensor; steps?: number }, where: string): number | undefined {
  for (const key of ['batchSize', 'sampleWeight'] as const) {
    if (args[key] !== undefined) {
      throw new InvalidArgumentError(`${where}: ${key} cannot be used with a Dataset; batch or weight the dataset itself (ds.batch(n), [x, y, sampleWeight] elements).`);
    }
  }
  if (args.steps !== undefined && (!Number.isInteger(args.steps) || args.steps < 1)) {
    throw new InvalidArgumentError(`${where}: steps must be a positive integer, got ${String(args.steps)}.`);
  }
  return args.steps;
}

/** Whether `y` was given as data rather than as the options object. */
export function looksLikeData(y: unknown): boolean {
  return y instanceof Tensor || Array.isArray(y) || (y !== null && typeof y === 'object' && Object.values(y).some((v) => v instanceof Tensor));
}

export interface BatchArgs {
  sampleWeight?: Tensor;
  classWeight?: Record<number, number>;
}

/** Every layer inside `layer`, depth first, each once. */
export function flattenLayers(layer: Layer, seen = new Set<Layer>()): Layer[] {
  const out: Layer[] = [];
  for (const l of layer.sublayers()) {
    if (seen.has(l)) continue;
    seen.add(l);
    out.push(l, ...flattenLayers(l, seen));
  }
  return out;
}

/** Per-batch outputs joined along the batch axis; one tensor for a single-output model. */
export function joinPredictions(parts: Tensor[][], where: string): Tensor | Tensor[] {
  if (parts.length === 0) {
    throw new InvalidArgumentError(`${where}: the input has 0 samples; give at least one.`);
  }
  const outs = parts[0]!.map((_, i) => concatBatches(parts.map((p) => p[i]!)));
  return outs.length === 1 ? outs[0]! : outs;
}

export function checkBatchSize(batchSize: number, where: string): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new InvalidArgumentError(`${where}: batchSize must be a positive integer, got ${String(batchSize)}.`);
  }
  return batchSize;
}
