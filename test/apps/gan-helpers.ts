import * as nb from '../../src/index.js';
import { buildGan, ganTrainStep } from '../../src/apps/gan/model.js';
import { loadGanData } from '../../src/apps/gan/data.js';

/**
 * Trains the Keras-pattern MLP GAN (hidden 64, noise 32, batch 32) on the shipped digits for
 * `steps` rounds and returns the mean absolute gap between the mean generated image and the mean
 * training image, after over before training (1: no progress).
 */
export function meanGapRatio(seed: number, steps: number): number {
  const x = loadGanData({ dataset: 'digits' }).images;
  const meanReal = nb.mean(x, 0);
  const gap = (g: nb.Tensor): number => nb.mean(nb.abs(nb.sub(nb.mean(g, 0), meanReal))).item() as number;
  nb.setSeed(seed);
  const gan = buildGan({ hidden: 64, latentDim: 32 });
  const probe = nb.randomNormal([256, 32]);
  const before = gap(gan.generator.predict(probe) as nb.Tensor);
  for (let s = 0; s < steps; s++) ganTrainStep(gan, nb.gather(x, nb.randomUniform([32], 0, x.shape[0]!, 'int32')));
  return gap(gan.generator.predict(probe) as nb.Tensor) / before;
}

/** Decodes the frames of a GIF written by encodeGif (global palette, min code size 8) to index arrays. */
export function decodeGifFrames(gif: Uint8Array): { width: number; height: number; frames: Uint8Array[] } {
  const width = gif[6]! | (gif[7]! << 8);
  const height = gif[8]! | (gif[9]! << 8);
  let p = 13 + (gif[10]! & 0x80 ? 3 * (1 << ((gif[10]! & 7) + 1)) : 0);
  const frames: Uint8Array[] = [];
  while (gif[p] !== 0x3b) {
    if (gif[p] === 0x21) {
      p += 2;
      while (gif[p] !== 0) p += gif[p]! + 1;
      p++;
      continue;
    }
    if (gif[p] !== 0x2c) throw new Error(`bad block 0x${gif[p]!.toString(16)} at ${p}`);
    p += 10;
    const minSize = gif[p++]!;
    const data: number[] = [];
    while (gif[p] !== 0) {
      const n = gif[p]!;
      data.push(...gif.subarray(p + 1, p + 1 + n));
      p += n + 1;
    }
    p++;
    const clear = 1 << minSize;
    const out: number[] = [];
    let size = minSize + 1;
    let dict: number[][] = [];
    const reset = (): void => {
      dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
      size = minSize + 1;
    };
    reset();
    let bitPos = 0;
    let prev: number[] | null = null;
    for (;;) {
      let code = 0;
      for (let b = 0; b < size; b++, bitPos++) code |= ((data[bitPos >> 3]! >> (bitPos & 7)) & 1) << b;
      if (code === clear) {
        reset();
        prev = null;
        continue;
      }
      if (code === clear + 1) break;
      let entry: number[];
      if (code < dict.length) entry = dict[code]!;
      else if (prev && code === dict.length) entry = [...prev, prev[0]!];
      else throw new Error(`bad LZW code ${code}`);
      out.push(...entry);
      if (prev && dict.length < 4096) dict.push([...prev, entry[0]!]);
      if (dict.length === 1 << size && size < 12) size++;
      prev = entry;
    }
    frames.push(Uint8Array.from(out));
  }
  return { width, height, frames };
}
