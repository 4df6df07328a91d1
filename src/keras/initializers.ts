import type { DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Initializer } from './engine/layer.js';

type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
type Distribution = 'normal' | 'uniform' | 'truncatedNormal';

/** Fan-in and fan-out of a weight shape, as Keras computes them (conv kernels: receptive field × channels). */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

function make(className: string, config: Record<string, unknown>, apply: (shape: readonly number[], dtype: DType) => Tensor): Initializer {
  return { className, apply, getConfig: () => ({ ...config }) };
}

/** All zeros. */
export function zeros(): Initializer {
  return make('Zeros', {}, (shape, dtype) => ops.zeros(shape, dtype));
}
/** All ones. */
export function ones(): Initializer {
  return make('Ones', {}, (shape, dtype) => ops.ones(shape, dtype));
}
/** A constant. @example `nb.keras.initializers.constant({value: 0.1})` */
export function constant(args: { value: number }): Initializer {
  return make('Constant', { value: args.value }, (shape, dtype) => ops.fill(shape, args.value, dtype));
}
/** Normal(mean, stddev), seeded. */
export function randomNormal(args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer {
  const { mean = 0, stddev = 0.05, seed } = args;
  return make('RandomNormal', { mean, stddev, seed }, (shape) => ops.randomNormal(shape, mean, stddev, 'float32', seed));
}
/** Uniform(minval, maxval), seeded. */
export function randomUniform(args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer {
  const { minval = -0.05, maxval = 0.05, seed } = args;
  return make('RandomUniform', { minval, maxval, seed }, (shape) => ops.randomUniform(shape, minval, maxval, 'float32', seed));
}
/** Normal truncated at two standard deviations, seeded. */
export function truncatedNormal(args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer {
  const { mean = 0, stddev = 0.05, seed } = args;
  return make('TruncatedNormal', { mean, stddev, seed }, (shape) => ops.truncatedNormal(shape, mean, stddev, 'float32', seed));
}

/** Keras's VarianceScaling: the family behind Glorot, He and LeCun initialisation. */
export function varianceScaling(args: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number } = {}): Initializer {
  const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', seed } = args;
  if (!(scale > 0)) throw new InvalidArgumentError(`varianceScaling: scale must be positive, got ${scale}.`);
  return make('VarianceScaling', { scale, mode, distribution, seed }, (shape) => {
    const [fanIn, fanOut] = computeFans(shape);
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return ops.randomUniform(shape, -limit, limit, 'float32', seed);
    }
    if (distribution === 'normal') return ops.randomNormal(shape, 0, Math.sqrt(variance), 'float32', seed);
    // Stddev of a unit normal truncated to [-2, 2].
    return ops.truncatedNormal(shape, 0, Math.sqrt(variance) / 0.87962566103423978, 'float32', seed);
  });
}

const named = (className: string, base: Initializer): Initializer => ({ ...base, className });

/** Glorot (Xavier) uniform: U(±sqrt(6 / (fanIn + fanOut))). The Keras default for kernels. */
export const glorotUniform = (args: { seed?: number } = {}): Initializer =>
  named('GlorotUniform', varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: args.seed }));
/** Glorot normal (truncated). */
export const glorotNormal = (args: { seed?: number } = {}): Initializer =>
  named('GlorotNormal', varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed: args.seed }));
/** He normal (truncated), for ReLU networks. */
export const heNormal = (args: { seed?: number } = {}): Initializer =>
  named('HeNormal', varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: args.seed }));
/** He uniform. */
export const heUniform = (args: { seed?: number } = {}): Initializer =>
  named('HeUniform', varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: args.seed }));
/** LeCun normal (truncated), for SELU networks. */
export const lecunNormal = (args: { seed?: number } = {}): Initializer =>
  named('LecunNormal', varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: args.seed }));
/** LeCun uniform. */
export const lecunUniform = (args: { seed?: number } = {}): Initializer =>
  named('LecunUniform', varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed: args.seed }));

/**
 * A (semi-)orthogonal matrix scaled by `gain` (Saxe et al.), via Gram–Schmidt on a seeded normal
 * matrix; for shapes of rank > 2 the leading dims are flattened.
 */
export function orthogonal(args: { gain?: number; seed?: number } = {}): Initializer {
  const { gain = 1, seed } = args;
  return make('Orthogonal', { gain, seed }, (shape) => {
    if (shape.length < 2) throw new InvalidArgumentError(`orthogonal: needs a shape of rank >= 2, got [${shape.join(',')}].`);
    const cols = shape[shape.length - 1]!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    // Orthonormalise the longer side's vectors, then transpose back if needed.
    const [n, m] = rows < cols ? [rows, cols] : [cols, rows];
    const a = Array.from(ops.randomNormal([n, m], 0, 1, 'float32', seed).values);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += a[i * m + k]! * a[j * m + k]!;
        for (let k = 0; k < m; k++) a[i * m + k]! -= dot * a[j * m + k]!;
      }
      let norm = 0;
      for (let k = 0; k < m; k++) norm += a[i * m + k]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < m; k++) a[i * m + k]! /= norm;
    }
    const q = ops.mul(ops.tensor(Float32Array.from(a), [n, m]), gain);
    return ops.reshape(rows < cols ? q : ops.transpose(q), shape);
  });
}

const FACTORIES: Record<string, (config: Record<string, unknown>) => Initializer> = {
  zeros: () => zeros(),
  ones: () => ones(),
  constant: (c) => constant(c as { value: number }),
  random_normal: (c) => randomNormal(c),
  random_uniform: (c) => randomUniform(c),
  truncated_normal: (c) => truncatedNormal(c),
  variance_scaling: (c) => varianceScaling(c),
  glorot_uniform: (c) => glorotUniform(c),
  glorot_normal: (c) => glorotNormal(c),
  he_normal: (c) => heNormal(c),
  he_uniform: (c) => heUniform(c),
  lecun_normal: (c) => lecunNormal(c),
  lecun_uniform: (c) => lecunUniform(c),
  orthogonal: (c) => orthogonal(c),
};

function canonical(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A serialised initializer: `{className, config}` as in Keras configs. */
export interface InitializerConfig {
  className: string;
  config: Record<string, unknown>;
}

/**
 * Resolves an initializer from a name ('glorotUniform' or 'glorot_uniform'), a serialised config,
 * or an instance; `fallback` when undefined.
 */
export function getInitializer(identifier: string | Initializer | InitializerConfig | undefined | null, fallback: Initializer, layer = 'layer'): Initializer {
  if (identifier === undefined || identifier === null) return fallback;
  if (typeof identifier === 'object' && 'apply' in identifier) return identifier;
  const name = typeof identifier === 'string' ? identifier : identifier.className;
  const config = typeof identifier === 'string' ? {} : identifier.config;
  const factory = FACTORIES[canonical(name)];
  if (!factory) {
    throw new InvalidArgumentError(`${layer}: unknown initializer '${name}'. Known initializers: ${Object.keys(FACTORIES).join(', ')}.`);
  }
  return factory(config);
}

/** The `{className, config}` form of an initializer, for layer configs. */
export function serializeInitializer(init: Initializer): InitializerConfig {
  return { className: init.className, config: init.getConfig() };
}
