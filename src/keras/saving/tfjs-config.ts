// Conversion between nabla layer configs (camelCase, `{className, config}`) and the pythonic
// topology of the TensorFlow.js layers-model format (snake_case, `{class_name, config}`), as
// tfjs-layers 4.22 writes and reads it (utils/serialization_utils: convertTsToPythonic /
// convertPythonicToTs). Used by tfjs-format.ts.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import type { ActivationFn } from '../activations.js';
import { Functional } from '../engine/functional.js';
import { InputLayer } from '../engine/input-layer.js';
import type { Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';
import { flattenLayers } from '../engine/model-args.js';
import { Sequential } from '../engine/sequential.js';
import type { SerializedLayer } from '../engine/serialization.js';
import { Bidirectional } from '../layers/recurrent/bidirectional.js';
import { TimeDistributed } from '../layers/recurrent/time-distributed.js';

/** A JSON value of a pythonic (Keras / TF.js on-disk) config. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Config = Record<string, unknown>;

/** The tfjs-layers version whose format is written (`keras_version: 'tfjs-layers 4.22.0'`). */
export const TFJS_LAYERS_VERSION = '4.22.0';

// ----- case conversion (exactly tfjs-layers' generic_utils) ------------------------------------

/** tfjs's toSnakeCase: `kernelInitializer` → `kernel_initializer`, `channelsLast` → `channels_last`. */
export function snake(name: string): string {
  const s = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return s.startsWith('_') ? `private${s}` : s;
}

/** tfjs's toCamelCase: `kernel_initializer` → `kernelInitializer`. */
export function camel(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

/** tfjs's convertTsToPythonic: keys and string values to snake_case, except names and class names. */
export function toPythonic(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return snake(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toPythonic(v));
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Config)) {
      if (typeof v === 'function') continue;
      out[snake(k)] = (k === 'name' || k === 'className') && typeof v === 'string' ? v : toPythonic(v);
    }
    return out;
  }
  return null;
}

/** tfjs's convertPythonicToTs: keys and string values to camelCase, except names. */
export function fromPythonic(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return camel(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => fromPythonic(v));
  if (typeof value === 'object') {
    const out: Config = {};
    for (const [k, v] of Object.entries(value as Config)) {
      out[k === 'name' ? k : camel(k)] = k === 'name' && typeof v === 'string' ? v : fromPythonic(v);
    }
    return out;
  }
  return null;
}

// ----- activations -----------------------------------------------------------------------------

/**
 * TF.js's (Keras 2's) hard sigmoid, `clip(0.2·x + 0.5, 0, 1)`. nabla's 'hard_sigmoid' is Keras 3's
 * `relu6(x + 3) / 6`, a different function, so imported models use this one to predict as TF.js does
 * (it is the default recurrentActivation of TF.js's LSTM and GRU).
 */
