// Uniform experience replay in flat typed arrays: one row per transition, overwritten oldest first.
import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../rng.js';

/** A sampled minibatch, row-major: `obs` and `nextObs` hold `batchSize * obsSize` values. */
export interface ReplayBatch {
  obs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition terminated the episode (no bootstrap), else 0. Truncation is 0. */
  dones: Float32Array;
  size: number;
}

/**
 * A fixed-capacity ring buffer of transitions `(s, a, r, s', terminated)` with uniform sampling.
 *
 * @example
 * ```ts
 * const buf = new nb.rl.ReplayBuffer(10000, 4);
 * buf.add(obs, action, reward, nextObs, terminated);
 * if (buf.size >= 64) { const batch = buf.sample(64, rng); }
 * ```
 */
export class ReplayBuffer {
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Float32Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new InvalidArgumentError(`ReplayBuffer: capacity must be a positive integer, got ${capacity}.`);
    if (!Number.isInteger(obsSize) || obsSize < 1) throw new InvalidArgumentError(`ReplayBuffer: obsSize must be a positive integer, got ${obsSize}.`);
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
  }

  /** Transitions stored (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  add(obs: ArrayLike<number>, action: number, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    if (obs.length !== this.obsSize || nextObs.length !== this.obsSize) {
      throw new InvalidArgumentError(`ReplayBuffer.add: observations must have ${this.obsSize} values, got ${obs.length} and ${nextObs.length}.`);
    }
    const i = this.next;
    this.obs.set(obs, i * this.obsSize);
    this.nextObs.set(nextObs, i * this.obsSize);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.dones[i] = terminated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** `batchSize` transitions drawn uniformly with replacement. */
  sample(batchSize: number, rng: Rng): ReplayBatch {
    if (this.count === 0) throw new InvalidArgumentError('ReplayBuffer.sample: the buffer is empty; add transitions first.');
    const d = this.obsSize;
    const out: ReplayBatch = {
      obs: new Float32Array(batchSize * d),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * d),
      dones: new Float32Array(batchSize),
      size: batchSize,
    };
    for (let b = 0; b < batchSize; b++) {
      const i = rng.integer(this.count);
      out.obs.set(this.obs.subarray(i * d, (i + 1) * d), b * d);
      out.nextObs.set(this.nextObs.subarray(i * d, (i + 1) * d), b * d);
      out.actions[b] = this.actions[i]!;
      out.rewards[b] = this.rewards[i]!;
      out.dones[b] = this.dones[i]!;
    }
    return out;
  }
}
