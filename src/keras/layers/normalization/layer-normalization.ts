import { InvalidArgumentError } from '../../../core/errors.js';
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
import { checkAxisArg, resolveAxes } from './axes.js';
import { withKerasName } from '../conv/conv-utils.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes normalised over, per example (default -1). */
  axis?: number | number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

/**
 * Layer normalisation: each example is normalised with the mean and (biased) variance of its
 * own values over `axis`, then scaled by `gamma` and shifted by `beta` (both of the shape of the
 * `axis` dims). Same in training and inference.
 *
 * @example
 * ```ts
 * const ln = nb.keras.layers.layerNormalization();
 * ln.apply(nb.randomNormal([4, 10, 32])).shape; // [4, 10, 32], each [b, t, :] has mean 0, variance ~1
 * ```
 */
export class LayerNormalization extends Layer {
  static override readonly className: string = 'LayerNormalization';
  readonly axis: number | number[];
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
  private axes: number[] = [];
  private broadcastShape: number[] | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.axis = checkAxisArg(cls, args.axis ?? -1);
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
    const rank = inputShape.length;
    this.axes = resolveAxes(`${this.getClassName()} '${this.name}'`, this.axis, inputShape);
    const paramShape = this.axes.map((a) => inputShape[a] as number);
    const trailing = this.axes.length === rank - this.axes[0]! && this.axes.every((a, i) => a === this.axes[0]! + i);
    // Parameters of the trailing dims broadcast as they are; others are reshaped to the input's rank.
    this.broadcastShape = trailing ? null : [...Array(rank).keys()].map((a) => (this.axes.includes(a) ? (inputShape[a] as number) : 1));
    if (this.scale) {
      this.gamma = this.addWeight('gamma', {
        shape: paramShape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', {
        shape: paramShape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.inputSpec = [{ ndim: rank, axes: Object.fromEntries(this.axes.map((a) => [a, inputShape[a] as number])) }];
  }

  private bcast(t: Tensor | null): Tensor | null {
    return t && this.broadcastShape ? ops.reshape(t, this.broadcastShape) : t;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const { mean, variance } = ops.moments(x, this.axes, true);
    return ops.batchNormalization(x, mean, variance, this.bcast(this.beta), this.bcast(this.gamma), this.epsilon);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
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

  static fromConfig(config: Record<string, unknown>): LayerNormalization {
    return new LayerNormalization(config as LayerNormalizationArgs);
  }
}
registerLayer(LayerNormalization);

/**
 * Creates a LayerNormalization layer.
 *
 * @example
 * ```ts
 * const ln = nb.keras.layers.layerNormalization({axis: [1, 2], epsilon: 1e-6});
 * ln.apply(nb.randomNormal([2, 4, 4, 3])).shape; // [2, 4, 4, 3]
 * ```
 */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
