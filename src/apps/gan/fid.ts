// A domain-specific Fréchet distance ("FID-style"): the Fréchet distance between Gaussians fitted
// to the penultimate-layer features of a Fashion-MNIST/MNIST convnet classifier (the Keras
// mnist_convnet of `nabla train mnist`), for real and generated images. It is NOT the Inception
// FID of the literature: the numbers compare runs of nabla on the same data, not papers.
import * as nb from '../../index.js';
import { buildConvnet } from '../mnist/model.js';

/**
 * Eigenvalues of a symmetric n x n matrix (row-major, float64; overwritten), ascending:
 * Householder reduction to tridiagonal form, then bisection with Sturm counts for each
 * eigenvalue. O(n^3) once, accurate to rounding; fine for the few hundred samples FID uses.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += a[i * n + k]! * a[i * n + k]!;
    const norm = Math.sqrt(norm2);
    if (norm === 0) continue;
    const x0 = a[(k + 1) * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    // Householder vector v (entries k+1..n-1) with H = I - beta v v^T mapping x to alpha e1.
    let vtv = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k]! - (i === k + 1 ? alpha : 0);
      vtv += v[i]! * v[i]!;
    }
    if (vtv === 0) continue;
    const beta = 2 / vtv;
    // p = beta B v, K = beta/2 v^T p, q = p - K v, B <- B - v q^T - q v^T.
    let vtp = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j]! * v[j]!;
      p[i] = beta * s;
      vtp += v[i]! * p[i]!;
    }
    const K = (beta / 2) * vtp;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - K * v[i]!;
    for (let i = k + 1; i < n; i++) {
      const vi = v[i]!;
      const qi = p[i]!;
      for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - vi * p[j]! - qi * v[j]!;
    }
    a[(k + 1) * n + k] = alpha;
    a[k * n + k + 1] = alpha;
    for (let i = k + 2; i < n; i++) {
      a[i * n + k] = 0;
      a[k * n + i] = 0;
    }
  }
  const d = Float64Array.from({ length: n }, (_, i) => a[i * n + i]!);
  const e2 = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => a[(i + 1) * n + i]! ** 2);
  // Gershgorin bounds, then the k-th eigenvalue by bisection on the Sturm count.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.sqrt(e2[i - 1]!) : 0) + (i < n - 1 ? Math.sqrt(e2[i]!) : 0);
    lo = Math.min(lo, d[i]! - r);
    hi = Math.max(hi, d[i]! + r);
  }
  const scale = Math.max(Math.abs(lo), Math.abs(hi), 1e-300);
  const countBelow = (x: number): number => {
    let count = 0;
    let q = 1;
    for (let i = 0; i < n; i++) {
      q = d[i]! - x - (i > 0 ? e2[i - 1]! / q : 0);
      if (q === 0) q = -1e-300 * scale;
      if (q < 0) count++;
    }
    return count;
  };
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let a0 = lo;
    let b0 = hi;
    for (let it = 0; it < 200 && b0 - a0 > 1e-14 * scale; it++) {
      const mid = 0.5 * (a0 + b0);
      if (countBelow(mid) > k) b0 = mid;
      else a0 = mid;
    }
    out[k] = 0.5 * (a0 + b0);
  }
  return out;
}

/** Rows of a [n, d] tensor in float64, minus their column means; and the means. */
function centre(x: nb.Tensor): { rows: Float64Array; mean: Float64Array; n: number; d: number } {
  const [n, d] = x.shape as [number, number];
  const rows = Float64Array.from(x.dataSync());
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + rows[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) rows[i * d + j] = rows[i * d + j]! - mean[j]!;
  return { rows, mean, n, d };
}

/** A B^T for row-major A [n, d] and B [m, d], in float64. */
function gramAB(a: Float64Array, n: number, b: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ai = i * d;
    for (let j = 0; j < m; j++) {
      const bj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += a[ai + k]! * b[bj + k]!;
      out[i * m + j] = s;
    }
  }
  return out;
}

/**
 * Fréchet distance between Gaussians fitted to two feature sets [n1, d] and [n2, d]:
 * ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr sqrt(S1 S2), with sample covariances. Tr sqrt(S1 S2)
 * is computed exactly in sample space, in float64: it is the sum of the singular values of
 * X1c X2c^T / sqrt((n1-1)(n2-1)), so d may be large (1,600 features) at the cost of an
 * n1 x n1 eigenproblem.
 *
 * @example
 * ```ts
 * frechetDistance(nb.randomNormal([200, 16]), nb.randomNormal([200, 16])); // small, near 0
 * ```
 */
