import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import { fusedDense } from '../../../ops/fused-dense.js';
import * as ops from '../../../ops/index.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import { getConstraint, serializeConstraint, type ConstraintConfig } from '../../constraints.js';
import { getInitializer, glorotUniform, serializeInitializer, zeros, type InitializerConfig } from '../../initializers.js';
import { getRegularizer, serializeRegularizer, type RegularizerConfig } from '../../regularizers.js';
import { Layer, type CallArgs, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: string | ActivationFn | null;
  useBias?: boolean;
  kernelInitializer?: string | Initializer | InitializerConfig;
  biasInitializer?: string | Initializer | InitializerConfig;
  kernelRegularizer?: string | Regularizer | RegularizerConfig | null;
  biasRegularizer?: string | Regularizer | RegularizerConfig | null;
  activityRegularizer?: string | Regularizer | RegularizerConfig | null;
  kernelConstraint?: string | Constraint | ConstraintConfig | null;
  biasConstraint?: string | Constraint | ConstraintConfig | null;
}

/**
 * Densely connected layer: `activation(x · kernel + bias)` over the last axis.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.dense({units: 10, activation: 'softmax'});
 * layer.apply(nb.zeros([32, 784])).shape; // [32, 10]
 * ```
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  private readonly activationName: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new InvalidArgumentError(`Dense: units must be a positive integer, got ${String(args.units)}.`);
    }
    this.units = args.units;
    this.activation = getActivation(args.activation, this.name);
    this.activationName = serializeActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, glorotUniform(), this.name);
    this.biasInitializer = getInitializer(args.biasInitializer, zeros(), this.name);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, this.name);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
    this.kernelConstraint = getConstraint(args.kernelConstraint, this.name);
    this.biasConstraint = getConstraint(args.biasConstraint, this.name);
    this.inputSpec = [{ minNdim: 2 }];
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new InvalidArgumentError(`${this.name}: the last dimension of the input must be known, got shape [${inputShape.join(',')}].`);
    }
    this.kernel = this.addWeight('kernel', {
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inputDim } }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank === 2 && x.dtype === 'float32' && (this.activationName === 'relu' || this.activationName === 'linear')) {
      // Bias and activation in place on the product (one tensor, not three).
      const y = fusedDense(x, this.kernel, this.bias, this.activationName);
      if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
      return y;
    }
    let y = ops.matMul(x.rank === 2 ? x : ops.reshape(x, [-1, x.shape[x.rank - 1]!]), this.kernel);
    if (this.bias) y = ops.add(y, this.bias);
    if (x.rank !== 2) y = ops.reshape(y, [...x.shape.slice(0, -1), this.units]);
    y = this.activation(y);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }

  static fromConfig(config: Record<string, unknown>): Dense {
    return new Dense(config as unknown as DenseArgs);
  }
}
registerLayer(Dense);

/** Creates a Dense layer. @example `nb.keras.layers.dense({units: 64, activation: 'relu'})` */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
