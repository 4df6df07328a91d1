import { InvalidArgumentError } from '../../../core/errors.js';
import type { PhiloxStream } from '../../../core/random.js';
import type { Tensor } from '../../../core/tensor.js';
import { registerLayer } from '../../engine/serialization.js';
import { transformImages } from './affine.js';
import { checkFactor, checkFill, RandomImageLayer, symmetricRange, uniform, type Factor, type FillArgs, type RandomImageLayerArgs } from './base.js';

export interface RandomZoomArgs extends RandomImageLayerArgs, FillArgs {
  /**
   * Vertical zoom as a fraction: `f` draws from [-f, f], or `[lower, upper]`; positive values
   * zoom out (the content shrinks), negative zoom in. Values must be >= -1.
   */
  heightFactor: Factor;
  /** Horizontal zoom, the same way; omitted or null: the vertical zoom (aspect kept). */
  widthFactor?: Factor | null;
}

/**
 * During training, zooms each image in or out about its centre by random factors (height and
 * width independently when `widthFactor` is given), filling by `fillMode`. At inference it
 * passes images through.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomZoom({heightFactor: 0.2, seed: 5}).apply(images, {training: true});   // ±20%
 * nb.keras.layers.randomZoom({heightFactor: [-0.3, -0.1], widthFactor: [-0.3, -0.1]});      // zoom in 10-30%
 * ```
 */
export class RandomZoom extends RandomImageLayer {
  static override readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  readonly fillMode: NonNullable<FillArgs['fillMode']>;
  readonly interpolation: NonNullable<FillArgs['interpolation']>;
  readonly fillValue: number;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args);
    const range = (what: string, f: Factor): [number, number] => {
      const r = symmetricRange(this.where, what, f);
      if (r[0] < -1) throw new InvalidArgumentError(`${this.where}: ${what} values must be >= -1 (a zoom in of at most 100%), got ${JSON.stringify(f)}.`);
      return r;
    };
    this.heightFactor = checkFactor(this.where, 'heightFactor', args.heightFactor);
    this.heightRange = range('heightFactor', this.heightFactor);
    this.widthFactor = args.widthFactor === undefined || args.widthFactor === null ? null : checkFactor(this.where, 'widthFactor', args.widthFactor);
    this.widthRange = this.widthFactor === null ? null : range('widthFactor', this.widthFactor);
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = checkFill(this.where, args));
  }

  protected override augment(images: Tensor, rng: PhiloxStream): Tensor {
    const [b, h, w] = images.shape as [number, number, number, number];
    const zy = Array.from({ length: b }, () => 1 + uniform(rng, this.heightRange));
    const zx = this.widthRange === null ? zy : Array.from({ length: b }, () => 1 + uniform(rng, this.widthRange!));
    const t = new Float64Array(b * 8);
    for (let n = 0; n < b; n++) {
      const sx = zx[n]!;
      const sy = zy[n]!;
      t.set([sx, 0, ((w - 1) / 2) * (1 - sx), 0, sy, ((h - 1) / 2) * (1 - sy), 0, 0], n * 8);
    }
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

  static fromConfig(config: Record<string, unknown>): RandomZoom {
    return new RandomZoom(config as unknown as RandomZoomArgs);
  }
}
registerLayer(RandomZoom);

/**
 * Creates a RandomZoom layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomZoom({heightFactor: 0.1});
 * ```
 */
export function randomZoom(args: RandomZoomArgs): RandomZoom {
  return new RandomZoom(args);
}
