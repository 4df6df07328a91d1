import { InvalidArgumentError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';

/**
 * Per-sample weights from Keras `classWeight` ({classIndex: weight}); labels are class indices
 * ([n] or [n, 1]) or one-hot rows ([n, k], the arg-max is the class). Unlisted classes weigh 1.
 */
export function classWeightsToSampleWeights(labels: Tensor, classWeight: Record<number, number>, model: string): Tensor {
  const n = labels.shape[0] ?? 0;
  const width = labels.rank <= 1 ? 1 : labels.size / Math.max(n, 1);
  const v = labels.values;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (width === 1) cls = Math.round(Number(v[i]));
    else {
      cls = 0;
      for (let j = 1; j < width; j++) if (v[i * width + j]! > v[i * width + cls]!) cls = j;
    }
    const w = classWeight[cls];
    if (w !== undefined && (typeof w !== 'number' || !Number.isFinite(w))) {
      throw new InvalidArgumentError(`${model}.fit: classWeight[${cls}] must be a finite number, got ${String(w)}.`);
    }
    out[i] = w ?? 1;
  }
  return new Tensor([n], 'float32', out);
}
