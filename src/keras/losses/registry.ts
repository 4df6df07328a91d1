// `getLoss`: resolving loss identifiers; serialisation of the built-in losses.
import { InvalidArgumentError } from '../../core/errors.js';
import { Loss, LossFunctionWrapper } from './base.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './classes.js';
import type { LossFn } from './functions.js';

/** Loss identifiers (canonical snake_case) and how to make each. */
const LOSSES: Record<string, () => Loss> = {
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError(),
  mean_absolute_percentage_error: () => new MeanAbsolutePercentageError(),
  mape: () => new MeanAbsolutePercentageError(),
  mean_squared_logarithmic_error: () => new MeanSquaredLogarithmicError(),
  msle: () => new MeanSquaredLogarithmicError(),
  huber: () => new Huber(),
  huber_loss: () => new Huber(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
  hinge: () => new Hinge(),
  squared_hinge: () => new SquaredHinge(),
  categorical_hinge: () => new CategoricalHinge(),
  kl_divergence: () => new KLDivergence(),
  kld: () => new KLDivergence(),
  kullback_leibler_divergence: () => new KLDivergence(),
  poisson: () => new Poisson(),
  cosine_similarity: () => new CosineSimilarity(),
  log_cosh: () => new LogCosh(),
  logcosh: () => new LogCosh(),
};

/** Names accepted by `getLoss` (snake_case; camelCase spellings work too). */
export function lossNames(): string[] {
  return Object.keys(LOSSES);
}

const squash = (name: string): string => name.replace(/_/g, '').toLowerCase();
const BY_SQUASHED = new Map(Object.keys(LOSSES).map((k) => [squash(k), k]));

/**
 * The canonical snake_case name of a loss identifier in any Keras / tfjs spelling
 * ('meanSquaredError', 'MeanSquaredError', 'mean_squared_error'), or undefined if unknown.
 */
export function canonicalLossName(name: string): string | undefined {
  return BY_SQUASHED.get(squash(name));
}

/** The loss classes, by Keras class name, for deserialisation. */
export const LOSS_CLASSES: Record<string, new (options?: never) => Loss> = {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Huber,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  KLDivergence,
  Poisson,
  LogCosh,
  CosineSimilarity,
};

/** `{className, config}` for a loss, as Keras serialises it. */
export function serializeLoss(loss: Loss): { className: string; config: Record<string, unknown> } {
  return { className: loss.getClassName(), config: loss.getConfig() };
}

/** Rebuilds a built-in loss from `serializeLoss` output. */
export function deserializeLoss(serialized: { className: string; config: Record<string, unknown> }): Loss {
  const cls = LOSS_CLASSES[serialized.className] as unknown as (new (options: Record<string, unknown>) => Loss) | undefined;
  if (!cls) {
    throw new InvalidArgumentError(
      `deserializeLoss: unknown loss class '${serialized.className}'; known: ${Object.keys(LOSS_CLASSES).join(', ')}.`,
    );
  }
  return new cls(serialized.config);
}

/** What `compile` and `getLoss` accept as a loss. */
export type LossIdentifier = string | Loss | LossFn;

/**
 * Resolves a loss given as a Keras name (any of 'mse', 'mean_squared_error', 'meanSquaredError',
 * ...), a `Loss` instance, or a per-sample function `(yTrue, yPred) => Tensor`.
 *
 * @example `getLoss('sparse_categorical_crossentropy').apply(labels, probs)`
 */
export function getLoss(identifier: LossIdentifier, where = 'compile'): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (typeof identifier !== 'string') {
    throw new InvalidArgumentError(`${where}: a loss must be a name, a Loss or a function (yTrue, yPred) => Tensor, got ${typeof identifier}.`);
  }
  const canonical = canonicalLossName(identifier);
  const make = canonical === undefined ? undefined : LOSSES[canonical];
  if (!make) {
    throw new InvalidArgumentError(`${where}: unknown loss '${identifier}'. Known losses: ${lossNames().join(', ')}.`);
  }
  return make();
}
