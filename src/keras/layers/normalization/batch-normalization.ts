import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { withoutRecording } from '../../../ops/engine.js';
import { canFuseBatchNorm, fusedBatchNorm } from '../../../ops/batch-norm-train.js';
import { assign } from '../../../graph/assign.js';
import { getConstraint, serializeConstraint } from '../../constraints.js';
import { getInitializer, ones, serializeInitializer, zeros } from '../../initializers.js';
import { getRegularizer, serializeRegularizer } from '../../regularizers.js';
import { Layer, type CallArgs, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import type { ConstraintArg, InitializerArg, RegularizerArg } from '../conv/base-conv.js';
import { checkAxisArg, resolveAxes } from './axes.js';
import { withKerasName } from '../conv/conv-utils.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (or axes) normalised separately; default -1 (channels last). */
  axis?: number | number[];
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  movingMeanInitializer?: InitializerArg;
  movingVarianceInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

/**
 * Batch normalisation: `gamma * (x - mean) / sqrt(variance + epsilon) + beta` per feature
 * (the `axis` dims), as Keras.
 *
 * - Training (`apply(x, {training: true})`): mean and variance of the batch (over every axis but
 *   `axis`), and the moving statistics are updated:
 *   `moving = moving * momentum + batch * (1 - momentum)`. The variance is the biased batch
 *   variance (divided by N), both for normalising and for the moving-variance update — as Keras 3
 *   and TF2 Keras's non-fused path. (TF2 Keras's fused kernel and TensorFlow.js update the moving
 *   variance with the unbiased N/(N-1) estimate instead; for large batches the difference is small.)
 *   The updates are plain assignments made outside any gradient tape.
 * - Inference (the default): the moving mean and variance.
 * - A frozen layer (`trainable = false`) always runs in inference mode, even with
 *   `training: true`, and leaves its moving statistics unchanged (Keras 2 fine-tuning behaviour).
 *
 * Weights: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (non-trainable).
 *
 * @example
 * ```ts
 * const bn = nb.keras.layers.batchNormalization();
 * const x = nb.randomNormal([32, 8, 8, 16]);
 * bn.apply(x, {training: true});  // normalised with batch statistics; moving stats updated
 * bn.apply(x);                     // inference: uses the moving statistics
 * ```
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  readonly axis: number | number[];
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean!: Variable;
  movingVariance!: Variable;
  /** Resolved feature axes, reduction axes and the shape statistics broadcast from (set in build). */
  private axes: number[] = [];
  private reductionAxes: number[] = [];
  private broadcastShape: number[] | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.axis = checkAxisArg(cls, args.axis ?? -1);
    this.momentum = args.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new InvalidArgumentError(`${cls}: momentum must be a number in [0, 1], got ${String(args.momentum)}.`);
    }
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new InvalidArgumentError(`${cls}: epsilon must be a finite number >= 0, got ${String(args.epsilon)}.`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer, zeros(), this.name);
    this.gammaInitializer = getInitializer(args.gammaInitializer, ones(), this.name);
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer, zeros(), this.name);
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer, ones(), this.name);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, this.name);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, this.name);
    this.betaConstraint = getConstraint(args.betaConstraint, this.name);
    this.gammaConstraint = getConstraint(args.gammaConstraint, this.name);
  }

  override build(inputShape: SymbolicShape): void {
    const label = `${this.getClassName()} '${this.name}'`;
    const rank = inputShape.length;
    this.axes = resolveAxes(label, this.axis, inputShape);
    this.reductionAxes = [...Array(rank).keys()].filter((a) => !this.axes.includes(a));
    const dims = this.axes.map((a) => inputShape[a] as number);
    // One axis: statistics of shape [C] (reshaped to broadcast when the axis is not the last);
    // several axes: the input's rank with 1 on every reduced axis, as Keras.
    const full = [...Array(rank).keys()].map((a) => (this.axes.includes(a) ? (inputShape[a] as number) : 1));
    const paramShape = this.axes.length === 1 ? dims : full;
    this.broadcastShape = this.axes.length === 1 && this.axes[0] !== rank - 1 ? full : null;
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
    this.movingMean = this.addWeight('moving_mean', { shape: paramShape, initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', { shape: paramShape, initializer: this.movingVarianceInitializer, trainable: false });
    this.inputSpec = [{ ndim: rank, axes: Object.fromEntries(this.axes.map((a) => [a, inputShape[a] as number])) }];
  }

  private bcast(t: Tensor): Tensor;
  private bcast(t: Tensor | null): Tensor | null;
  private bcast(t: Tensor | null): Tensor | null {
    return t && this.broadcastShape ? ops.reshape(t, this.broadcastShape) : t;
  }

  /**
   * y and the batch's statistics. Channels last (the common case) runs as one fused op each way;
   * other axes (and nested tapes) use moments + batchNormalization.
   */
  private normalizeWithBatchStatistics(x: Tensor): { y: Tensor; mean: Tensor; variance: Tensor } {
    if (this.axes.length === 1 && this.axes[0] === x.rank - 1 && canFuseBatchNorm(x)) return fusedBatchNorm(x, this.gamma, this.beta, this.epsilon);
    const { mean, variance } = ops.moments(x, this.reductionAxes, this.axes.length > 1);
    const y = ops.batchNormalization(x, this.bcast(mean), this.bcast(variance), this.bcast(this.beta), this.bcast(this.gamma), this.epsilon);
    return { y, mean, variance };
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // A frozen layer normalises with its moving statistics even in training (Keras 2 semantics).
    const training = (args.training ?? false) && this.trainable;
    if (!training) {
      return ops.batchNormalization(x, this.bcast(this.movingMean), this.bcast(this.movingVariance), this.bcast(this.beta), this.bcast(this.gamma), this.epsilon);
    }
    const { mean, variance, y } = this.normalizeWithBatchStatistics(x);
    withoutRecording(() => {
      const m = this.momentum;
      const update = (v: Variable, batch: Tensor): void => {
        // nb.v1.assign: an update node when traced (Variable.assign takes only eager values).
        assign(v, ops.add(ops.mul(v, m), ops.mul(ops.stopGradient(batch), 1 - m)));
      };
      update(this.movingMean, mean);
      update(this.movingVariance, variance);
    });
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: serializeConstraint(this.betaConstraint),
      gammaConstraint: serializeConstraint(this.gammaConstraint),
    };
  }

  static fromConfig(config: Record<string, unknown>): BatchNormalization {
    return new BatchNormalization(config as BatchNormalizationArgs);
  }
}
registerLayer(BatchNormalization);

/**
 * Creates a BatchNormalization layer.
 *
 * @example
 * ```ts
 * const bn = nb.keras.layers.batchNormalization({momentum: 0.9});
 * const y = bn.apply(nb.randomNormal([16, 4, 4, 8]), {training: true});
 * bn.nonTrainableWeights.map((w) => w.name); // ['batch_normalization/moving_mean', '.../moving_variance']
 * ```
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
