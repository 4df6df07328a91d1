// A Bernoulli-Bernoulli restricted Boltzmann machine trained by contrastive divergence (CD-k) or
// persistent contrastive divergence (PCD). The update is written out with nb ops as positive-phase
// minus negative-phase statistics: it is not the gradient of a loss, so no tape is involved.
import * as nb from '../../index.js';

/** Shape and initialisation of an RBM. */
export interface RbmOptions {
  /** Number of visible units (e.g. 784 for 28x28 images). */
  visibleUnits: number;
  /** Number of hidden units. */
  hiddenUnits: number;
  /** Prefix of the variable names (default 'rbm'). */
  name?: string;
  /** Standard deviation of the normal initial weights (default 0.05). */
  initStddev?: number;
}

/** Settings of contrastive-divergence training. */
export interface CdOptions {
  /** Passes over the data (default 5). */
  epochs?: number;
  /** Samples per update (default 32). */
  batchSize?: number;
  /** Step size of the update (default 0.1). */
  learningRate?: number;
  /** Momentum of the update, 0 <= momentum < 1 (default 0.5). */
  momentum?: number;
  /** L2 weight decay on the weights, added to the update as -weightDecay * W (default 1e-4). */
  weightDecay?: number;
  /** Gibbs steps of the negative phase (default 1). */
  k?: number;
  /** Persistent CD: negative chains carry over from one minibatch to the next (default false). */
  persistent?: boolean;
  /** Called after each epoch with its 1-based number and mean reconstruction error. */
  onEpoch?: (epoch: number, reconstructionError: number) => void;
}

/** What training produced: the mean reconstruction error of each epoch. */
export interface RbmHistory {
  reconstructionError: number[];
}

/** Visible and hidden statistics of one phase: visible values [m, nv] and hidden probabilities [m, nh]. */
export interface PhaseStats {
  visible: nb.Tensor;
  hidden: nb.Tensor;
}

const OP = 'RBM';

function checkInt(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new nb.InvalidArgumentError(`${OP}: ${what} must be an integer >= ${min}, got ${String(value)}.`);
  }
}

function checkRange(what: string, value: number, lo: number, hi: number, hiOpen: boolean): void {
  if (!Number.isFinite(value) || value < lo || (hiOpen ? value >= hi : value > hi)) {
    throw new nb.InvalidArgumentError(`${OP}: ${what} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${String(value)}.`);
  }
}

/**
 * Binary samples: 1 where a uniform draw falls below `p`, else 0 (float32, same shape as `p`).
 *
 * @example
 * ```ts
 * nb.setSeed(0);
 * bernoulli(nb.tensor([[0.1, 0.9]]));   // e.g. [[0, 1]]
 * ```
 */
export function bernoulli(p: nb.Tensor): nb.Tensor {
  return nb.cast(nb.less(nb.randomUniform(p.shape), p), 'float32');
}

/**
 * A restricted Boltzmann machine with binary visible and hidden units. Visible inputs may be
 * probabilities in [0, 1] (e.g. pixels / 255). Random draws follow `nb.setSeed`.
 *
 * @example
 * ```ts
 * nb.setSeed(1);
 * const rbm = new RBM({ visibleUnits: 784, hiddenUnits: 128 });
 * const { reconstructionError } = rbm.train(x, { epochs: 3, k: 1 });   // x: [n, 784] in [0, 1]
 * const h = rbm.propUp(x);                                             // P(h = 1 | x), [n, 128]
 * ```
 */
export class RBM {
  /** Weights W [visibleUnits, hiddenUnits]. */
  readonly weights: nb.Variable;
  /** Visible biases b [visibleUnits]. */
  readonly visibleBias: nb.Variable;
  /** Hidden biases c [hiddenUnits]. */
  readonly hiddenBias: nb.Variable;
  readonly visibleUnits: number;
  readonly hiddenUnits: number;
  private velocity: { w: nb.Tensor; b: nb.Tensor; c: nb.Tensor };
  /** Hidden states of the persistent chains (PCD), or null before the first PCD update. */
  private fantasy: nb.Tensor | null = null;

  constructor(options: RbmOptions) {
    checkInt('visibleUnits', options.visibleUnits, 1);
    checkInt('hiddenUnits', options.hiddenUnits, 1);
    const stddev = options.initStddev ?? 0.05;
    checkRange('initStddev', stddev, 0, Infinity, true);
    const name = options.name ?? 'rbm';
    this.visibleUnits = options.visibleUnits;
    this.hiddenUnits = options.hiddenUnits;
    this.weights = nb.variable(nb.randomNormal([this.visibleUnits, this.hiddenUnits], 0, stddev), { name: `${name}/weights` });
    this.visibleBias = nb.variable(nb.zeros([this.visibleUnits]), { name: `${name}/visible_bias` });
    this.hiddenBias = nb.variable(nb.zeros([this.hiddenUnits]), { name: `${name}/hidden_bias` });
    this.velocity = { w: nb.zeros(this.weights.shape), b: nb.zeros([this.visibleUnits]), c: nb.zeros([this.hiddenUnits]) };
  }

