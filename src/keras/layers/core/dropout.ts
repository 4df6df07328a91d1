import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { layerDropout } from './traced-dropout.js';
import { callSeed, checkSeed, showShape } from './util.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * Shape of the keep/drop mask including the batch dim, broadcast over the input (each dim equal
   * to the input's or 1); null entries take the input's size. E.g. `[null, 1, null]` drops whole
   * features of a sequence at every timestep.
   */
  noiseShape?: readonly (number | null)[] | null;
  seed?: number | null;
}

/**
 * During training, sets a random fraction `rate` of the inputs to 0 and scales the others by
 * 1/(1 − rate), so the expected sum is unchanged. At inference it passes inputs through.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.dropout({rate: 0.5});
 * layer.apply(nb.ones([2, 4]), {training: true}); // about half 0s, the rest 2s
 * layer.apply(nb.ones([2, 4]));                   // unchanged
 * ```
 */
export class Dropout extends Layer {
  static override readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args);
    const cls = (this.constructor as typeof Layer).className;
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new InvalidArgumentError(
        `${cls} '${this.name}': rate must be a number in [0, 1) (the fraction of inputs dropped), got ${String(args.rate)}.`,
      );
    }
    this.rate = args.rate;
    const ns = args.noiseShape ?? null;
    if (ns !== null && (!Array.isArray(ns) || ns.some((d) => d !== null && !(Number.isInteger(d) && d > 0)))) {
      throw new InvalidArgumentError(
        `${cls} '${this.name}': noiseShape must be an array of positive integers or nulls (one per input dim, batch included), got ${JSON.stringify(ns)}.`,
      );
    }
    this.noiseShape = ns === null ? null : [...ns];
    this.seed = checkSeed(`${cls} '${this.name}'`, args.seed);
  }

  /** The concrete mask shape for an input of `shape`. */
  protected resolveNoiseShape(shape: readonly number[]): number[] | undefined {
    if (this.noiseShape === null) return undefined;
    if (this.noiseShape.length !== shape.length) {
      throw new InvalidArgumentError(
        `${this.getClassName()} '${this.name}': noiseShape ${showShape(this.noiseShape)} must have one entry per input dim, but the input has shape ${showShape(shape)}.`,
      );
    }
    return this.noiseShape.map((d, i) => d ?? shape[i]!);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!args.training || this.rate === 0) return x;
    const noiseShape = this.resolveNoiseShape(x.shape);
    return layerDropout(this, 'mask', x, this.rate, { noiseShape, seed: () => callSeed(this.seed, this.calls++) });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(config as unknown as DropoutArgs);
  }
}
registerLayer(Dropout);

/**
 * Creates a Dropout layer.
 *
 * @example
 * ```ts
 * const drop = nb.keras.layers.dropout({rate: 0.2, seed: 7});
 * drop.apply(x, {training: true});
 * ```
 */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
