// Observation transforms and the Atari preprocessing chain: grayscale, resize, frame skip with
// max-pooling of the last two frames, and a stack of the last k frames.
import { InvalidArgumentError } from '../core/errors.js';
import type { Env, Info, ResetOptions, StepResult } from './env.js';
import { Box } from './spaces.js';
import { Wrapper } from './wrappers.js';

function imageShape(op: string, env: Env<Float32Array, number>): [number, number, number] {
  const s = env.observationSpace.shape;
  if (!(env.observationSpace instanceof Box) || s.length !== 3) {
    throw new InvalidArgumentError(`${op}(${env.name}): expected image observations Box [h, w, c], got ${env.observationSpace.toString()}.`);
  }
  return [s[0]!, s[1]!, s[2]!];
}

/**
 * Base of the wrappers that transform each observation (`observation(obs)`), as Gymnasium's
 * ObservationWrapper.
 *
 * @example
 * ```ts
 * class Scale extends nb.rl.ObservationWrapper {
 *   observation(obs: Float32Array) { return obs.map((v) => v / 255); }
 * }
 * ```
 */
export abstract class ObservationWrapper extends Wrapper<Float32Array, number> {
  abstract observation(obs: Float32Array): Float32Array;

  protected override resetEnv(options: ResetOptions): [Float32Array, Info] {
    const [obs, info] = super.resetEnv(options);
    return [this.observation(obs), info];
  }

  protected override stepEnv(action: number): StepResult<Float32Array> {
    const r = super.stepEnv(action);
    r[0] = this.observation(r[0]);
    return r;
  }
}

/**
 * RGB `[h, w, 3]` to luminance `[h, w, 1]` (0.299 R + 0.587 G + 0.114 B).
 *
 * @example
 * ```ts
 * const env = new nb.rl.GrayscaleObservation(nb.rl.make('Breakout-Pixels'));
 * ```
 */
export class GrayscaleObservation extends ObservationWrapper {
  private readonly space: Box;
  private readonly hw: number;

  constructor(env: Env<Float32Array, number>) {
    super(env);
    const [h, w, c] = imageShape('GrayscaleObservation', env);
    if (c !== 3) throw new InvalidArgumentError(`GrayscaleObservation(${env.name}): expected 3 colour channels, got ${c}.`);
    this.hw = h * w;
    this.space = new Box(0, 255, [h, w, 1]);
  }

  override get observationSpace(): Box {
    return this.space;
  }

  observation(obs: Float32Array): Float32Array {
    const out = new Float32Array(this.hw);
    for (let i = 0; i < this.hw; i++) out[i] = 0.299 * obs[3 * i]! + 0.587 * obs[3 * i + 1]! + 0.114 * obs[3 * i + 2]!;
    return out;
  }
}

/**
 * Resizes image observations to `[height, width, c]` with bilinear interpolation (half-pixel
 * centres, as `tf.image.resize`).
 *
 * @example
 * ```ts
 * const env = new nb.rl.ResizeObservation(gray, [84, 84]);
 * ```
 */
export class ResizeObservation extends ObservationWrapper {
  private readonly space: Box;
  private readonly from: [number, number, number];

  constructor(
    env: Env<Float32Array, number>,
    readonly size: readonly [number, number],
  ) {
    super(env);
    this.from = imageShape('ResizeObservation', env);
    if (!size.every((d) => Number.isInteger(d) && d > 0)) throw new InvalidArgumentError(`ResizeObservation(${env.name}): size must be two positive integers, got [${size.join(', ')}].`);
    const lo = (env.observationSpace as Box).low[0]!;
    const hi = (env.observationSpace as Box).high[0]!;
    this.space = new Box(lo, hi, [size[0], size[1], this.from[2]]);
  }

  override get observationSpace(): Box {
    return this.space;
  }

  observation(obs: Float32Array): Float32Array {
    const [h, w, c] = this.from;
    const [oh, ow] = this.size;
    const out = new Float32Array(oh * ow * c);
    const sy = h / oh;
    const sx = w / ow;
    for (let y = 0; y < oh; y++) {
      const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, h - 1);
      const dy = fy - y0;
      for (let x = 0; x < ow; x++) {
        const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, w - 1);
        const dx = fx - x0;
        for (let k = 0; k < c; k++) {
          const a = obs[(y0 * w + x0) * c + k]!;
          const b = obs[(y0 * w + x1) * c + k]!;
          const d = obs[(y1 * w + x0) * c + k]!;
          const e = obs[(y1 * w + x1) * c + k]!;
          out[(y * ow + x) * c + k] = (a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy;
        }
      }
    }
    return out;
  }
}

