import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Conv2DInfo } from '../../src/backend/kernels.js';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, tensor, zerosLike } from './helpers.js';

interface Spec {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outChannels: number;
  filter: [number, number];
  strides?: [number, number];
  dilations?: [number, number];
  /** 'valid', 'same', or explicit [top, bottom, left, right]. */
  pad: 'valid' | 'same' | [number, number, number, number];
}

/** Conv2DInfo for a spec, with TensorFlow's output-size rules. */
function infoOf(s: Spec): Conv2DInfo {
  const [fh, fw] = s.filter, [sh, sw] = s.strides ?? [1, 1], [dh, dw] = s.dilations ?? [1, 1];
  const eh = (fh - 1) * dh + 1, ew = (fw - 1) * dw + 1;
  let outHeight: number, outWidth: number, padTop: number, padLeft: number;
  if (s.pad === 'valid') {
    outHeight = Math.ceil((s.inHeight - eh + 1) / sh);
    outWidth = Math.ceil((s.inWidth - ew + 1) / sw);
    padTop = padLeft = 0;
  } else if (s.pad === 'same') {
    outHeight = Math.ceil(s.inHeight / sh);
    outWidth = Math.ceil(s.inWidth / sw);
    padTop = Math.floor(Math.max((outHeight - 1) * sh + eh - s.inHeight, 0) / 2);
    padLeft = Math.floor(Math.max((outWidth - 1) * sw + ew - s.inWidth, 0) / 2);
  } else {
    const [t, b, l, r] = s.pad;
    outHeight = Math.floor((s.inHeight + t + b - eh) / sh) + 1;
    outWidth = Math.floor((s.inWidth + l + r - ew) / sw) + 1;
    padTop = t;
    padLeft = l;
  }
  return {
    batch: s.batch, inHeight: s.inHeight, inWidth: s.inWidth, inChannels: s.inChannels,
    outHeight: Math.max(0, outHeight), outWidth: Math.max(0, outWidth), outChannels: s.outChannels,
    filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw,
    padTop, padLeft, channelMultiplier: 1,
  };
}

