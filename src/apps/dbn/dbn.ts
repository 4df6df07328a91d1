// A deep belief network: a stack of RBMs pre-trained greedily, layer by layer, then unrolled into
// a Keras Sequential classifier (Dense sigmoid layers holding the RBM weights + a softmax output).
import * as nb from '../../index.js';
import { RBM, type CdOptions } from './rbm.js';

/** Shape of a DBN. */
export interface DbnOptions {
  /** Visible units of the bottom RBM (e.g. 784). */
  visibleUnits: number;
  /** Hidden units of each RBM, bottom to top (e.g. [256, 128]). */
  hiddenLayers: readonly number[];
  /** Standard deviation of the RBMs' initial weights (default 0.05). */
  initStddev?: number;
}

/** Settings of greedy pre-training: CD settings shared by every layer. */
export interface PretrainOptions extends Omit<CdOptions, 'onEpoch'> {
  /** Called after each epoch of each layer (layer is 0-based). */
  onEpoch?: (layer: number, epoch: number, reconstructionError: number) => void;
}

/** Settings of the classifier built from the DBN. */
export interface ClassifierOptions {
  /** Output classes of the softmax layer. */
  numClasses: number;
  /** Adam learning rate of fine-tuning (default 1e-3). */
  learningRate?: number;
  /** Model name (default 'dbn_classifier'). */
  name?: string;
}

/**
 * The Sequential classifier a DBN unrolls into, with fresh random weights: Dense sigmoid layers of
 * `hiddenLayers` units, then Dense softmax; compiled with Adam and sparse categorical
 * crossentropy. Used both for the random-init baseline and, with weights copied in, by
 * {@link DBN.toClassifier}.
 *
 * @example
 * ```ts
 * const baseline = buildClassifier(784, [256, 128], { numClasses: 10 });
 * await baseline.fit(x, y, { epochs: 2 });
 * ```
 */
export function buildClassifier(visibleUnits: number, hiddenLayers: readonly number[], options: ClassifierOptions): nb.keras.Sequential {
  const L = nb.keras.layers;
  if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
    throw new nb.InvalidArgumentError(`DBN classifier: numClasses must be an integer >= 2, got ${String(options.numClasses)}.`);
  }
  const model = nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [visibleUnits] }),
      ...hiddenLayers.map((units, i) => L.dense({ units, activation: 'sigmoid', name: `dbn_dense_${i}` })),
      L.dense({ units: options.numClasses, activation: 'softmax', name: 'dbn_output' }),
    ],
    { name: options.name ?? 'dbn_classifier' },
  );
  model.compile({
    optimizer: new nb.keras.optimizers.Adam({ learningRate: options.learningRate ?? 1e-3 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/**
 * A deep belief network: RBMs stacked so that each one's visible layer is the hidden layer of
 * the one below.
 *
 * @example
 * ```ts
 * nb.setSeed(7);
 * const dbn = new DBN({ visibleUnits: 784, hiddenLayers: [256, 128] });
 * dbn.pretrain(x, { epochs: 2 });                            // x: [n, 784] in [0, 1]
 * const model = dbn.toClassifier({ numClasses: 10 });
 * await model.fit(x, y, { epochs: 2 });
 * ```
 */
export class DBN {
  readonly rbms: RBM[];
  readonly visibleUnits: number;
  readonly hiddenLayers: readonly number[];

  constructor(options: DbnOptions) {
    if (options.hiddenLayers.length === 0) {
      throw new nb.InvalidArgumentError('DBN: hiddenLayers is empty; give at least one hidden layer size, e.g. [256, 128].');
    }
    this.visibleUnits = options.visibleUnits;
    this.hiddenLayers = [...options.hiddenLayers];
    const sizes = [options.visibleUnits, ...options.hiddenLayers];
    this.rbms = options.hiddenLayers.map(
      (units, i) => new RBM({ visibleUnits: sizes[i]!, hiddenUnits: units, name: `dbn_rbm_${i}`, initStddev: options.initStddev }),
    );
  }

  /**
   * Greedy layer-wise pre-training: the bottom RBM learns `data` [n, visibleUnits], each RBM above
   * learns the hidden probabilities of the one below. Each RBM's visible biases start at the
   * log-odds of its input's mean (see {@link RBM.initVisibleBias}). Returns each layer's reconstruction error
   * per epoch.
   */
  pretrain(data: nb.Tensor, options: PretrainOptions = {}): number[][] {
    const { onEpoch, ...cd } = options;
    let input = data;
    return this.rbms.map((rbm, layer) => {
      rbm.initVisibleBias(input);
      const history = rbm.train(input, { ...cd, onEpoch: (epoch, error) => onEpoch?.(layer, epoch, error) });
      if (layer < this.rbms.length - 1) input = rbm.propUp(input);
      return history.reconstructionError;
    });
  }

  /** Hidden probabilities of the top layer for visible values `v` (the deterministic upward pass). */
  transform(v: nb.Tensor): nb.Tensor {
    return this.rbms.reduce((x, rbm) => rbm.propUp(x), v);
  }

  /**
   * Samples from the top RBM by `steps` rounds of Gibbs sampling started from the top-layer
   * representation of `v`, then passed down to visible probabilities through the lower RBMs'
   * propDown (the deterministic downward pass). Returns visible probabilities [m, visibleUnits].
   */
  sample(v: nb.Tensor, steps: number): nb.Tensor {
    const below = this.rbms.slice(0, -1);
    const top = this.rbms.at(-1)!;
    const topInput = below.reduce((x, rbm) => rbm.propUp(x), v);
    const { visible } = top.gibbsFromHidden(top.sampleHidden(topInput), steps);
    return below.reduceRight((h, rbm) => rbm.propDown(h), visible);
  }

  /**
   * The Keras classifier of {@link buildClassifier} with its hidden Dense layers initialised from
   * the RBMs (kernel = W, bias = hidden bias); the softmax layer keeps its random initial weights.
   */
  toClassifier(options: ClassifierOptions): nb.keras.Sequential {
    const model = buildClassifier(this.visibleUnits, this.hiddenLayers, options);
    this.rbms.forEach((rbm, i) => {
      model.getLayer(`dbn_dense_${i}`).setWeights([rbm.weights, rbm.hiddenBias]);
    });
    return model;
  }
}
