// `nb.keras.optimizers`: Keras optimizers (plain-loop updates), schedules and `getOptimizer`.
import { InvalidArgumentError } from '../../core/errors.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { Ftrl } from './ftrl.js';
import { AdamW } from './adamw.js';
import { Optimizer } from './base.js';
import { Nadam } from './nadam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Optimizer, type OptimizerOptions } from './base.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { Ftrl, type FtrlOptions } from './ftrl.js';
export * as schedules from './schedules.js';
export {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  CosineDecay,
  type LearningRateSchedule,
  type SerializedSchedule,
} from './schedules.js';

type OptimizerClass = (new (options?: Record<string, unknown>) => Optimizer) & { className: string; fromConfig(config: Record<string, unknown>): Optimizer };

/** The optimizer classes by Keras class name. */
export const OPTIMIZER_CLASSES: Record<string, OptimizerClass> = {
  SGD: SGD as unknown as OptimizerClass,
  Adam: Adam as unknown as OptimizerClass,
  AdamW: AdamW as unknown as OptimizerClass,
  RMSprop: RMSprop as unknown as OptimizerClass,
  Adagrad: Adagrad as unknown as OptimizerClass,
  Adadelta: Adadelta as unknown as OptimizerClass,
  Adamax: Adamax as unknown as OptimizerClass,
  Nadam: Nadam as unknown as OptimizerClass,
  Ftrl: Ftrl as unknown as OptimizerClass,
};

const BY_NAME = new Map(Object.entries(OPTIMIZER_CLASSES).map(([k, cls]) => [k.toLowerCase(), cls]));

/** Names accepted by `getOptimizer`. */
export function optimizerNames(): string[] {
  return Object.keys(OPTIMIZER_CLASSES).map((k) => k.toLowerCase());
}

/**
 * Resolves an optimizer given by name ('adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta',
 * 'adamax', 'nadam', 'adamw', 'ftrl'; any case) with Keras defaults, or returns an instance as is.
 *
 * @example `getOptimizer('adam').applyGradients(pairs)`
 */
export function getOptimizer(identifier: string | Optimizer, where = 'compile'): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier !== 'string') {
    throw new InvalidArgumentError(`${where}: an optimizer must be a name or an Optimizer, got ${identifier === null ? 'null' : typeof identifier}.`);
  }
  const cls = BY_NAME.get(identifier.replace(/_/g, '').toLowerCase());
  if (!cls) {
    throw new InvalidArgumentError(`${where}: unknown optimizer '${identifier}'. Known optimizers: ${optimizerNames().join(', ')}.`);
  }
  return new cls();
}

/** `{className, config}` for an optimizer, as Keras serialises it. */
export function serializeOptimizer(optimizer: Optimizer): { className: string; config: Record<string, unknown> } {
  return { className: optimizer.getClassName(), config: optimizer.getConfig() };
}

/** Rebuilds a built-in optimizer (without its state; see `setWeights`) from `serializeOptimizer` output. */
export function deserializeOptimizer(serialized: { className: string; config: Record<string, unknown> }): Optimizer {
  const cls = OPTIMIZER_CLASSES[serialized?.className];
  if (!cls) {
    throw new InvalidArgumentError(
      `deserializeOptimizer: unknown optimizer class '${String(serialized?.className)}'; known: ${Object.keys(OPTIMIZER_CLASSES).join(', ')}.`,
    );
  }
  return cls.fromConfig(serialized.config);
}

// tfjs-style factories: `nb.keras.optimizers.adam({learningRate: 0.01})`.
export const sgd = (options?: import('./sgd.js').SGDOptions): SGD => new SGD(options);
export const adam = (options?: import('./adam.js').AdamOptions): Adam => new Adam(options);
export const adamw = (options?: import('./adam.js').AdamOptions): AdamW => new AdamW(options);
export const rmsprop = (options?: import('./rmsprop.js').RMSpropOptions): RMSprop => new RMSprop(options);
export const adagrad = (options?: import('./adagrad.js').AdagradOptions): Adagrad => new Adagrad(options);
export const adadelta = (options?: import('./adadelta.js').AdadeltaOptions): Adadelta => new Adadelta(options);
export const adamax = (options?: import('./adamax.js').AdamaxOptions): Adamax => new Adamax(options);
export const nadam = (options?: import('./nadam.js').NadamOptions): Nadam => new Nadam(options);
export const ftrl = (options?: import('./ftrl.js').FtrlOptions): Ftrl => new Ftrl(options);