export const tfjsHardSigmoid: ActivationFn = (x: Tensor) => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1);
/** TF.js's 'gelu_new': the tanh approximation of GELU. */
export const tfjsGeluNew: ActivationFn = (x: Tensor) =>
  ops.mul(ops.mul(x, 0.5), ops.add(ops.tanh(ops.mul(ops.add(x, ops.mul(ops.mul(ops.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
/** TF.js's 'mish': `x · tanh(softplus(x))`. */
export const tfjsMish: ActivationFn = (x: Tensor) => ops.mul(x, ops.tanh(ops.softplus(x)));

/** TF.js activations nabla has no name for, by their TF.js (camelCase) name. */
const TFJS_ONLY_ACTIVATIONS: Record<string, ActivationFn> = { hardSigmoid: tfjsHardSigmoid, geluNew: tfjsGeluNew, mish: tfjsMish };
/** nabla activation name → TF.js pythonic name, for the activations both compute identically. */
const ACTIVATION_OUT: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
};
const ACTIVATION_KEYS = ['activation', 'recurrentActivation'] as const;

function activationOut(layer: Layer, key: string, name: unknown): string {
  const fn = (layer as unknown as Record<string, unknown>)[key];
  for (const [tfName, f] of Object.entries(TFJS_ONLY_ACTIVATIONS)) if (fn === f) return snake(tfName);
  const mapped = typeof name === 'string' && Object.hasOwn(ACTIVATION_OUT, name) ? ACTIVATION_OUT[name] : undefined;
  if (mapped) return mapped;
  const why =
    name === 'hard_sigmoid'
      ? "nabla's hard_sigmoid is Keras 3's relu6(x + 3) / 6 but TF.js's is Keras 2's clip(0.2x + 0.5, 0, 1)"
      : name === 'custom'
        ? 'a custom activation function cannot be written to a config'
        : 'TF.js has no such activation';
  throw new InvalidArgumentError(
    `exportTfjsLayersModel: layer '${layer.name}' (${layer.getClassName()}) uses ${key} '${String(name)}', which cannot be exported (${why}). Use one of: ${Object.keys(ACTIVATION_OUT).join(', ')}.`,
  );
}

// ----- initializers, regularizers, constraints -------------------------------------------------

const VARIANCE_SCALING = new Set(['VarianceScaling', 'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform']);
const PLAIN_INITIALIZERS = new Set(['Zeros', 'Ones', 'Constant', 'RandomNormal', 'RandomUniform', 'TruncatedNormal', 'Orthogonal']);

function isSerialized(x: unknown): x is { className: string; config: Config } {
  return typeof x === 'object' && x !== null && typeof (x as Config).className === 'string';
}

function initializerOut(layer: Layer, key: string, init: unknown): unknown {
  if (!isSerialized(init)) return init;
  const config = init.config ?? {};
  if (VARIANCE_SCALING.has(init.className)) {
    const { scale, mode, distribution, seed } = config as { scale?: number; mode?: string; distribution?: string; seed?: number };
    return { className: 'VarianceScaling', config: { scale, mode, distribution, seed } };
  }
  if (PLAIN_INITIALIZERS.has(init.className)) return { className: init.className, config: { ...config } };
  throw new InvalidArgumentError(
    `exportTfjsLayersModel: layer '${layer.name}' (${layer.getClassName()}) has ${key} '${init.className}', which TF.js does not have.`,
  );
}

function regularizerOut(layer: Layer, key: string, reg: unknown): unknown {
  if (!isSerialized(reg)) return reg;
  if (['L1', 'L2', 'L1L2'].includes(reg.className)) {
    const c = reg.config as { l1?: number; l2?: number };
    return { className: 'L1L2', config: { l1: c.l1 ?? 0, l2: c.l2 ?? 0 } };
  }
  throw new InvalidArgumentError(`exportTfjsLayersModel: layer '${layer.name}' has ${key} '${reg.className}', which TF.js does not have.`);
}

function constraintOut(layer: Layer, key: string, c: unknown): unknown {
  if (!isSerialized(c)) return c;
  if (['MaxNorm', 'NonNeg', 'UnitNorm'].includes(c.className)) return { className: c.className, config: { ...c.config } };
  throw new InvalidArgumentError(`exportTfjsLayersModel: layer '${layer.name}' has ${key} '${c.className}', which TF.js does not have.`);
}

// ----- export: nabla layer → pythonic TF.js config ----------------------------------------------

/** nabla classes TF.js 4.22 can load, with the same computation. */
const EXPORTABLE = new Set([
  'Dense', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'SeparableConv2D', 'DepthwiseConv2D',
  'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D',
  'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D',
  'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'Flatten', 'Reshape', 'Permute', 'RepeatVector',
  'Dropout', 'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax',
  'BatchNormalization', 'LayerNormalization', 'Embedding', 'SimpleRNN', 'LSTM', 'GRU',
  'Bidirectional', 'TimeDistributed', 'Add', 'Multiply', 'Average', 'Maximum', 'Minimum',
  'Concatenate', 'Dot', 'Rescaling', 'GaussianNoise', 'InputLayer', 'Sequential', 'Functional',
]);

function unsupported(layer: Layer, why: string): never {
  throw new InvalidArgumentError(`exportTfjsLayersModel: layer '${layer.name}' (${layer.getClassName()}) cannot be exported to the TF.js layers format: ${why}.`);
}

/** The camelCase config TF.js would hold for `layer`, from nabla's config with the differences fixed. */
function tfjsCamelConfig(layer: Layer): Config {
  const cls = layer.getClassName();
  const c: Config = { ...layer.getConfig() };
  for (const [k, v] of Object.entries(c)) {
    if (k.endsWith('Initializer')) c[k] = initializerOut(layer, k, v);
    else if (k.endsWith('Regularizer')) c[k] = regularizerOut(layer, k, v);
    else if (k.endsWith('Constraint')) c[k] = constraintOut(layer, k, v);
  }
  for (const k of ACTIVATION_KEYS) if (k in c) c[k] = activationOut(layer, k, c[k]);
  switch (cls) {
    case 'Conv1D':
      if (c.padding === 'causal') unsupported(layer, "TF.js 4.22 infers the wrong output length for padding 'causal' (it treats it as 'valid'), so the layers after it would not build");
      break;
    case 'DepthwiseConv2D':
      if ((c.dilationRate as number[]).some((d) => d !== 1)) unsupported(layer, "TF.js's DepthwiseConv2D ignores dilationRate; use dilationRate 1");
      break;
    case 'BatchNormalization': {
      const rank = layer.outputShapes?.[0]?.length;
      const axes = Array.isArray(c.axis) ? (c.axis as number[]) : [c.axis as number];
      if (axes.length !== 1 || (axes[0] !== -1 && (rank === undefined || axes[0] !== rank - 1))) {
        unsupported(layer, "TF.js's CPU backend computes BatchNormalization over any axis but the last incorrectly (it broadcasts the statistics over the last axis); use axis -1");
      }
      break;
    }
    case 'Conv2DTranspose':
      if (c.outputPadding !== null && c.outputPadding !== undefined) unsupported(layer, 'TF.js has no outputPadding; leave it unset');
      if ((c.dilationRate as number[]).some((d) => d !== 1)) unsupported(layer, "TF.js's Conv2DTranspose has no dilationRate; use dilationRate 1");
      delete c.outputPadding;
      delete c.dilationRate;
      break;
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      if (c.keepdims) unsupported(layer, 'TF.js has no keepdims option; add a Reshape layer instead');
      delete c.keepdims;
      break;
    case 'UpSampling2D':
      if (c.interpolation === 'bilinear') {
        unsupported(layer, "TF.js's bilinear UpSampling2D samples without half-pixel centers (nabla, like Keras, uses them), so predictions would differ; use interpolation 'nearest'");
      }
      break;
    case 'ReLU':
      if (c.negativeSlope !== 0 || c.threshold !== 0) unsupported(layer, 'TF.js\'s ReLU has only maxValue; negativeSlope and threshold must be 0');
      delete c.negativeSlope;
      delete c.threshold;
      break;
    case 'ELU':
      if (c.alpha !== 1) unsupported(layer, "TF.js's ELU layer supports only alpha 1");
      break;
    case 'Softmax': {
      const rank = layer.outputShapes?.[0]?.length;
      if (Array.isArray(c.axis) || (c.axis !== -1 && (rank === undefined || c.axis !== rank - 1))) {
        unsupported(layer, 'TF.js computes softmax over the last axis only; use axis -1');
      }
      break;
    }
    case 'GaussianNoise':
      delete c.seed;
      break;
    case 'GRU':
      if (c.resetAfter) unsupported(layer, 'TF.js supports only resetAfter: false (build the GRU with resetAfter: false)');
      break;
    case 'TimeDistributed':
      c.layer = camelLayer((layer as TimeDistributed).layer);
      break;
    case 'Bidirectional': {
      const bi = layer as Bidirectional;
      if (c.backwardLayer) unsupported(layer, 'TF.js has no backwardLayer option');
      const inner = camelLayer(bi.forwardLayer);
      inner.config.name = bi.forwardLayer.name.replace(/^forward_/, '');
      c.layer = inner;
      break;
    }
  }
  return c;
}

/** `{class_name, config}` in TF.js's pythonic form for any supported layer (models included). */
function pythonicLayer(layer: Layer): JsonObject {
  if (layer instanceof Sequential || layer instanceof Functional) {
    return { class_name: layer instanceof Sequential ? 'Sequential' : 'Model', config: modelConfig(layer) };
  }
  return toPythonic(camelLayer(layer)) as JsonObject;
}

/** `{className, config}` in TF.js's camelCase form for a supported layer other than a model. */
function camelLayer(layer: Layer): { className: string; config: Config } {
  const cls = layer.getClassName();
  if (!EXPORTABLE.has(cls) || layer instanceof Model) {
    unsupported(
      layer,
      cls === 'Subtract'
        ? 'TF.js 4.22 has no Subtract layer'
        : layer instanceof Model
          ? 'it is a nested model inside a wrapper layer, which TF.js cannot serialise'
          : 'TF.js has no such layer (custom layers and Lambda have no TF.js config)',
    );
  }
  if (layer instanceof InputLayer) {
    return { className: 'InputLayer', config: { batchInputShape: [...(layer.batchInputShape ?? [])], dtype: layer.dtype, sparse: false, name: layer.name } };
  }
  return { className: cls, config: tfjsCamelConfig(layer) };
}

/** Whether a layer is a model (TF.js numbers a nested model's first call as node 1, nabla as 0). */
function isModel(layer: Layer | undefined): boolean {
  return layer instanceof Sequential || layer instanceof Functional;
}

type TensorRef = [string, number, number];

/** The pythonic `config` of a Sequential or Functional model. */
function modelConfig(model: Sequential | Functional): Json {
  if (model instanceof Sequential) {
    const nabla = model.getConfig();
    const build = nabla['buildInputShape'] as (number | null)[] | undefined;
    if (!build || !model.built) {
      throw new InvalidArgumentError(
        `exportTfjsLayersModel: Sequential model '${model.name}' has no input shape yet; give its first layer an inputShape (or call it on data) before exporting.`,
      );
    }
    const layers = model.layers.map((l) => pythonicLayer(l));
    if (layers.length > 0 && !isModel(model.layers[0])) (layers[0]!.config as JsonObject).batch_input_shape = [null, ...build.slice(1)];
    return { name: model.name, layers };
  }
  const nabla = model.getConfig() as {
    layers: { name: string; inboundNodes: { args: TensorRef[]; kwargs: Config }[] }[];
    inputLayers: TensorRef[];
    outputLayers: TensorRef[];
  };
  const byName = new Map<string, Layer>();
  for (const l of model.layers) {
    if (byName.has(l.name)) {
      throw new InvalidArgumentError(
        `exportTfjsLayersModel: model '${model.name}' has two layers named '${l.name}'; TF.js addresses layers by name, so give them distinct names.`,
      );
    }
    byName.set(l.name, l);
  }
  const ref = ([name, node, tensor]: TensorRef): [string, number, number] => [name, isModel(byName.get(name)) ? node + 1 : node, tensor];
  const layers = model.layers.map((layer, i) => {
    const entry = nabla.layers[i]!;
    const { class_name, config } = pythonicLayer(layer);
    return {
      name: layer.name,
      class_name: class_name!,
      config: config!,
      inbound_nodes: entry.inboundNodes.map((n) => n.args.map((r) => [...ref(r), toPythonic(n.kwargs ?? {})] as Json)),
    };
  });
  return {
    name: model.name,
    layers,
    input_layers: nabla.inputLayers.map(ref),
    output_layers: nabla.outputLayers.map(ref),
  };
}

/** The `modelTopology` of model.json for a Sequential or Functional nabla model. */
export function modelTopologyOf(model: Model): JsonObject {
  if (!(model instanceof Sequential) && !(model instanceof Functional)) {
    throw new InvalidArgumentError(
      `exportTfjsLayersModel: model '${model.name}' (${model.getClassName()}) is a subclassed model; only Sequential and functional models have a TF.js layers-model topology.`,
    );
  }
  return {
    class_name: model instanceof Sequential ? 'Sequential' : 'Model',
    config: modelConfig(model),
    keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`,
    backend: 'tensor_flow.js',
  };
}

// ----- import: pythonic TF.js config → nabla {className, config} --------------------------------

/** TF.js / Keras layer classes nabla can rebuild (Subtract too: Keras has it, TF.js does not). */
const IMPORTABLE = new Set([...EXPORTABLE, 'Subtract', 'Model']);
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** Raised for a topology nabla cannot rebuild; `where` names the file. */
function importError(where: string, message: string): never {
  throw new InvalidArgumentError(`${where}: ${message}`);
}

function initializerIn(init: unknown): unknown {
  if (!isSerialized(init)) return init;
  const config = { ...(init.config ?? {}) };
  let className = init.className;
  if (className === 'LeCunNormal') className = 'LecunNormal';
  if (className === 'LeCunUniform') className = 'LecunUniform';
  // TF.js's VarianceScaling 'normal' draws from a truncated normal.
  if (className === 'VarianceScaling' && config.distribution === 'normal') config.distribution = 'truncatedNormal';
  if (config.seed === null) delete config.seed;
  return { className, config };
}

function activationIn(value: unknown): unknown {
  if (typeof value === 'string' && Object.hasOwn(TFJS_ONLY_ACTIVATIONS, value)) return TFJS_ONLY_ACTIVATIONS[value];
  return value;
}

/** An activation function to set on a Bidirectional layer's inner layers once the model is built. */
export interface ActivationFixup {
  layer: string;
  key: (typeof ACTIVATION_KEYS)[number];
  fn: ActivationFn;
}

/**
 * Sets the activation functions recorded by `layerFromTfjs` on the Bidirectional layers of the
 * built model (both directions), and marks them 'custom' in the configs, as a layer constructed
 * with a function reports it.
 */
export function applyActivationFixups(model: Model, fixups: readonly ActivationFixup[]): void {
  if (fixups.length === 0) return;
  const all = [model, ...flattenLayers(model)];
  for (const f of fixups) {
    const bi = all.find((l): l is Bidirectional => l instanceof Bidirectional && l.name === f.layer);
    if (!bi) continue;
    for (const l of [bi.forwardLayer, bi.backwardLayer]) {
      const fields = l as unknown as Record<string, unknown>;
      fields[f.key] = f.fn;
      fields[`${f.key}Name`] = 'custom';
    }
    const stored = (bi as unknown as { layerConfig?: SerializedLayer }).layerConfig;
    if (stored) stored.config[f.key] = 'custom';
  }
}

/** Converts one pythonic `{class_name, config}` into nabla's `{className, config}` (recursively). */
export function layerFromTfjs(entry: unknown, where: string, fixups: ActivationFixup[] = []): SerializedLayer {
  if (typeof entry !== 'object' || entry === null || typeof (entry as JsonObject).class_name !== 'string') {
    importError(where, `expected a layer as {class_name, config}, got ${JSON.stringify(entry)?.slice(0, 200)}.`);
  }
  const e = entry as JsonObject;
  const cls = e.class_name as string;
  const rawConfig = e.config;
  const name = typeof rawConfig === 'object' && rawConfig !== null && !Array.isArray(rawConfig) ? (rawConfig as JsonObject).name : undefined;
  const label = `layer '${String(name ?? '?')}' (${cls})`;
  if (!IMPORTABLE.has(cls)) {
    importError(where, `${label} has a layer class nabla does not implement; supported classes: ${[...IMPORTABLE].sort().join(', ')}.`);
  }
  if (cls === 'Sequential') return { className: 'Sequential', config: sequentialFromTfjs(rawConfig, where, fixups) };
  if (cls === 'Model' || cls === 'Functional') return { className: 'Functional', config: functionalFromTfjs(rawConfig, where, fixups) };
  if (typeof rawConfig !== 'object' || rawConfig === null || Array.isArray(rawConfig)) importError(where, `${label} has no config object.`);
  const c = fromPythonic(rawConfig) as Config;
  for (const [k, v] of Object.entries(c)) if (k.endsWith('Initializer')) c[k] = initializerIn(v);
  for (const k of ACTIVATION_KEYS) if (k in c) c[k] = activationIn(c[k]);
  delete c.customObjects;
  switch (cls) {
    case 'InputLayer':
      if (c.sparse === true || c.ragged === true) importError(where, `${label} is sparse or ragged; nabla supports dense inputs only.`);
      if (!c.batchInputShape && c.batchShape) c.batchInputShape = c.batchShape;
      return { className: 'InputLayer', config: { name: c.name, dtype: c.dtype ?? undefined, batchInputShape: c.batchInputShape } };
    case 'Embedding':
      if (c.maskZero === true) importError(where, `${label} has maskZero: true; nabla has no masking, so predictions would differ.`);
      break;
    case 'GRU':
      // TF.js (like Keras 2) defaults to resetAfter false; nabla defaults to true.
      if (c.resetAfter === null || c.resetAfter === undefined) c.resetAfter = false;
      break;
    case 'UpSampling2D':
      if (c.interpolation === 'bilinear') {
        importError(where, `${label} uses bilinear interpolation, which TF.js computes without half-pixel centers (nabla uses them), so predictions would differ.`);
      }
      break;
    case 'TimeDistributed':
      c.layer = layerFromTfjs((rawConfig as JsonObject).layer, where, fixups);
      break;
    case 'Bidirectional': {
      // nabla's Bidirectional copies its layer through getConfig, which cannot hold an activation
      // function: build it with a placeholder and put the function back afterwards.
      const inner = layerFromTfjs((rawConfig as JsonObject).layer, where, fixups);
      for (const k of ACTIVATION_KEYS) {
        const fn = inner.config[k];
        if (typeof fn === 'function') {
          fixups.push({ layer: String(c.name), key: k, fn: fn as ActivationFn });
          inner.config[k] = 'linear';
        }
      }
      c.layer = inner;
      break;
    }
  }
  // null means "the default" in these configs, except Bidirectional's mergeMode (null: no merge).
  for (const [k, v] of Object.entries(c)) if (v === null && k !== 'mergeMode') delete c[k];
  return { className: cls, config: c };
}

function sequentialFromTfjs(raw: Json | undefined, where: string, fixups: ActivationFixup[]): Config {
  const layers = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? (raw as JsonObject).layers : undefined;
  if (!Array.isArray(layers)) importError(where, "a Sequential config must hold a 'layers' list.");
  const name = !Array.isArray(raw) && typeof raw === 'object' && raw !== null ? (raw as JsonObject).name : undefined;
  const config: Config = { layers: layers.map((l) => layerFromTfjs(l, where, fixups)) };
  if (typeof name === 'string') config.name = name;
  return config;
}

function functionalFromTfjs(raw: Json | undefined, where: string, fixups: ActivationFixup[]): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Array.isArray(raw.layers)) {
    importError(where, "a functional model config must hold 'layers', 'input_layers' and 'output_layers'.");
  }
  const entries = raw.layers as JsonObject[];
  const classOf = new Map<string, string>();
  for (const e of entries) classOf.set(String(e.name ?? (e.config as JsonObject | null)?.name), String(e.class_name));
  // TF.js and Keras number a nested model's first call as node 1 (node 0 is its own graph).
  const ref = (r: Json, what: string): TensorRef => {
    if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'number' || typeof r[2] !== 'number') {
      importError(where, `${what} must be [layerName, nodeIndex, tensorIndex], got ${JSON.stringify(r)}.`);
    }
    const layerName = r[0];
    if (!classOf.has(layerName)) importError(where, `${what} refers to layer '${layerName}', which is not in the model.`);
    const node = MODEL_CLASSES.has(classOf.get(layerName)!) ? Math.max(0, r[1] - 1) : r[1];
    return [layerName, node, r[2]];
  };
  const layers = entries.map((e) => {
    const serialized = layerFromTfjs(e, where, fixups);
    const inbound = (e.inbound_nodes ?? []) as Json;
    if (!Array.isArray(inbound)) importError(where, `layer '${String(e.name)}' has malformed inbound_nodes.`);
    return {
      ...serialized,
      name: String(e.name ?? serialized.config.name),
      inboundNodes: inbound.map((node) => {
        if (!Array.isArray(node)) {
          importError(where, `layer '${String(e.name)}' has an inbound node in a format TF.js 4.22 does not write (Keras 3?): ${JSON.stringify(node).slice(0, 200)}.`);
        }
        const kwargs: Config = {};
        const rawKwargs = Array.isArray(node[0]) ? node[0][3] : undefined;
        if (rawKwargs && typeof rawKwargs === 'object' && !Array.isArray(rawKwargs)) {
          for (const [k, v] of Object.entries(fromPythonic(rawKwargs) as Config)) if (typeof v === 'boolean' || typeof v === 'number') kwargs[k] = v;
        }
        return { args: node.map((r) => ref(r, `an inbound node of layer '${String(e.name)}'`)), list: node.length > 1, kwargs };
      }),
    };
  });
  const inputs = ((raw.input_layers ?? []) as Json[]).map((r) => ref(r, 'input_layers entry'));
  const outputs = ((raw.output_layers ?? []) as Json[]).map((r) => ref(r, 'output_layers entry'));
  if (inputs.length === 0 || outputs.length === 0) importError(where, 'the functional model config has no input_layers or no output_layers.');
  const config: Config = { layers, inputLayers: inputs, outputLayers: outputs, singleInput: inputs.length === 1, singleOutput: outputs.length === 1 };
  if (typeof raw.name === 'string') config.name = raw.name;
  return config;
}

// ----- weight names ----------------------------------------------------------------------------

/** A model weight with the name TF.js gives it in a weights manifest. */
export interface NamedWeight {
  name: string;
  variable: import('../../core/variable.js').Variable;
  layer: Layer;
}

/** `dense/kernel_3` → `kernel`: the weight's name within its layer, without a uniqueness suffix. */
function shortName(variableName: string): string {
  return variableName.slice(variableName.lastIndexOf('/') + 1).replace(/_\d+$/, '');
}

/**
 * Every weight of `model` with its TF.js manifest name: `<layer>/<weight>` (`dense_1/kernel`,
 * `batch_normalization/moving_mean`, `lstm/recurrent_kernel`), `<bidirectional>/forward_<rnn>/kernel`
 * for Bidirectional, `<time_distributed>/kernel` for TimeDistributed; layers of nested models keep
 * their own names. Within a layer the order is the layer's (TF.js's) weight order.
 */
export function tfjsWeightNames(model: Model): NamedWeight[] {
  const out: NamedWeight[] = [];
  const seen = new Set<unknown>();
  const leaf = (layer: Layer, prefix: string, owner: Layer): void => {
    if (layer.sublayers().length > 0) {
      throw new InvalidArgumentError(`TF.js layers format: layer '${owner.name}' wraps '${layer.name}', which itself holds layers; TF.js cannot name such weights.`);
    }
    for (const v of layer.weights) {
      if (seen.has(v)) continue;
      seen.add(v);
      out.push({ name: `${prefix}${shortName(v.name)}`, variable: v, layer: owner });
    }
  };
  const visit = (layer: Layer): void => {
    if (layer instanceof Sequential || layer instanceof Functional) {
      for (const l of layer.layers) visit(l);
    } else if (layer instanceof Bidirectional) {
      leaf(layer.forwardLayer, `${layer.name}/${layer.forwardLayer.name}/`, layer);
      leaf(layer.backwardLayer, `${layer.name}/${layer.backwardLayer.name}/`, layer);
    } else if (layer instanceof TimeDistributed) {
      leaf(layer.layer, `${layer.name}/`, layer);
    } else {
      leaf(layer, `${layer.name}/`, layer);
    }
  };
  visit(model);
  return out;
}
