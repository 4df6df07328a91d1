import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { writeGif } from '../../src/apps/rl/gif.js';

// An independent GIF reader (global palette, full-size frames) to check the writer round-trips.
function readGif(bytes: Uint8Array): { width: number; height: number; frames: Uint8Array[]; palette: Uint8Array } {
  const u16 = (i: number) => bytes[i]! | (bytes[i + 1]! << 8);
  const width = u16(6);
  const height = u16(8);
  const flags = bytes[10]!;
  const paletteSize = 3 * (1 << ((flags & 7) + 1));
  const palette = bytes.subarray(13, 13 + paletteSize);
  let p = 13 + paletteSize;
  const frames: Uint8Array[] = [];
  while (bytes[p] !== 0x3b) {
    if (bytes[p] === 0x21) {
      p += 2;
      while (bytes[p] !== 0) p += bytes[p]! + 1;
      p++;
      continue;
    }
    assert.equal(bytes[p], 0x2c);
    p += 10;
    const minCode = bytes[p++]!;
    const data: number[] = [];
    while (bytes[p] !== 0) {
      const n = bytes[p]!;
      data.push(...bytes.subarray(p + 1, p + 1 + n));
      p += n + 1;
    }
    p++;
    const clear = 1 << minCode;
    const out: number[] = [];
    let size = minCode + 1;
    let dict: number[][] = [];
    const resetDict = () => {
      dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
      size = minCode + 1;
    };
    resetDict();
    let bit = 0;
    let prev: number[] | null = null;
    for (;;) {
      let code = 0;
      for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3]! >> (bit & 7)) & 1) << i;
      if (code === clear) {
        resetDict();
        prev = null;
        continue;
      }
      if (code === clear + 1) break;
      let entry: number[];
      if (code < dict.length) entry = dict[code]!;
      else entry = [...prev!, prev![0]!];
      out.push(...entry);
      if (prev) dict.push([...prev, entry[0]!]);
      prev = entry;
      if (dict.length === 1 << size && size < 12) size++;
    }
    frames.push(Uint8Array.from(out));
  }
  return { width, height, frames, palette };
}

test('writeGif: frames decode back to their palette colours (LZW round trip, incl. code-size growth)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-gif-'));
  try {
    const env = nb.rl.make('CartPole-v1');
    env.reset({ seed: 0 });
    const frames = [env.render()];
    env.step(1);
    frames.push(env.render());
    // A noisy frame forces many dictionary entries (beyond 4096 codes: a clear in the stream).
    const rng = new nb.rl.Rng(0);
    frames.push(nb.tensor(Int32Array.from({ length: 60 * 80 * 3 }, () => rng.integer(256)), [60, 80, 3], 'int32'));
    const path = join(dir, 'a.gif');
    writeGif(path, frames.slice(0, 2));
    const gif = readGif(readFileSync(path));
    assert.equal(gif.width, 600);
    assert.equal(gif.height, 400);
    assert.equal(gif.frames.length, 2);
    const check = (img: nb.Tensor, idx: Uint8Array, pal: Uint8Array) => {
      const px = img.dataSync();
      assert.equal(idx.length, px.length / 3);
      for (let i = 0; i < idx.length; i += 7) for (let c = 0; c < 3; c++) assert.ok(Math.abs(pal[idx[i]! * 3 + c]! - px[i * 3 + c]!) <= 26, `pixel ${i}`);
    };
    check(frames[1]!, gif.frames[1]!, gif.palette);
    writeGif(path, [frames[2]!]);
    const noisy = readGif(readFileSync(path));
    check(frames[2]!, noisy.frames[0]!, noisy.palette);
    assert.throws(() => writeGif(path, []), nb.InvalidArgumentError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
