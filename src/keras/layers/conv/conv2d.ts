import type { Tensor } from '../../../core/tensor.js';
import { fusedConv2d } from '../../../ops/fused-conv.js';
import * as ops from '../../../ops/index.js';
import { glorotUniform } from '../../initializers.js';
import type { CallArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { Conv, type ConvArgs } from './base-conv.js';

export type Conv2DArgs = ConvArgs;

/**
 * 2-D convolution over images `[batch, height, width, channels]`:
 * `activation(conv2d(x, kernel) + bias)` with an HWIO kernel `[kh, kw, inChannels, filters]`.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu'});
 * layer.apply(nb.zeros([2, 28, 28, 1])).shape; // [2, 28, 28, 8]
 * ```
 */
export class Conv2D extends Conv {
  static override readonly className: string = 'Conv2D';

  constructor(args: Conv2DArgs) {
    super(2, args, glorotUniform());
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.channelsOf(inputShape);
    this.kernel = this.addKernel([this.kernelSize[0]!, this.kernelSize[1]!, inChannels, this.filters]);
    this.buildBias(this.filters);
    this.inputSpec = [{ ndim: 4, axes: { [-1]: inChannels } }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.spatialOutput(x.shape);
    const pad = this.padding === 'same' ? 'same' : 'valid';
    const strides: [number, number] = [this.strides[0]!, this.strides[1]!];
    const dilations: [number, number] = [this.dilationRate[0]!, this.dilationRate[1]!];
    if (this.activationName === 'relu' || this.activationName === 'linear') {
      // Bias and activation applied in place on the convolution's output (one tensor, not three).
      const y = fusedConv2d(x, this.kernel, this.bias, this.activationName, strides, pad, dilations);
      if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
      return y;
    }
    return this.finish(ops.conv2d(x, this.kernel, strides, pad, 'NHWC', dilations));
  }

  static fromConfig(config: Record<string, unknown>): Conv2D {
    return new Conv2D(config as unknown as Conv2DArgs);
  }
}
registerLayer(Conv2D);

/**
 * Creates a 2-D convolution layer (channels last; kernel `[kh, kw, in, filters]`).
 *
 * @example
 * ```ts
 * const conv = nb.keras.layers.conv2d({filters: 16, kernelSize: [3, 3], strides: 2});
 * conv.apply(nb.zeros([1, 9, 9, 3])).shape; // [1, 4, 4, 16]
 * ```
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
