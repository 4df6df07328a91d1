import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { perRun } from './per-run.js';
import { callSeed, checkSeed } from './util.js';

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise (>= 0). */
  stddev: number;
  seed?: number | null;
}

/**
 * During training, adds zero-mean Gaussian noise of standard deviation `stddev` (a regulariser);
 * at inference it passes inputs through.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.gaussianNoise({stddev: 0.1});
 * layer.apply(x, {training: true}); // x + N(0, 0.1²)
 * ```
 */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    if (typeof args.stddev !== 'number' || !Number.isFinite(args.stddev) || args.stddev < 0) {
      throw new InvalidArgumentError(`GaussianNoise '${this.name}': stddev must be a finite number >= 0, got ${String(args.stddev)}.`);
    }
    this.stddev = args.stddev;
    this.seed = checkSeed(`GaussianNoise '${this.name}'`, args.seed);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!args.training || this.stddev === 0) return x;
    // Traced, a seeded layer's per-call seed must be drawn when the graph runs (per-run.ts).
    const draw = (shape: readonly number[]) => ops.randomNormal([...shape], 0, this.stddev, 'float32', callSeed(this.seed, this.calls++));
    const noise = this.seed === undefined ? draw(x.shape) : perRun(this, `${this.name}/noise`, 'float32', [], x.shape, (_, s) => draw(s));
    return ops.add(x, noise);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): GaussianNoise {
    return new GaussianNoise(config as unknown as GaussianNoiseArgs);
  }
}
registerLayer(GaussianNoise);

/**
 * Creates a GaussianNoise layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.gaussianNoise({stddev: 0.2, seed: 1});
 * ```
 */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  return new GaussianNoise(args);
}
