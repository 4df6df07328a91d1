// `nabla rl train`: runs one algorithm on one env, evaluates the greedy policy, saves the agent,
// the returns plot and a report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { DP_ALGORITHMS, DQN_ALGORITHMS, pixelsPreprocessed, RL_ENVS, TABULAR_ALGORITHMS, type RlAlgorithm } from './algorithms.js';
import { writeRlReport } from './report.js';
import { appWriter } from '../common/run-logger.js';
import { timestampedRunDir } from '../common/run-dir.js';

export interface RlTrainOptions {
  algorithm: RlAlgorithm;
  /** A key of RL_ENVS (registered id or a '-nonslippery' variant). */
  env: string;
  /** Env steps for DQN (default 50000). */
  steps?: number;
  /** Episodes for the tabular methods (default 20000). */
  episodes?: number;
  /** Discount (default 0.99; 0.98 for DQN). */
  gamma?: number;
  seed?: number;
  /** Output folder; null writes nothing. */
  outDir?: string | null;
  /** Greedy evaluation episodes after training (default 100). */
  evalEpisodes?: number;
  log?: (line: string) => void;
}

export interface RlTrainResult {
  algorithm: RlAlgorithm;
  env: string;
  seed: number;
  backend: string;
  /** Training episodes (0 for dynamic programming). */
  episodes: number;
  /** Mean return of the last 100 training episodes (the greedy evaluation for dynamic programming). */
  meanReturn100: number;
  envSteps: number;
  stepsPerSecond: number;
  /** Env step at which the mean of the last 100 training returns first reached the env's threshold; null if never. */
  solvedAtStep: number | null;
  /** Mean return of the greedy policy over the evaluation episodes. */
  evalMeanReturn: number;
  /** Share of evaluation episodes with a positive return. */
  evalSuccessRate: number;
  trainSeconds: number;
  outDir: string | null;
}

