// Environments defined by an explicit model P[s][a] = [[prob, next, reward, done], ...]:
// the base of GridWorld and FrozenLake, and what the dynamic-programming algorithms read.
import { InvalidArgumentError } from '../../core/errors.js';
import { Env, type Info, type ResetOptions, type StepResult } from '../env.js';
import { Discrete } from '../spaces.js';

/** One outcome of taking an action: `[probability, nextState, reward, terminated]`. */
export type Transition = [prob: number, next: number, reward: number, done: boolean];

/** `P[s][a]`: the outcomes of action `a` in state `s` (Gymnasium's `env.unwrapped.P`). */
export type TransitionModel = Transition[][][];

/** What the dynamic-programming algorithms need: the model and the sizes. */
export interface MdpModel {
  readonly P: TransitionModel;
  readonly nStates: number;
  readonly nActions: number;
}

/** Checks that a model is well formed: probabilities in [0, 1] summing to 1, states in range. */
export function checkModel(name: string, P: TransitionModel, nStates: number, nActions: number): void {
  if (P.length !== nStates) throw new InvalidArgumentError(`${name}: the model has ${P.length} states, expected ${nStates}.`);
  for (let s = 0; s < nStates; s++) {
    if (P[s]!.length !== nActions) throw new InvalidArgumentError(`${name}: P[${s}] has ${P[s]!.length} actions, expected ${nActions}.`);
    for (let a = 0; a < nActions; a++) {
      let sum = 0;
      for (const [p, next] of P[s]![a]!) {
        if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`${name}: P[${s}][${a}] has probability ${p}; probabilities must be in [0, 1].`);
        if (!Number.isInteger(next) || next < 0 || next >= nStates) {
          throw new InvalidArgumentError(`${name}: P[${s}][${a}] leads to state ${next}; states are 0..${nStates - 1}.`);
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-6) throw new InvalidArgumentError(`${name}: the probabilities of P[${s}][${a}] sum to ${sum}, expected 1.`);
    }
  }
}

/**
 * A finite MDP given by its model: states and actions are integers, `step` samples an outcome of
 * `P[s][a]`, `reset` draws the start state from `initialStateDistribution`.
 */
export abstract class TabularEnv extends Env<number, number> implements MdpModel {
  readonly observationSpace: Discrete;
  readonly actionSpace: Discrete;
  /** The current state. */
  s = 0;
  /** The previous action (for rendering), or null at the start of an episode. */
  lastAction: number | null = null;
  private readonly probs: number[][][];

  constructor(
    readonly P: TransitionModel,
    readonly initialStateDistribution: readonly number[],
  ) {
    super();
    const nS = initialStateDistribution.length;
    const nA = P[0]?.length ?? 0;
    checkModel(new.target.name, P, nS, nA);
    this.observationSpace = new Discrete(nS);
    this.actionSpace = new Discrete(nA);
    this.probs = P.map((row) => row.map((outs) => outs.map((t) => t[0])));
  }

  get nStates(): number {
    return this.observationSpace.n;
  }

  get nActions(): number {
    return this.actionSpace.n;
  }

  protected resetEnv(_options: ResetOptions): [number, Info] {
    this.s = this.rng.categorical(this.initialStateDistribution);
    this.lastAction = null;
    return [this.s, { prob: 1 }];
  }

  protected stepEnv(a: number): StepResult<number> {
    const outcomes = this.P[this.s]![a]!;
    const i = this.rng.categorical(this.probs[this.s]![a]!);
    const [prob, next, reward, done] = outcomes[i]!;
    this.s = next;
    this.lastAction = a;
    return [next, reward, done, false, { prob }];
  }
}
