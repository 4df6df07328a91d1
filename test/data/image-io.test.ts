import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import {
  decodeImage,
  decodeJpeg,
  decodePng,
  detectImageFormat,
  encodeJpeg,
  encodePng,
  ImageDecodeError,
  montage,
  readImage,
  resizeImage,
  toGrayscale,
  writeImage,
  writeMontage,
} from '../../src/data/image/index.js';
import { sharedData } from '../util/shared-data.js';

const chelseaPath = sharedData('images', 'chelsea.png');
const rocketPath = sharedData('images', 'rocket.jpg');

/** A deterministic int32 test image [h, w, c] with varied values 0..255. */
function pattern(h: number, w: number, c: number): nb.Tensor {
  const v = new Int32Array(h * w * c);
  for (let i = 0; i < v.length; i++) v[i] = (i * 37 + Math.floor(i / 7) * 11) % 256;
  return nb.tensor(v, [h, w, c], 'int32');
}

function meanAbsDiff(a: nb.Tensor, b: nb.Tensor): number {
  return nb.mean(nb.abs(nb.sub(nb.cast(a, 'float32'), nb.cast(b, 'float32')))).item();
}

function withTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-image-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('decodes chelsea.png (451x300 RGB) and rocket.jpg to int32 [h, w, c] in 0..255', () => {
  const cat = decodeImage(readFileSync(chelseaPath));
  assert.deepEqual(cat.shape, [300, 451, 3]);
  assert.equal(cat.dtype, 'int32');
  assert.deepEqual(readImage(chelseaPath).dataSync(), cat.dataSync());
  assert.deepEqual(decodePng(readFileSync(chelseaPath)).shape, [300, 451, 3]);
  const v = cat.dataSync();
  assert.ok(v.every((x) => x >= 0 && x <= 255 && Number.isInteger(x)));
  // A real photo: many distinct values, mid-range mean, channels not all equal.
  assert.ok(new Set(v).size > 200);
  const m = nb.mean(nb.cast(cat, 'float32')).item();
  assert.ok(m > 40 && m < 220, `mean ${m}`);
  assert.ok(nb.max(nb.abs(nb.sub(nb.slice(cat, [0, 0, 0], [-1, -1, 1]), nb.slice(cat, [0, 0, 2], [-1, -1, 1])))).item() > 30);

  const rocket = decodeImage(rocketPath);
  assert.deepEqual(rocket.shape, [427, 640, 3]);
  assert.equal(rocket.dtype, 'int32');
  assert.deepEqual(decodeJpeg(readFileSync(rocketPath)).shape, [427, 640, 3]);
  const rv = rocket.dataSync();
  assert.ok(rv.every((x) => x >= 0 && x <= 255));
  assert.ok(new Set(rv).size > 200);
  assert.equal(detectImageFormat(readFileSync(rocketPath)), 'jpeg');
  assert.equal(detectImageFormat(readFileSync(chelseaPath)), 'png');
});

test('channels option: gray, gray+alpha, RGB, RGBA conversions; grayscale PNG keeps 1 channel', () => {
  const rgb = decodeImage(chelseaPath);
  const gray = decodeImage(chelseaPath, { channels: 1 });
  assert.deepEqual(gray.shape, [300, 451, 1]);
  const [r, g, b] = [0, 1, 2].map((k) => rgb.values[k]!);
  assert.equal(gray.values[0], Math.round(0.299 * r! + 0.587 * g! + 0.114 * b!));
  const rgba = decodeImage(chelseaPath, { channels: 4 });
  assert.deepEqual(rgba.shape, [300, 451, 4]);
  assert.equal(rgba.values[3], 255);
  assert.deepEqual(Array.from(rgba.values.slice(0, 3)), [r, g, b]);
  const camera = decodeImage(sharedData('images', 'camera.png'));
  assert.deepEqual(camera.shape, [512, 512, 1]);
  const camera3 = decodeImage(sharedData('images', 'camera.png'), { channels: 3 });
  assert.deepEqual(Array.from(camera3.values.slice(0, 3)), [camera.values[0], camera.values[0], camera.values[0]]);
  assert.deepEqual(decodeImage(rocketPath, { channels: 1 }).shape, [427, 640, 1]);
  assert.throws(() => decodeImage(chelseaPath, { channels: 5 as never }), /decodeImage: channels must be 1/);
});