export function frechetDistance(f1: nb.Tensor, f2: nb.Tensor): number {
  if (f1.rank !== 2 || f2.rank !== 2 || f1.shape[1] !== f2.shape[1]) {
    throw new nb.ShapeError(`frechetDistance: expected two feature matrices [n, d] with the same d, got ${JSON.stringify(f1.shape)} and ${JSON.stringify(f2.shape)}.`);
  }
  const a = centre(f1);
  const b = centre(f2);
  if (a.n < 2 || b.n < 2) throw new nb.InvalidArgumentError(`frechetDistance: need at least 2 samples per set, got ${a.n} and ${b.n}.`);
  const d = a.d;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j]! - b.mean[j]!) ** 2;
  let tr1 = 0;
  for (const v of a.rows) tr1 += v * v;
  let tr2 = 0;
  for (const v of b.rows) tr2 += v * v;
  tr1 /= a.n - 1;
  tr2 /= b.n - 1;
  const c = gramAB(a.rows, a.n, b.rows, b.n, d); // [n1, n2]
  const cct = gramAB(c, a.n, c, a.n, b.n); // [n1, n1], PSD
  const eig = symmetricEigenvalues(cct, a.n);
  let nuclear = 0;
  for (const e of eig) nuclear += Math.sqrt(Math.max(0, e));
  const cross = nuclear / Math.sqrt((a.n - 1) * (b.n - 1));
  return Math.max(0, meanTerm + tr1 + tr2 - 2 * cross);
}

/** A classifier whose penultimate layer gives the features of the score. */
export interface ScoreClassifier {
  model: nb.keras.Model;
  /** Accuracy on the held-out labelled images it was checked on (null when loaded without data). */
  testAccuracy: number | null;
  /** Where it came from: 'trained' here or a model file. */
  source: string;
}

/**
 * Trains the Keras mnist_convnet (the `nabla train mnist` model) on labelled 28x28 images with
 * pixel values 0..255, to serve as the feature extractor of the FID-style score.
 */
export async function trainScoreClassifier(
  train: [nb.Tensor, nb.Tensor],
  test: [nb.Tensor, nb.Tensor] | null,
  options: { epochs?: number; limit?: number; classes?: number } = {},
): Promise<ScoreClassifier> {
  let [x, y] = train;
  const limit = options.limit ?? 12000;
  if (x.shape[0]! > limit) {
    x = nb.slice(x, [0, 0, 0, 0], [limit, ...x.shape.slice(1)]);
    y = nb.slice(y, [0], [limit]);
  }
  const classes = options.classes ?? 10;
  const model = buildConvnet(x.shape.slice(1) as [number, number, number], classes);
  await model.fit(x, y, { epochs: options.epochs ?? 2, batchSize: 128, verbose: 0 });
  let testAccuracy: number | null = null;
  if (test) testAccuracy = model.evaluate(test[0], test[1], { batchSize: 500 }).accuracy ?? null;
  return { model, testAccuracy, source: 'trained' };
}

/** Penultimate-layer activations [n, d] of a Sequential classifier for images 0..255, in batches. */
export function penultimateFeatures(model: nb.keras.Model, pixels: nb.Tensor, batchSize = 256): nb.Tensor {
  const layers = model.layers.filter((l) => !(l instanceof nb.keras.layers.InputLayer));
  if (layers.length < 2) {
    throw new nb.InvalidArgumentError(`penultimateFeatures: model '${model.name}' has ${layers.length} layer(s); the score needs a classifier with a hidden layer before its output.`);
  }
  const body = layers.slice(0, -1);
  const n = pixels.shape[0]!;
  const parts: nb.Tensor[] = [];
  return nb.withoutRecording(() => {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      let h = nb.slice(pixels, [start, 0, 0, 0], [size, ...pixels.shape.slice(1)]);
      for (const layer of body) h = layer.apply(h, { training: false }) as nb.Tensor;
      parts.push(nb.reshape(h, [size, -1]));
    }
    return parts.length === 1 ? parts[0]! : nb.concat(parts, 0);
  });
}

/** The FID-style score of generated images against real ones (both 0..255, [n, 28, 28, 1]). */
export function fidScore(classifier: nb.keras.Model, realPixels: nb.Tensor, fakePixels: nb.Tensor): number {
  return frechetDistance(penultimateFeatures(classifier, realPixels), penultimateFeatures(classifier, fakePixels));
}
