// The environment base class in Gymnasium's shape, with the checks every env shares: a valid
// action, and no step before reset or after the episode ended.
import { FailedPreconditionError, InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { Rng } from './rng.js';
import { describeValue, type Space } from './spaces.js';

/** Extra, environment-specific figures returned by reset and step. */
export type Info = Record<string, unknown>;

/** `[observation, reward, terminated, truncated, info]`, as Gymnasium's `step`. */
export type StepResult<O> = [observation: O, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** Options of `reset`: `seed` restarts the env's generator (as Gymnasium's `reset(seed=...)`). */
export interface ResetOptions {
  seed?: number;
  options?: Record<string, unknown>;
}

/** Registration facts of an environment (Gymnasium's `EnvSpec`, the parts that matter here). */
export interface EnvSpec {
  id: string;
  /** Episodes are truncated after this many steps by `make` (TimeLimit); null: no limit. */
  maxEpisodeSteps: number | null;
  /** Mean return over 100 episodes at which the task counts as solved; null: none. */
  rewardThreshold: number | null;
}

/**
 * An environment: `reset({seed}) -> [obs, info]`, `step(action) -> [obs, reward, terminated,
 * truncated, info]`, `render()` to an RGB int32 tensor `[h, w, 3]`. Subclasses implement
 * `resetEnv`, `stepEnv` and `renderEnv`; the base class checks the action and the episode state.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('CartPole-v1');
 * let [obs] = env.reset({seed: 0});
 * for (;;) {
 *   const [next, reward, terminated, truncated] = env.step(env.actionSpace.sample());
 *   if (terminated || truncated) break;
 *   obs = next;
 * }
 * ```
 */
export abstract class Env<O = unknown, A = unknown> {
  abstract get observationSpace(): Space<O>;
  abstract get actionSpace(): Space<A>;
  /** Set by `make` (and by envs that know their id). */
  spec: EnvSpec | null = null;
  /** The env's generator; reseeded by `reset({seed})`. */
  protected rng = new Rng();
  private ended = true;
  private everReset = false;

  /** The name used in error messages: the spec's id, else the class name. */
  get name(): string {
    return this.spec?.id ?? this.constructor.name;
  }

  /** Starts an episode. With `seed`, the episode (and the ones after it) are reproducible. */
  reset(options: ResetOptions = {}): [O, Info] {
    if (options.seed !== undefined) {
      if (!Number.isFinite(options.seed)) throw new InvalidArgumentError(`${this.name}.reset: seed must be a finite number, got ${options.seed}.`);
      this.rng.reseed(options.seed);
    }
    const result = this.resetEnv(options);
    this.ended = false;
    this.everReset = true;
    return result;
  }

  /** Advances one step with `action`, which must belong to `actionSpace`. */
  step(action: A): StepResult<O> {
    if (this.ended) {
      throw new FailedPreconditionError(
        this.everReset
          ? `${this.name}.step: the episode has ended (terminated or truncated); call env.reset() before stepping again.`
          : `${this.name}.step: the env has not been reset; call env.reset() before the first step.`,
      );
    }
    if (!this.actionSpace.contains(action)) {
      throw new InvalidArgumentError(
        `${this.name}.step: invalid action ${describeValue(action)}; expected an element of the action space ${this.actionSpace.toString()}. Use env.actionSpace.sample() or an action in range.`,
      );
    }
    const result = this.stepEnv(action);
    if (result[2] || result[3]) this.ended = true;
    return result;
  }

  /** The current frame as an RGB int32 tensor `[height, width, 3]` of values 0..255. */
  render(): Tensor {
    if (!this.everReset) throw new FailedPreconditionError(`${this.name}.render: call env.reset() before render().`);
    return this.renderEnv();
  }

  /** Releases resources (nothing for the built-in envs). */
  close(): void {}

  /** The innermost environment (itself unless wrapped). */
  get unwrapped(): Env {
    return this as Env;
  }

  /** Whether the current episode has ended (or none has started). */
  get needsReset(): boolean {
    return this.ended;
  }

  protected abstract resetEnv(options: ResetOptions): [O, Info];
  protected abstract stepEnv(action: A): StepResult<O>;
  protected abstract renderEnv(): Tensor;
}
