// Learning-rate schedules (`nb.keras.optimizers.schedules`), as tf.keras.optimizers.schedules:
// a schedule maps the optimizer's step (its `iterations` before the update) to a learning rate.
import { InvalidArgumentError } from '../../core/errors.js';

/** A learning rate that depends on the training step. */
export interface LearningRateSchedule {
  /** Keras class name, used when serialising. */
  readonly className: string;
  /** The learning rate at `step` (0 for the first update). */
  call(step: number): number;
  getConfig(): Record<string, unknown>;
}

/** `{className, config}`, as Keras serialises schedules inside optimizer configs. */
export interface SerializedSchedule {
  className: string;
  config: Record<string, unknown>;
}

function positive(owner: string, what: string, x: number): void {
  if (!(typeof x === 'number' && x > 0 && Number.isFinite(x))) {
    throw new InvalidArgumentError(`${owner}: ${what} must be a positive number, got ${String(x)}.`);
  }
}

function finite(owner: string, what: string, x: number): void {
  if (!(typeof x === 'number' && Number.isFinite(x))) {
    throw new InvalidArgumentError(`${owner}: ${what} must be a finite number, got ${String(x)}.`);
  }
}

/**
 * `initialLearningRate · decayRate^(step / decaySteps)` (the exponent floored when `staircase`).
 *
 * @example `new ExponentialDecay({initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96})`
 */
export class ExponentialDecay implements LearningRateSchedule {
  static readonly className = 'ExponentialDecay';
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(args: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    finite('ExponentialDecay', 'initialLearningRate', args.initialLearningRate);
    positive('ExponentialDecay', 'decaySteps', args.decaySteps);
    finite('ExponentialDecay', 'decayRate', args.decayRate);
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
  }
  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }
  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

/**
 * `initialLearningRate / (1 + decayRate · step / decaySteps)` (the ratio floored when `staircase`).
 */
export class InverseTimeDecay implements LearningRateSchedule {
  static readonly className = 'InverseTimeDecay';
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(args: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    finite('InverseTimeDecay', 'initialLearningRate', args.initialLearningRate);
    positive('InverseTimeDecay', 'decaySteps', args.decaySteps);
    finite('InverseTimeDecay', 'decayRate', args.decayRate);
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
  }
  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }
  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

/**
 * `values[0]` while step ≤ boundaries[0], `values[1]` while step ≤ boundaries[1], ..., and
 * `values[n]` after the last boundary (values has one more entry than boundaries).
 *
 * @example `new PiecewiseConstantDecay({boundaries: [100, 200], values: [1, 0.5, 0.1]})`
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  static readonly className = 'PiecewiseConstantDecay';
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  constructor(args: { boundaries: readonly number[]; values: readonly number[] }) {
    if (!Array.isArray(args.boundaries) || !Array.isArray(args.values) || args.values.length !== args.boundaries.length + 1) {
      throw new InvalidArgumentError(
        `PiecewiseConstantDecay: values must have one more entry than boundaries, got ${args.values?.length} values for ${args.boundaries?.length} boundaries.`,
      );
    }
    for (let i = 1; i < args.boundaries.length; i++) {
      if (!(args.boundaries[i]! > args.boundaries[i - 1]!)) {
        throw new InvalidArgumentError(`PiecewiseConstantDecay: boundaries must increase, got [${args.boundaries.join(', ')}].`);
      }
    }
    args.values.forEach((v) => finite('PiecewiseConstantDecay', 'every value', v));
    this.boundaries = [...args.boundaries];
    this.values = [...args.values];
  }
  call(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) if (step <= this.boundaries[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/**
 * `(initial − end) · (1 − min(step, decaySteps)/decaySteps)^power + end`; with `cycle`, decaySteps
 * grows to the next multiple of itself past `step` instead.
 */
export class PolynomialDecay implements LearningRateSchedule {
  static readonly className = 'PolynomialDecay';
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  constructor(args: { initialLearningRate: number; decaySteps: number; endLearningRate?: number; power?: number; cycle?: boolean }) {
    finite('PolynomialDecay', 'initialLearningRate', args.initialLearningRate);
    positive('PolynomialDecay', 'decaySteps', args.decaySteps);
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.endLearningRate = args.endLearningRate ?? 0.0001;
    this.power = args.power ?? 1;
    this.cycle = args.cycle ?? false;
  }
  call(step: number): number {
    let decaySteps = this.decaySteps;
    let s = step;
    if (this.cycle) {
      const mult = step === 0 ? 1 : Math.ceil(step / this.decaySteps);
      decaySteps = this.decaySteps * mult;
    } else {
      s = Math.min(step, this.decaySteps);
    }
    const frac = 1 - s / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * Math.pow(frac, this.power) + this.endLearningRate;
  }
  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
    };
  }
}

/**
 * Cosine decay: `initial · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps)/decaySteps)) + alpha)`.
 *
 * @example `new CosineDecay({initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01})`
 */
export class CosineDecay implements LearningRateSchedule {
  static readonly className = 'CosineDecay';
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  constructor(args: { initialLearningRate: number; decaySteps: number; alpha?: number }) {
    finite('CosineDecay', 'initialLearningRate', args.initialLearningRate);
    positive('CosineDecay', 'decaySteps', args.decaySteps);
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.alpha = args.alpha ?? 0;
    finite('CosineDecay', 'alpha', this.alpha);
  }
  call(step: number): number {
    const completed = Math.min(step, this.decaySteps) / this.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * completed));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha };
  }
}

const SCHEDULES: Record<string, new (config: never) => LearningRateSchedule> = {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  CosineDecay,
};

/** Whether `x` looks like a schedule (an object with `call(step)`). */
export function isLearningRateSchedule(x: unknown): x is LearningRateSchedule {
  return typeof x === 'object' && x !== null && typeof (x as { call?: unknown }).call === 'function';
}

export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return { className: schedule.className, config: schedule.getConfig() };
}

/** Rebuilds a built-in schedule from `serializeSchedule` output. */
export function deserializeSchedule(serialized: SerializedSchedule): LearningRateSchedule {
  const cls = SCHEDULES[serialized?.className] as unknown as (new (config: Record<string, unknown>) => LearningRateSchedule) | undefined;
  if (!cls) {
    throw new InvalidArgumentError(
      `deserializeSchedule: unknown learning-rate schedule '${String(serialized?.className)}'; known: ${Object.keys(SCHEDULES).join(', ')}.`,
    );
  }
  return new cls(serialized.config);
}
