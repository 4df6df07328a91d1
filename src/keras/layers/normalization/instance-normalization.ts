import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { getConstraint, serializeConstraint } from '../../constraints.js';
import { getInitializer, ones, serializeInitializer, zeros } from '../../initializers.js';
import { getRegularizer, serializeRegularizer } from '../../regularizers.js';
import { Layer, type CallArgs, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import type { ConstraintArg, InitializerArg, RegularizerArg } from '../conv/base-conv.js';
import { withKerasName } from '../conv/conv-utils.js';

export interface InstanceNormalizationArgs extends LayerArgs {
  /** The channel axis (default -1, channels last); every other non-batch axis is normalised over. */
  axis?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn a per-channel offset `beta` (default true). */
  center?: boolean;
  /** Learn a per-channel scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

/**
 * Instance normalisation (Ulyanov et al., 2016; TensorFlow Addons' `InstanceNormalization`):
 * each example's channels are normalised separately with the mean and (biased) variance over
 * their spatial positions, then scaled by `gamma` and shifted by `beta` (one per channel). Same
 * in training and inference (no moving statistics); the normalisation of style-transfer and
 * CycleGAN generators.
 *
 * @example
 * ```ts
 * const norm = nb.keras.layers.instanceNormalization();
 * const y = norm.apply(nb.randomNormal([2, 8, 8, 3])); // each y[b, :, :, c] has mean 0, variance ~1
 * ```
 */
export class InstanceNormalization extends Layer {
  static override readonly className: string = 'InstanceNormalization';
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  private reduceAxes: number[] = [];
  private broadcastShape: number[] | null = null;

  constructor(args: InstanceNormalizationArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new InvalidArgumentError(`${cls}: axis must be an integer (the channel axis), got ${JSON.stringify(args.axis)}.`);
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new InvalidArgumentError(`${cls}: epsilon must be a finite number >= 0, got ${String(args.epsilon)}.`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer, zeros(), this.name);
    this.gammaInitializer = getInitializer(args.gammaInitializer, ones(), this.name);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, this.name);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, this.name);
    this.betaConstraint = getConstraint(args.betaConstraint, this.name);
    this.gammaConstraint = getConstraint(args.gammaConstraint, this.name);
  }

  override build(inputShape: SymbolicShape): void {
    const label = `${this.getClassName()} '${this.name}'`;
    const rank = inputShape.length;
    const shown = `[${inputShape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
    if (rank < 3) {
      throw new ShapeError(`${label}: expected an input of rank >= 3 (batch, positions..., channels), got shape ${shown}; for per-example normalisation of vectors use layerNormalization.`);
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) {
      throw new ShapeError(`${label}: axis ${this.axis} is not a channel axis of an input of rank ${rank} (shape ${shown}); use an axis in [1, ${rank - 1}] or [${-rank + 1}, -1].`);
    }
    const channels = inputShape[axis];
    if (channels === null || channels === undefined) throw new ShapeError(`${label}: the channel axis ${axis} must have a known size, got shape ${shown}.`);
    this.reduceAxes = [...Array(rank).keys()].filter((a) => a !== 0 && a !== axis);
    this.broadcastShape = axis === rank - 1 ? null : [...Array(rank).keys()].map((a) => (a === axis ? channels : 1));
    if (this.scale) {
      this.gamma = this.addWeight('gamma', { shape: [channels], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', { shape: [channels], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    }
    this.inputSpec = [{ ndim: rank, axes: { [axis]: channels } }];
  }

  private bcast(t: Tensor | null): Tensor | null {
    return t && this.broadcastShape ? ops.reshape(t, this.broadcastShape) : t;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const { mean, variance } = ops.moments(x, this.reduceAxes, true);
    return ops.batchNormalization(x, mean, variance, this.bcast(this.beta), this.bcast(this.gamma), this.epsilon);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: serializeConstraint(this.betaConstraint),
      gammaConstraint: serializeConstraint(this.gammaConstraint),
    };
  }

  static fromConfig(config: Record<string, unknown>): InstanceNormalization {
    return new InstanceNormalization(config as InstanceNormalizationArgs);
  }
}
registerLayer(InstanceNormalization);

/**
 * Creates an InstanceNormalization layer.
 *
 * @example
 * ```ts
 * const block = [
 *   nb.keras.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same'}),
 *   nb.keras.layers.instanceNormalization(),
 *   nb.keras.layers.activation({activation: 'relu'}),
 * ];
 * ```
 */
export function instanceNormalization(args: InstanceNormalizationArgs = {}): InstanceNormalization {
  return new InstanceNormalization(args);
}
