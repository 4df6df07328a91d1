// Import and export of the TensorFlow.js layers-model format: `model.json` (topology + weights
// manifest) and binary weight shards, as written by tfjs-layers' `LayersModel.save` and the
// tensorflowjs_converter, and read by `tf.loadLayersModel`. The config conversion lives in
// tfjs-config.ts; this file handles files and weights. nabla does not depend on TF.js for it.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FailedPreconditionError, InvalidArgumentError, NablaError, NotFoundError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { version } from '../../version.js';
import '../layers/index.js';
import type { Model } from '../engine/model.js';
import { deserializeLayer } from '../engine/serialization.js';
import { applyActivationFixups, layerFromTfjs, modelTopologyOf, tfjsWeightNames, type ActivationFixup, type Json } from './tfjs-config.js';

export { tfjsHardSigmoid, tfjsGeluNew, tfjsMish } from './tfjs-config.js';

/** One entry of a weights manifest group. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | string;
  /** Present on weights quantized by the converter: value = q · scale + min (float16: a half float). */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
  group?: string;
}

/** A group of weights stored across one or more shard files, in order. */
export interface TfjsWeightsManifestGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

/** The content of a TF.js layers-model `model.json`. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Json;
  weightsManifest: TfjsWeightsManifestGroup[];
}

/** Writes `data` to `path` atomically: a temporary file in the same folder, fsync, rename. */
function writeAtomic(path: string, data: Buffer): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Writes a Sequential or functional model in the TensorFlow.js layers-model format:
 * `dir/model.json` (topology and weights manifest) and `dir/weights.bin` (all weights, float32
 * little-endian), each written atomically; `dir` is created when missing. TF.js loads it with
 * `tf.loadLayersModel('file://dir/model.json')` (tfjs-node) or from any IOHandler.
 *
 * Layers TF.js does not have (Lambda, Subtract, custom layers) and options it lacks (GRU
 * resetAfter: true, bilinear UpSampling2D, ReLU negativeSlope, ...) raise an error naming the layer.
 *
 * @example
 * ```ts
 * nb.keras.exportTfjsLayersModel(model, 'web/model');
 * // in the browser: await tf.loadLayersModel('web/model/model.json')
 * ```
 */
