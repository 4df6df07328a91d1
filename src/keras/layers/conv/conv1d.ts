import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { glorotUniform } from '../../initializers.js';
import type { CallArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { Conv, type ConvArgs } from './base-conv.js';
import type { ExplicitPadding } from '../../../ops/conv-util.js';

export type Conv1DArgs = ConvArgs;

/**
 * 1-D convolution over sequences `[batch, steps, channels]` with a kernel
 * `[kernelSize, inChannels, filters]`. `padding: 'causal'` pads only the start of the sequence
 * (by `dilationRate * (kernelSize - 1)`), so output step t sees inputs up to step t only
 * (WaveNet-style temporal models). Computed as a conv2d over images of height 1.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.conv1d({filters: 4, kernelSize: 3, padding: 'causal'});
 * layer.apply(nb.zeros([2, 10, 6])).shape; // [2, 10, 4]
 * ```
 */
export class Conv1D extends Conv {
  static override readonly className: string = 'Conv1D';

  constructor(args: Conv1DArgs) {
    super(1, args, glorotUniform());
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.channelsOf(inputShape);
    this.kernel = this.addKernel([this.kernelSize[0]!, inChannels, this.filters]);
    this.buildBias(this.filters);
    this.inputSpec = [{ ndim: 3, axes: { [-1]: inChannels } }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.spatialOutput(x.shape);
    const k = this.kernelSize[0]!;
    const d = this.dilationRate[0]!;
    const pad: 'same' | 'valid' | ExplicitPadding =
      this.padding === 'causal' ? [[0, 0], [d * (k - 1), 0]] : this.padding;
    const x4 = ops.expandDims(x, 1); // [batch, 1, steps, channels]
    const k4 = ops.expandDims(this.kernel, 0); // [1, k, in, filters]
    const y = ops.conv2d(x4, k4, [1, this.strides[0]!], pad, 'NHWC', [1, d]);
    return this.finish(ops.squeeze(y, [1]));
  }

  static fromConfig(config: Record<string, unknown>): Conv1D {
    return new Conv1D(config as unknown as Conv1DArgs);
  }
}
registerLayer(Conv1D);

/**
 * Creates a 1-D convolution layer over `[batch, steps, channels]`.
 *
 * @example
 * ```ts
 * const conv = nb.keras.layers.conv1d({filters: 8, kernelSize: 5, activation: 'relu'});
 * conv.apply(nb.zeros([4, 20, 3])).shape; // [4, 16, 8]
 * ```
 */
export function conv1d(args: Conv1DArgs): Conv1D {
  return new Conv1D(args);
}
