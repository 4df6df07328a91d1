// Checks every Keras layer gets: output shape (eager and symbolic), gradients through the layer
// (inputs and trainable weights, against central differences) and a config round-trip.
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Layer } from '../../src/keras/engine/layer.js';
import type { LayerClass } from '../../src/keras/engine/serialization.js';
import { rand } from '../util/gradcheck.js';

export interface LayerCheckOptions {
  /** Input shapes including the batch dim; several for merge layers. */
  inputShapes: number[][];
  /** Expected eager output shape(s). */
  expectedShape: number[] | number[][];
  /** Input dtype (int32 inputs, e.g. Embedding indices, are drawn from [0, intHigh)). */
  inputDtype?: nb.DType;
  intHigh?: number;
  /** Skip the gradient check with respect to the inputs (e.g. integer inputs). */
  skipInputGradients?: boolean;
  /** Skip gradient checks entirely (non-differentiable layers such as argmax-like ones). */
  skipGradients?: boolean;
  /** Training flag for the call (default false). */
  training?: boolean;
  /** Elements checked per tensor by central differences (default 12). */
  samples?: number;
  eps?: number;
  rtol?: number;
  atol?: number;
  seed?: number;
}

/** Random inputs for the check (seeded, so failures reproduce). */
export function makeInputs(opts: LayerCheckOptions): nb.Tensor[] {
  return opts.inputShapes.map((shape, i) => {
    if (opts.inputDtype === 'int32') {
      const r = rand(shape, 0, opts.intHigh ?? 5, (opts.seed ?? 3) + i);
      return nb.cast(nb.floor(r), 'int32');
    }
    return rand(shape, -1, 1, (opts.seed ?? 3) + i);
  });
}

function callLayer(layer: Layer, xs: nb.Tensor[], training: boolean): nb.Tensor[] {
  const out = layer.apply(xs.length === 1 ? xs[0]! : xs, { training });
  return Array.isArray(out) ? out : [out];
}

/** Output shapes: eager against `expectedShape`, symbolic (batch unknown) against eager. */
export function checkOutputShape(layer: Layer, opts: LayerCheckOptions): nb.Tensor[] {
  const xs = makeInputs(opts);
  const outs = callLayer(layer, xs, opts.training ?? false);
  const expected = (Array.isArray(opts.expectedShape[0]) ? opts.expectedShape : [opts.expectedShape]) as number[][];
  assert.deepEqual(outs.map((o) => o.shape), expected, `${layer.name}: eager output shape`);
  const symbolicInputs = opts.inputShapes.map((s) => nb.keras.input({ shape: s.slice(1), dtype: opts.inputDtype }));
  const sym = layer.apply(symbolicInputs.length === 1 ? symbolicInputs[0]! : symbolicInputs);
  const symList = Array.isArray(sym) ? sym : [sym];
  assert.deepEqual(
    symList.map((s) => s.shape),
    expected.map((s) => [null, ...s.slice(1)]),
    `${layer.name}: symbolic output shape`,
  );
  return outs;
}

function pickIndices(size: number, samples: number, seed: number): number[] {
  if (size <= samples) return [...Array(size).keys()];
  const picked = new Set<number>();
  let s = seed >>> 0;
  while (picked.size < samples) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    picked.add(s % size);
  }
  return [...picked];
}

/**
 * Tape gradients of a random projection of the layer's outputs, with respect to the float inputs
 * and every trainable weight, against central differences on sampled elements.
 */
export function checkLayerGradients(layer: Layer, opts: LayerCheckOptions): void {
  const training = opts.training ?? false;
  const eps = opts.eps ?? 1e-3;
  const rtol = opts.rtol ?? 3e-2;
  const atol = opts.atol ?? 3e-3;
  const samples = opts.samples ?? 12;
  const xs = makeInputs(opts);
  const first = callLayer(layer, xs, training);
  const projections = first.map((o, i) => rand(o.shape as number[], -1, 1, 100 + i));
  const objective = (inputs: nb.Tensor[]): nb.Tensor =>
    callLayer(layer, inputs, training)
      .map((o, i) => nb.sum(nb.mul(o, projections[i]!)))
      .reduce((a, b) => nb.add(a, b));
  const value = (inputs: nb.Tensor[]): number => objective(inputs).item() as number;

  const floatInputs = opts.skipInputGradients || opts.inputDtype === 'int32' ? [] : xs;
  const weights = layer.trainableWeights;
  const tape = new nb.GradientTape();
  tape.watch([...floatInputs, ...weights]);
  const y = tape.record(() => objective(xs));
  const grads = tape.gradient(y, [...floatInputs, ...weights], { unconnectedGradients: 'zero' });

  floatInputs.forEach((x, k) => {
    const g = grads[k]!;
    for (const i of pickIndices(x.size, samples, 11 + k)) {
      const shifted = (delta: number): nb.Tensor[] =>
        xs.map((t) => {
          if (t !== x) return t;
          const v = t.dataSync();
          v[i] = v[i]! + delta;
          return nb.tensor(v, t.shape, t.dtype);
        });
      const numeric = (value(shifted(eps)) - value(shifted(-eps))) / (2 * eps);
      assertGradClose(`${layer.name}: input ${k}[${i}]`, g.values[i]!, numeric, rtol, atol);
    }
  });
  weights.forEach((w, k) => {
    const g = grads[floatInputs.length + k]!;
    const original = w.read();
    for (const i of pickIndices(w.size, samples, 23 + k)) {
      const at = (delta: number): number => {
        const v = original.dataSync();
        v[i] = v[i]! + delta;
        w.assign(nb.tensor(v, w.shape, w.dtype));
        return value(xs);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      w.assign(original);
      assertGradClose(`${layer.name}: weight ${w.name}[${i}]`, g.values[i]!, numeric, rtol, atol);
    }
  });
}

function assertGradClose(what: string, analytic: number, numeric: number, rtol: number, atol: number): void {
  const tol = atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic));
  assert.ok(Math.abs(numeric - analytic) <= tol, `${what}: analytic ${analytic} vs numeric ${numeric} (tolerance ${tol.toExponential(2)})`);
}

/**
 * `fromConfig(getConfig())` (through JSON) rebuilds an equivalent layer: same config, and with
 * the same weights the same outputs.
 */
export function checkConfigRoundTrip(layer: Layer, cls: LayerClass, opts: LayerCheckOptions): void {
  const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
  const copy = cls.fromConfig(config);
  assert.equal(copy.getClassName(), layer.getClassName());
  assert.deepEqual(JSON.parse(JSON.stringify(copy.getConfig())), config, `${layer.name}: config round-trip`);
  const xs = makeInputs(opts);
  const expected = callLayer(layer, xs, false);
  callLayer(copy, xs, false);
  copy.setWeights(layer.getWeights());
  const actual = callLayer(copy, xs, false);
  actual.forEach((a, i) => assert.deepEqual(a.dataSync(), expected[i]!.dataSync(), `${layer.name}: output ${i} after round-trip`));
}

/**
 * All three checks on fresh layers from `make` (each check gets its own instance). The global
 * seed is fixed first, so weight initialisation, and with it the check, is the same every run.
 */
export function checkLayer(make: () => Layer, cls: LayerClass, opts: LayerCheckOptions): void {
  const fresh = (): Layer => {
    nb.setSeed(opts.seed ?? 1234);
    return make();
  };
  checkOutputShape(fresh(), opts);
  if (!opts.skipGradients) checkLayerGradients(fresh(), opts);
  checkConfigRoundTrip(fresh(), cls, opts);
}