export function exportTfjsLayersModel(model: Model, dir: string): void {
  if (!model.built) {
    throw new FailedPreconditionError(
      `exportTfjsLayersModel: model '${model.name}' is not built; give its first layer an inputShape or call it on data first.`,
    );
  }
  const modelTopology = modelTopologyOf(model);
  const named = tfjsWeightNames(model);
  const seen = new Map<string, string>();
  for (const w of named) {
    const other = seen.get(w.name);
    if (other !== undefined) {
      throw new InvalidArgumentError(
        `exportTfjsLayersModel: weights '${other}' and '${w.variable.name}' would both be named '${w.name}' in TF.js (duplicate layer names?); give the layers distinct names.`,
      );
    }
    seen.set(w.name, w.variable.name);
  }
  const weights: TfjsWeightSpec[] = named.map((w) => ({ name: w.name, shape: [...w.variable.shape], dtype: w.variable.dtype }));
  const data = Buffer.concat(
    named.map(({ variable }) => {
      const v = variable.values;
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }),
  );
  const json: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: `nabla ${version}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
  const text = Buffer.from(JSON.stringify(json), 'utf8');
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'weights.bin'), data);
  writeAtomic(join(dir, 'model.json'), text);
}

// ----- reading ---------------------------------------------------------------------------------

function bytesPerElement(spec: TfjsWeightSpec, where: string): number {
  if (spec.quantization) {
    const q = spec.quantization.dtype;
    if (q === 'uint8') return 1;
    if (q === 'uint16' || q === 'float16') return 2;
    throw new InvalidArgumentError(`${where}: weight '${spec.name}' is quantized as '${String(q)}', which nabla cannot read (uint8, uint16 and float16 are supported).`);
  }
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool') return 1;
  throw new InvalidArgumentError(`${where}: weight '${spec.name}' has dtype '${spec.dtype}'; nabla reads float32, int32 and bool weights.`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Decodes one weight's bytes into float32 (or int32 / bool) values. */
function decodeWeight(spec: TfjsWeightSpec, bytes: Uint8Array): Float32Array | Int32Array | Uint8Array {
  const copy = new Uint8Array(bytes); // aligned copy
  const q = spec.quantization;
  if (q) {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const view = new DataView(copy.buffer);
    const n = q.dtype === 'uint8' ? copy.length : copy.length / 2;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (q.dtype === 'uint8') out[i] = copy[i]! * scale + min;
      else if (q.dtype === 'uint16') out[i] = view.getUint16(2 * i, true) * scale + min;
      else out[i] = halfToFloat(view.getUint16(2 * i, true));
    }
    return out;
  }
  if (spec.dtype === 'int32') return new Int32Array(copy.buffer);
  if (spec.dtype === 'bool') return copy;
  return new Float32Array(copy.buffer);
}

interface LoadedWeight {
  spec: TfjsWeightSpec;
  values: Float32Array | Int32Array | Uint8Array;
  file: string;
}

/** Reads every group of the manifest from its shard files (paths relative to model.json). */
function readWeights(manifest: unknown, baseDir: string, where: string): LoadedWeight[] {
  if (!Array.isArray(manifest)) throw new InvalidArgumentError(`${where}: 'weightsManifest' must be a list of {paths, weights} groups.`);
  const out: LoadedWeight[] = [];
  for (const group of manifest as TfjsWeightsManifestGroup[]) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new InvalidArgumentError(`${where}: a weightsManifest group must have 'paths' and 'weights' lists.`);
    }
    const files = group.paths.map((p) => resolve(baseDir, p));
    const shards = files.map((f) => {
      if (!existsSync(f)) {
        throw new NotFoundError(
          `${where}: the weights file '${f}' listed in the weightsManifest is missing; copy it next to model.json (export the model again if it is lost).`,
        );
      }
      return readFileSync(f);
    });
    const data = Buffer.concat(shards);
    const label = files.map((f) => basename(f)).join(', ');
    let offset = 0;
    for (const spec of group.weights) {
      if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) {
        throw new InvalidArgumentError(`${where}: a weightsManifest entry must have a name and a shape, got ${JSON.stringify(spec)}.`);
      }
      const size = spec.shape.reduce((a: number, b: number) => a * b, 1);
      const byteLength = size * bytesPerElement(spec, where);
      if (offset + byteLength > data.length) {
        throw new InvalidArgumentError(
          `${where}: the weight data (${label}, ${data.length} bytes) is truncated: weight '${spec.name}' needs bytes ${offset}..${offset + byteLength}. The files are incomplete or do not belong to this model.json.`,
        );
      }
      out.push({ spec, values: decodeWeight(spec, data.subarray(offset, offset + byteLength)), file: label });
      offset += byteLength;
    }
  }
  return out;
}

/** `model.json` inside a folder, or the given .json file. */
function resolveModelJson(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, 'model.json');
  return path;
}

/** TF.js's fallback for weights saved with a cell scope: `lstm/lstm_cell/kernel` → `lstm/kernel`. */
function withoutCellScope(name: string): string | null {
  const tokens = name.split('/');
  return tokens.length >= 3 ? [...tokens.slice(0, -2), tokens[tokens.length - 1]!].join('/') : null;
}

/**
 * Loads a TensorFlow.js layers model (a folder holding `model.json`, or the path of a model.json)
 * into a nabla Sequential or functional model with its weights: models saved by TF.js's
 * `model.save(...)`, converted from Keras by tensorflowjs_converter, or exported by
 * `exportTfjsLayersModel`. Weight shards are read from the manifest's paths (relative to
 * model.json); quantized weights are dequantized.
 *
 * TF.js's own activations that nabla names differently are kept exact (its 'hard_sigmoid', the
 * LSTM/GRU default, is Keras 2's clip(0.2x + 0.5, 0, 1)). Missing files, another format, layers
 * nabla lacks and shape mismatches raise typed errors naming the file and layer.
 *
 * @example
 * ```ts
 * const model = nb.keras.importTfjsLayersModel('web/model');
 * model.predict(x);
 * ```
 */
export function importTfjsLayersModel(path: string): Model {
  const file = resolveModelJson(path);
  const where = `importTfjsLayersModel('${file}')`;
  if (!existsSync(file)) {
    throw new NotFoundError(
      `${where}: no such file. Give a folder holding model.json or the path of a model.json (TF.js writes them with model.save('file://dir') or tf.io.withSaveHandler).`,
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidArgumentError(`${where}: the file is not valid JSON (${(e as Error).message}); it is corrupt or not a TF.js model.json.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidArgumentError(`${where}: expected a JSON object with 'modelTopology' and 'weightsManifest'.`);
  }
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new InvalidArgumentError(
      `${where}: the file holds a TF.js '${String(json.format)}', not a 'layers-model'; nabla imports layers models only (graph models from SavedModels cannot be rebuilt as Keras layers).`,
    );
  }
  let topology = json.modelTopology as Record<string, Json> | undefined;
  if (topology && typeof topology === 'object' && topology.model_config) topology = topology.model_config as Record<string, Json>;
  if (!topology || typeof topology !== 'object' || typeof topology.class_name !== 'string') {
    throw new InvalidArgumentError(`${where}: no layers-model topology ('modelTopology' with a class_name) in the file; is it a TF.js layers model.json?`);
  }
  if (topology.class_name !== 'Sequential' && topology.class_name !== 'Model' && topology.class_name !== 'Functional') {
    throw new InvalidArgumentError(`${where}: the top-level class is '${topology.class_name}'; expected 'Sequential' or 'Model'.`);
  }
  if (json.weightsManifest === undefined) {
    throw new InvalidArgumentError(`${where}: the file has no 'weightsManifest', so there are no weights to load; save the model with its weights (model.save).`);
  }

  const fixups: ActivationFixup[] = [];
  const serialized = layerFromTfjs(topology, where, fixups);
  let model: Model;
  try {
    model = deserializeLayer(serialized) as Model;
  } catch (e) {
    if (e instanceof NablaError) {
      const Cls = e.constructor as new (message: string) => NablaError;
      throw new Cls(`${where}: cannot rebuild the model: ${e.message}`);
    }
    throw e;
  }
  applyActivationFixups(model, fixups);
  if (!model.built) {
    throw new FailedPreconditionError(`${where}: the model has no input shape (no InputLayer and no batch_input_shape on its first layer), so its weights cannot be created.`);
  }

  const loaded = readWeights(json.weightsManifest, dirname(file), where);
  const byName = new Map<string, LoadedWeight>();
  const byAlias = new Map<string, LoadedWeight>();
  for (const w of loaded) {
    byName.set(w.spec.name, w);
    const alias = withoutCellScope(w.spec.name);
    if (alias !== null && !byAlias.has(alias)) byAlias.set(alias, w);
  }
  const used = new Set<LoadedWeight>();
  const targets = tfjsWeightNames(model);
  for (const { name, variable, layer } of targets) {
    const w = byName.get(name) ?? byAlias.get(name);
    if (!w) {
      const names = loaded.map((l) => l.spec.name);
      throw new InvalidArgumentError(
        `${where}: layer '${layer.name}' needs weight '${name}' but the weightsManifest has no such entry (it has ${names.length}: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}).`,
      );
    }
    if (w.spec.shape.join(',') !== variable.shape.join(',')) {
      throw new ShapeError(
        `${where}: weight '${name}' of layer '${layer.name}' has shape [${variable.shape.join(', ')}] in the model but [${w.spec.shape.join(', ')}] in ${w.file}; the topology and the weights do not match.`,
      );
    }
    let values = w.values;
    if (variable.dtype === 'float32' && !(values instanceof Float32Array)) values = Float32Array.from(values);
    else if (variable.dtype === 'int32' && !(values instanceof Int32Array)) values = Int32Array.from(values);
    variable.assign(new Tensor([...variable.shape], variable.dtype, values));
    used.add(w);
  }
  const extra = loaded.filter((w) => !used.has(w) && w.spec.group !== 'optimizer');
  if (extra.length > 0) {
    throw new InvalidArgumentError(
      `${where}: the weightsManifest has ${extra.length} weight(s) no layer of the model uses (${extra.slice(0, 8).map((w) => w.spec.name).join(', ')}); the topology and the weights do not match.`,
    );
  }
  return model;
}