const convSpecs: Spec[] = [
  { batch: 1, inHeight: 5, inWidth: 5, inChannels: 1, outChannels: 1, filter: [3, 3], pad: 'valid' },
  { batch: 2, inHeight: 7, inWidth: 7, inChannels: 3, outChannels: 4, filter: [3, 3], pad: 'same' },
  { batch: 2, inHeight: 7, inWidth: 8, inChannels: 3, outChannels: 5, filter: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 2, inHeight: 9, inWidth: 9, inChannels: 2, outChannels: 3, filter: [3, 3], dilations: [2, 2], pad: 'same' },
  { batch: 2, inHeight: 6, inWidth: 6, inChannels: 8, outChannels: 16, filter: [1, 1], pad: 'valid' },
  { batch: 2, inHeight: 6, inWidth: 6, inChannels: 8, outChannels: 7, filter: [1, 1], strides: [2, 2], pad: 'valid' },
  { batch: 3, inHeight: 13, inWidth: 11, inChannels: 5, outChannels: 6, filter: [5, 3], strides: [2, 1], pad: 'same' },
  { batch: 2, inHeight: 8, inWidth: 8, inChannels: 3, outChannels: 2, filter: [2, 2], pad: [3, 0, 1, 2] },
  { batch: 1, inHeight: 30, inWidth: 30, inChannels: 16, outChannels: 32, filter: [3, 3], pad: 'same' },
  { batch: 4, inHeight: 28, inWidth: 28, inChannels: 32, outChannels: 64, filter: [3, 3], pad: 'valid' },
  { batch: 0, inHeight: 5, inWidth: 5, inChannels: 2, outChannels: 3, filter: [3, 3], pad: 'same' },
  { batch: 2, inHeight: 2, inWidth: 2, inChannels: 3, outChannels: 4, filter: [3, 3], pad: 'valid' },
  // Several im2col tiles with a partial last panel, and depth split into GEMM blocks (patch 576).
  { batch: 3, inHeight: 13, inWidth: 13, inChannels: 32, outChannels: 64, filter: [3, 3], pad: 'valid' },
  { batch: 2, inHeight: 7, inWidth: 7, inChannels: 64, outChannels: 17, filter: [3, 3], pad: 'same' },
  { batch: 3, inHeight: 13, inWidth: 7, inChannels: 7, outChannels: 1, filter: [3, 3], strides: [3, 3], pad: 'same' },
  { batch: 1, inHeight: 13, inWidth: 13, inChannels: 3, outChannels: 13, filter: [3, 3], dilations: [3, 1], pad: 'valid' },
  { batch: 5, inHeight: 28, inWidth: 28, inChannels: 1, outChannels: 32, filter: [3, 3], pad: 'valid' },
  { batch: 1, inHeight: 1, inWidth: 1, inChannels: 1, outChannels: 1, filter: [1, 1], pad: 'same' },
  // Filter rows of >= 32 floats: the forward reads patches in place (gather kernel). Windows cut by
  // every edge, strides, a dilated height, asymmetric padding, filter rows longer than a depth block.
  { batch: 2, inHeight: 9, inWidth: 8, inChannels: 40, outChannels: 19, filter: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 1, inHeight: 11, inWidth: 9, inChannels: 33, outChannels: 5, filter: [5, 3], dilations: [2, 1], pad: [3, 1, 2, 0] },
  { batch: 1, inHeight: 5, inWidth: 6, inChannels: 300, outChannels: 20, filter: [3, 3], pad: 'same' },
  { batch: 2, inHeight: 4, inWidth: 3, inChannels: 11, outChannels: 3, filter: [3, 3], pad: 'same' },
  // Stride 1 with whole 16-channel panels: the filter gradient packs bands of input rows (zero rows
  // and columns for padding, a dilated height, bands split by columns when rows exceed 256 pixels).
  { batch: 3, inHeight: 9, inWidth: 8, inChannels: 16, outChannels: 7, filter: [3, 3], dilations: [2, 1], pad: 'same' },
  { batch: 1, inHeight: 3, inWidth: 300, inChannels: 32, outChannels: 13, filter: [3, 2], pad: [1, 1, 0, 1] },
  // 3x3 stride 1 with >= 16 channels each side: Winograd. 4x4 blocks cut by the bottom and right
  // edges with asymmetric padding and channel counts off the 8-wide vectors; 2x2 blocks where 4x4
  // ones would overhang more; 180 channels, where the filter gradient keeps 2x2 blocks.
  { batch: 2, inHeight: 10, inWidth: 9, inChannels: 20, outChannels: 27, filter: [3, 3], pad: [2, 0, 1, 1] },
  { batch: 3, inHeight: 5, inWidth: 5, inChannels: 24, outChannels: 16, filter: [3, 3], pad: 'same' },
  { batch: 1, inHeight: 8, inWidth: 8, inChannels: 180, outChannels: 180, filter: [3, 3], pad: 'same' },
];

function label(s: Spec): string {
  return `[${s.batch},${s.inHeight},${s.inWidth},${s.inChannels}] f${s.filter} s${s.strides ?? [1, 1]} d${s.dilations ?? [1, 1]} ${s.pad} -> ${s.outChannels}`;
}

test('native conv2d and both backprops match the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (config) => {
    for (const spec of convSpecs) {
      const info = infoOf(spec);
      const xShape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
      const fShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
      const yShape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
      const x = tensor(xShape), filter = tensor(fShape), dy = tensor(yShape);
      const patch = info.filterHeight * info.filterWidth * info.inChannels;
      const name = `${config}: ${label(spec)}`;

      let got = zerosLike(yShape), want = zerosLike(yShape);
      nat.kernels.conv2d!(x, filter, got, info);
      reference.conv2d(x, filter, want, info);
      assertClose(got.values, want.values, 1e-4, 1e-5 * Math.sqrt(patch + 1), `${name} conv2d`);

      got = zerosLike(xShape);
      want = zerosLike(xShape);
      nat.kernels.conv2dBackpropInput!(dy, filter, got, info);
      reference.conv2dBackpropInput(dy, filter, want, info);
      assertClose(got.values, want.values, 1e-4, 1e-5 * Math.sqrt(patch * info.outChannels + 1), `${name} backpropInput`);

      got = zerosLike(fShape);
      want = zerosLike(fShape);
      nat.kernels.conv2dBackpropFilter!(x, dy, got, info);
      reference.conv2dBackpropFilter(x, dy, want, info);
      const pixels = info.batch * info.outHeight * info.outWidth;
      assertClose(got.values, want.values, 1e-4, 1e-5 * Math.sqrt(pixels + 1), `${name} backpropFilter`);
    }
  });
});

