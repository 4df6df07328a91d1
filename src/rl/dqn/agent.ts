// The DQN learner: online and target Q-networks, the Huber TD loss, Adam with gradient clipping,
// Double DQN targets, hard or soft target updates.
import { GradientTape } from '../../autodiff/index.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as keras from '../../keras/index.js';
import * as ops from '../../ops/index.js';
import { withoutRecording } from '../../ops/engine.js';
import { argmax } from '../policies.js';
import { Rng } from '../rng.js';
import type { ReplayBatch } from './replay-buffer.js';

export interface DqnAgentOptions {
  /** Discount (default 0.99). */
  gamma?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Clip the global gradient norm to this (default 10; null: no clipping). */
  gradientClipNorm?: number | null;
  /** Huber threshold (default 1). */
  huberDelta?: number;
  /** Double DQN: the online net picks the next action, the target net values it (default false). */
  double?: boolean;
  /** Soft target update rate: target <- tau online + (1 - tau) target after each update; 1 (default) with hard copies. */
  tau?: number;
  /** Seed of the exploration draws. */
  seed?: number;
  /** Observation shape (default: read from a functional Q-network's input). */
  obsShape?: readonly number[];
  /** Number of actions (default: read from a functional Q-network's output). */
  nActions?: number;
}

/**
 * A DQN agent around a Keras Q-network. `update(batch)` does one gradient step on the Huber loss
 * of `Q(s, a)` against `r + γ (1 - terminated) max_a' Q_target(s', a')` (or the Double DQN
 * target); `syncTarget()` copies (or, with `tau < 1`, blends) the online weights into the target.
 *
 * @example
 * ```ts
 * const agent = new nb.rl.DqnAgent(nb.rl.mlpQNetwork(4, 2), nb.rl.mlpQNetwork(4, 2), {learningRate: 5e-4});
 * const a = agent.act(obs, 0.1);
 * const loss = agent.update(buffer.sample(64, rng));
 * ```
 */
export class DqnAgent {
  readonly gamma: number;
  readonly double: boolean;
  readonly tau: number;
  readonly huberDelta: number;
  readonly optimizer: keras.optimizers.Adam;
  readonly nActions: number;
  readonly obsShape: number[];
  readonly obsSize: number;
  /** Gradient steps taken. */
  updates = 0;
  /** Target-network syncs done. */
  targetSyncs = 0;
  private readonly rng: Rng;

  constructor(
    readonly qNetwork: keras.Model,
    readonly targetNetwork: keras.Model,
    options: DqnAgentOptions = {},
  ) {
    this.gamma = options.gamma ?? 0.99;
    this.double = options.double ?? false;
    this.tau = options.tau ?? 1;
    this.huberDelta = options.huberDelta ?? 1;
    if (!(this.gamma >= 0 && this.gamma <= 1)) throw new InvalidArgumentError(`DqnAgent: gamma must be in [0, 1], got ${this.gamma}.`);
    if (!(this.tau > 0 && this.tau <= 1)) throw new InvalidArgumentError(`DqnAgent: tau must be in (0, 1], got ${this.tau}.`);
    const clip = options.gradientClipNorm === undefined ? 10 : options.gradientClipNorm;
    this.optimizer = new keras.optimizers.Adam({ learningRate: options.learningRate ?? 1e-3, ...(clip === null ? {} : { globalClipNorm: clip }) });
    const f = qNetwork as Partial<keras.Functional>;
    const inShape = options.obsShape ?? (f.inputs?.[0]?.shape.slice(1) as number[] | undefined);
    const outShape = f.outputs?.[0]?.shape;
    const nActions = options.nActions ?? (outShape?.[outShape.length - 1] as number | undefined);
    if (!inShape || inShape.some((d) => typeof d !== 'number') || typeof nActions !== 'number') {
      throw new InvalidArgumentError('DqnAgent: cannot read the observation shape and action count from the Q-network (not a functional model with known shapes); pass options.obsShape and options.nActions.');
    }
    this.obsShape = [...inShape];
    this.obsSize = inShape.reduce((a, b) => a * b, 1);
    this.nActions = nActions;
    this.rng = new Rng(options.seed);
    this.syncTarget(1);
    this.targetSyncs = 0;
  }

  /** Q values of one observation. */
  qValues(obs: Float32Array): Float32Array {
    return withoutRecording(() => (this.qNetwork.apply(ops.tensor(obs, [1, ...this.obsShape])) as Tensor).dataSync() as Float32Array);
  }

  /** ε-greedy action (greedy with epsilon 0). */
  act(obs: Float32Array, epsilon = 0): number {
    if (epsilon > 0 && this.rng.random() < epsilon) return this.rng.integer(this.nActions);
    return argmax(this.qValues(obs));
  }

  /** The TD targets of a batch (no gradient flows through them). */
  targets(batch: ReplayBatch): Float32Array {
    const B = batch.size;
    const nA = this.nActions;
    return withoutRecording(() => {
      const next = ops.tensor(batch.nextObs, [B, ...this.obsShape]);
      const qTarget = (this.targetNetwork.apply(next) as Tensor).dataSync();
      const qOnline = this.double ? (this.qNetwork.apply(next) as Tensor).dataSync() : null;
      const y = new Float32Array(B);
      for (let b = 0; b < B; b++) {
        let best: number;
        if (qOnline) {
          const a = argmax(qOnline.subarray(b * nA, (b + 1) * nA));
          best = qTarget[b * nA + a]!;
        } else {
          best = -Infinity;
          for (let a = 0; a < nA; a++) best = Math.max(best, qTarget[b * nA + a]!);
        }
        y[b] = batch.rewards[b]! + this.gamma * (1 - batch.dones[b]!) * best;
      }
      return y;
    });
  }

  /** One gradient step on a batch; returns the Huber loss. Soft-updates the target when tau < 1. */
  update(batch: ReplayBatch): number {
    const B = batch.size;
    const y = ops.tensor(this.targets(batch), [B, 1]);
    const x = ops.tensor(batch.obs, [B, ...this.obsShape]);
    const mask = ops.oneHot(ops.tensor(batch.actions, [B], 'int32'), this.nActions);
    const vars = this.qNetwork.trainableWeights;
    const tape = new GradientTape();
    const loss = tape.record(() => {
      const q = this.qNetwork.apply(x, { training: true }) as Tensor;
      const qa = ops.sum(ops.mul(q, mask), -1, true);
      return ops.mean(keras.losses.huber(y, qa, this.huberDelta));
    });
    const grads = tape.gradient(loss, vars);
    this.optimizer.applyGradients(vars.map((v, i) => [grads[i] ?? null, v] as const));
    this.updates++;
    if (this.tau < 1) this.syncTarget(this.tau);
    return loss.item() as number;
  }

  /** target <- tau online + (1 - tau) target (tau 1: a copy). */
  syncTarget(tau = 1): void {
    const online = this.qNetwork.weights;
    const target = this.targetNetwork.weights;
    withoutRecording(() => {
      online.forEach((w, i) => {
        const t = target[i]!;
        t.assign(tau === 1 ? w : ops.add(ops.mul(w, tau), ops.mul(t, 1 - tau)));
      });
    });
    this.targetSyncs++;
  }
}