test('PNG encode -> decode is exact for 1, 2, 3 and 4 channels, int32 and float32 input', () => {
  for (const c of [1, 2, 3, 4]) {
    const img = pattern(13, 17, c);
    const bytes = encodePng(img);
    assert.equal(detectImageFormat(bytes), 'png');
    const back = decodePng(bytes);
    assert.deepEqual(back.shape, [13, 17, c]);
    assert.deepEqual(back.dataSync(), img.dataSync(), `${c} channels`);
  }
  // [h, w] is a grayscale image; float32 values are rounded.
  const flat = nb.tensor([[0, 1.4], [254.6, 255]], [2, 2], 'float32');
  assert.deepEqual(decodeImage(encodePng(flat)).arraySync(), [[[0], [1]], [[255], [255]]]);
  const cat = readImage(chelseaPath);
  assert.deepEqual(decodeImage(encodePng(cat)).dataSync(), cat.dataSync());
});

test('JPEG encode -> decode is close (quality 95 and lower), smaller at low quality', () => {
  const cat = readImage(chelseaPath);
  const hi = encodeJpeg(cat);
  const lo = encodeJpeg(cat, { quality: 30 });
  assert.equal(detectImageFormat(hi), 'jpeg');
  assert.ok(lo.length < hi.length);
  const back = decodeJpeg(hi);
  assert.deepEqual(back.shape, [300, 451, 3]);
  assert.ok(meanAbsDiff(back, cat) < 3, `quality 95 error ${meanAbsDiff(back, cat)}`);
  assert.ok(meanAbsDiff(decodeJpeg(lo), cat) < 8);
  // Grayscale: stored as three equal channels, decoded back to one on request.
  const gray = toGrayscale(cat);
  const g = decodeJpeg(encodeJpeg(gray), { channels: 1 });
  assert.deepEqual(g.shape, [300, 451, 1]);
  assert.ok(meanAbsDiff(g, gray) < 3);
  assert.throws(() => encodeJpeg(pattern(4, 4, 4)), /encodeJpeg: the image has 4 channels/);
  assert.throws(() => encodeJpeg(cat, { quality: 0 }), /quality must be an integer from 1 to 100/);
});

test('encoders reject values outside [0, 255], batches and bad dtypes with clear errors', () => {
  assert.throws(
    () => encodePng(nb.tensor([[[10], [300]]], [1, 2, 1], 'int32')),
    (e: Error) => e instanceof nb.InvalidArgumentError && /encodePng: pixel values must lie in \[0, 255\].*\[0, 1, 0\] is 300.*clipByValue/.test(e.message),
  );
  assert.throws(() => encodePng(nb.tensor([-2], [1, 1], 'float32')), /value at \[0, 0\] is -2/);
  assert.throws(() => encodePng(nb.tensor([NaN], [1, 1], 'float32')), /is NaN/);
  assert.throws(() => encodePng(pattern(2, 2, 3).reshape([1, 2, 2, 3])), (e: Error) => e instanceof nb.ShapeError && /montage/.test(e.message));
  assert.throws(() => encodePng(nb.tensor([true], [1, 1], 'bool')), nb.DTypeError);
  assert.throws(() => encodePng(pattern(2, 2, 5)), /5 channels/);
});

test('read/writeImage pick the format from the extension; missing and unknown files fail clearly', () => {
  withTmp((dir) => {
    const img = pattern(9, 11, 3);
    writeImage(join(dir, 'a.png'), img);
    writeImage(join(dir, 'b.JPG'), img, { quality: 90 });
    assert.equal(detectImageFormat(readFileSync(join(dir, 'a.png'))), 'png');
    assert.equal(detectImageFormat(readFileSync(join(dir, 'b.JPG'))), 'jpeg');
    assert.deepEqual(readImage(join(dir, 'a.png')).dataSync(), img.dataSync());
    assert.deepEqual(readImage(join(dir, 'b.JPG')).shape, [9, 11, 3]);
    assert.throws(() => writeImage(join(dir, 'c.tiff'), img), /writeImage: cannot tell the format of .*c\.tiff/);
    assert.throws(() => readImage(join(dir, 'missing.png')), (e: Error) => e instanceof nb.NotFoundError && /readImage: no file at/.test(e.message));
  });
});

