// Temporal-difference control: SARSA, Expected SARSA and Q-learning (Sutton & Barto, chapter 6).
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env } from '../env.js';
import { epsilonGreedy, epsilonGreedyProbs } from '../policies.js';
import { scheduleValue } from '../schedules.js';
import { finish, resolveTabular, type TabularControlOptions, type TabularControlResult } from './tabular-common.js';

/** The TD target used for the update. */
export type TdMethod = 'sarsa' | 'expected-sarsa' | 'q-learning';

/**
 * Tabular TD control with an ε-greedy behaviour policy. Targets: SARSA `r + γ Q(s', a')`,
 * Expected SARSA `r + γ Σ π(a'|s') Q(s', a')`, Q-learning `r + γ max Q(s', ·)`. A truncated
 * episode bootstraps from s'; a terminated one does not.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1', {isSlippery: false});
 * const {policy} = nb.rl.tdControl(env, 'q-learning', {episodes: 2000, seed: 0});
 * ```
 */
export function tdControl(env: Env<number, number>, method: TdMethod, options: TabularControlOptions = {}): TabularControlResult {
  const op = method;
  if (!['sarsa', 'expected-sarsa', 'q-learning'].includes(method)) {
    throw new InvalidArgumentError(`tdControl: unknown method '${method}'; expected 'sarsa', 'expected-sarsa' or 'q-learning'.`);
  }
  const r = resolveTabular(op, env, options);
  const { Q, rng, gamma } = r;
  const returns: number[] = [];
  const lengths: number[] = [];
  let envSteps = 0;
  for (let ep = 0; ep < r.episodes; ep++) {
    const eps = scheduleValue(r.epsilon, ep);
    const alpha = scheduleValue(r.alpha ?? 0.1, ep);
    let [s] = env.reset(ep === 0 && r.seed !== undefined ? { seed: r.seed } : {});
    let a = epsilonGreedy(Q[s]!, eps, rng);
    let G = 0;
    let length = 0;
    for (;;) {
      const [s2, reward, terminated, truncated] = env.step(a);
      G += reward;
      length++;
      const a2 = epsilonGreedy(Q[s2]!, eps, rng);
      let next = 0;
      if (!terminated) {
        const q2 = Q[s2]!;
        if (method === 'sarsa') next = q2[a2]!;
        else if (method === 'q-learning') next = Math.max(...q2);
        else {
          const p = epsilonGreedyProbs(q2, eps);
          for (let i = 0; i < q2.length; i++) next += p[i]! * q2[i]!;
        }
      }
      const q = Q[s]!;
      q[a] = q[a]! + alpha * (reward + gamma * next - q[a]!);
      s = s2;
      a = a2;
      if (terminated || truncated) break;
    }
    envSteps += length;
    returns.push(G);
    lengths.push(length);
    options.onEpisode?.(ep, G, length);
  }
  return finish(Q, returns, lengths, envSteps);
}

/**
 * Tabular Q-learning (off-policy TD control).
 *
 * @example
 * ```ts
 * const {Q, policy} = nb.rl.qLearning(nb.rl.make('FrozenLake-v1'), {episodes: 20000, alpha: 0.1, seed: 1});
 * ```
 */
export function qLearning(env: Env<number, number>, options: TabularControlOptions = {}): TabularControlResult {
  return tdControl(env, 'q-learning', options);
}

/**
 * Tabular SARSA (on-policy TD control).
 *
 * @example
 * ```ts
 * const {policy} = nb.rl.sarsa(new nb.rl.GridWorld(), {episodes: 500, gamma: 1, seed: 0});
 * ```
 */
export function sarsa(env: Env<number, number>, options: TabularControlOptions = {}): TabularControlResult {
  return tdControl(env, 'sarsa', options);
}

/**
 * Tabular Expected SARSA: the expectation of the next action's value under the ε-greedy policy.
 *
 * @example
 * ```ts
 * const {policy} = nb.rl.expectedSarsa(new nb.rl.GridWorld(), {episodes: 500, gamma: 1, seed: 0});
 * ```
 */
export function expectedSarsa(env: Env<number, number>, options: TabularControlOptions = {}): TabularControlResult {
  return tdControl(env, 'expected-sarsa', options);
}
