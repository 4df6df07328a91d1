import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { glorotUniform } from '../../initializers.js';
import type { CallArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { Conv, type ConvArgs } from './base-conv.js';
import { convOutputLength, deconvOutputLength, normalizeTuple, showShape } from './conv-utils.js';

export interface Conv2DTransposeArgs extends ConvArgs {
  /**
   * Extra rows/columns added to one side of the output (each < the stride), to pick among the
   * output sizes that a strided convolution maps to the same input size. Default: none (Keras
   * infers the size).
   */
  outputPadding?: number | readonly number[] | null;
}

/**
 * Transposed 2-D convolution ("deconvolution"): the gradient of a conv2d with respect to its
 * input, used to upsample in decoders and GAN generators. The kernel is
 * `[kh, kw, filters, inChannels]`, as in Keras/TensorFlow.
 *
 * Output size per spatial dim (Keras's rule): without `outputPadding`, `in * stride` for 'same'
 * and `in * stride + max(kernel - stride, 0)` for 'valid'; with it,
 * `(in - 1) * stride + kernel - 2 * pad + outputPadding` where pad is `floor(kernel / 2)` for
 * 'same' and 0 for 'valid'.
 *
 * @example
 * ```ts
 * const up = nb.keras.layers.conv2dTranspose({filters: 8, kernelSize: 3, strides: 2, padding: 'same'});
 * up.apply(nb.zeros([1, 4, 4, 16])).shape; // [1, 8, 8, 8]
 * ```
 */
export class Conv2DTranspose extends Conv {
  static override readonly className: string = 'Conv2DTranspose';
  readonly outputPadding: number[] | null;

  constructor(args: Conv2DTransposeArgs) {
    super(2, args, glorotUniform());
    const cls = this.getClassName();
    if (args.outputPadding === undefined || args.outputPadding === null) {
      this.outputPadding = null;
    } else {
      this.outputPadding = normalizeTuple(cls, 'outputPadding', args.outputPadding, 2, true);
      this.outputPadding.forEach((p, i) => {
        if (p >= this.strides[i]!) {
          throw new InvalidArgumentError(
            `${cls}: outputPadding [${this.outputPadding!.join(', ')}] must be smaller than strides [${this.strides.join(', ')}] in every dimension.`,
          );
        }
      });
    }
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.channelsOf(inputShape);
    this.kernel = this.addKernel([this.kernelSize[0]!, this.kernelSize[1]!, this.filters, inChannels]);
    this.buildBias(this.filters);
    this.inputSpec = [{ ndim: 4, axes: { [-1]: inChannels } }];
  }

  protected override spatialOutput(inputShape: SymbolicShape): (number | null)[] {
    return this.kernelSize.map((k, i) => {
      const n = inputShape[i + 1] ?? null;
      const s = this.strides[i]!;
      const d = this.dilationRate[i]!;
      const out = deconvOutputLength(n, k, this.padding, this.outputPadding?.[i] ?? null, s, d);
      if (n !== null && out !== null && convOutputLength(out, k, this.padding, s, d) !== n) {
        throw new ShapeError(
          `${this.label}: for input shape ${showShape(inputShape)}, kernelSize ${k}, strides ${s} and padding '${this.padding}' ` +
            `give output size ${out} along spatial axis ${i}, which a conv2d would not map back to ${n}; ` +
            `set outputPadding (e.g. ${Math.max(1, (this.outputPadding?.[i] ?? 0) + 1)}) or use an odd kernel size.`,
        );
      }
      return out;
    });
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [h, w] = this.spatialOutput(x.shape) as [number, number];
    const outShape = [x.shape[0]!, h, w, this.filters];
    const strides: [number, number] = [this.strides[0]!, this.strides[1]!];
    const pad = this.padding === 'same' ? 'same' : 'valid';
    const y =
      this.dilationRate[0] === 1 && this.dilationRate[1] === 1
        ? ops.conv2dTranspose(x, this.kernel, outShape, strides, pad)
        : ops.conv2dBackpropInput(outShape, x, this.kernel, strides, pad, 'NHWC', [this.dilationRate[0]!, this.dilationRate[1]!]);
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), outputPadding: this.outputPadding ? [...this.outputPadding] : null };
  }

  static fromConfig(config: Record<string, unknown>): Conv2DTranspose {
    return new Conv2DTranspose(config as unknown as Conv2DTransposeArgs);
  }
}
registerLayer(Conv2DTranspose);

/**
 * Creates a transposed 2-D convolution layer (kernel `[kh, kw, filters, inChannels]`).
 *
 * @example
 * ```ts
 * const deconv = nb.keras.layers.conv2dTranspose({filters: 3, kernelSize: 4, strides: 2, padding: 'same'});
 * deconv.apply(nb.zeros([2, 7, 7, 32])).shape; // [2, 14, 14, 3]
 * ```
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}