// Depthwise specs: outChannels is the channel multiplier here (out = inChannels * multiplier).
const depthwiseSpecs: Spec[] = [
  { batch: 1, inHeight: 5, inWidth: 5, inChannels: 1, outChannels: 1, filter: [3, 3], pad: 'valid' },
  { batch: 2, inHeight: 7, inWidth: 7, inChannels: 3, outChannels: 1, filter: [3, 3], pad: 'same' },
  { batch: 2, inHeight: 7, inWidth: 8, inChannels: 13, outChannels: 2, filter: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 2, inHeight: 9, inWidth: 9, inChannels: 8, outChannels: 1, filter: [3, 3], dilations: [2, 2], pad: 'same' },
  { batch: 3, inHeight: 13, inWidth: 11, inChannels: 7, outChannels: 3, filter: [5, 3], strides: [2, 1], pad: 'same' },
  { batch: 2, inHeight: 8, inWidth: 8, inChannels: 3, outChannels: 2, filter: [2, 2], pad: [3, 0, 1, 2] },
  { batch: 4, inHeight: 28, inWidth: 28, inChannels: 32, outChannels: 1, filter: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 0, inHeight: 5, inWidth: 5, inChannels: 2, outChannels: 1, filter: [3, 3], pad: 'same' },
  { batch: 2, inHeight: 2, inWidth: 2, inChannels: 3, outChannels: 1, filter: [3, 3], pad: 'valid' },
  { batch: 1, inHeight: 1, inWidth: 1, inChannels: 127, outChannels: 1, filter: [1, 1], pad: 'same' },
  { batch: 1, inHeight: 16, inWidth: 16, inChannels: 1000, outChannels: 1, filter: [3, 3], pad: 'same' },
];

test('native depthwiseConv2d and both backprops match the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (config) => {
    for (const spec of depthwiseSpecs) {
      const m = spec.outChannels;
      const info = { ...infoOf({ ...spec, outChannels: spec.inChannels * m }), channelMultiplier: m };
      const xShape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
      const fShape = [info.filterHeight, info.filterWidth, info.inChannels, m];
      const yShape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
      const x = tensor(xShape), filter = tensor(fShape), dy = tensor(yShape);
      const taps = info.filterHeight * info.filterWidth;
      const name = `${config}: depthwise ${label(spec)}`;
      let got = zerosLike(yShape), want = zerosLike(yShape);
      nat.kernels.depthwiseConv2d!(x, filter, got, info);
      reference.depthwiseConv2d(x, filter, want, info);
      assertClose(got.values, want.values, 1e-5, 1e-6 * (taps + 1), `${name} forward`);
      got = zerosLike(xShape);
      want = zerosLike(xShape);
      nat.kernels.depthwiseConv2dBackpropInput!(dy, filter, got, info);
      reference.depthwiseConv2dBackpropInput(dy, filter, want, info);
      assertClose(got.values, want.values, 1e-5, 1e-6 * (taps * m + 1), `${name} backpropInput`);
      got = zerosLike(fShape);
      want = zerosLike(fShape);
      nat.kernels.depthwiseConv2dBackpropFilter!(x, dy, got, info);
      reference.depthwiseConv2dBackpropFilter(x, dy, want, info);
      const pixels = info.batch * info.outHeight * info.outWidth;
      assertClose(got.values, want.values, 1e-4, 1e-5 * Math.sqrt(pixels + 1), `${name} backpropFilter`);
    }
  });
});

test('native depthwise kernels reject a filter or multiplier that does not fit the geometry', (t) => {
  const nat = native(t);
  if (!nat) return;
  const info = { ...infoOf({ batch: 2, inHeight: 7, inWidth: 7, inChannels: 3, outChannels: 6, filter: [3, 3], pad: 'same' }), channelMultiplier: 2 };
  const x = tensor([2, 7, 7, 3]), out = zerosLike([2, 7, 7, 6]);
  assert.throws(() => nat.kernels.depthwiseConv2d!(x, tensor([3, 3, 3, 3]), out, info), ShapeError);
  assert.throws(() => nat.kernels.depthwiseConv2d!(x, tensor([3, 3, 3, 2]), out, { ...info, channelMultiplier: 3 }), ShapeError);
  assert.throws(() => nat.kernels.depthwiseConv2dBackpropInput!(tensor([2, 7, 7, 5]), tensor([3, 3, 3, 2]), zerosLike([2, 7, 7, 3]), info), ShapeError);
});

