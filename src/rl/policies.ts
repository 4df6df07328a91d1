// Action selection from action values: greedy, ε-greedy, softmax; tabular policies as tables.
import { InvalidArgumentError } from '../core/errors.js';
import type { Env } from './env.js';
import { Rng } from './rng.js';
import type { Discrete } from './spaces.js';

/** A stochastic tabular policy: `pi[s][a]` is the probability of action `a` in state `s`. */
export type PolicyTable = number[][];

/** Index of the largest value; ties go to the first (as numpy's argmax), or a random one with `rng`. */
export function argmax(values: ArrayLike<number>, rng?: Rng): number {
  let best = 0;
  let count = 1;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > values[best]!) {
      best = i;
      count = 1;
    } else if (rng && values[i] === values[best]) {
      count++;
      if (rng.integer(count) === 0) best = i;
    }
  }
  return best;
}

/**
 * With probability ε a uniformly random action, else a greedy one (random among ties).
 *
 * @example
 * ```ts
 * const a = nb.rl.epsilonGreedy(Q[s], 0.1, rng);
 * ```
 */
export function epsilonGreedy(qValues: ArrayLike<number>, epsilon: number, rng: Rng): number {
  if (rng.random() < epsilon) return rng.integer(qValues.length);
  return argmax(qValues, rng);
}

/** Probabilities of the ε-greedy policy over `qValues` (greedy mass split among ties). */
export function epsilonGreedyProbs(qValues: ArrayLike<number>, epsilon: number): number[] {
  const n = qValues.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, qValues[i]!);
  let ties = 0;
  for (let i = 0; i < n; i++) if (qValues[i] === max) ties++;
  return Array.from({ length: n }, (_, i) => epsilon / n + (qValues[i] === max ? (1 - epsilon) / ties : 0));
}

/**
 * An action drawn with probabilities softmax(q / temperature) (Boltzmann exploration).
 *
 * @example
 * ```ts
 * const a = nb.rl.softmaxAction(Q[s], 0.5, rng);
 * ```
 */
export function softmaxAction(qValues: ArrayLike<number>, temperature: number, rng: Rng): number {
  if (!(temperature > 0)) throw new InvalidArgumentError(`softmaxAction: temperature must be > 0, got ${temperature}.`);
  let max = -Infinity;
  for (let i = 0; i < qValues.length; i++) max = Math.max(max, qValues[i]!);
  const w = Array.from(qValues, (q) => Math.exp((q - max) / temperature));
  const sum = w.reduce((a, b) => a + b, 0);
  return rng.categorical(w.map((x) => x / sum));
}

/** Number of states and actions of a tabular env (Discrete observation and action spaces). */
export function tabularSizes(op: string, env: Env<number, number>): { nStates: number; nActions: number } {
  const o = env.observationSpace as Partial<Discrete>;
  const a = env.actionSpace as Partial<Discrete>;
  if (typeof o.n !== 'number' || typeof a.n !== 'number') {
    throw new InvalidArgumentError(
      `${op}: ${env.name} has observation space ${env.observationSpace.toString()} and action space ${env.actionSpace.toString()}; tabular methods need Discrete spaces for both (use DQN for vector observations).`,
    );
  }
  return { nStates: o.n, nActions: a.n };
}

/**
 * The equiprobable random policy of a tabular env.
 *
 * @example
 * ```ts
 * const pi = nb.rl.uniformPolicy(new nb.rl.GridWorld());
 * ```
 */
export function uniformPolicy(env: Env<number, number> | { nStates: number; nActions: number }): PolicyTable {
  const { nStates, nActions } = env instanceof Object && 'nStates' in env ? env : tabularSizes('uniformPolicy', env);
  return Array.from({ length: nStates }, () => new Array<number>(nActions).fill(1 / nActions));
}

/** The deterministic policy `policy[s]` as a table of probabilities. */
export function deterministicPolicyTable(policy: readonly number[], nActions: number): PolicyTable {
  return policy.map((a) => Array.from({ length: nActions }, (_, i) => (i === a ? 1 : 0)));
}

/** The greedy actions of a Q table (first maximum on ties). */
export function greedyPolicy(Q: readonly ArrayLike<number>[]): number[] {
  return Q.map((row) => argmax(row));
}
