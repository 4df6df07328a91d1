/**
 * tf.data's shuffle: a buffer of `bufferSize` elements; each output is a uniformly chosen buffer
 * slot, refilled with the next upstream element. A buffer as large as the dataset gives a uniform
 * shuffle; a buffer of 1 keeps the order.
 */
import { getSeed, nextStream, PhiloxStream } from '../core/random.js';
import type { Source } from './iterators.js';

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Stands in for the global seed when only an op seed is given (TensorFlow does the same). */
const DEFAULT_GLOBAL_SEED = 87654321;

/**
 * The two key words a shuffle starts from, fixed when the dataset is built. With `seed` they
 * depend only on it and the global seed (so every run gives the same order); without, they come
 * from the global random stream (following nb.setSeed).
 */
export function shuffleKeys(seed: number | undefined): [number, number] {
  if (seed !== undefined) {
    return [mix32((getSeed() ?? DEFAULT_GLOBAL_SEED) ^ 0x5bd1e995), mix32((Math.trunc(seed) >>> 0) ^ 0x3c6ef372)];
  }
  const s = nextStream();
  return [s.nextUint32(), s.nextUint32()];
}

/**
 * Shuffles `src` through a buffer. `pass` selects the random stream (the iteration number when
 * reshuffling each iteration, else 0), so the same keys and pass always give the same order.
 */
export async function* shuffle<T>(src: Source<T>, bufferSize: number, keys: [number, number], pass: number): AsyncGenerator<T> {
  const rng = new PhiloxStream(keys[0], mix32((keys[1] + Math.imul(pass, 0x9e3779b9)) >>> 0));
  const buf: T[] = [];
  for await (const x of src()) {
    if (buf.length < bufferSize) {
      buf.push(x);
      continue;
    }
    const i = rng.nextInt(buf.length);
    const out = buf[i]!;
    buf[i] = x;
    yield out;
  }
  while (buf.length > 0) {
    const i = rng.nextInt(buf.length);
    const out = buf[i]!;
    buf[i] = buf[buf.length - 1]!;
    buf.pop();
    yield out;
  }
}
