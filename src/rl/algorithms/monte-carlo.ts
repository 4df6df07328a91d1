// On-policy Monte Carlo control with ε-greedy policies, first-visit or every-visit
// (Sutton & Barto, section 5.4).
import type { Env } from '../env.js';
import { epsilonGreedy } from '../policies.js';
import { scheduleValue } from '../schedules.js';
import { finish, resolveTabular, type TabularControlOptions, type TabularControlResult } from './tabular-common.js';

export interface MonteCarloOptions extends TabularControlOptions {
  /** Count only the first visit of (s, a) in an episode (default true); false: every visit. */
  firstVisit?: boolean;
}

/**
 * On-policy Monte Carlo control: play an episode with the ε-greedy policy of Q, then move each
 * visited Q(s, a) towards the return that followed it — by the sample average of the returns
 * (default) or with a constant step `alpha`.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1', {isSlippery: false});
 * const {policy} = nb.rl.monteCarloControl(env, {episodes: 5000, firstVisit: true, seed: 0});
 * ```
 */
export function monteCarloControl(env: Env<number, number>, options: MonteCarloOptions = {}): TabularControlResult {
  const firstVisit = options.firstVisit ?? true;
  const r = resolveTabular(firstVisit ? 'firstVisitMC' : 'everyVisitMC', env, options);
  const { Q, rng, gamma, nActions } = r;
  const counts = Array.from({ length: r.nStates }, () => new Array<number>(nActions).fill(0));
  const returns: number[] = [];
  const lengths: number[] = [];
  let envSteps = 0;
  const states: number[] = [];
  const actions: number[] = [];
  const rewards: number[] = [];
  for (let ep = 0; ep < r.episodes; ep++) {
    const eps = scheduleValue(r.epsilon, ep);
    states.length = actions.length = rewards.length = 0;
    let [s] = env.reset(ep === 0 && r.seed !== undefined ? { seed: r.seed } : {});
    for (;;) {
      const a = epsilonGreedy(Q[s]!, eps, rng);
      const [s2, reward, terminated, truncated] = env.step(a);
      states.push(s);
      actions.push(a);
      rewards.push(reward);
      s = s2;
      if (terminated || truncated) break;
    }
    const T = states.length;
    // First visit of each (s, a): the smallest t where it occurs.
    const firstAt = new Map<number, number>();
    if (firstVisit) for (let t = T - 1; t >= 0; t--) firstAt.set(states[t]! * nActions + actions[t]!, t);
    let G = 0;
    for (let t = T - 1; t >= 0; t--) {
      G = gamma * G + rewards[t]!;
      const st = states[t]!;
      const at = actions[t]!;
      if (firstVisit && firstAt.get(st * nActions + at) !== t) continue;
      const n = ++counts[st]![at]!;
      const step = r.alpha === undefined ? 1 / n : scheduleValue(r.alpha, ep);
      Q[st]![at]! += step * (G - Q[st]![at]!);
    }
    const total = rewards.reduce((x, y) => x + y, 0);
    envSteps += T;
    returns.push(total);
    lengths.push(T);
    options.onEpisode?.(ep, total, T);
  }
  return finish(Q, returns, lengths, envSteps);
}
