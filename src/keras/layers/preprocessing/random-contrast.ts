import { InvalidArgumentError } from '../../../core/errors.js';
import type { PhiloxStream } from '../../../core/random.js';
import { Tensor } from '../../../core/tensor.js';
import { registerLayer } from '../../engine/serialization.js';
import { finiteNumber } from '../core/util.js';
import { checkFactor, RandomImageLayer, uniform, type Factor, type RandomImageLayerArgs } from './base.js';

export interface RandomContrastArgs extends RandomImageLayerArgs {
  /**
   * Contrast change: `f` draws contrast factors in [1 - f, 1 + f]; `[lower, upper]` in
   * [1 - lower, 1 + upper]. Values >= 0, lower <= 1.
   */
  factor: Factor;
  /** Outputs are clipped to this range (default [0, 255], as Keras 3). */
  valueRange?: readonly [number, number];
}

/**
 * During training, scales each image's deviation from its per-channel mean by a random factor:
 * `(x - mean) · f + mean`, clipped to `valueRange` (the mean is kept unless clipping bites).
 * One factor per image. At inference it passes images through.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomContrast({factor: 0.2, seed: 4}).apply(images, {training: true});
 * ```
 */
export class RandomContrast extends RandomImageLayer {
  static override readonly className = 'RandomContrast';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly range: [number, number];

  constructor(args: RandomContrastArgs) {
    super(args);
    this.factor = checkFactor(this.where, 'factor', args.factor);
    const [lower, upper] = typeof this.factor === 'number' ? [this.factor, this.factor] : this.factor;
    if (lower < 0 || upper < 0 || lower > 1) {
      throw new InvalidArgumentError(
        `${this.where}: factor values must be >= 0 with the lower one at most 1 (contrast factors in [1 - lower, 1 + upper]), got ${JSON.stringify(this.factor)}.`,
      );
    }
    this.range = [1 - lower, 1 + upper];
    const vr = args.valueRange ?? [0, 255];
    if (!Array.isArray(vr) || vr.length !== 2) throw new InvalidArgumentError(`${this.where}: valueRange must be [min, max], got ${JSON.stringify(vr)}.`);
    const lo = finiteNumber(this.where, 'valueRange[0]', vr[0]);
    const hi = finiteNumber(this.where, 'valueRange[1]', vr[1]);
    if (lo >= hi) throw new InvalidArgumentError(`${this.where}: valueRange must be [min, max] with min < max, got ${JSON.stringify(vr)}.`);
    this.valueRange = [lo, hi];
  }

  protected override augment(images: Tensor, rng: PhiloxStream): Tensor {
    const [b, h, w, c] = images.shape as [number, number, number, number];
    const src = images.values as Float32Array;
    const out = new Float32Array(src.length);
    const [lo, hi] = this.valueRange;
    const pixels = h * w;
    const mean = new Float64Array(c);
    for (let n = 0; n < b; n++) {
      const f = uniform(rng, this.range);
      const base = n * pixels * c;
      mean.fill(0);
      for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) mean[k]! += src[base + p * c + k]!;
      for (let k = 0; k < c; k++) mean[k]! /= pixels;
      for (let p = 0; p < pixels; p++) {
        for (let k = 0; k < c; k++) {
          const i = base + p * c + k;
          const v = (src[i]! - mean[k]!) * f + mean[k]!;
          out[i] = v < lo ? lo : v > hi ? hi : v;
        }
      }
    }
    return new Tensor(images.shape, 'float32', out);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: [...this.valueRange] };
  }

  static fromConfig(config: Record<string, unknown>): RandomContrast {
    return new RandomContrast(config as unknown as RandomContrastArgs);
  }
}
registerLayer(RandomContrast);

/**
 * Creates a RandomContrast layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomContrast({factor: [0.1, 0.3]});
 * ```
 */
export function randomContrast(args: RandomContrastArgs): RandomContrast {
  return new RandomContrast(args);
}
