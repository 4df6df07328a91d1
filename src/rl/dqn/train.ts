// The DQN training loop (Mnih et al. 2015): ε-greedy acting, replay, periodic or soft target
// updates, and the figures a run reports.
import { InvalidArgumentError } from '../../core/errors.js';
import { setSeed } from '../../core/random.js';
import type * as keras from '../../keras/index.js';
import type { Env } from '../env.js';
import { Rng } from '../rng.js';
import { linearSchedule, scheduleValue, type Schedule } from '../schedules.js';
import type { Box, Discrete } from '../spaces.js';
import { DqnAgent, type DqnAgentOptions } from './agent.js';
import { convQNetwork, mlpQNetwork } from './q-network.js';
import { ReplayBuffer } from './replay-buffer.js';

export interface DqnEpisodeLog {
  episode: number;
  episodeReturn: number;
  length: number;
  envSteps: number;
  epsilon: number;
  meanReturn100: number;
  stepsPerSecond: number;
  /** Mean loss of the episode's updates (NaN before learning starts). */
  loss: number;
}

export interface DqnTrainOptions extends DqnAgentOptions {
  /** Environment steps to train for (default 50000). */
  steps?: number;
  /** Builds the Q-network; default an MLP for vector observations, the Nature CNN for [h, w, c]. */
  network?: (obsShape: readonly number[], nActions: number) => keras.Model;
  /** Hidden sizes of the default MLP (default [64, 64]). */
  hidden?: readonly number[];
  /** Dueling heads on the default networks (default false). */
  dueling?: boolean;
  /** Replay capacity (default 50000). */
  bufferSize?: number;
  /** Minibatch size (default 64). */
  batchSize?: number;
  /** Steps of random play before updates begin (default 1000). */
  learningStarts?: number;
  /** One update every this many env steps (default 1). */
  trainFrequency?: number;
  /** Hard target copy every this many env steps when tau is 1 (default 500). */
  targetUpdateInterval?: number;
  /** ε per env step (default linear from 1 to 0.05 over the first 10% of the steps). */
  epsilon?: Schedule;
  /** Stop early once the mean return of the last `window` episodes reaches `threshold`. */
  stopWhen?: { window: number; threshold: number } | null;
  /** Threshold on the mean of the last 100 returns for `solvedAtStep` (default the env's reward threshold). */
  solveThreshold?: number | null;
  /** Called after each episode. */
  onEpisode?: (log: DqnEpisodeLog) => void;
}

