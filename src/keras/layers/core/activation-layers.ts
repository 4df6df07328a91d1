// Activation functions with parameters, as layers: ReLU, LeakyReLU, ELU, Softmax.
import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { finiteNumber, showShape } from './util.js';
import { softmaxLastAxis } from '../../softmax-logits.js';

function single(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

// ----- ReLU --------------------------------------------------------------------------------------

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (>= 0); none when null/undefined. */
  maxValue?: number | null;
  /** Slope below the threshold (>= 0, default 0). */
  negativeSlope?: number;
  /** Values at or below it are "negative" (>= 0, default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit with Keras's options: `maxValue` for x >= maxValue, x for
 * threshold < x < maxValue, `negativeSlope · (x − threshold)` otherwise.
 *
 * @example
 * ```ts
 * nb.keras.layers.reLU({maxValue: 6}).apply(nb.tensor([-1, 3, 8])); // [0, 3, 6]
 * ```
 */
export class ReLU extends Layer {
  static override readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    const who = `ReLU '${this.name}'`;
    const maxValue = args.maxValue ?? null;
    if (maxValue !== null && !(finiteNumber(who, 'maxValue', maxValue) >= 0)) {
      throw new InvalidArgumentError(`${who}: maxValue must be >= 0 (or null for none), got ${maxValue}.`);
    }
    const negativeSlope = finiteNumber(who, 'negativeSlope', args.negativeSlope ?? 0);
    if (negativeSlope < 0) throw new InvalidArgumentError(`${who}: negativeSlope must be >= 0, got ${negativeSlope}.`);
    const threshold = finiteNumber(who, 'threshold', args.threshold ?? 0);
    if (threshold < 0) throw new InvalidArgumentError(`${who}: threshold must be >= 0, got ${threshold}.`);
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = single(inputs);
    const t = this.threshold;
    let y = t === 0 ? ops.relu(x) : ops.mul(x, ops.cast(ops.greater(x, t), x.dtype));
    if (this.maxValue !== null) y = ops.minimum(y, this.maxValue);
    if (this.negativeSlope !== 0) {
      const below = ops.relu(t === 0 ? ops.neg(x) : ops.sub(t, x));
      y = ops.sub(y, ops.mul(below, this.negativeSlope));
    }
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }

  static fromConfig(config: Record<string, unknown>): ReLU {
    return new ReLU(config as unknown as ReLUArgs);
  }
}
registerLayer(ReLU);

/**
 * Creates a ReLU layer (named `reLU` as in TensorFlow.js).
 *
 * @example
 * ```ts
 * nb.keras.layers.reLU({negativeSlope: 0.1, threshold: 0.5});
 * ```
 */
export function reLU(args: ReLUArgs = {}): ReLU {
  return new ReLU(args);
}

// ----- LeakyReLU ---------------------------------------------------------------------------------

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, as Keras 2). */
  alpha?: number;
}

/**
 * Leaky ReLU: x for x > 0, `alpha · x` otherwise.
 *
 * @example
 * ```ts
 * nb.keras.layers.leakyReLU({alpha: 0.1}).apply(nb.tensor([-2, 3])); // [-0.2, 3]
 * ```
 */
export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.alpha = finiteNumber(`LeakyReLU '${this.name}'`, 'alpha', args.alpha ?? 0.3);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return ops.leakyRelu(single(inputs), this.alpha);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static fromConfig(config: Record<string, unknown>): LeakyReLU {
    return new LeakyReLU(config as unknown as LeakyReLUArgs);
  }
}
registerLayer(LeakyReLU);

/**
 * Creates a LeakyReLU layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.leakyReLU(); // alpha 0.3
 * ```
 */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}

// ----- ELU ---------------------------------------------------------------------------------------

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * Exponential linear unit: x for x > 0, `alpha · (exp(x) − 1)` otherwise.
 *
 * @example
 * ```ts
 * nb.keras.layers.elu({alpha: 0.5}).apply(nb.tensor([-1, 2])); // [0.5·(e⁻¹ − 1), 2]
 * ```
 */
export class ELU extends Layer {
  static override readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = finiteNumber(`ELU '${this.name}'`, 'alpha', args.alpha ?? 1);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return ops.elu(single(inputs), this.alpha);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static fromConfig(config: Record<string, unknown>): ELU {
    return new ELU(config as unknown as ELUArgs);
  }
}
registerLayer(ELU);

/**
 * Creates an ELU layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.elu();
 * ```
 */
export function elu(args: ELUArgs = {}): ELU {
  return new ELU(args);
}

// ----- Softmax -----------------------------------------------------------------------------------

export interface SoftmaxArgs extends LayerArgs {
  /** Axis (or axes) normalised over; default -1. */
  axis?: number | readonly number[];
}

/**
 * Softmax over `axis` (default the last): `exp(x) / Σ exp(x)`.
 *
 * @example
 * ```ts
 * nb.keras.layers.softmax().apply(nb.tensor([[1, 2, 3]])); // rows sum to 1
 * ```
 */
export class Softmax extends Layer {
  static override readonly className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || axes.some((a) => !Number.isInteger(a))) {
      throw new InvalidArgumentError(`Softmax '${this.name}': axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}.`);
    }
    this.axis = Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    for (const a of axes) {
      if (a < -rank || a >= rank) {
        throw new InvalidArgumentError(
          `Softmax '${this.name}': axis ${a} is out of range for inputs of shape ${showShape(inputShape)}; expected an integer in [${-rank}, ${rank}).`,
        );
      }
    }
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = single(inputs);
    if (!Array.isArray(this.axis)) return this.axis === -1 || this.axis === x.rank - 1 ? softmaxLastAxis(x) : ops.softmax(x, this.axis);
    return ops.exp(ops.sub(x, ops.logSumExp(x, this.axis, true)));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }

  static fromConfig(config: Record<string, unknown>): Softmax {
    return new Softmax(config as unknown as SoftmaxArgs);
  }
}
registerLayer(Softmax);

/**
 * Creates a Softmax layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.softmax({axis: 1});
 * ```
 */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}
