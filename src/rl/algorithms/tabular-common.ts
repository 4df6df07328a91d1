// Options, results and the episode bookkeeping shared by Monte Carlo and TD control.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env } from '../env.js';
import { greedyPolicy, tabularSizes } from '../policies.js';
import { Rng } from '../rng.js';
import type { Schedule } from '../schedules.js';

export interface TabularControlOptions {
  /** Episodes to run (default 10000). */
  episodes?: number;
  /** Discount (default 0.99). */
  gamma?: number;
  /** Learning rate, constant or per episode (default 0.1; Monte Carlo averages returns when omitted). */
  alpha?: Schedule;
  /** Exploration rate, constant or per episode (default: linear from 1 to 0.05 over the first half). */
  epsilon?: Schedule;
  /** Initial action values (default 0). */
  initialQ?: number;
  /** Seeds the env's first reset and the agent's own draws. */
  seed?: number;
  /** Called after each episode. */
  onEpisode?: (episode: number, episodeReturn: number, length: number) => void;
}

export interface TabularControlResult {
  /** Learned action values `Q[s][a]`. */
  Q: number[][];
  /** Greedy action per state. */
  policy: number[];
  /** Return of every training episode. */
  returns: number[];
  /** Length of every training episode. */
  lengths: number[];
  /** Environment steps taken. */
  envSteps: number;
}

export interface ResolvedTabular {
  episodes: number;
  gamma: number;
  alpha: Schedule | undefined;
  epsilon: Schedule;
  nStates: number;
  nActions: number;
  Q: number[][];
  rng: Rng;
  seed: number | undefined;
}

export function resolveTabular(op: string, env: Env<number, number>, o: TabularControlOptions): ResolvedTabular {
  const { nStates, nActions } = tabularSizes(op, env);
  const episodes = o.episodes ?? 10000;
  const gamma = o.gamma ?? 0.99;
  if (!Number.isInteger(episodes) || episodes < 1) throw new InvalidArgumentError(`${op}: episodes must be a positive integer, got ${episodes}.`);
  if (!(gamma >= 0 && gamma <= 1)) throw new InvalidArgumentError(`${op}: gamma must be in [0, 1], got ${gamma}.`);
  const half = Math.max(1, Math.floor(episodes / 2));
  const epsilon = o.epsilon ?? ((t: number) => (t >= half ? 0.05 : 1 - (0.95 * t) / half));
  const Q = Array.from({ length: nStates }, () => new Array<number>(nActions).fill(o.initialQ ?? 0));
  const rng = new Rng(o.seed === undefined ? undefined : o.seed + 1);
  return { episodes, gamma, alpha: o.alpha, epsilon, nStates, nActions, Q, rng, seed: o.seed };
}

export function finish(Q: number[][], returns: number[], lengths: number[], envSteps: number): TabularControlResult {
  return { Q, policy: greedyPolicy(Q), returns, lengths, envSteps };
}
