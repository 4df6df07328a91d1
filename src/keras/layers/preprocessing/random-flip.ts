import { InvalidArgumentError } from '../../../core/errors.js';
import type { PhiloxStream } from '../../../core/random.js';
import { Tensor } from '../../../core/tensor.js';
import { registerLayer } from '../../engine/serialization.js';
import { RandomImageLayer, type RandomImageLayerArgs } from './base.js';

/** Which flips RandomFlip may apply. */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends RandomImageLayerArgs {
  /** 'horizontal' (left-right), 'vertical' (up-down) or 'horizontal_and_vertical' (default). */
  mode?: FlipMode;
}

/**
 * During training, flips each image left-right and/or up-down, each with probability 1/2
 * (independently per image, and per direction in 'horizontal_and_vertical' mode, as tf.keras
 * 2). At inference it passes images through. Images are channels last [b, h, w, c].
 *
 * @example
 * ```ts
 * const augment = nb.keras.sequential({layers: [
 *   nb.keras.layers.randomFlip({mode: 'horizontal', seed: 1}),
 *   nb.keras.layers.randomRotation({factor: 0.1}),
 * ]});
 * augment.apply(images, {training: true});
 * ```
 */
export class RandomFlip extends RandomImageLayer {
  static override readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    super(args);
    const mode = args.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(mode)) {
      throw new InvalidArgumentError(`${this.where}: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}.`);
    }
    this.mode = mode;
  }

  protected override augment(images: Tensor, rng: PhiloxStream): Tensor {
    const [b, h, w, c] = images.shape as [number, number, number, number];
    const src = images.values as Float32Array;
    const out = new Float32Array(src.length);
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    const image = h * w * c;
    for (let n = 0; n < b; n++) {
      const fx = horizontal && rng.nextFloat() < 0.5;
      const fy = vertical && rng.nextFloat() < 0.5;
      const base = n * image;
      if (!fx && !fy) {
        out.set(src.subarray(base, base + image), base);
        continue;
      }
      for (let y = 0; y < h; y++) {
        const sy = fy ? h - 1 - y : y;
        for (let x = 0; x < w; x++) {
          const s = base + (sy * w + (fx ? w - 1 - x : x)) * c;
          const o = base + (y * w + x) * c;
          for (let k = 0; k < c; k++) out[o + k] = src[s + k]!;
        }
      }
    }
    return new Tensor(images.shape, 'float32', out);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode };
  }

  static fromConfig(config: Record<string, unknown>): RandomFlip {
    return new RandomFlip(config as unknown as RandomFlipArgs);
  }
}
registerLayer(RandomFlip);

/**
 * Creates a RandomFlip layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.randomFlip({mode: 'horizontal'}).apply(images, {training: true});
 * ```
 */
export function randomFlip(args: RandomFlipArgs = {}): RandomFlip {
  return new RandomFlip(args);
}
