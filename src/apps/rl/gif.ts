// A small animated-GIF writer for `nabla rl play --gif`: frames are mapped to a fixed 6x7x6
// colour cube (252 colours) and LZW-compressed as the GIF89a specification describes.
import { writeFileSync } from 'node:fs';
import * as nb from '../../index.js';

const LEVELS = [6, 7, 6];

function paletteIndex(r: number, g: number, b: number): number {
  const q = (v: number, n: number) => Math.min(n - 1, Math.round((v / 255) * (n - 1)));
  return (q(r, LEVELS[0]!) * LEVELS[1]! + q(g, LEVELS[1]!)) * LEVELS[2]! + q(b, LEVELS[2]!);
}

function palette(): Uint8Array {
  const out = new Uint8Array(256 * 3);
  let i = 0;
  for (let r = 0; r < LEVELS[0]!; r++) {
    for (let g = 0; g < LEVELS[1]!; g++) {
      for (let b = 0; b < LEVELS[2]!; b++) {
        out[i++] = Math.round((r * 255) / (LEVELS[0]! - 1));
        out[i++] = Math.round((g * 255) / (LEVELS[1]! - 1));
        out[i++] = Math.round((b * 255) / (LEVELS[2]! - 1));
      }
    }
  }
  return out;
}

/** LZW-compresses 8-bit indices into GIF data sub-blocks (minimum code size 8). */
function lzw(indices: Uint8Array): number[] {
  const minCode = 8;
  const clear = 1 << minCode;
  const eoi = clear + 1;
  const bytes: number[] = [];
  let bitBuf = 0;
  let bitCount = 0;
  let codeSize = minCode + 1;
  const emit = (code: number) => {
    bitBuf |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      bytes.push(bitBuf & 0xff);
      bitBuf >>>= 8;
      bitCount -= 8;
    }
  };
  let dict = new Map<number, number>();
  let next = eoi + 1;
  emit(clear);
  let prefix = indices[0]!;
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i]!;
    const key = prefix * 256 + k;
    const found = dict.get(key);
    if (found !== undefined) {
      prefix = found;
      continue;
    }
    emit(prefix);
    if (next < 4096) {
      dict.set(key, next++);
      if (next > 1 << codeSize && codeSize < 12) codeSize++;
    } else {
      emit(clear);
      dict = new Map();
      next = eoi + 1;
      codeSize = minCode + 1;
    }
    prefix = k;
  }
  emit(prefix);
  emit(eoi);
  if (bitCount > 0) bytes.push(bitBuf & 0xff);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 255) {
    const n = Math.min(255, bytes.length - i);
    out.push(n, ...bytes.slice(i, i + n));
  }
  out.push(0);
  return out;
}

/**
 * Writes RGB frames (int32 tensors [h, w, 3], 0..255, all the same size) as a looping GIF.
 *
 * @example
 * ```ts
 * writeGif('episode.gif', frames, {delayMs: 40});
 * ```
 */
export function writeGif(path: string, frames: readonly nb.Tensor[], options: { delayMs?: number } = {}): void {
  if (frames.length === 0) throw new nb.InvalidArgumentError('writeGif: no frames to write.');
  const [h, w] = frames[0]!.shape as [number, number, number];
  const out: number[] = [];
  const u16 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff);
  out.push(...Buffer.from('GIF89a'));
  u16(w);
  u16(h);
  out.push(0xf7, 0, 0, ...palette());
  out.push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0);
  const delay = Math.round((options.delayMs ?? 40) / 10);
  for (const frame of frames) {
    if (frame.shape[0] !== h || frame.shape[1] !== w) throw new nb.ShapeError(`writeGif: frames must all be ${h}x${w}, got [${frame.shape.join(', ')}].`);
    const data = frame.dataSync();
    const idx = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) idx[i] = paletteIndex(data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!);
    out.push(0x21, 0xf9, 4, 0, delay & 0xff, (delay >> 8) & 0xff, 0, 0);
    out.push(0x2c);
    u16(0);
    u16(0);
    u16(w);
    u16(h);
    out.push(0, 8, ...lzw(idx));
  }
  out.push(0x3b);
  writeFileSync(path, Uint8Array.from(out));
}
