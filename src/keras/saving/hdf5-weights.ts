// Assigning the weights of a Keras HDF5 file to a nabla model: matched by layer name (Keras 2
// files, and Keras 3 files that record names) or by Keras 3's structural path, every shape checked
// before anything is assigned, so a failed load leaves the model untouched.
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, ShapeError } from '../../core/errors.js';
import type { Variable } from '../../core/variable.js';
import * as ops from '../../ops/index.js';
import type { Layer } from '../engine/layer.js';
import type { Model } from '../engine/model.js';
import { readKerasH5Weights, type H5LayerEntry, type H5Weight } from './hdf5-file.js';

/** Options of `loadKerasH5Weights` / `model.loadWeights(path.h5, options)`. */
export interface LoadH5WeightsOptions {
  /** Ignore layers in the file that the model does not have (default false: an error names them). */
  skipExtraLayers?: boolean;
}

/** Keras's `naming.to_snake_case`: `Conv2D` -> `conv2d`, `MaxPooling2D` -> `max_pooling2d`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface Target {
  layer: Layer;
  /** Keras 3 structural path (`layers/conv2d_1`). */
  path: string;
  weights: Variable[];
}

function isContainer(layer: Layer): layer is Model {
  return 'layers' in layer && Array.isArray((layer as Model).layers);
}

