/**
 * Reinforcement learning: Gymnasium-shaped environments, wrappers, dynamic programming, Monte
 * Carlo and TD control, and DQN with a Keras Q-network.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1');
 * const {policy} = nb.rl.valueIteration(env, {gamma: 0.99});
 * nb.rl.evaluatePolicy(env, policy, {episodes: 1000, seed: 0}).successRate; // ~0.74
 * ```
 * @packageDocumentation
 */
export { Rng } from './rng.js';
export { Discrete, Box, type Space } from './spaces.js';
export { Env, type Info, type StepResult, type ResetOptions, type EnvSpec } from './env.js';
export { Wrapper, TimeLimit, RecordEpisodeStatistics, type EpisodeStatistics } from './wrappers.js';
export { Canvas, type Rgb } from './render.js';
export { TabularEnv, checkModel, type Transition, type TransitionModel, type MdpModel } from './envs/tabular.js';
export { GridWorld, type GridWorldOptions } from './envs/gridworld.js';
export { FrozenLake, FROZEN_LAKE_MAPS, type FrozenLakeOptions } from './envs/frozen-lake.js';
export { CartPole } from './envs/cartpole.js';
export { MountainCar } from './envs/mountain-car.js';
export { BreakoutMinAtar, MINATAR_BREAKOUT_CHANNELS, type BreakoutMinAtarOptions } from './envs/breakout-minatar.js';
export { BreakoutPixels, type BreakoutPixelsOptions } from './envs/breakout-pixels.js';
export { ObservationWrapper, GrayscaleObservation, ResizeObservation, FrameSkip, FrameStack, atariWrappers } from './atari-wrappers.js';
export { make, listEnvs, registerEnv, type MakeOptions, type EnvTypes } from './envs/registry.js';
export { linearSchedule, exponentialSchedule, scheduleValue, type Schedule } from './schedules.js';
export {
  argmax,
  epsilonGreedy,
  epsilonGreedyProbs,
  softmaxAction,
  uniformPolicy,
  greedyPolicy,
  deterministicPolicyTable,
  type PolicyTable,
} from './policies.js';
export {
  policyEvaluation,
  policyIteration,
  valueIteration,
  qFromV,
  type DpOptions,
  type PolicyEvaluationResult,
  type ControlResult,
} from './algorithms/dp.js';
export type { TabularControlOptions, TabularControlResult } from './algorithms/tabular-common.js';
export { tdControl, qLearning, sarsa, expectedSarsa, type TdMethod } from './algorithms/td.js';
export { monteCarloControl, type MonteCarloOptions } from './algorithms/monte-carlo.js';
export { evaluatePolicy, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
export { ReplayBuffer, type ReplayBatch } from './dqn/replay-buffer.js';
export { mlpQNetwork, convQNetwork, type MlpQNetworkOptions } from './dqn/q-network.js';
export { DqnAgent, type DqnAgentOptions } from './dqn/agent.js';
export { trainDqn, type DqnTrainOptions, type DqnTrainResult, type DqnEpisodeLog } from './dqn/train.js';
export { saveTabularAgent, saveDqnAgent, loadAgent, type AgentMeta, type LoadedAgent } from './agent-file.js';
