/** A histogram in TensorBoard's HistogramProto layout. */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket (the last is `max`). */
  bucketLimit: number[];
  /** Count in each bucket: bucket i holds values in (bucketLimit[i-1], bucketLimit[i]]; bucket 0 from min. */
  bucket: number[];
}

/**
 * `buckets` equal-width buckets between the smallest and largest finite value (like
 * `tf.summary.histogram`); a constant input gets one bucket. Non-finite values are skipped.
 */
export function computeHistogram(values: ArrayLike<number>, buckets: number): HistogramData {
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  if (min === max) return { min, max, num, sum, sumSquares, bucketLimit: [max], bucket: [num] };
  const width = (max - min) / buckets;
  const bucket = new Array<number>(buckets).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const k = Math.min(buckets - 1, Math.max(0, Math.ceil((v - min) / width) - 1));
    bucket[k]!++;
  }
  const bucketLimit = bucket.map((_, k) => (k === buckets - 1 ? max : min + width * (k + 1)));
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}