test('truncated, corrupt and unsupported data raise ImageDecodeError naming the problem', () => {
  const png = readFileSync(chelseaPath);
  const jpg = readFileSync(rocketPath);
  assert.throws(() => decodeImage(png.subarray(0, 2000)), (e: Error) => e instanceof ImageDecodeError && /PNG data is corrupt or truncated/.test(e.message));
  assert.throws(() => decodeImage(jpg.subarray(0, 300)), (e: Error) => e instanceof ImageDecodeError && /JPEG data is corrupt/.test(e.message));
  const flipped = Buffer.from(png);
  const mid = Math.floor(png.length / 2);
  flipped[mid] = flipped[mid]! ^ 0xff; // inside the compressed pixels: breaks the chunk's CRC
  assert.throws(() => decodePng(flipped), ImageDecodeError);
  assert.throws(() => decodeImage(Buffer.from('GIF89a\x01\x00\x01\x00')), (e: Error) => e instanceof ImageDecodeError && /GIF images are not supported/.test(e.message));
  assert.throws(() => decodeImage(Buffer.from('hello world')), /not a PNG or JPEG image \(unrecognised first bytes 68 65 6c 6c\)/);
  assert.throws(() => decodeImage(new Uint8Array(0)), /empty/);
  assert.throws(() => decodePng(jpg), /decodePng: the data is not a PNG/);
  assert.throws(() => decodeJpeg(png), /decodeJpeg: the data is not a JPEG/);
  withTmp((dir) => {
    const bad = join(dir, 'broken.png');
    writeFileSync(bad, png.subarray(0, 100));
    assert.throws(() => readImage(bad), (e: Error) => e instanceof ImageDecodeError && e.message.includes(bad));
  });
  // Errors are InvalidArgumentErrors, as tf.io.decode_image raises.
  assert.ok(new ImageDecodeError('x') instanceof nb.InvalidArgumentError);
});

test('resizeImage: shapes, dtypes, single images and batches; constant images stay constant', () => {
  const cat = readImage(chelseaPath);
  const small = resizeImage(cat, [60, 90]);
  assert.deepEqual(small.shape, [60, 90, 3]);
  assert.equal(small.dtype, 'float32');
  const near = resizeImage(cat, [30, 45], { method: 'nearest' });
  assert.equal(near.dtype, 'int32');
  assert.deepEqual(near.shape, [30, 45, 3]);
  assert.deepEqual(resizeImage(nb.stack([cat, cat]), [10, 20]).shape, [2, 10, 20, 3]);
  const flat = nb.fill([5, 7, 1], 42);
  assert.ok(resizeImage(flat, [13, 3]).dataSync().every((v) => Math.abs(v - 42) < 1e-4));
  // Downscaling keeps the overall brightness.
  assert.ok(Math.abs(nb.mean(small).item() - nb.mean(nb.cast(cat, 'float32')).item()) < 3);
  // Nearest 2x upscaling repeats pixels.
  const up = resizeImage(nb.tensor([1, 2, 3, 4], [2, 2, 1], 'int32'), [4, 4], { method: 'nearest' });
  assert.deepEqual(up.reshape([4, 4]).arraySync(), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
  assert.throws(() => resizeImage(cat, [0, 3]), /resizeImage: size must be/);
  assert.throws(() => resizeImage(cat, [3, 3], { method: 'bicubic' as never }), /method must be 'bilinear' or 'nearest'/);
  assert.throws(() => resizeImage(nb.zeros([4, 4]), [2, 2]), /add a channel axis/);
});

test('toGrayscale: BT.601 luma, int32 rounded, float32 exact, RGBA/gray+alpha/gray handled', () => {
  const img = nb.tensor([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]], [1, 4, 3], 'int32');
  const g = toGrayscale(img);
  assert.equal(g.dtype, 'int32');
  assert.deepEqual(g.arraySync(), [[[76], [150], [29], [Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]]]);
  const gf = toGrayscale(nb.cast(img, 'float32'));
  assert.equal(gf.dtype, 'float32');
  assert.ok(Math.abs(gf.values[0]! - 76.245) < 1e-3);
  const rgba = nb.concat([img, nb.fill([1, 4, 1], 7, 'int32')], -1);
  assert.deepEqual(toGrayscale(rgba).dataSync(), g.dataSync());
  const ga = nb.tensor([[[9, 255]]], [1, 1, 2], 'int32');
  assert.deepEqual(toGrayscale(ga).arraySync(), [[[9]]]);
  assert.equal(toGrayscale(g), g);
  assert.deepEqual(toGrayscale(readImage(chelseaPath)).shape, [300, 451, 1]);
  assert.deepEqual(toGrayscale(nb.zeros([2, 5, 5, 3])).shape, [2, 5, 5, 1]);
  assert.throws(() => toGrayscale(nb.zeros([4, 4, 5])), /toGrayscale: expected images with 1 to 4 channels/);
});

