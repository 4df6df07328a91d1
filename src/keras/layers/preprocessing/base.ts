// The shared machinery of the image augmentation layers: seeding, the training switch, input
// checks, factor parsing and the fill/interpolation options.
import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import { nextStream, type PhiloxStream } from '../../../core/random.js';
import { formatShape } from '../../../core/shape.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { callSeed, checkSeed, finiteNumber } from '../core/util.js';
import { perRun } from '../core/per-run.js';
import { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation } from './affine.js';

/** A factor: one number `f` (the range [-f, f], or as each layer documents) or `[lower, upper]`. */
export type Factor = number | readonly [number, number];

export interface RandomImageLayerArgs extends LayerArgs {
  /** Seed of the layer's random stream; omitted, it follows the global stream (nb.setSeed). */
  seed?: number | null;
}

/** Options of the layers that warp images (rotation, zoom, translation). */
export interface FillArgs {
  /** How points outside the input are filled (default 'reflect'). */
  fillMode?: FillMode;
  /** Sampling (default 'bilinear'). */
  interpolation?: Interpolation;
  /** The value used by fillMode 'constant' (default 0). */
  fillValue?: number;
}

/**
 * An augmentation layer on channels-last images [batch, height, width, channels] (or one image
 * [height, width, channels]): active only in training (`{training: true}`, as inside `fit`),
 * the identity otherwise. Inputs are cast to float32. A seeded layer draws a fresh, reproducible
 * transformation at every call.
 */
export abstract class RandomImageLayer extends Layer {
  readonly seed: number | undefined;
  private calls = 0;

  constructor(args: RandomImageLayerArgs) {
    super(args);
    this.seed = checkSeed(this.where, args.seed);
  }

  /** `ClassName 'name'`, for error messages. */
  protected get where(): string {
    return `${(this.constructor as typeof Layer).className} '${this.name}'`;
  }

  /** The transformation of a float32 batch [b, h, w, c], drawing from `rng`. */
  protected abstract augment(images: Tensor, rng: PhiloxStream): Tensor;

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank !== 3 && x.rank !== 4) {
      throw new ShapeError(
        `${this.where}: expected images [batch, height, width, channels] (channels last) or one image [height, width, channels], got shape ${formatShape(x.shape)}.`,
      );
    }
    if (x.dtype !== 'float32') x = ops.cast(x, 'float32');
    if (!args.training || x.size === 0) return x;
    // Traced, the transformation is drawn each time the graph runs (per-run.ts), not once.
    return perRun(this, `${this.name}/augment`, 'float32', [x], x.shape, ([images]) => this.augmentOnce(images!));
  }

  /** One random transformation of a batch or a single image. */
  private augmentOnce(x: Tensor): Tensor {
    const rng = nextStream(callSeed(this.seed, this.calls++));
    if (x.rank === 4) return this.augment(x, rng);
    return ops.reshape(this.augment(ops.expandDims(x, 0), rng), x.shape);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed ?? null };
  }
}

/** A number or a [lower, upper] pair of finite numbers, copied (for getConfig). */
export function checkFactor(where: string, what: string, factor: unknown): Factor {
  if (typeof factor === 'number') return finiteNumber(where, what, factor);
  if (Array.isArray(factor) && factor.length === 2 && factor.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    if (factor[0] > factor[1]) {
      throw new InvalidArgumentError(`${where}: ${what} [lower, upper] needs lower <= upper, got ${JSON.stringify(factor)}.`);
    }
    return [factor[0], factor[1]];
  }
  throw new InvalidArgumentError(`${where}: ${what} must be a number or [lower, upper], got ${JSON.stringify(factor)}.`);
}

/** The range of a symmetric factor: f gives [-f, f] (f must be >= 0). */
export function symmetricRange(where: string, what: string, factor: Factor): [number, number] {
  if (typeof factor !== 'number') return [factor[0], factor[1]];
  if (factor < 0) throw new InvalidArgumentError(`${where}: ${what} must be >= 0 (it gives the range [-${what}, ${what}]), got ${factor}; pass [lower, upper] for an asymmetric range.`);
  return [-factor, factor];
}

/** `lower + u (upper - lower)`, u uniform in [0, 1). */
export function uniform(rng: PhiloxStream, [lower, upper]: readonly [number, number]): number {
  return lower + rng.nextFloat() * (upper - lower);
}

/** The checked fill options with their defaults. */
export function checkFill(where: string, args: FillArgs): Required<FillArgs> {
  const fillMode = args.fillMode ?? 'reflect';
  if (!FILL_MODES.includes(fillMode)) {
    throw new InvalidArgumentError(`${where}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(fillMode)}.`);
  }
  const interpolation = args.interpolation ?? 'bilinear';
  if (!INTERPOLATIONS.includes(interpolation)) {
    throw new InvalidArgumentError(`${where}: interpolation must be 'bilinear' or 'nearest', got ${JSON.stringify(interpolation)}.`);
  }
  const fillValue = finiteNumber(where, 'fillValue', args.fillValue ?? 0);
  return { fillMode, interpolation, fillValue };
}
