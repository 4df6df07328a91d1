import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

/** IDX type codes (the third magic byte) this reader accepts. */
const IDX_UBYTE = 0x08;

/**
 * Reads an IDX file (raw or gzipped; detected from the content) of unsigned bytes, as used by
 * MNIST and Fashion-MNIST, into an int32 tensor of the stored shape. Wrong magic, an unsupported
 * element type or a truncated file raise InvalidArgumentError naming the file.
 *
 * @example
 * ```ts
 * const labels = nb.datasets.readIdx('train-labels-idx1-ubyte.gz'); // int32 [60000]
 * ```
 */
export function readIdx(path: string): Tensor {
  if (!existsSync(path)) throw new NotFoundError(`readIdx: no file at '${path}'.`);
  let buf: Buffer = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new InvalidArgumentError(`readIdx: '${path}' is a corrupt or truncated gzip file (${(e as Error).message}).`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new InvalidArgumentError(`readIdx: '${path}' is not an IDX file (wrong magic number; expected 0x0000 then type and rank bytes).`);
  }
  if (buf[2] !== IDX_UBYTE) {
    throw new InvalidArgumentError(`readIdx: '${path}' holds IDX type 0x${buf[2]!.toString(16)}; only unsigned bytes (0x08) are supported.`);
  }
  const rank = buf[3]!;
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || buf.length < headerLength) throw new InvalidArgumentError(`readIdx: '${path}' has a truncated header.`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length - headerLength !== size) {
    throw new InvalidArgumentError(
      `readIdx: '${path}' is truncated or has trailing bytes: shape [${shape.join(', ')}] needs ${size} bytes of data, the file has ${buf.length - headerLength}.`,
    );
  }
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = buf[headerLength + i]!;
  return new Tensor(shape, 'int32', values);
}
