// Dynamic programming on a known model: policy evaluation, policy iteration, value iteration
// (Sutton & Barto, chapter 4).
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env } from '../env.js';
import type { MdpModel } from '../envs/tabular.js';
import { argmax, deterministicPolicyTable, type PolicyTable } from '../policies.js';

export interface DpOptions {
  /** Discount (default 0.99). */
  gamma?: number;
  /** Stop when the largest change of a sweep is below this (default 1e-10). */
  theta?: number;
  /** Give up after this many sweeps (default 100000). */
  maxIterations?: number;
}

/** The model of `env` (its own, or that of the env it wraps), or a clear error. */
export function modelOf(op: string, env: MdpModel | Env): MdpModel {
  const candidates: unknown[] = [env, (env as Env).unwrapped];
  for (const c of candidates) {
    if (c && typeof c === 'object' && 'P' in c && Array.isArray((c as MdpModel).P)) {
      const m = c as MdpModel;
      return { P: m.P, nStates: m.P.length, nActions: m.P[0]?.length ?? 0 };
    }
  }
  const name = (env as Env).name ?? 'the environment';
  throw new InvalidArgumentError(`${op}: ${name} has no transition model P[s][a]; dynamic programming needs one (GridWorld, FrozenLake, or any {P, nStates, nActions}). Use Monte Carlo, TD or DQN instead.`);
}

function resolve(op: string, o: DpOptions) {
  const gamma = o.gamma ?? 0.99;
  const theta = o.theta ?? 1e-10;
  const maxIterations = o.maxIterations ?? 100000;
  if (!(gamma >= 0 && gamma <= 1)) throw new InvalidArgumentError(`${op}: gamma must be in [0, 1], got ${gamma}.`);
  if (!(theta > 0)) throw new InvalidArgumentError(`${op}: theta must be > 0, got ${theta}.`);
  return { gamma, theta, maxIterations };
}

/** `sum_{s'} p (r + gamma V(s'))` for every action of state `s`. */
function actionValues(m: MdpModel, V: Float64Array, s: number, gamma: number): number[] {
  return m.P[s]!.map((outcomes) => outcomes.reduce((q, [p, next, r, done]) => q + p * (r + (done ? 0 : gamma * V[next]!)), 0));
}

/** The action values `Q[s][a]` of the state values `V`. */
export function qFromV(env: MdpModel | Env, V: ArrayLike<number>, gamma = 0.99): number[][] {
  const m = modelOf('qFromV', env);
  const v = Float64Array.from(V);
  return Array.from({ length: m.nStates }, (_, s) => actionValues(m, v, s, gamma));
}

export interface PolicyEvaluationResult {
  /** State values of the policy. */
  V: number[];
  /** Sweeps until the change fell below theta. */
  iterations: number;
}

/**
 * Iterative policy evaluation (in-place sweeps): the state values of a policy given as a table
 * `pi[s][a]` or as one action per state.
 *
 * @example
 * ```ts
 * const env = new nb.rl.GridWorld();
 * const {V} = nb.rl.policyEvaluation(env, nb.rl.uniformPolicy(env), {gamma: 1}); // V[1] = -14
 * ```
 */
export function policyEvaluation(env: MdpModel | Env, policy: PolicyTable | readonly number[], options: DpOptions = {}): PolicyEvaluationResult {
  const op = 'policyEvaluation';
  const m = modelOf(op, env);
  const { gamma, theta, maxIterations } = resolve(op, options);
  const pi = policy.length > 0 && typeof policy[0] === 'number' ? deterministicPolicyTable(policy as number[], m.nActions) : (policy as PolicyTable);
  if (pi.length !== m.nStates) throw new InvalidArgumentError(`${op}: the policy covers ${pi.length} states, the model has ${m.nStates}.`);
  const V = new Float64Array(m.nStates);
  let iterations = 0;
  for (; iterations < maxIterations; ) {
    iterations++;
    let delta = 0;
    for (let s = 0; s < m.nStates; s++) {
      const q = actionValues(m, V, s, gamma);
      let v = 0;
      for (let a = 0; a < m.nActions; a++) v += pi[s]![a]! * q[a]!;
      delta = Math.max(delta, Math.abs(v - V[s]!));
      V[s] = v;
    }
    if (delta < theta) break;
  }
  return { V: Array.from(V), iterations };
}

export interface ControlResult {
  /** Optimal state values. */
  V: number[];
  /** A greedy (optimal) action per state; ties go to the lowest action. */
  policy: number[];
  /** Action values of V. */
  Q: number[][];
  /** Value-iteration sweeps, or policy-improvement rounds for policy iteration. */
  iterations: number;
}

/**
 * Value iteration: sweeps V(s) <- max_a sum p (r + gamma V(s')) until the change is below theta,
 * then the greedy policy.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1');
 * const {V, policy} = nb.rl.valueIteration(env, {gamma: 0.99});
 * ```
 */
export function valueIteration(env: MdpModel | Env, options: DpOptions = {}): ControlResult {
  const op = 'valueIteration';
  const m = modelOf(op, env);
  const { gamma, theta, maxIterations } = resolve(op, options);
  const V = new Float64Array(m.nStates);
  let iterations = 0;
  for (; iterations < maxIterations; ) {
    iterations++;
    let delta = 0;
    for (let s = 0; s < m.nStates; s++) {
      const v = Math.max(...actionValues(m, V, s, gamma));
      delta = Math.max(delta, Math.abs(v - V[s]!));
      V[s] = v;
    }
    if (delta < theta) break;
  }
  const Q = Array.from({ length: m.nStates }, (_, s) => actionValues(m, V, s, gamma));
  return { V: Array.from(V), policy: Q.map((q) => argmax(q)), Q, iterations };
}

/**
 * Policy iteration: evaluate the current policy, make it greedy, repeat until it is stable.
 *
 * @example
 * ```ts
 * const {policy} = nb.rl.policyIteration(nb.rl.make('FrozenLake-v1'), {gamma: 0.99});
 * ```
 */
export function policyIteration(env: MdpModel | Env, options: DpOptions = {}): ControlResult {
  const op = 'policyIteration';
  const m = modelOf(op, env);
  const { gamma } = resolve(op, options);
  let policy = new Array<number>(m.nStates).fill(0);
  const rounds = options.maxIterations ?? 1000;
  for (let round = 1; round <= rounds; round++) {
    const { V } = policyEvaluation(m, policy, options);
    const v = Float64Array.from(V);
    const Q = Array.from({ length: m.nStates }, (_, s) => actionValues(m, v, s, gamma));
    // Keep the current action unless another is better by more than round-off: avoids cycling between equal actions.
    const next = Q.map((q, s) => {
      const best = argmax(q);
      return q[best]! - q[policy[s]!]! > 1e-9 ? best : policy[s]!;
    });
    const stable = next.every((a, s) => a === policy[s]);
    policy = next;
    if (stable) return { V, policy, Q, iterations: round };
  }
  const { V } = policyEvaluation(m, policy, options);
  return { V, policy, Q: qFromV(m, V, gamma), iterations: rounds };
}
