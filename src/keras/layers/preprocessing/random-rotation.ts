import type { PhiloxStream } from '../../../core/random.js';
import type { Tensor } from '../../../core/tensor.js';
import { registerLayer } from '../../engine/serialization.js';
import { transformImages } from './affine.js';
import { checkFactor, checkFill, RandomImageLayer, symmetricRange, uniform, type Factor, type FillArgs, type RandomImageLayerArgs } from './base.js';

export interface RandomRotationArgs extends RandomImageLayerArgs, FillArgs {
  /**
   * The rotation as a fraction of a full turn (2π): `f` draws angles in [-f·2π, f·2π],
   * `[lower, upper]` in [lower·2π, upper·2π]. Positive angles turn counter-clockwise.
   */
  factor: Factor;
}

/**
 * During training, rotates each image by a random angle about its centre, filling the corners
 * by `fillMode` ('reflect' default, 'wrap', 'constant' with `fillValue`, 'nearest'); sampling
 * is bilinear or nearest. At inference it passes images through.
 *
 * @example
 * ```ts
 * const rotate = nb.keras.layers.randomRotation({factor: 0.05, fillMode: 'constant', seed: 3}); // up to ±18°
 * rotate.apply(images, {training: true});
 * ```
 */
export class RandomRotation extends RandomImageLayer {
  static override readonly className = 'RandomRotation';
  readonly factor: Factor;
  readonly fillMode: NonNullable<FillArgs['fillMode']>;
  readonly interpolation: NonNullable<FillArgs['interpolation']>;
  readonly fillValue: number;
  private readonly range: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args);
    this.factor = checkFactor(this.where, 'factor', args.factor);
    this.range = symmetricRange(this.where, 'factor', this.factor);
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = checkFill(this.where, args));
  }

  protected override augment(images: Tensor, rng: PhiloxStream): Tensor {
    const [b, h, w] = images.shape as [number, number, number, number];
    const t = new Float64Array(b * 8);
    for (let n = 0; n < b; n++) {
      const angle = uniform(rng, this.range) * 2 * Math.PI;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const xOffset = (w - 1 - (cos * (w - 1) - sin * (h - 1))) / 2;
      const yOffset = (h - 1 - (sin * (w - 1) + cos * (h - 1))) / 2;
      t.set([cos, -sin, xOffset, sin, cos, yOffset, 0, 0], n * 8);
    }
    return transformImages(images, t, this.interpolation, this.fillMode, this.fillValue);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }

  static fromConfig(config: Record<string, unknown>): RandomRotation {
    return new RandomRotation(config as unknown as RandomRotationArgs);
  }
}
registerLayer(RandomRotation);

/**
 * Creates a RandomRotation layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomRotation({factor: [-0.1, 0.1], fillMode: 'nearest'});
 * ```
 */
export function randomRotation(args: RandomRotationArgs): RandomRotation {
  return new RandomRotation(args);
}
