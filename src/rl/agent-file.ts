// Saving and loading trained agents: one JSON file holding either a Q table or a Q-network
// (architecture and weights), with the env it was trained on.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as keras from '../keras/index.js';
import * as ops from '../ops/index.js';
import { withoutRecording } from '../ops/engine.js';
import type { DqnAgent } from './dqn/agent.js';
import { argmax } from './policies.js';

const FORMAT = 'nabla-rl-agent';

/** What an agent file records besides the policy. */
export interface AgentMeta {
  /** The algorithm that trained it, e.g. 'q-learning', 'dqn'. */
  algorithm: string;
  /** The env id for `make`. */
  env: string;
  /** Options passed to `make` (e.g. {isSlippery: false}). */
  envOptions?: Record<string, unknown>;
  /** Any figures worth keeping (mean return, steps...). */
  figures?: Record<string, unknown>;
}

/** A loaded agent: its meta, and the greedy action for an observation. */
export interface LoadedAgent extends AgentMeta {
  kind: 'tabular' | 'dqn';
  act(obs: number | Float32Array): number;
  /** The Q table (tabular agents). */
  Q?: number[][];
  /** The Q-network (DQN agents). */
  qNetwork?: keras.Model;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Saves a tabular agent (its Q table, or a deterministic policy as a one-hot table) to a JSON file.
 *
 * @example
 * ```ts
 * const r = nb.rl.qLearning(env, {episodes: 20000});
 * nb.rl.saveTabularAgent('frozen.agent.json', r.Q, {algorithm: 'q-learning', env: 'FrozenLake-v1'});
 * ```
 */
export function saveTabularAgent(path: string, Q: readonly (readonly number[])[], meta: AgentMeta): void {
  writeAtomic(path, JSON.stringify({ format: FORMAT, version: 1, kind: 'tabular', ...meta, Q }));
}

/**
 * Saves a DQN agent's online Q-network (architecture and weights) to a JSON file.
 *
 * @example
 * ```ts
 * nb.rl.saveDqnAgent('cartpole.agent.json', result.agent, {algorithm: 'dqn', env: 'CartPole-v1'});
 * ```
 */
export function saveDqnAgent(path: string, agent: DqnAgent, meta: AgentMeta): void {
  const weights = agent.qNetwork.weights.map((w) => ({
    name: w.name,
    shape: [...w.shape],
    data: Buffer.from(new Float32Array(w.dataSync() as Float32Array).buffer).toString('base64'),
  }));
  const architecture = keras.serializeLayer(agent.qNetwork);
  writeAtomic(path, JSON.stringify({ format: FORMAT, version: 1, kind: 'dqn', ...meta, obsShape: agent.obsShape, nActions: agent.nActions, architecture, weights }));
}

/**
 * Loads an agent saved by `saveTabularAgent` or `saveDqnAgent`.
 *
 * @example
 * ```ts
 * const agent = nb.rl.loadAgent('cartpole.agent.json');
 * const env = nb.rl.make(agent.env, agent.envOptions);
 * nb.rl.evaluatePolicy(env, (obs) => agent.act(obs), {episodes: 10});
 * ```
 */
export function loadAgent(path: string): LoadedAgent {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new NotFoundError(`rl.loadAgent: cannot read '${path}'; give the agent file written by 'nabla rl train' or saveTabularAgent/saveDqnAgent.`);
  }
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new InvalidArgumentError(`rl.loadAgent: '${path}' is not JSON; expected an agent file (format '${FORMAT}').`);
  }
  if (file['format'] !== FORMAT) throw new InvalidArgumentError(`rl.loadAgent: '${path}' has format ${JSON.stringify(file['format'])}, expected '${FORMAT}'.`);
  const meta: AgentMeta = {
    algorithm: String(file['algorithm']),
    env: String(file['env']),
    envOptions: (file['envOptions'] as Record<string, unknown> | undefined) ?? {},
    figures: file['figures'] as Record<string, unknown> | undefined,
  };
  if (file['kind'] === 'tabular') {
    const Q = file['Q'] as number[][];
    return { ...meta, kind: 'tabular', Q, act: (obs) => argmax(Q[obs as number]!) };
  }
  if (file['kind'] === 'dqn') {
    const model = keras.deserializeLayer(file['architecture'] as keras.SerializedLayer) as keras.Model;
    const obsShape = file['obsShape'] as number[];
    const saved = file['weights'] as { name: string; shape: number[]; data: string }[];
    withoutRecording(() => model.apply(ops.zeros([1, ...obsShape])));
    model.setWeights(
      saved.map((w) => {
        const bytes = Buffer.from(w.data, 'base64');
        return ops.tensor(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), w.shape);
      }),
    );
    const act = (obs: number | Float32Array) =>
      argmax(withoutRecording(() => (model.apply(ops.tensor(obs as Float32Array, [1, ...obsShape])) as Tensor).dataSync()));
    return { ...meta, kind: 'dqn', qNetwork: model, act };
  }
  throw new InvalidArgumentError(`rl.loadAgent: '${path}' has kind ${JSON.stringify(file['kind'])}, expected 'tabular' or 'dqn'.`);
}
