// Wrappers: an Env around an Env, forwarding what they do not change.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { Env, type Info, type ResetOptions, type StepResult } from './env.js';
import type { Space } from './spaces.js';

/**
 * Base of the wrappers: forwards reset, step, render and the spaces to `env`. Subclasses
 * override what they change.
 *
 * @example
 * ```ts
 * class Negate extends nb.rl.Wrapper<number, number> {
 *   protected override stepEnv(a: number) { const r = this.env.step(a); r[1] = -r[1]; return r; }
 * }
 * ```
 */
export class Wrapper<O = unknown, A = unknown, IO = O, IA = A> extends Env<O, A> {
  constructor(readonly env: Env<IO, IA>) {
    super();
    this.spec = env.spec;
  }

  get observationSpace(): Space<O> {
    return this.env.observationSpace as unknown as Space<O>;
  }

  get actionSpace(): Space<A> {
    return this.env.actionSpace as unknown as Space<A>;
  }

  override get name(): string {
    return this.env.name;
  }

  override get unwrapped(): Env {
    return this.env.unwrapped;
  }

  override close(): void {
    this.env.close();
  }

  protected resetEnv(options: ResetOptions): [O, Info] {
    return this.env.reset(options) as unknown as [O, Info];
  }

  protected stepEnv(action: A): StepResult<O> {
    return this.env.step(action as unknown as IA) as unknown as StepResult<O>;
  }

  protected renderEnv(): Tensor {
    return this.env.render();
  }
}

/**
 * Truncates episodes after `maxEpisodeSteps` steps (`truncated = true`), as Gymnasium's TimeLimit.
 *
 * @example
 * ```ts
 * const env = new nb.rl.TimeLimit(new nb.rl.CartPole(), 200);
 * ```
 */
export class TimeLimit<O, A> extends Wrapper<O, A> {
  private elapsed = 0;

  constructor(
    env: Env<O, A>,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new InvalidArgumentError(`TimeLimit(${env.name}): maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}.`);
    }
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  protected override resetEnv(options: ResetOptions): [O, Info] {
    this.elapsed = 0;
    return super.resetEnv(options);
  }

  protected override stepEnv(action: A): StepResult<O> {
    const r = super.stepEnv(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps) r[3] = true;
    return r;
  }
}

/** Return, length and duration of a finished episode. */
export interface EpisodeStatistics {
  /** Sum of rewards. */
  r: number;
  /** Steps. */
  l: number;
  /** Seconds. */
  t: number;
}

/**
 * Records each episode's return and length: when an episode ends, `info.episode = {r, l, t}`
 * (as Gymnasium), and the `returns`/`lengths` arrays keep every finished episode.
 *
 * @example
 * ```ts
 * const env = new nb.rl.RecordEpisodeStatistics(nb.rl.make('CartPole-v1'));
 * // ... run episodes ...
 * console.log(env.returns.at(-1), env.lengths.at(-1));
 * ```
 */
export class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
  readonly returns: number[] = [];
  readonly lengths: number[] = [];
  private episodeReturn = 0;
  private episodeLength = 0;
  private startTime = 0;

  protected override resetEnv(options: ResetOptions): [O, Info] {
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.startTime = performance.now();
    return super.resetEnv(options);
  }

  protected override stepEnv(action: A): StepResult<O> {
    const r = super.stepEnv(action);
    this.episodeReturn += r[1];
    this.episodeLength++;
    if (r[2] || r[3]) {
      const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: (performance.now() - this.startTime) / 1000 };
      this.returns.push(stats.r);
      this.lengths.push(stats.l);
      r[4] = { ...r[4], episode: stats };
    }
    return r;
  }
}
