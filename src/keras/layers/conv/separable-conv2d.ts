import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { getConstraint, serializeConstraint } from '../../constraints.js';
import { getInitializer, glorotUniform, serializeInitializer } from '../../initializers.js';
import { getRegularizer, serializeRegularizer } from '../../regularizers.js';
import type { CallArgs, Constraint, Initializer, Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { BaseConv, positiveInt, type BaseConvArgs, type ConstraintArg, type InitializerArg, type RegularizerArg } from './base-conv.js';

export interface SeparableConv2DArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** Depthwise output channels per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerArg;
  pointwiseInitializer?: InitializerArg;
  depthwiseRegularizer?: RegularizerArg;
  pointwiseRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
  pointwiseConstraint?: ConstraintArg;
}

/**
 * Depthwise-separable 2-D convolution: a depthwise convolution (kernel
 * `[kh, kw, inChannels, depthMultiplier]`, with the layer's strides, padding and dilation)
 * followed by a 1x1 pointwise convolution (kernel `[1, 1, inChannels * depthMultiplier, filters]`)
 * that mixes channels — far fewer weights than a full Conv2D (Xception, MobileNet).
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.separableConv2d({filters: 16, kernelSize: 3, padding: 'same'});
 * layer.apply(nb.zeros([1, 8, 8, 4])).shape; // [1, 8, 8, 16]
 * ```
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  depthwiseKernel!: Variable;
  pointwiseKernel!: Variable;

  constructor(args: SeparableConv2DArgs) {
    super(2, args);
    const cls = this.getClassName();
    this.filters = positiveInt(cls, 'filters', args.filters);
    this.depthMultiplier = positiveInt(cls, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer, glorotUniform(), this.name);
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer, glorotUniform(), this.name);
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, this.name);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, this.name);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint, this.name);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint, this.name);
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.channelsOf(inputShape);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', {
      shape: [this.kernelSize[0]!, this.kernelSize[1]!, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.pointwiseKernel = this.addWeight('pointwise_kernel', {
      shape: [1, 1, inChannels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    this.buildBias(this.filters);
    this.inputSpec = [{ ndim: 4, axes: { [-1]: inChannels } }];
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.spatialOutput(x.shape);
    const pad = this.padding === 'same' ? 'same' : 'valid';
    const depthwise = ops.depthwiseConv2d(x, this.depthwiseKernel, [this.strides[0]!, this.strides[1]!], pad, 'NHWC', [
      this.dilationRate[0]!,
      this.dilationRate[1]!,
    ]);
    return this.finish(ops.conv2d(depthwise, this.pointwiseKernel, 1, 'valid'));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwiseRegularizer: serializeRegularizer(this.pointwiseRegularizer),
      depthwiseConstraint: serializeConstraint(this.depthwiseConstraint),
      pointwiseConstraint: serializeConstraint(this.pointwiseConstraint),
    };
  }

  static fromConfig(config: Record<string, unknown>): SeparableConv2D {
    return new SeparableConv2D(config as unknown as SeparableConv2DArgs);
  }
}
registerLayer(SeparableConv2D);

/**
 * Creates a depthwise-separable 2-D convolution layer.
 *
 * @example
 * ```ts
 * const sep = nb.keras.layers.separableConv2d({filters: 32, kernelSize: 3, depthMultiplier: 2, activation: 'relu'});
 * sep.apply(nb.zeros([2, 10, 10, 8])).shape; // [2, 8, 8, 32]
 * ```
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}