  private checkInput(method: string, x: nb.Tensor, units: number, side: string): void {
    if (x.rank !== 2 || x.shape[1] !== units) {
      throw new nb.ShapeError(
        `${OP}.${method}: expected ${side} values of shape [batch, ${units}], got [${x.shape.join(', ')}]; flatten images to [batch, ${units}] first.`,
      );
    }
    if (x.dtype !== 'float32') {
      throw new nb.DTypeError(`${OP}.${method}: expected float32 ${side} values, got ${x.dtype}; cast with nb.cast(x, 'float32').`);
    }
  }

  /** P(h = 1 | v) = sigmoid(v W + c): hidden probabilities [m, hiddenUnits] of visible values [m, visibleUnits]. */
  propUp(v: nb.Tensor): nb.Tensor {
    this.checkInput('propUp', v, this.visibleUnits, 'visible');
    return nb.sigmoid(nb.add(nb.matMul(v, this.weights), this.hiddenBias));
  }

  /** P(v = 1 | h) = sigmoid(h Wᵀ + b): visible probabilities [m, visibleUnits] of hidden values [m, hiddenUnits]. */
  propDown(h: nb.Tensor): nb.Tensor {
    this.checkInput('propDown', h, this.hiddenUnits, 'hidden');
    return nb.sigmoid(nb.add(nb.matMul(h, this.weights, false, true), this.visibleBias));
  }

  /** A binary sample of the hidden units given visible values (draws from nb's seeded stream). */
  sampleHidden(v: nb.Tensor): nb.Tensor {
    return bernoulli(this.propUp(v));
  }

  /** A binary sample of the visible units given hidden values (draws from nb's seeded stream). */
  sampleVisible(h: nb.Tensor): nb.Tensor {
    return bernoulli(this.propDown(h));
  }

  /**
   * Free energy F(v) = -v·b - Σ_j softplus(c_j + v W_j) of each row of `v`, float32 [m]. Lower
   * free energy means higher probability under the model.
   */
  freeEnergy(v: nb.Tensor): nb.Tensor {
    this.checkInput('freeEnergy', v, this.visibleUnits, 'visible');
    const visibleTerm = nb.sum(nb.mul(v, this.visibleBias), 1);
    const hiddenTerm = nb.sum(nb.softplus(nb.add(nb.matMul(v, this.weights), this.hiddenBias)), 1);
    return nb.neg(nb.add(visibleTerm, hiddenTerm));
  }

  /** Mean squared error per unit between `v` and its mean-field reconstruction propDown(propUp(v)). */
  reconstructionError(v: nb.Tensor): number {
    return nb.mean(nb.square(nb.sub(v, this.propDown(this.propUp(v))))).dataSync()[0]!;
  }

  /**
   * `steps` rounds of block Gibbs sampling h -> v -> h starting from binary hidden states `h`.
   * Returns the last round's visible probabilities, the hidden probabilities given them, and a
   * binary hidden sample of those (where a further chain step would start).
   */
  gibbsFromHidden(h: nb.Tensor, steps: number): { visible: nb.Tensor; hidden: nb.Tensor; hiddenSample: nb.Tensor } {
    checkInt('Gibbs steps', steps, 1);
    let state = h;
    let visible = h;
    let hidden = h;
    for (let i = 1; i <= steps; i++) {
      const pv = this.propDown(state);
      // Intermediate visible states are sampled; the last is kept as probabilities (less noisy statistics).
      visible = i < steps ? bernoulli(pv) : pv;
      hidden = this.propUp(visible);
      state = bernoulli(hidden);
    }
    return { visible, hidden, hiddenSample: state };
  }

