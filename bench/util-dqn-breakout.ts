// `npm run bench -- dqn --breakout FRAMES`: nabla's DQN (the small MinAtar CNN) on
// Breakout-MinAtar for a number of frames, then the greedy agent's mean return against a uniformly
// random policy over the same number of evaluation episodes. nabla only (the PyTorch reference has
// no MinAtar script).
import * as nb from '../src/index.js';

/** The figures of a Breakout-MinAtar run. */
export interface BreakoutBenchResult {
  frames: number;
  seed: number;
  trainSeconds: number;
  framesPerSecond: number;
  trainEpisodes: number;
  /** Mean return of the last (up to) 100 training episodes (ε-greedy). */
  trainMeanReturn100: number;
  evalEpisodes: number;
  /** Greedy policy (ε = 0.01, as DQN papers evaluate) mean return. */
  agentMeanReturn: number;
  randomMeanReturn: number;
}

/** Training settings scaled to a short run: the MinAtar paper's values, shortened with `frames`. */
export function breakoutDqnOptions(frames: number, seed: number): nb.rl.DqnTrainOptions {
  const learningStarts = Math.min(5000, Math.max(100, Math.floor(frames / 10)));
  return {
    steps: frames,
    seed,
    learningRate: 2.5e-4,
    gamma: 0.99,
    batchSize: 32,
    bufferSize: Math.min(100000, frames),
    learningStarts,
    trainFrequency: 1,
    targetUpdateInterval: Math.min(1000, Math.max(100, Math.floor(frames / 20))),
    epsilon: nb.rl.linearSchedule(1, 0.1, Math.max(1, Math.floor(frames / 4))),
    solveThreshold: null,
  };
}

/**
 * Trains DQN on Breakout-MinAtar for `frames` env steps and compares the agent with random play.
 *
 * @example
 * ```ts
 * const r = runBreakoutBench(50000, 0, 20);
 * console.log(r.agentMeanReturn, r.randomMeanReturn);
 * ```
 */
export function runBreakoutBench(frames: number, seed: number, evalEpisodes = 20): BreakoutBenchResult {
  if (!Number.isInteger(frames) || frames < 1) throw new nb.InvalidArgumentError(`bench dqn --breakout: frames must be a positive integer, got ${frames}.`);
  if (!Number.isInteger(evalEpisodes) || evalEpisodes < 1) throw new nb.InvalidArgumentError(`bench dqn --breakout: evaluation episodes must be a positive integer, got ${evalEpisodes}.`);
  const r = nb.rl.trainDqn(nb.rl.make('Breakout-MinAtar'), breakoutDqnOptions(frames, seed));
  const agent = r.agent;
  const evalEnv = nb.rl.make('Breakout-MinAtar');
  const greedy = nb.rl.evaluatePolicy(evalEnv, (obs: Float32Array) => agent.act(obs, 0.01), { episodes: evalEpisodes, seed: seed + 100 });
  const randomEnv = nb.rl.make('Breakout-MinAtar');
  const rng = new nb.rl.Rng(seed + 200);
  const random = nb.rl.evaluatePolicy(randomEnv, () => rng.integer(3), { episodes: evalEpisodes, seed: seed + 100 });
  return {
    frames: r.envSteps,
    seed,
    trainSeconds: r.seconds,
    framesPerSecond: r.stepsPerSecond,
    trainEpisodes: r.returns.length,
    trainMeanReturn100: r.meanReturn100,
    evalEpisodes,
    agentMeanReturn: greedy.meanReturn,
    randomMeanReturn: random.meanReturn,
  };
}
