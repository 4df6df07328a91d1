import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { normalizeDataFormat, normalizeTuple, withKerasName, type DataFormat, type DataFormatArg } from '../conv/conv-utils.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** Upsampling factor: a number or `[rows, cols]`. Default 2. */
  size?: number | readonly number[];
  /** `'nearest'` (default: repeat each pixel) or `'bilinear'`. */
  interpolation?: 'nearest' | 'bilinear';
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
}

/**
 * Upsamples images `[batch, h, w, c]` to `[batch, h * size[0], w * size[1], c]`. `'nearest'`
 * repeats each pixel in a `size` block; `'bilinear'` interpolates with half-pixel centres, as
 * TF2 Keras (`tf.image.resize`).
 *
 * @example
 * ```ts
 * const up = nb.keras.layers.upSampling2d({size: 2});
 * up.apply(nb.zeros([1, 4, 4, 3])).shape; // [1, 8, 8, 3]
 * ```
 */
export class UpSampling2D extends Layer {
  static override readonly className: string = 'UpSampling2D';
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';
  readonly dataFormat: DataFormat;

  constructor(args: UpSampling2DArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.size = normalizeTuple(cls, 'size', args.size ?? 2, 2);
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new InvalidArgumentError(`${cls}: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}.`);
    }
    this.interpolation = interpolation;
    this.dataFormat = normalizeDataFormat(cls, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const scale = (d: number | null | undefined, s: number): number | null => (d === null || d === undefined ? null : d * s);
    return [inputShape[0] ?? null, scale(inputShape[1], this.size[0]!), scale(inputShape[2], this.size[1]!), inputShape[3] ?? null];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const size: [number, number] = [x.shape[1]! * this.size[0]!, x.shape[2]! * this.size[1]!];
    return this.interpolation === 'nearest'
      ? ops.image.resizeNearestNeighbor(x, size)
      : ops.image.resizeBilinear(x, size, false, true);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], interpolation: this.interpolation, dataFormat: this.dataFormat };
  }

  static fromConfig(config: Record<string, unknown>): UpSampling2D {
    return new UpSampling2D(config as UpSampling2DArgs);
  }
}
registerLayer(UpSampling2D);

/**
 * Creates an UpSampling2D layer.
 *
 * @example
 * ```ts
 * const up = nb.keras.layers.upSampling2d({size: [2, 3], interpolation: 'bilinear'});
 * up.apply(nb.zeros([1, 4, 4, 3])).shape; // [1, 8, 12, 3]
 * ```
 */
export function upSampling2d(args: UpSampling2DArgs = {}): UpSampling2D {
  return new UpSampling2D(args);
}
