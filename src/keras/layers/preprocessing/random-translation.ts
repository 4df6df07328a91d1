import { InvalidArgumentError } from '../../../core/errors.js';
import type { PhiloxStream } from '../../../core/random.js';
import type { Tensor } from '../../../core/tensor.js';
import { registerLayer } from '../../engine/serialization.js';
import { transformImages } from './affine.js';
import { checkFactor, checkFill, RandomImageLayer, symmetricRange, uniform, type Factor, type FillArgs, type RandomImageLayerArgs } from './base.js';

export interface RandomTranslationArgs extends RandomImageLayerArgs, FillArgs {
  /**
   * Vertical shift as a fraction of the height: `f` draws from [-f, f], or `[lower, upper]`, in
   * [-1, 1]. Positive values move the content down.
   */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, the same way; positive moves it right. */
  widthFactor: Factor;
}

/**
 * During training, shifts each image by a random offset (a fraction of its size, not rounded
 * to whole pixels), filling the uncovered part by `fillMode`. At inference it passes images
 * through.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomTranslation({heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant'})
 *   .apply(images, {training: true});
 * ```
 */
export class RandomTranslation extends RandomImageLayer {
  static override readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  readonly fillMode: NonNullable<FillArgs['fillMode']>;
  readonly interpolation: NonNullable<FillArgs['interpolation']>;
  readonly fillValue: number;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args);
    const range = (what: string, f: Factor): [number, number] => {
      const r = symmetricRange(this.where, what, f);
      if (r[0] < -1 || r[1] > 1) throw new InvalidArgumentError(`${this.where}: ${what} values must lie in [-1, 1] (fractions of the image size), got ${JSON.stringify(f)}.`);
      return r;
    };
    this.heightFactor = checkFactor(this.where, 'heightFactor', args.heightFactor);
    this.widthFactor = checkFactor(this.where, 'widthFactor', args.widthFactor);
    this.heightRange = range('heightFactor', this.heightFactor);
    this.widthRange = range('widthFactor', this.widthFactor);
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = checkFill(this.where, args));
  }

  protected override augment(images: Tensor, rng: PhiloxStream): Tensor {
    const [b, h, w] = images.shape as [number, number, number, number];
    const dy = Array.from({ length: b }, () => uniform(rng, this.heightRange) * h);
    const dx = Array.from({ length: b }, () => uniform(rng, this.widthRange) * w);
    const t = new Float64Array(b * 8);
    for (let n = 0; n < b; n++) t.set([1, 0, -dx[n]!, 0, 1, -dy[n]!, 0, 0], n * 8);
    return transformImages(images, t, this.interpolation, this.fillMode, this.fillValue);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      heightFactor: this.heightFactor,
      widthFactor: this.widthFactor,
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    };
  }

  static fromConfig(config: Record<string, unknown>): RandomTranslation {
    return new RandomTranslation(config as unknown as RandomTranslationArgs);
  }
}
registerLayer(RandomTranslation);

/**
 * Creates a RandomTranslation layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomTranslation({heightFactor: 0.2, widthFactor: 0.2});
 * ```
 */
export function randomTranslation(args: RandomTranslationArgs): RandomTranslation {
  return new RandomTranslation(args);
}
