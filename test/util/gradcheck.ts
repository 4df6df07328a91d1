import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

export interface GradCheckOptions {
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Seed for the random projection of the output. */
  seed?: number;
}

/**
 * Checks the tape gradient of `f` against central differences, for every float input.
 * The output is projected on fixed random weights, so the whole Jacobian is exercised.
 */
export function gradCheck(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[], opts: GradCheckOptions = {}): void {
  const eps = opts.eps ?? 1e-3;
  const rtol = opts.rtol ?? 2e-2;
  const atol = opts.atol ?? 2e-3;
  const probe = f(...inputs);
  const w = new Float32Array(probe.size);
  let s = (opts.seed ?? 7) >>> 0;
  for (let i = 0; i < w.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = (s / 4294967296) * 2 - 1;
  }
  const weights = nb.tensor(w, probe.shape, 'float32');
  const loss = (...xs: nb.Tensor[]): number => {
    const y = f(...xs);
    let acc = 0;
    const v = y.values;
    for (let i = 0; i < v.length; i++) acc += v[i]! * w[i]!;
    return acc;
  };

  const tape = new nb.GradientTape();
  const floatInputs = inputs.filter((x) => x.dtype === 'float32');
  tape.watch(floatInputs);
  const y = tape.record(() => nb.sum(nb.mul(f(...inputs), weights)));
  const grads = tape.gradient(y, floatInputs, { unconnectedGradients: 'zero' });

  floatInputs.forEach((x, k) => {
    const g = grads[k]!;
    assert.deepEqual(g.shape, x.shape, `gradient ${k} shape`);
    for (let i = 0; i < x.size; i++) {
      const orig = x.values[i]!;
      const plus = inputs.map((t) => (t === x ? perturbed(t, i, orig + eps) : t));
      const minus = inputs.map((t) => (t === x ? perturbed(t, i, orig - eps) : t));
      const numeric = (loss(...plus) - loss(...minus)) / (2 * eps);
      const analytic = g.values[i]!;
      const tol = atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic));
      assert.ok(
        Math.abs(numeric - analytic) <= tol,
        `input ${k}, element ${i}: analytic ${analytic} vs numeric ${numeric} (tolerance ${tol.toExponential(2)})`,
      );
    }
  });
}

function perturbed(t: nb.Tensor, i: number, value: number): nb.Tensor {
  const v = t.dataSync();
  v[i] = value;
  return nb.tensor(v, t.shape, t.dtype);
}

/** Asserts two tensors (or a tensor and nested values) are close element-wise. */
export function assertClose(actual: nb.Tensor, expected: nb.Tensor | nb.NestedArray, tol = 1e-5, msg = ''): void {
  const e = expected instanceof nb.Tensor ? expected : nb.tensor(expected as never);
  assert.deepEqual(actual.shape, e.shape, `${msg} shape`);
  for (let i = 0; i < actual.size; i++) {
    const a = actual.values[i]!;
    const b = e.values[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (a === b) continue;
    assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} element ${i}: ${a} vs ${b}`);
  }
}

/** Seeded random float tensor in [lo, hi). */
export function rand(shape: number[], lo = -1, hi = 1, seed = 1): nb.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x6d2b79f5 + i) >>> 0;
    v[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return nb.tensor(v, shape, 'float32');
}