/** `runs/rl-<algorithm>-<env>-<UTC timestamp>`. */
export function defaultRlOutDir(algorithm: string, env: string, now = new Date()): string {
  return timestampedRunDir(`rl-${algorithm}-${env}`, now);
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function solvedAt(returns: readonly number[], lengths: readonly number[], threshold: number | null): number | null {
  if (threshold === null) return null;
  let steps = 0;
  let sum = 0;
  for (let i = 0; i < returns.length; i++) {
    steps += lengths[i]!;
    sum += returns[i]! - (i >= 100 ? returns[i - 100]! : 0);
    if (i >= 99 && sum / 100 >= threshold) return steps;
  }
  return null;
}

/**
 * Trains `algorithm` on `env` and reports the figures.
 *
 * @example
 * ```ts
 * const r = await trainRl({algorithm: 'value-iteration', env: 'FrozenLake-v1', outDir: null});
 * console.log(r.evalSuccessRate);
 * ```
 */
export async function trainRl(options: RlTrainOptions): Promise<RlTrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { algorithm } = options;
  const envEntry = RL_ENVS[options.env];
  if (!envEntry) throw new nb.NotFoundError(`nabla rl train: unknown env '${options.env}'; available: ${Object.keys(RL_ENVS).join(', ')}.`);
  const env = pixelsPreprocessed(nb.rl.make(envEntry.id, envEntry.options));
  const seed = options.seed ?? 0;
  // DQN on CartPole learns faster and more reliably with γ 0.98 (values stay near 50, not 100).
  const gamma = options.gamma ?? (DQN_ALGORITHMS.includes(algorithm) ? 0.98 : 0.99);
  const isTabular = env.observationSpace instanceof nb.rl.Discrete;
  if (DQN_ALGORITHMS.includes(algorithm) && isTabular) {
    throw new nb.InvalidArgumentError(`nabla rl train: ${algorithm} needs vector or image observations; ${options.env} has ${env.observationSpace.toString()}. Use q-learning or value-iteration for it.`);
  }
  if (!DQN_ALGORITHMS.includes(algorithm) && !isTabular) {
    throw new nb.InvalidArgumentError(`nabla rl train: ${algorithm} is tabular and needs Discrete observations; ${options.env} has ${env.observationSpace.toString()}. Use dqn for it.`);
  }
  const outDir = options.outDir === undefined ? defaultRlOutDir(algorithm, options.env) : options.outDir;
  if (outDir) mkdirSync(outDir, { recursive: true });
  const threshold = env.spec?.rewardThreshold ?? null;
  const evalEpisodes = options.evalEpisodes ?? 100;
  log(`Training ${algorithm} on ${options.env} (seed ${seed}, backend '${nb.getBackend()}')`);

  let returns: number[] = [];
  let lengths: number[] = [];
  let envSteps = 0;
  let solvedAtStep: number | null = null;
  let act: (obs: unknown) => number;
  const summary = outDir ? appWriter(outDir, { dataset: options.env, algorithm, hyperParameters: { gamma, seed, steps: options.steps ?? null, episodes: options.episodes ?? null } }) : null;
  const settings: [string, string][] = [
    ['algorithm', algorithm],
    ['env', `${options.env} (${env.observationSpace.toString()} -> ${env.actionSpace.toString()})`],
    ['gamma', String(gamma)],
    ['seed', String(seed)],
  ];
  const t0 = performance.now();
  let save: (path: string, figures: Record<string, unknown>) => void;
  const meta = { algorithm, env: envEntry.id, envOptions: envEntry.options };

  if (DP_ALGORITHMS.includes(algorithm)) {
    const r = algorithm === 'value-iteration' ? nb.rl.valueIteration(env, { gamma }) : nb.rl.policyIteration(env, { gamma });
    log(`${algorithm} converged in ${r.iterations} ${algorithm === 'value-iteration' ? 'sweeps' : 'rounds'}; V(start) = ${r.V[0]!.toFixed(4)}`);
    act = (obs) => r.policy[obs as number]!;
    save = (path, figures) => nb.rl.saveTabularAgent(path, r.Q, { ...meta, figures });
  } else if (TABULAR_ALGORITHMS.includes(algorithm)) {
    const episodes = options.episodes ?? 20000;
    const common = {
      episodes,
      gamma,
      seed,
      alpha: algorithm.startsWith('mc') ? undefined : 0.1,
      onEpisode: (ep: number, episodeReturn: number, length: number) => {
        // At most ~1000 points per curve: tabular runs have tens of thousands of short episodes.
        if (summary && (ep + 1) % Math.max(1, Math.floor(episodes / 1000)) === 0) {
          summary.scalar('episode_return', episodeReturn, ep + 1);
          summary.scalar('episode_length', length, ep + 1);
          summary.scalar('mean_return_100', mean(returns.slice(-100)), ep + 1);
        }
        if ((ep + 1) % Math.max(1, Math.floor(episodes / 10)) === 0) {
          log(`episode ${ep + 1}/${episodes}: mean return of the last 100 ${mean(returns.slice(-100)).toFixed(3)}`);
        }
      },
    };
    const tabEnv = env as nb.rl.Env<number, number>;
    // Collect returns as we go for the progress lines.
    const tracked = new nb.rl.RecordEpisodeStatistics(tabEnv);
    returns = tracked.returns;
    const r =
      algorithm === 'mc' || algorithm === 'mc-every-visit'
        ? nb.rl.monteCarloControl(tracked, { ...common, firstVisit: algorithm === 'mc' })
        : nb.rl.tdControl(tracked, algorithm as nb.rl.TdMethod, common);
    returns = r.returns;
    lengths = r.lengths;
    envSteps = r.envSteps;
    solvedAtStep = solvedAt(returns, lengths, threshold);
    act = (obs) => r.policy[obs as number]!;
    save = (path, figures) => nb.rl.saveTabularAgent(path, r.Q, { ...meta, figures });
    settings.push(['episodes', String(episodes)], ['alpha', algorithm.startsWith('mc') ? 'sample average' : '0.1'], ['epsilon', 'linear 1 -> 0.05 over the first half of the episodes']);
  } else {
    const steps = options.steps ?? 50000;
    const dqnOptions: nb.rl.DqnTrainOptions = {
      steps,
      seed,
      gamma,
      double: algorithm === 'double-dqn',
      dueling: algorithm === 'dueling-dqn',
      ...DQN_DEFAULTS,
      onEpisode: (l) => {
        if (summary) {
          summary.scalar('episode_return', l.episodeReturn, l.envSteps);
          summary.scalar('mean_return_100', l.meanReturn100, l.envSteps);
          summary.scalar('epsilon', l.epsilon, l.envSteps);
          if (Number.isFinite(l.loss)) summary.scalar('loss', l.loss, l.envSteps);
        }
        if (l.episode % 10 === 0) {
          log(`episode ${l.episode}, step ${l.envSteps}/${steps}: mean return (last 100) ${l.meanReturn100.toFixed(1)}, epsilon ${l.epsilon.toFixed(3)}, loss ${l.loss.toFixed(4)}, ${Math.round(l.stepsPerSecond)} steps/s`);
        }
      },
    };
    const r = nb.rl.trainDqn(env as nb.rl.Env<Float32Array, number>, dqnOptions);
    returns = r.returns;
    lengths = r.lengths;
    envSteps = r.envSteps;
    solvedAtStep = r.solvedAtStep;
    act = (obs) => r.agent.act(obs as Float32Array, 0);
    save = (path, figures) => nb.rl.saveDqnAgent(path, r.agent, { ...meta, figures });
    settings.push(
      ['steps', String(steps)],
      ['Q-network', algorithm === 'dueling-dqn' ? 'MLP 64-64 ReLU, dueling head' : 'MLP 64-64 ReLU'],
      ['training', `Adam lr ${DQN_DEFAULTS.learningRate}, batch ${DQN_DEFAULTS.batchSize}, Huber loss, global grad-norm clip 10, replay ${DQN_DEFAULTS.bufferSize}`],
      ['target network', `hard copy every ${DQN_DEFAULTS.targetUpdateInterval} steps${algorithm === 'double-dqn' ? ', Double DQN targets' : ''}`],
    );
  }
  summary?.close();
  const trainSeconds = (performance.now() - t0) / 1000;
  const evaluation = nb.rl.evaluatePolicy(env, act, { episodes: evalEpisodes, seed: seed + 1000 });
  const meanReturn100 = returns.length ? mean(returns.slice(-100)) : evaluation.meanReturn;
  const result: RlTrainResult = {
    algorithm,
    env: options.env,
    seed,
    backend: nb.getBackend(),
    episodes: returns.length,
    meanReturn100,
    envSteps,
    stepsPerSecond: envSteps > 0 ? envSteps / trainSeconds : 0,
    solvedAtStep,
    evalMeanReturn: evaluation.meanReturn,
    evalSuccessRate: evaluation.successRate,
    trainSeconds,
    outDir,
  };
  log(`greedy policy over ${evalEpisodes} episodes: mean return ${evaluation.meanReturn.toFixed(3)}, success rate ${(evaluation.successRate * 100).toFixed(1)}%`);
  if (outDir) {
    const { outDir: _o, ...figures } = result;
    save(join(outDir, 'agent.json'), figures);
    writeFileSync(join(outDir, 'result.json'), JSON.stringify({ ...result, returns }, null, 1));
    const report = await writeRlReport(outDir, { title: `${algorithm} on ${options.env}`, returns, settings, figures });
    log(`Wrote ${join(outDir, 'agent.json')} (play it with 'nabla rl play ${join(outDir, 'agent.json')} ${options.env}') and ${report}`);
  }
  return result;
}

/** DQN hyper-parameters of `nabla rl train dqn` (CartPole-tuned). */
export const DQN_DEFAULTS = {
  hidden: [64, 64],
  learningRate: 1e-3,
  batchSize: 128,
  bufferSize: 50000,
  learningStarts: 1000,
  trainFrequency: 1,
  targetUpdateInterval: 200,
} as const;