/** The layers holding weights, with the paths Keras 3 saves them under (class names, deduplicated). */
function keras3Targets(model: Model, prefix = ''): Target[] {
  const used = new Map<string, number>();
  const out: Target[] = [];
  for (const layer of model.layers) {
    const base = kerasSnakeCase(layer.getClassName());
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const path = `${prefix}layers/${n === undefined ? base : `${base}_${n + 1}`}`;
    if (isContainer(layer)) out.push(...keras3Targets(layer, `${path}/`));
    else if (layer.weights.length > 0) out.push({ layer, path, weights: layer.weights });
  }
  return out;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function shapeHint(expected: readonly number[], actual: readonly number[]): string {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (size(expected) === size(actual) && [...expected].sort().join() === [...actual].sort().join()) {
    return 'The same numbers in another order: the file may hold channels-first (Theano) kernels; use the *_tf_dim_ordering_tf_kernels file.';
  }
  return 'Build the model with the architecture that saved the file (same units/filters, and the same input size for Dense layers after Flatten).';
}

function checkLayer(where: string, target: Target, entry: H5LayerEntry): H5Weight[] {
  const name = target.layer.name;
  if (entry.weights.length !== target.weights.length) {
    throw new ShapeError(
      `${where}: layer '${name}' has ${target.weights.length} weights (${target.weights.map((w) => w.name).join(', ')}) but the file's '${entry.path}' has ${entry.weights.length} (${entry.weights.map((w) => w.path).join(', ')}); the architectures differ.`,
    );
  }
  target.weights.forEach((w, i) => {
    const got = entry.weights[i]!;
    if (got.shape.join(',') !== w.shape.join(',')) {
      throw new ShapeError(
        `${where}: layer '${name}' weight '${w.name}' has shape ${shapeText(w.shape)} but the file's '${got.path}' has ${shapeText(got.shape)}. ${shapeHint(w.shape, got.shape)}`,
      );
    }
  });
  return entry.weights;
}

function matchByName(where: string, path: string, targets: Target[], entries: H5LayerEntry[], options: LoadH5WeightsOptions): [Target, H5LayerEntry][] {
  const byName = new Map(entries.map((e) => [e.name ?? e.path, e]));
  const pairs: [Target, H5LayerEntry][] = [];
  const missing: string[] = [];
  for (const t of targets) {
    const e = byName.get(t.layer.name);
    if (e) pairs.push([t, e]);
    else missing.push(t.layer.name);
  }
  if (missing.length > 0) {
    throw new NotFoundError(
      `${where}: '${path}' has no weights for layer(s) ${missing.map((m) => `'${m}'`).join(', ')}; the file's layers with weights are ${entries.filter((e) => e.weights.length > 0).map((e) => `'${e.name ?? e.path}'`).join(', ') || 'none'}. Name the model's layers as in the Keras model that saved the file.`,
    );
  }
  const names = new Set(targets.map((t) => t.layer.name));
  const extra = entries.filter((e) => e.weights.length > 0 && !names.has(e.name ?? e.path)).map((e) => `'${e.name ?? e.path}'`);
  if (extra.length > 0 && !options.skipExtraLayers) {
    throw new InvalidArgumentError(
      `${where}: '${path}' has weights for layer(s) ${extra.join(', ')} that the model lacks (e.g. a file with the classifier top loaded into a model without it); pass {skipExtraLayers: true} to ignore them.`,
    );
  }
  return pairs;
}

function matchByPath(where: string, path: string, targets: Target[], entries: H5LayerEntry[], options: LoadH5WeightsOptions): [Target, H5LayerEntry][] {
  const byPath = new Map(entries.map((e) => [e.path.replace('_layer_checkpoint_dependencies', 'layers'), e]));
  const pairs: [Target, H5LayerEntry][] = [];
  for (const t of targets) {
    const e = byPath.get(t.path);
    if (!e) {
      throw new NotFoundError(
        `${where}: '${path}' has no weights for layer '${t.layer.name}' (Keras 3 path '${t.path}'); the file's weighted paths are ${entries.map((x) => `'${x.path}'`).join(', ') || 'none'}. The architectures differ.`,
      );
    }
    pairs.push([t, e]);
  }
  const used = new Set(targets.map((t) => t.path));
  const extra = entries.filter((e) => !used.has(e.path.replace('_layer_checkpoint_dependencies', 'layers')));
  if (extra.length > 0 && !options.skipExtraLayers) {
    throw new InvalidArgumentError(`${where}: '${path}' has weights at ${extra.map((e) => `'${e.path}'`).join(', ')} that match no layer of the model; pass {skipExtraLayers: true} to ignore them.`);
  }
  return pairs;
}

/**
 * Loads a Keras HDF5 weight file (Keras 2 `.h5` or Keras 3 `.weights.h5`) into a built model whose
 * layer names match the file's (Keras 3 files without names match by layer order and class, as
 * Keras does). Every layer and shape is checked before anything is assigned: on an error the model
 * keeps its weights. Kernels keep Keras's layout (conv HWIO, dense [in, out]), which is nabla's.
 * `model.loadWeights(path)` calls this for HDF5 files.
 *
 * @example
 * ```ts
 * const vgg = await nb.keras.applications.VGG19({weights: null, includeTop: false, inputShape: [224, 224, 3]});
 * await nb.keras.loadKerasH5Weights(vgg, 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5');
 * ```
 */
export async function loadKerasH5Weights(model: Model, path: string, options: LoadH5WeightsOptions = {}): Promise<void> {
  const where = `${model.name}.loadWeights`;
  if (!model.built) {
    throw new FailedPreconditionError(`${where}: the model is not built; call it on data (or build(inputShape)) before loading weights.`);
  }
  const file = await readKerasH5Weights(path, where);
  let pairs: [Target, H5LayerEntry][];
  if (file.layout === 'keras2') {
    // Keras 2 saves a nested model's weights as its `weights`: all trainable ones, then the rest.
    const ordered = (l: Layer) => (isContainer(l) ? [...new Set([...l.trainableWeights, ...l.nonTrainableWeights])] : l.weights);
    const targets = model.layers.filter((l) => l.weights.length > 0).map((layer) => ({ layer, path: layer.name, weights: ordered(layer) }));
    pairs = matchByName(where, path, targets, file.layers, options);
  } else {
    const targets = keras3Targets(model);
    const named = file.layers.length > 0 && file.layers.every((e) => e.name !== null);
    pairs = named ? matchByName(where, path, targets, file.layers, options) : matchByPath(where, path, targets, file.layers, options);
  }
  const checked = pairs.map(([t, e]) => [t, checkLayer(where, t, e)] as const);
  for (const [t, values] of checked) {
    t.weights.forEach((w, i) => w.assign(ops.tensor(values[i]!.values, values[i]!.shape)));
  }
}
