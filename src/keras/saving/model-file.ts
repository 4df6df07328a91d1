import { FailedPreconditionError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { version } from '../../version.js';
import { deserializeLayer, serializeLayer, type LayerClass, type SerializedLayer } from '../engine/serialization.js';
import type { Model } from '../engine/model.js';
import { deserializeOptimizer } from '../optimizers/index.js';
import { packTensors, readContainer, writeContainer, type TensorEntry } from './container.js';

interface OptimizerSection {
  className: string;
  config: Record<string, unknown>;
  weights: TensorEntry[];
}

/** Compile arguments that survive JSON (names; loss/metric objects are saved by their config). */
function serializableCompile(model: Model): Record<string, unknown> | null {
  const spec = model.compileConfig;
  if (!spec) return null;
  const plain = (x: unknown): unknown => {
    if (x === null || typeof x === 'string' || typeof x === 'number') return x;
    if (Array.isArray(x)) return x.map(plain);
    if (typeof x === 'object' && x !== null && 'getConfig' in x) {
      const obj = x as { getConfig(): Record<string, unknown>; constructor: { name: string } };
      return { className: obj.constructor.name, config: obj.getConfig() };
    }
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
    return undefined;
  };
  return { loss: plain(spec.loss), metrics: plain(spec.metrics), lossWeights: plain(spec.lossWeights) };
}

/** Saves architecture, weights, compile arguments and optimizer state to one file, atomically. */
export function saveModelFile(model: Model, path: string): void {
  let architecture: SerializedLayer;
  try {
    architecture = serializeLayer(model);
    JSON.stringify(architecture);
  } catch (e) {
    throw new FailedPreconditionError(`${model.name}.save: the architecture cannot be serialised (${(e as Error).message}); use saveWeights() instead.`);
  }
  if (model.getClassName() === 'Model') {
    throw new FailedPreconditionError(
      `${model.name}.save: a subclassed model's architecture is code, not config; register the class with nb.keras.registerLayer and give it a static className, getConfig and fromConfig, or use saveWeights()/loadWeights().`,
    );
  }
  const weights = model.weights.map((w) => ({ name: w.name, tensor: w as Tensor }));
  const optimizer = model.optimizer;
  const optimizerWeights = optimizer ? optimizer.getWeights().map((t, i) => ({ name: `optimizer/${i}`, tensor: t })) : [];
  const { entries, data } = packTensors([...weights, ...optimizerWeights]);
  const header = {
    format: 'nabla-model',
    formatVersion: 1,
    nablaVersion: version,
    model: architecture,
    built: model.built,
    weights: entries.slice(0, weights.length),
    compile: serializableCompile(model),
    optimizer: optimizer
      ? ({ className: optimizer.getClassName(), config: optimizer.getConfig(), weights: entries.slice(weights.length) } satisfies OptimizerSection)
      : null,
  };
  writeContainer(path, header, data);
}

/** Saves the weights only, atomically, in the order of `model.weights`. */
export function saveWeightsFile(model: Model, path: string): void {
  const { entries, data } = packTensors(model.weights.map((w) => ({ name: w.name, tensor: w as Tensor })));
  writeContainer(path, { format: 'nabla-weights', formatVersion: 1, nablaVersion: version, weights: entries }, data);
}

function assignWeights(model: Model, entries: TensorEntry[], read: (e: TensorEntry) => Tensor, where: string): void {
  const targets = model.weights;
  if (targets.length !== entries.length) {
    throw new ShapeError(`${where}: the file has ${entries.length} weights but model '${model.name}' has ${targets.length}; the architectures differ.`);
  }
  const values = entries.map((e, i) => {
    const w = targets[i]!;
    if (e.shape.join(',') !== w.shape.join(',')) {
      throw new ShapeError(`${where}: weight ${i} ('${w.name}') has shape [${w.shape.join(', ')}] but the file's '${e.name}' has [${e.shape.join(', ')}].`);
    }
    return read(e);
  });
  model.setWeights(values);
}

/** Loads weights from a file written by `saveWeights` or `save` into a built model. */
export function loadWeightsInto(model: Model, path: string): void {
  const where = `${model.name}.loadWeights`;
  const file = readContainer(path, where);
  const format = file.header['format'];
  if (format !== 'nabla-weights' && format !== 'nabla-model') {
    throw new InvalidArgumentError(`${where}: '${path}' holds '${String(format)}', not nabla weights.`);
  }
  if (!model.built) {
    throw new FailedPreconditionError(`${where}: the model is not built; call it on data (or build(inputShape)) before loading weights.`);
  }
  assignWeights(model, file.header['weights'] as TensorEntry[], (e) => file.tensor(e), where);
}

/**
 * Loads a model saved with `model.save(path)`: architecture, weights, and (when it was compiled)
 * its compile arguments and optimizer state, so training can continue exactly.
 *
 * @example
 * ```ts
 * const model = nb.keras.loadModel('mnist.nabla');
 * model.predict(x);
 * ```
 */
export function loadModel(path: string, options: { customObjects?: Record<string, LayerClass>; compile?: boolean } = {}): Model {
  const where = 'loadModel';
  const file = readContainer(path, where);
  if (file.header['format'] !== 'nabla-model') {
    throw new InvalidArgumentError(`${where}: '${path}' is not a saved model (format '${String(file.header['format'])}'); weight files load with model.loadWeights().`);
  }
  const model = deserializeLayer(file.header['model'] as SerializedLayer, options.customObjects) as Model;
  if (!model.built) {
    throw new FailedPreconditionError(`${where}: the saved model was never built (no input shape); nothing to load weights into.`);
  }
  assignWeights(model, file.header['weights'] as TensorEntry[], (e) => file.tensor(e), where);
  const compile = file.header['compile'] as Record<string, unknown> | null;
  const opt = file.header['optimizer'] as OptimizerSection | null;
  if (compile && opt && options.compile !== false) {
    const optimizer = deserializeOptimizer({ className: opt.className, config: opt.config });
    model.compile({ optimizer, ...(compile as object) } as Parameters<Model['compile']>[0]);
    const state = opt.weights.map((e) => file.tensor(e));
    if (state.length > 0) optimizer.setWeights(state);
  }
  return model;
}
