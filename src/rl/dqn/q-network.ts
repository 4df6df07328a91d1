// Q-networks as Keras models: an MLP for vector observations and the Nature-DQN CNN for frames,
// each with an optional dueling head.
import type { Tensor } from '../../core/tensor.js';
import { InvalidArgumentError } from '../../core/errors.js';
import * as keras from '../../keras/index.js';
import * as ops from '../../ops/index.js';

const DUELING = 'nabla.rl.dueling';

// Q = V + A - mean(A): the dueling aggregation of Wang et al. (2016).
keras.layers.registerLambda(DUELING, (inputs) => {
  const [v, a] = inputs as Tensor[];
  return ops.add(v!, ops.sub(a!, ops.mean(a!, -1, true)));
});

function head(features: keras.SymbolicTensor, nActions: number, dueling: boolean): keras.SymbolicTensor {
  if (!dueling) return keras.layers.dense({ units: nActions, name: 'q' }).apply(features) as keras.SymbolicTensor;
  const v = keras.layers.dense({ units: 1, name: 'value' }).apply(features) as keras.SymbolicTensor;
  const a = keras.layers.dense({ units: nActions, name: 'advantage' }).apply(features) as keras.SymbolicTensor;
  return keras.layers.lambda({ function: DUELING, outputShape: [nActions], name: 'dueling' }).apply([v, a]) as keras.SymbolicTensor;
}

export interface MlpQNetworkOptions {
  /** Hidden layer sizes (default [64, 64]), ReLU. */
  hidden?: readonly number[];
  /** Separate value and advantage streams (default false). */
  dueling?: boolean;
}

/**
 * An MLP Q-network: observation vector in, one Q value per action out.
 *
 * @example
 * ```ts
 * const q = nb.rl.mlpQNetwork(4, 2, {hidden: [128, 128]});
 * q.predict(nb.zeros([1, 4])); // [1, 2]
 * ```
 */
export function mlpQNetwork(obsSize: number, nActions: number, options: MlpQNetworkOptions = {}): keras.Model {
  if (!Number.isInteger(obsSize) || obsSize < 1 || !Number.isInteger(nActions) || nActions < 1) {
    throw new InvalidArgumentError(`mlpQNetwork: obsSize and nActions must be positive integers, got ${obsSize} and ${nActions}.`);
  }
  const input = keras.input({ shape: [obsSize], name: 'obs' });
  let x: keras.SymbolicTensor = input;
  (options.hidden ?? [64, 64]).forEach((units, i) => {
    x = keras.layers.dense({ units, activation: 'relu', name: `hidden_${i + 1}` }).apply(x) as keras.SymbolicTensor;
  });
  return keras.model({ inputs: input, outputs: head(x, nActions, options.dueling ?? false), name: 'q_network' });
}

/**
 * The Nature-DQN CNN (Mnih et al. 2015): frames `[h, w, c]` (84x84x4 after preprocessing) scaled
 * by 1/255, Conv 32 8x8/4, Conv 64 4x4/2, Conv 64 3x3/1, Dense 512, all ReLU, then Q values.
 * Small inputs such as MinAtar's 10x10x4 use `small: true`: Conv 16 3x3/1, Dense 128 (the
 * MinAtar paper's network), without the 1/255 scaling.
 *
 * @example
 * ```ts
 * const q = nb.rl.convQNetwork([84, 84, 4], 4);
 * ```
 */
export function convQNetwork(obsShape: readonly number[], nActions: number, options: { dueling?: boolean; small?: boolean } = {}): keras.Model {
  if (obsShape.length !== 3) throw new InvalidArgumentError(`convQNetwork: obsShape must be [height, width, channels], got [${obsShape.join(', ')}].`);
  const input = keras.input({ shape: [...obsShape], name: 'frames' });
  let x: keras.SymbolicTensor = input;
  const conv = (filters: number, k: number, s: number, name: string) => {
    x = keras.layers.conv2d({ filters, kernelSize: k, strides: s, activation: 'relu', name }).apply(x) as keras.SymbolicTensor;
  };
  if (options.small) {
    conv(16, 3, 1, 'conv1');
    x = keras.layers.flatten().apply(x) as keras.SymbolicTensor;
    x = keras.layers.dense({ units: 128, activation: 'relu', name: 'fc' }).apply(x) as keras.SymbolicTensor;
  } else {
    x = keras.layers.rescaling({ scale: 1 / 255 }).apply(x) as keras.SymbolicTensor;
    conv(32, 8, 4, 'conv1');
    conv(64, 4, 2, 'conv2');
    conv(64, 3, 1, 'conv3');
    x = keras.layers.flatten().apply(x) as keras.SymbolicTensor;
    x = keras.layers.dense({ units: 512, activation: 'relu', name: 'fc' }).apply(x) as keras.SymbolicTensor;
  }
  return keras.model({ inputs: input, outputs: head(x, nActions, options.dueling ?? false), name: 'q_network' });
}
