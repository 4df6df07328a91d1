// A minimal animated GIF (GIF89a) encoder for grayscale frames: a 256-level gray palette, LZW
// compression with variable code sizes, and the NETSCAPE2.0 loop extension. Used for the
// "samples after every epoch" animation of the GAN apps.
import * as nb from '../../index.js';

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private bits = 0;
  write(code: number, size: number): void {
    this.acc |= code << this.bits;
    this.bits += size;
    while (this.bits >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.bits -= 8;
    }
  }
  finish(): number[] {
    if (this.bits > 0) this.bytes.push(this.acc & 0xff);
    return this.bytes;
  }
}

/** LZW-compresses 8-bit indices as GIF image data (minimum code size 8), before sub-blocking. */
export function gifLzw(pixels: Uint8Array): number[] {
  const CLEAR = 256;
  const EOI = 257;
  const out = new BitWriter();
  const dict = new Map<number, number>();
  let next = 258;
  let size = 9;
  const emit = (code: number): void => {
    if (next > 1 << size && size < 12) size++;
    out.write(code, size);
  };
  out.write(CLEAR, 9);
  if (pixels.length === 0) {
    out.write(EOI, 9);
    return out.finish();
  }
  let w = pixels[0]!;
  for (let i = 1; i < pixels.length; i++) {
    const k = pixels[i]!;
    const key = w * 256 + k;
    const known = dict.get(key);
    if (known !== undefined) {
      w = known;
      continue;
    }
    emit(w);
    if (next < 4096) {
      dict.set(key, next++);
    } else {
      emit(CLEAR);
      dict.clear();
      next = 258;
      size = 9;
    }
    w = k;
  }
  emit(w);
  // The decoder adds an entry on reading the last code, so it may widen its codes before EOI.
  if (next >= 1 << size && size < 12) size++;
  out.write(EOI, size);
  return out.finish();
}

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];

/**
 * Encodes same-sized grayscale frames ([h, w] or [h, w, 1], values 0..255) as a looping animated
 * GIF, each frame shown `delayMs` milliseconds.
 *
 * @example
 * ```ts
 * writeFileSync('epochs.gif', encodeGif(grids, {delayMs: 300}));
 * ```
 */
export function encodeGif(frames: readonly nb.Tensor[], options: { delayMs?: number } = {}): Uint8Array {
  if (frames.length === 0) throw new nb.InvalidArgumentError('encodeGif: no frames; pass at least one image.');
  const [h, w] = frames[0]!.shape as [number, number];
  frames.forEach((f, i) => {
    if ((f.rank !== 2 && !(f.rank === 3 && f.shape[2] === 1)) || f.shape[0] !== h || f.shape[1] !== w) {
      throw new nb.ShapeError(`encodeGif: frame ${i} has shape ${JSON.stringify(f.shape)}; every frame must be grayscale [${h}, ${w}] or [${h}, ${w}, 1] like frame 0.`);
    }
  });
  if (w > 65535 || h > 65535) throw new nb.InvalidArgumentError(`encodeGif: ${w}x${h} is larger than GIF's 65535x65535.`);
  const delay = Math.round((options.delayMs ?? 400) / 10);
  const bytes: number[] = [...Buffer.from('GIF89a', 'ascii'), ...le16(w), ...le16(h), 0xf7, 0, 0];
  for (let i = 0; i < 256; i++) bytes.push(i, i, i);
  bytes.push(0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'ascii'), 0x03, 0x01, 0, 0, 0);
  for (const frame of frames) {
    const values = frame.dataSync();
    const pixels = Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(v))));
    bytes.push(0x21, 0xf9, 0x04, 0x00, ...le16(delay), 0x00, 0x00);
    bytes.push(0x2c, 0, 0, 0, 0, ...le16(w), ...le16(h), 0x00, 0x08);
    const data = gifLzw(pixels);
    for (let i = 0; i < data.length; i += 255) {
      const block = data.slice(i, i + 255);
      bytes.push(block.length, ...block);
    }
    bytes.push(0x00);
  }
  bytes.push(0x3b);
  return Uint8Array.from(bytes);
}
