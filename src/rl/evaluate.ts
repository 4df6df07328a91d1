// Rolling out a fixed policy to measure it: mean return and success rate.
import { InvalidArgumentError } from '../core/errors.js';
import type { Env } from './env.js';

export interface EvaluateOptions {
  /** Episodes to play (default 100). */
  episodes?: number;
  /** Seeds the first reset (the later ones continue the env's generator). */
  seed?: number;
}

export interface EvaluateResult {
  /** Mean return over the episodes. */
  meanReturn: number;
  /** Fraction of episodes with a positive return (reaching the goal on FrozenLake). */
  successRate: number;
  returns: number[];
  lengths: number[];
}

/**
 * Plays `episodes` episodes with `policy` (a function of the observation, or a table of actions
 * for tabular envs) and reports the returns.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1');
 * const {policy} = nb.rl.valueIteration(env);
 * nb.rl.evaluatePolicy(env, policy, {episodes: 1000, seed: 0}).successRate; // ~0.74
 * ```
 */
export function evaluatePolicy<O, A>(env: Env<O, A>, policy: ((obs: O) => A) | readonly A[], options: EvaluateOptions = {}): EvaluateResult {
  const episodes = options.episodes ?? 100;
  if (!Number.isInteger(episodes) || episodes < 1) throw new InvalidArgumentError(`evaluatePolicy: episodes must be a positive integer, got ${episodes}.`);
  const act = typeof policy === 'function' ? policy : (obs: O) => policy[obs as unknown as number]!;
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let [obs] = env.reset(ep === 0 && options.seed !== undefined ? { seed: options.seed } : {});
    let G = 0;
    let length = 0;
    for (;;) {
      const [next, reward, terminated, truncated] = env.step(act(obs));
      G += reward;
      length++;
      obs = next;
      if (terminated || truncated) break;
    }
    returns.push(G);
    lengths.push(length);
  }
  return {
    meanReturn: returns.reduce((a, b) => a + b, 0) / episodes,
    successRate: returns.filter((g) => g > 0).length / episodes,
    returns,
    lengths,
  };
}