/**
 * Repeats each action `skip` times (default 4), summing the rewards; the observation is the
 * element-wise max of the last two frames (removes Atari flicker), as the DQN preprocessing.
 *
 * @example
 * ```ts
 * const env = new nb.rl.FrameSkip(nb.rl.make('Breakout-Pixels'), 4);
 * ```
 */
export class FrameSkip extends Wrapper<Float32Array, number> {
  constructor(
    env: Env<Float32Array, number>,
    readonly skip = 4,
  ) {
    super(env);
    if (!Number.isInteger(skip) || skip < 1) throw new InvalidArgumentError(`FrameSkip(${env.name}): skip must be a positive integer, got ${skip}.`);
  }

  protected override stepEnv(action: number): StepResult<Float32Array> {
    let total = 0;
    let prev: Float32Array | null = null;
    let last: StepResult<Float32Array> | null = null;
    for (let i = 0; i < this.skip; i++) {
      if (last) prev = last[0];
      last = super.stepEnv(action);
      total += last[1];
      if (last[2] || last[3]) break;
    }
    const r = last!;
    if (prev) {
      const obs = r[0];
      const out = new Float32Array(obs.length);
      for (let i = 0; i < obs.length; i++) out[i] = Math.max(obs[i]!, prev[i]!);
      r[0] = out;
    }
    r[1] = total;
    return r;
  }
}

/**
 * Stacks the last `k` observations along the channel axis: `[h, w, c]` becomes `[h, w, c k]`
 * (oldest first; at reset the first frame is repeated). The layout Conv2D layers (NHWC) expect.
 *
 * @example
 * ```ts
 * const env = new nb.rl.FrameStack(resized, 4); // [84, 84, 4]
 * ```
 */
export class FrameStack extends Wrapper<Float32Array, number> {
  private readonly space: Box;
  private frames: Float32Array[] = [];
  private readonly hw: number;
  private readonly c: number;

  constructor(
    env: Env<Float32Array, number>,
    readonly k = 4,
  ) {
    super(env);
    const [h, w, c] = imageShape('FrameStack', env);
    if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`FrameStack(${env.name}): k must be a positive integer, got ${k}.`);
    this.hw = h * w;
    this.c = c;
    const box = env.observationSpace as Box;
    this.space = new Box(box.low[0]!, box.high[0]!, [h, w, c * k]);
  }

  override get observationSpace(): Box {
    return this.space;
  }

  private stacked(): Float32Array {
    const { k, c, hw } = this;
    const out = new Float32Array(hw * c * k);
    for (let f = 0; f < k; f++) {
      const src = this.frames[f]!;
      for (let p = 0; p < hw; p++) for (let j = 0; j < c; j++) out[p * c * k + f * c + j] = src[p * c + j]!;
    }
    return out;
  }

  protected override resetEnv(options: ResetOptions): [Float32Array, Info] {
    const [obs, info] = super.resetEnv(options);
    this.frames = new Array<Float32Array>(this.k).fill(obs);
    return [this.stacked(), info];
  }

  protected override stepEnv(action: number): StepResult<Float32Array> {
    const r = super.stepEnv(action);
    this.frames.shift();
    this.frames.push(r[0]);
    r[0] = this.stacked();
    return r;
  }
}

/**
 * The DQN preprocessing of pixel envs: frame skip 4 (max of the last two frames), grayscale,
 * resize to 84x84, stack of 4 frames: observations `[84, 84, 4]`.
 *
 * @example
 * ```ts
 * const env = nb.rl.atariWrappers(nb.rl.make('Breakout-Pixels'));
 * const q = nb.rl.convQNetwork(env.observationSpace.shape, env.actionSpace.n);
 * ```
 */
export function atariWrappers(env: Env<Float32Array, number>, options: { frameSkip?: number; screenSize?: number; stack?: number } = {}): FrameStack {
  const size = options.screenSize ?? 84;
  const skipped = new FrameSkip(env, options.frameSkip ?? 4);
  return new FrameStack(new ResizeObservation(new GrayscaleObservation(skipped), [size, size]), options.stack ?? 4);
}