const poolSpecs: Spec[] = [
  { batch: 2, inHeight: 6, inWidth: 6, inChannels: 3, outChannels: 3, filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { batch: 2, inHeight: 7, inWidth: 5, inChannels: 4, outChannels: 4, filter: [3, 3], pad: 'same' },
  { batch: 1, inHeight: 7, inWidth: 7, inChannels: 13, outChannels: 13, filter: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 2, inHeight: 4, inWidth: 4, inChannels: 2, outChannels: 2, filter: [2, 2], pad: [3, 0, 0, 3] },
  { batch: 8, inHeight: 26, inWidth: 26, inChannels: 32, outChannels: 32, filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { batch: 2, inHeight: 9, inWidth: 9, inChannels: 3, outChannels: 3, filter: [3, 3], dilations: [2, 2], pad: 'same' },
  { batch: 0, inHeight: 4, inWidth: 4, inChannels: 2, outChannels: 2, filter: [2, 2], pad: 'valid' },
];

test('native max and average pooling (forward and gradients) match the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (config) => {
    for (const spec of poolSpecs) {
      const info = infoOf(spec);
      const xShape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
      const yShape = [info.batch, info.outHeight, info.outWidth, info.inChannels];
      // Coarse values make ties, which must resolve to the first maximum like the reference.
      const xv = randomValues(xShape.reduce((p, d) => p * d, 1)).map((v) => Math.round(v * 4) / 4);
      if (xv.length > 10) [xv[3], xv[7]] = [-Infinity, NaN];
      const x = tensor(xShape, xv), dy = tensor(yShape);
      const name = `${config}: ${label(spec)}`;
      for (const kind of ['maxPool', 'avgPool'] as const) {
        const got = zerosLike(yShape), want = zerosLike(yShape);
        nat.kernels[kind]!(x, got, info);
        reference[kind](x, want, info);
        assertClose(got.values, want.values, 1e-6, 1e-6, `${name} ${kind}`);
      }
      let got = zerosLike(xShape), want = zerosLike(xShape);
      nat.kernels.maxPoolGrad!(dy, x, got, info);
      reference.maxPoolGrad(dy, x, want, info);
      assertClose(got.values, want.values, 1e-6, 1e-6, `${name} maxPoolGrad`);
      got = zerosLike(xShape);
      want = zerosLike(xShape);
      nat.kernels.avgPoolGrad!(dy, got, info);
      reference.avgPoolGrad(dy, want, info);
      assertClose(got.values, want.values, 1e-5, 1e-6, `${name} avgPoolGrad`);
    }
  });
});

test('native conv and pooling reject inconsistent geometry with typed errors', (t) => {
  const nat = native(t);
  if (!nat) return;
  const info = infoOf(convSpecs[1]!);
  const x = tensor([2, 7, 7, 3]), filter = tensor([3, 3, 3, 4]), out = zerosLike([2, 7, 7, 4]);
  assert.throws(() => nat.kernels.conv2d!(x, tensor([3, 3, 3, 5]), out, info), ShapeError);
  assert.throws(() => nat.kernels.conv2d!(x, filter, zerosLike([2, 7, 7, 5]), info), ShapeError);
  assert.throws(() => nat.kernels.conv2d!(x, filter, out, { ...info, strideHeight: 0 }), InvalidArgumentError);
  assert.throws(() => nat.kernels.conv2d!(x, filter, out, { ...info, padTop: -1 }), InvalidArgumentError);
  assert.throws(() => nat.kernels.conv2d!(x, filter, out, { ...info, batch: 1.5 }), InvalidArgumentError);
  assert.throws(() => nat.kernels.maxPool!(x, zerosLike([2, 7, 7, 4]), info), ShapeError);
  const raw = nat.addon as unknown as Record<string, (...args: unknown[]) => void>;
  assert.throws(() => raw['conv2d']!(x.values, filter.values, out.values, null), /Conv2DInfo/);
  // Huge padding only moves windows into the padding: zeros, no out-of-bounds reads.
  const far = { ...info, padTop: 2 ** 30, padLeft: 2 ** 30 };
  nat.kernels.conv2d!(x, filter, out, far);
  assert.ok(out.values.every((v) => v === 0));
});
