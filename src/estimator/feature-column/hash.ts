/**
 * The stable string hash behind `categoricalColumnWithHashBucket` and `crossedColumn`: 32-bit
 * FNV-1a over the value's UTF-8 bytes. It is fixed (not seeded per process), so a bucket id is the
 * same in every run, on every machine and backend. It is not TensorFlow's FarmHash Fingerprint64,
 * so bucket ids differ from TensorFlow's for the same strings.
 *
 * @example
 * ```ts
 * nb.featureColumn.stableHash('cat') % 10; // the same bucket in every run
 * ```
 */
export function stableHash(value: string): number {
  const bytes = Buffer.from(value, 'utf8');
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