export interface DqnTrainResult {
  agent: DqnAgent;
  /** Return of each finished training episode. */
  returns: number[];
  lengths: number[];
  /** Env step count at the end of each episode. */
  episodeEndSteps: number[];
  envSteps: number;
  /** Mean return of the last 100 episodes (fewer if fewer were played). */
  meanReturn100: number;
  /** Env step at which the mean of the last 100 returns first reached the threshold; null if never. */
  solvedAtStep: number | null;
  /** Env step at which `stopWhen` was met; null if never. */
  stoppedAtStep: number | null;
  seconds: number;
  stepsPerSecond: number;
  /** Mean loss of each episode's updates. */
  losses: number[];
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * Trains a DQN agent on an env with a Discrete action space and Box observations.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('CartPole-v1');
 * const r = nb.rl.trainDqn(env, {steps: 30000, seed: 1});
 * console.log(r.meanReturn100, r.solvedAtStep);
 * ```
 */
export function trainDqn(env: Env<Float32Array, number>, options: DqnTrainOptions = {}): DqnTrainResult {
  const op = 'trainDqn';
  const actionSpace = env.actionSpace as Partial<Discrete>;
  const obsSpace = env.observationSpace as Partial<Box>;
  if (typeof actionSpace.n !== 'number' || !obsSpace.shape || typeof (obsSpace as Box).size !== 'number') {
    throw new InvalidArgumentError(
      `${op}: ${env.name} has observation space ${env.observationSpace.toString()} and action space ${env.actionSpace.toString()}; DQN needs Box observations and a Discrete action space.`,
    );
  }
  const steps = options.steps ?? 50000;
  if (!Number.isInteger(steps) || steps < 1) throw new InvalidArgumentError(`${op}: steps must be a positive integer, got ${steps}.`);
  const nA = actionSpace.n;
  const obsShape = [...obsSpace.shape];
  const batchSize = options.batchSize ?? 64;
  const learningStarts = options.learningStarts ?? 1000;
  const trainFrequency = options.trainFrequency ?? 1;
  const targetUpdateInterval = options.targetUpdateInterval ?? 500;
  const epsilon = options.epsilon ?? linearSchedule(1, 0.05, Math.max(1, Math.floor(steps * 0.1)));
  const threshold = options.solveThreshold === undefined ? (env.spec?.rewardThreshold ?? null) : options.solveThreshold;
  if (options.seed !== undefined) setSeed(options.seed);
  const build =
    options.network ??
    ((shape: readonly number[], n: number) =>
      shape.length === 3 ? convQNetwork(shape, n, { dueling: options.dueling, small: shape[0]! < 36 }) : mlpQNetwork(shape.reduce((a, b) => a * b, 1), n, { hidden: options.hidden, dueling: options.dueling }));
  const agent = new DqnAgent(build(obsShape, nA), build(obsShape, nA), { ...options, seed: options.seed });
  const buffer = new ReplayBuffer(options.bufferSize ?? 50000, agent.obsSize);
  const rng = new Rng(options.seed === undefined ? undefined : options.seed + 7);
  env.actionSpace.seed(rng.nextSeed());

  const returns: number[] = [];
  const lengths: number[] = [];
  const episodeEndSteps: number[] = [];
  const losses: number[] = [];
  let solvedAtStep: number | null = null;
  let stoppedAtStep: number | null = null;
  const t0 = performance.now();
  let [obs] = env.reset(options.seed === undefined ? {} : { seed: options.seed });
  let epReturn = 0;
  let epLength = 0;
  let epLossSum = 0;
  let epLossCount = 0;
  let step = 0;
  while (step < steps) {
    const eps = scheduleValue(epsilon, step);
    const action = step < learningStarts ? env.actionSpace.sample() : agent.act(obs, eps);
    const [next, reward, terminated, truncated] = env.step(action);
    buffer.add(obs, action, reward, next, terminated);
    obs = next;
    step++;
    epReturn += reward;
    epLength++;
    if (step >= learningStarts && step % trainFrequency === 0 && buffer.size >= batchSize) {
      epLossSum += agent.update(buffer.sample(batchSize, rng));
      epLossCount++;
    }
    if (agent.tau === 1 && step % targetUpdateInterval === 0 && step >= learningStarts) agent.syncTarget(1);
    if (terminated || truncated) {
      returns.push(epReturn);
      lengths.push(epLength);
      episodeEndSteps.push(step);
      losses.push(epLossCount ? epLossSum / epLossCount : NaN);
      const last100 = returns.slice(-100);
      const m100 = mean(last100);
      if (solvedAtStep === null && threshold !== null && last100.length === 100 && m100 >= threshold) solvedAtStep = step;
      options.onEpisode?.({
        episode: returns.length,
        episodeReturn: epReturn,
        length: epLength,
        envSteps: step,
        epsilon: step < learningStarts ? 1 : eps,
        meanReturn100: m100,
        stepsPerSecond: step / ((performance.now() - t0) / 1000),
        loss: losses.at(-1)!,
      });
      const stop = options.stopWhen;
      if (stop && returns.length >= stop.window && mean(returns.slice(-stop.window)) >= stop.threshold) {
        stoppedAtStep = step;
        break;
      }
      [obs] = env.reset();
      epReturn = epLength = epLossSum = epLossCount = 0;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    agent,
    returns,
    lengths,
    episodeEndSteps,
    envSteps: step,
    meanReturn100: mean(returns.slice(-100)),
    solvedAtStep,
    stoppedAtStep,
    seconds,
    stepsPerSecond: step / seconds,
    losses,
  };
}