  /**
   * Applies one contrastive-divergence update from positive-phase (data) and negative-phase
   * (model) statistics:
   *
   *   ΔW = lr · (v₊ᵀ h₊ / m₊ − v₋ᵀ h₋ / m₋ − weightDecay · W),  Δb = lr · (mean v₊ − mean v₋),
   *   Δc = lr · (mean h₊ − mean h₋),  each through momentum: vel = momentum · vel + Δ, θ += vel.
   */
  applyUpdate(positive: PhaseStats, negative: PhaseStats, options: Pick<CdOptions, 'learningRate' | 'momentum' | 'weightDecay'> = {}): void {
    const lr = options.learningRate ?? 0.1;
    const momentum = options.momentum ?? 0.5;
    const decay = options.weightDecay ?? 1e-4;
    checkRange('learningRate', lr, 0, Infinity, true);
    checkRange('momentum', momentum, 0, 1, true);
    checkRange('weightDecay', decay, 0, Infinity, true);
    this.checkInput('applyUpdate', positive.visible, this.visibleUnits, 'positive visible');
    this.checkInput('applyUpdate', positive.hidden, this.hiddenUnits, 'positive hidden');
    this.checkInput('applyUpdate', negative.visible, this.visibleUnits, 'negative visible');
    this.checkInput('applyUpdate', negative.hidden, this.hiddenUnits, 'negative hidden');
    const mPos = positive.visible.shape[0]!;
    const mNeg = negative.visible.shape[0]!;
    const posW = nb.div(nb.matMul(positive.visible, positive.hidden, true, false), mPos);
    const negW = nb.div(nb.matMul(negative.visible, negative.hidden, true, false), mNeg);
    const gradW = nb.sub(nb.sub(posW, negW), nb.mul(this.weights, decay));
    const gradB = nb.sub(nb.mean(positive.visible, 0), nb.mean(negative.visible, 0));
    const gradC = nb.sub(nb.mean(positive.hidden, 0), nb.mean(negative.hidden, 0));
    const step = (vel: nb.Tensor, grad: nb.Tensor): nb.Tensor => nb.add(nb.mul(vel, momentum), nb.mul(grad, lr));
    this.velocity = { w: step(this.velocity.w, gradW), b: step(this.velocity.b, gradB), c: step(this.velocity.c, gradC) };
    this.weights.assignAdd(this.velocity.w);
    this.visibleBias.assignAdd(this.velocity.b);
    this.hiddenBias.assignAdd(this.velocity.c);
  }

  /**
   * One CD-k (or PCD-k) update on a minibatch `v` [m, visibleUnits]; returns the batch's
   * reconstruction error (before the update).
   */
  trainBatch(v: nb.Tensor, options: CdOptions = {}): number {
    const k = options.k ?? 1;
    checkInt('k', k, 1);
    const ph0 = this.propUp(v);
    const error = nb.mean(nb.square(nb.sub(v, this.propDown(ph0)))).dataSync()[0]!;
    let start: nb.Tensor;
    if (options.persistent) {
      // The fantasy chains start from the first batch's hidden sample and then never restart.
      if (this.fantasy === null || this.fantasy.shape[0]! < v.shape[0]!) this.fantasy = bernoulli(ph0);
      start = this.fantasy;
    } else {
      start = bernoulli(ph0);
    }
    const chain = this.gibbsFromHidden(start, k);
    if (options.persistent) this.fantasy = chain.hiddenSample;
    this.applyUpdate({ visible: v, hidden: ph0 }, { visible: chain.visible, hidden: chain.hidden }, options);
    return error;
  }

  /**
   * Sets the visible biases to log(p / (1 - p)) of each unit's mean `p` over `data` (clipped to
   * [0.01, 0.99]), so the model starts out knowing the average input (Hinton's practical guide).
   */
  initVisibleBias(data: nb.Tensor): void {
    this.checkInput('initVisibleBias', data, this.visibleUnits, 'visible');
    const p = nb.clipByValue(nb.mean(data, 0), 0.01, 0.99);
    this.visibleBias.assign(nb.log(nb.div(p, nb.sub(1, p))));
  }

  /** Forgets the persistent chains (the next PCD update restarts them from data). */
  resetChains(): void {
    this.fantasy = null;
  }

  /**
   * Trains on `data` [n, visibleUnits] (values in [0, 1]) for `epochs` shuffled passes of
   * minibatches. Shuffling and sampling follow `nb.setSeed`.
   */
  train(data: nb.Tensor, options: CdOptions = {}): RbmHistory {
    this.checkInput('train', data, this.visibleUnits, 'visible');
    const epochs = options.epochs ?? 5;
    const batchSize = options.batchSize ?? 32;
    checkInt('epochs', epochs, 1);
    checkInt('batchSize', batchSize, 1);
    checkInt('k', options.k ?? 1, 1);
    const n = data.shape[0]!;
    if (n === 0) throw new nb.InvalidArgumentError(`${OP}.train: no training rows; pass at least one row of ${this.visibleUnits} values.`);
    const lo = nb.min(data).dataSync()[0]!;
    const hi = nb.max(data).dataSync()[0]!;
    if (!(lo >= 0 && hi <= 1)) {
      throw new nb.InvalidArgumentError(`${OP}.train: visible values must be probabilities in [0, 1], got values from ${lo} to ${hi}; scale pixels with x / 255.`);
    }
    const history: RbmHistory = { reconstructionError: [] };
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = nb.randomShuffle(nb.range(0, n, 1, 'int32'));
      let total = 0;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const batch = nb.gather(data, nb.slice(order, [start], [size]));
        total += this.trainBatch(batch, options) * size;
      }
      const error = total / n;
      history.reconstructionError.push(error);
      options.onEpoch?.(epoch, error);
    }
    return history;
  }
}
