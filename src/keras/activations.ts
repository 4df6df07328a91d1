import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { softmaxLastAxis } from './softmax-logits.js';

/** An element-wise activation function. */
export type ActivationFn = (x: Tensor) => Tensor;

/** Activation names Keras accepts, mapped to their functions. */
const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  relu: ops.relu,
  relu6: ops.relu6,
  elu: (x) => ops.elu(x),
  selu: ops.selu,
  sigmoid: ops.sigmoid,
  hard_sigmoid: (x) => ops.clipByValue(ops.add(ops.mul(x, 1 / 6), 0.5), 0, 1),
  tanh: ops.tanh,
  softmax: softmaxLastAxis,
  log_softmax: (x) => ops.logSoftmax(x, -1),
  softplus: ops.softplus,
  softsign: (x) => ops.div(x, ops.add(ops.abs(x), 1)),
  swish: (x) => ops.mul(x, ops.sigmoid(x)),
  silu: (x) => ops.mul(x, ops.sigmoid(x)),
  gelu: ops.gelu,
  exponential: ops.exp,
  leaky_relu: (x) => ops.leakyRelu(x, 0.2),
};

/** Accepts Keras and tfjs spellings: 'leakyRelu' and 'leaky_relu', 'hardSigmoid', ... */
function canonical(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Names accepted by `getActivation`. */
export function activationNames(): string[] {
  return Object.keys(ACTIVATIONS);
}

/**
 * Resolves an activation given by name (or function). Unknown names raise an error listing the
 * valid ones, naming the layer.
 *
 * @example `getActivation('relu', 'dense')(x)`
 */
export function getActivation(identifier: string | ActivationFn | null | undefined, layer = 'layer'): ActivationFn {
  if (identifier === null || identifier === undefined) return ACTIVATIONS.linear!;
  if (typeof identifier === 'function') return identifier;
  const fn = ACTIVATIONS[canonical(identifier)];
  if (!fn) {
    throw new InvalidArgumentError(
      `${layer}: unknown activation '${identifier}'. Known activations: ${activationNames().join(', ')}.`,
    );
  }
  return fn;
}

/** The name to store in a config for an activation identifier ('linear' when none). */
export function serializeActivation(identifier: string | ActivationFn | null | undefined): string {
  if (identifier === null || identifier === undefined) return 'linear';
  if (typeof identifier === 'string') return canonical(identifier);
  const entry = Object.entries(ACTIVATIONS).find(([, f]) => f === identifier);
  return entry ? entry[0] : 'custom';
}
