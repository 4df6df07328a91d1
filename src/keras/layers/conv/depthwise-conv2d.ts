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

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerArg;
  depthwiseRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own `depthMultiplier`
 * filters (no mixing across channels). Kernel `[kh, kw, inChannels, depthMultiplier]`; output
 * channel `c * depthMultiplier + m` comes from input channel `c`.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same'});
 * layer.apply(nb.zeros([1, 8, 8, 4])).shape; // [1, 8, 8, 8]
 * ```
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className: string = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  depthwiseKernel!: Variable;

  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
    this.depthMultiplier = positiveInt(this.getClassName(), 'depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer, glorotUniform(), this.name);
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, this.name);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint, this.name);
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.channelsOf(inputShape);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', {
      shape: [this.kernelSize[0]!, this.kernelSize[1]!, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.buildBias(inChannels * this.depthMultiplier);
    this.inputSpec = [{ ndim: 4, axes: { [-1]: inChannels } }];
  }

  protected outputChannels(inChannels: number | null): number | null {
    return inChannels === null ? null : inChannels * this.depthMultiplier;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.spatialOutput(x.shape);
    const pad = this.padding === 'same' ? 'same' : 'valid';
    const y = ops.depthwiseConv2d(x, this.depthwiseKernel, [this.strides[0]!, this.strides[1]!], pad, 'NHWC', [
      this.dilationRate[0]!,
      this.dilationRate[1]!,
    ]);
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      depthwiseConstraint: serializeConstraint(this.depthwiseConstraint),
    };
  }

  static fromConfig(config: Record<string, unknown>): DepthwiseConv2D {
    return new DepthwiseConv2D(config as unknown as DepthwiseConv2DArgs);
  }
}
registerLayer(DepthwiseConv2D);

/**
 * Creates a depthwise 2-D convolution layer (kernel `[kh, kw, in, depthMultiplier]`).
 *
 * @example
 * ```ts
 * const dw = nb.keras.layers.depthwiseConv2d({kernelSize: 3, strides: 2});
 * dw.apply(nb.zeros([1, 9, 9, 6])).shape; // [1, 4, 4, 6]
 * ```
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}
