// modelToEstimator: a custom Estimator around a compiled Keras model.
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Model } from '../keras/engine/model.js';
import { getLoss } from '../keras/losses/registry.js';
import { getMetric } from '../keras/metrics/index.js';
import type { FeatureRecord } from './feature-column/raw.js';
import { Estimator } from './estimator.js';
import { EstimatorSpec, ModeKeys, type EvalMetric, type RunConfig } from './spec.js';

function modelInputs(model: Model, features: FeatureRecord): Tensor[] {
  const names = model.inputNames;
  const keys = Object.keys(features);
  const pick = (k: string): Tensor => {
    const f = features[k];
    if (!(f instanceof Tensor)) throw new InvalidArgumentError(`modelToEstimator: feature '${k}' must be a Tensor for a Keras model, got ${Array.isArray(f) ? 'an array' : typeof f}.`);
    return f.dtype === 'float32' ? f : ops.cast(f, 'float32');
  };
  if (names.length === 1 && keys.length === 1) return [pick(keys[0]!)];
  return names.map((n) => {
    if (!(n in features)) {
      throw new NotFoundError(`modelToEstimator: the model's input '${n}' has no feature of that name (features: ${keys.join(', ')}). Name the input function's features after the model inputs: ${names.join(', ')}.`);
    }
    return pick(n);
  });
}

/**
 * A custom Estimator from a compiled Keras model: features (by input name, or the only feature for
 * a one-input model) go in, the compiled loss and optimizer train it, the compiled metrics are
 * reported by `evaluate`. The model's weights are trained in place and checkpointed in modelDir.
 *
 * @example
 * ```ts
 * const m = nb.keras.sequential([nb.keras.layers.dense({units: 3, activation: 'softmax', inputShape: [4]})]);
 * m.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});
 * const est = nb.estimator.modelToEstimator(m, {modelDir: '/tmp/keras-est'});
 * ```
 */
export function modelToEstimator(model: Model, options: { modelDir?: string; config?: RunConfig } = {}): Estimator<unknown> {
  if (!model || typeof model.compile !== 'function') throw new InvalidArgumentError(`modelToEstimator: expected a Keras model, got ${typeof model}.`);
  const compiled = model.compileConfig;
  if (!compiled || !model.optimizer) throw new FailedPreconditionError(`modelToEstimator: compile the model first (model.compile({optimizer, loss, metrics})).`);
  if (model.outputNames.length !== 1 || typeof compiled.loss === 'object' && !(compiled.loss as unknown as { apply?: unknown }).apply) {
    throw new InvalidArgumentError(`modelToEstimator: only single-output models with one loss are supported; the model has outputs ${model.outputNames.join(', ')}.`);
  }
  const lossId = compiled.loss as Parameters<typeof getLoss>[0];
  const loss = getLoss(lossId, 'modelToEstimator');
  const metricIds = Array.isArray(compiled.metrics) ? (compiled.metrics.flat() as Parameters<typeof getMetric>[0][]) : [];
  const optimizer = model.optimizer;
  return new Estimator<unknown>({
    ...options,
    modelFn: ({ features, labels, mode, ctx }) => {
      const m = ctx.layer('keras_model', () => model);
      const xs = modelInputs(m, features);
      const out = m.apply(xs.length === 1 ? xs[0]! : xs, { training: ctx.training }) as Tensor;
      const predictions = { [model.outputNames[0]!]: out };
      if (mode === ModeKeys.PREDICT) return new EstimatorSpec({ mode, predictions });
      if (!labels) throw new InvalidArgumentError(`modelToEstimator: ${mode} needs labels; return [features, labels] from the input function.`);
      const evalMetrics: Record<string, EvalMetric> = {};
      if (mode === ModeKeys.EVAL) {
        for (const id of metricIds) {
          const metric = getMetric(id, { lossName: loss.name, outputShape: out.shape });
          evalMetrics[metric.name] = { metric, yTrue: labels, yPred: out };
        }
      }
      return new EstimatorSpec({ mode, predictions, loss: loss.apply(labels, out), optimizer, evalMetrics });
    },
  });
}