test('montage: grid size, tile positions, background, borders, gray promoted to RGB', () => {
  // Five 2x3 single-channel tiles, tile i filled with value 10 (i + 1).
  const tiles = Array.from({ length: 5 }, (_, i) => nb.fill([2, 3, 1], 10 * (i + 1), 'int32'));
  const grid = montage(tiles, { columns: 3, padding: 1, background: 255 });
  // 2 rows x 3 columns: H = 2*2 + 3*1, W = 3*3 + 4*1.
  assert.deepEqual(grid.shape, [7, 13, 1]);
  assert.equal(grid.dtype, 'int32');
  const at = (t: nb.Tensor, y: number, x: number, k = 0): number => t.values[(y * t.shape[1]! + x) * t.shape[2]! + k]!;
  for (let i = 0; i < 5; i++) {
    const y0 = 1 + Math.floor(i / 3) * 3;
    const x0 = 1 + (i % 3) * 4;
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) assert.equal(at(grid, y0 + y, x0 + x), 10 * (i + 1), `tile ${i} (${y}, ${x})`);
  }
  assert.equal(at(grid, 0, 0), 255); // padding
  assert.equal(at(grid, 4, 9), 255); // the empty sixth cell
  assert.equal(at(grid, 3, 4), 255); // between tiles

  // A batch tensor gives the same grid; default columns make a near-square layout.
  const batch = nb.stack(tiles);
  assert.deepEqual(montage(batch, { columns: 3, padding: 1, background: 255 }).dataSync(), grid.dataSync());
  assert.deepEqual(montage(batch).shape, [2 * 2 + 3 * 2, 3 * 3 + 4 * 2, 1]);

  // Borders: RGB colors make gray tiles RGB; the border covers the tile's outer ring.
  const big = Array.from({ length: 2 }, (_, i) => nb.fill([6, 6, 1], 100 + i, 'int32'));
  const marked = montage(big, { columns: 2, padding: 0, borders: [null, [255, 0, 0]], borderWidth: 1 });
  assert.deepEqual(marked.shape, [6, 12, 3]);
  assert.deepEqual([0, 1, 2].map((k) => at(marked, 0, 0, k)), [100, 100, 100]);
  assert.deepEqual([0, 1, 2].map((k) => at(marked, 0, 6, k)), [255, 0, 0]);
  assert.deepEqual([0, 1, 2].map((k) => at(marked, 5, 11, k)), [255, 0, 0]);
  assert.deepEqual([0, 1, 2].map((k) => at(marked, 2, 8, k)), [101, 101, 101]);

  // Float input stays float; RGB tiles keep their colors.
  const rgb = nb.tensor([1.5, 2.5, 3.5], [1, 1, 3]);
  const m = montage([rgb, rgb], { columns: 1, padding: 0 });
  assert.equal(m.dtype, 'float32');
  assert.deepEqual(m.arraySync(), [[[1.5, 2.5, 3.5]], [[1.5, 2.5, 3.5]]]);

  assert.throws(() => montage([]), /montage: no images/);
  assert.throws(() => montage([nb.zeros([2, 2, 1]), nb.zeros([3, 2, 1])]), /same shape.*resizeImage/);
  assert.throws(() => montage(nb.zeros([3, 4, 4])), /expandDims/);
  assert.throws(() => montage(tiles, { background: [1, 2] }), /background has 2 values/);
  assert.throws(() => montage(tiles, { borders: [[255, 0, 0]], borderWidth: 2 }), /borderWidth 2 is more than half/);
});

test('writeMontage writes a readable grid image', () => {
  withTmp((dir) => {
    const cat = resizeImage(readImage(chelseaPath), [30, 45]);
    const path = join(dir, 'grid.png');
    writeMontage(path, [cat, cat, cat, cat], { columns: 2, padding: 2 });
    const back = readImage(path);
    assert.deepEqual(back.shape, [2 * 30 + 3 * 2, 2 * 45 + 3 * 2, 3]);
    // Float pixels are rounded (halves up) on encoding.
    assert.deepEqual(nb.slice(back, [2, 2, 0], [30, 45, 3]).dataSync(), Int32Array.from(cat.dataSync(), Math.round));
  });
});
