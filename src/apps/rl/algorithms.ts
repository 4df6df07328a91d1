import * as nb from '../../index.js';

// The algorithms `nabla rl train` knows, and which envs each can run on.
export const RL_ALGORITHMS = ['value-iteration', 'policy-iteration', 'q-learning', 'sarsa', 'expected-sarsa', 'mc', 'mc-every-visit', 'dqn', 'double-dqn', 'dueling-dqn'] as const;
export type RlAlgorithm = (typeof RL_ALGORITHMS)[number];

/** Model-based algorithms (need P[s][a]). */
export const DP_ALGORITHMS: readonly RlAlgorithm[] = ['value-iteration', 'policy-iteration'];
/** Tabular model-free algorithms (need Discrete observations). */
export const TABULAR_ALGORITHMS: readonly RlAlgorithm[] = ['q-learning', 'sarsa', 'expected-sarsa', 'mc', 'mc-every-visit'];
/** Deep Q-learning variants (need Box observations). */
export const DQN_ALGORITHMS: readonly RlAlgorithm[] = ['dqn', 'double-dqn', 'dueling-dqn'];

/** `nabla rl train` env names: registered ids plus short forms for the FrozenLake variants. */
export const RL_ENVS: Record<string, { id: string; options: Record<string, unknown> }> = {
  'FrozenLake-v1': { id: 'FrozenLake-v1', options: {} },
  'FrozenLake-v1-nonslippery': { id: 'FrozenLake-v1', options: { isSlippery: false } },
  'FrozenLake8x8-v1': { id: 'FrozenLake8x8-v1', options: {} },
  'FrozenLake8x8-v1-nonslippery': { id: 'FrozenLake8x8-v1', options: { isSlippery: false } },
  'GridWorld-v0': { id: 'GridWorld-v0', options: {} },
  'CartPole-v1': { id: 'CartPole-v1', options: {} },
  'MountainCar-v0': { id: 'MountainCar-v0', options: {} },
  'Breakout-MinAtar': { id: 'Breakout-MinAtar', options: {} },
  'Breakout-Pixels': { id: 'Breakout-Pixels', options: {} },
};

/** Pixel envs get the DQN preprocessing (frame skip 4, grayscale, 84x84, 4-frame stack). */
export function pixelsPreprocessed(env: nb.rl.Env<unknown, unknown>): nb.rl.Env<unknown, unknown> {
  if (env.unwrapped instanceof nb.rl.BreakoutPixels) return nb.rl.atariWrappers(env as nb.rl.Env<Float32Array, number>) as nb.rl.Env<unknown, unknown>;
  return env;
}
