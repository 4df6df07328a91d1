import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as nb from '../../src/index.js';
import { imageDatasetFromDirectory, type ImageDatasetOptions } from '../../src/data/image-dataset.js';
import { readImage, writeImage } from '../../src/data/image/index.js';
import { sharedData } from '../util/shared-data.js';

const L = nb.keras.layers;
let root: string;
let dir: string;
/** The source images by file name (int32 [28, 28, 1]), to compare decoded pixels. */
const sources = new Map<string, nb.Tensor>();

/**
 * A real image folder: 30 Fashion-MNIST sneakers (class 7) in cls_a/ and 30 ankle boots
 * (class 9) in cls_b/, half PNG and half JPEG, one corrupt .png, and a text file to ignore.
 */
before(() => {
  root = mkdtempSync(join(tmpdir(), 'nabla-imgds-'));
  dir = join(root, 'images');
  const { test: [x, y] } = nb.datasets.fashionMnist.load({ path: sharedData('fashion-mnist') });
  const labels = y.dataSync();
  for (const [cls, folder] of [[7, 'cls_a'], [9, 'cls_b']] as const) {
    mkdirSync(join(dir, folder), { recursive: true });
    let k = 0;
    for (let i = 0; i < labels.length && k < 30; i++) {
      if (labels[i] !== cls) continue;
      const img = nb.reshape(nb.slice(x, [i, 0, 0], [1, 28, 28]), [28, 28, 1]);
      const name = `${folder}_${String(k).padStart(2, '0')}.${k % 2 === 0 ? 'png' : 'jpg'}`;
      writeImage(join(dir, folder, name), img);
      sources.set(name, img);
      k++;
    }
  }
  writeFileSync(join(dir, 'cls_a', 'corrupt.png'), 'this is not an image');
  writeFileSync(join(dir, 'cls_b', 'notes.txt'), 'ignored: not an image extension');
});

after(() => rmSync(root, { recursive: true, force: true }));

/** Runs `fn` and returns the ImageDatasetWarning messages emitted meanwhile. */
async function warningsDuring(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error): void => {
    if (w.name === 'ImageDatasetWarning') seen.push(w.message);
  };
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

const quiet = (o: ImageDatasetOptions = {}): ImageDatasetOptions => ({ verbose: false, ...o });

test('class names, counts, pixels and ONE warning for the corrupt file', async (t) => {
  const log = t.mock.method(console, 'log', () => {});
  let ds!: ReturnType<typeof imageDatasetFromDirectory>;
  const warnings = await warningsDuring(async () => {
    ds = imageDatasetFromDirectory(dir, { imageSize: [28, 28], batchSize: null, shuffle: false, colorMode: 'grayscale' });
    await ds.toArray();
  });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /imageDatasetFromDirectory: skipped 1 of 61 image files .*corrupt\.png \(not an image\)/);
  assert.deepEqual(log.mock.calls.map((c) => c.arguments[0]), ['Found 60 files belonging to 2 classes.']);
  assert.deepEqual(ds.classNames, ['cls_a', 'cls_b']);
  assert.equal(ds.filePaths.length, 60);
  assert.equal(ds.cardinality(), 60);
  const items = (await ds.toArray()) as [nb.Tensor, nb.Tensor][];
  assert.equal(items.length, 60);
  // Unshuffled: cls_a files in name order (label 0), then cls_b (label 1).
  assert.deepEqual(items.map(([, l]) => l.item()), [...Array(30).fill(0), ...Array(30).fill(1)]);
  assert.deepEqual(ds.filePaths.map((p) => basename(p)).slice(0, 3), ['cls_a_00.png', 'cls_a_01.jpg', 'cls_a_02.png']);
  for (const [i, [img, label]] of items.entries()) {
    assert.deepEqual(img.shape, [28, 28, 1]);
    assert.equal(img.dtype, 'float32');
    assert.equal(label.dtype, 'int32');
    const name = basename(ds.filePaths[i]!);
    const src = sources.get(name)!;
    if (name.endsWith('.png')) assert.deepEqual(Array.from(img.values), Array.from(src.values), name); // lossless
    else {
      const err = nb.mean(nb.abs(nb.sub(img, nb.cast(src, 'float32')))).item();
      assert.ok(err < 6, `${name}: JPEG error ${err}`);
    }
  }
});

test('batches: shapes, dtypes, resized float32 in [0, 255], last batch smaller', async () => {
  const ds = imageDatasetFromDirectory(dir, quiet({ imageSize: [32, 20], batchSize: 16, seed: 1 }));
  assert.equal(ds.cardinality(), 4);
  const batches = await ds.toArray();
  assert.deepEqual(batches.map(([x]) => x.shape), [[16, 32, 20, 3], [16, 32, 20, 3], [16, 32, 20, 3], [12, 32, 20, 3]]);
  assert.deepEqual(batches.map(([, y]) => y.shape), [[16], [16], [16], [12]]);
  const [x0, y0] = batches[0]!;
  assert.equal(x0.dtype, 'float32');
  assert.equal(y0.dtype, 'int32');
  const v = x0.dataSync();
  assert.ok(v.every((p) => p >= 0 && p <= 255));
  assert.ok(nb.max(x0).item() > 200);
  // RGB from grayscale files: three equal channels.
  const [r, g] = [nb.slice(x0, [0, 0, 0, 0], [-1, -1, -1, 1]), nb.slice(x0, [0, 0, 0, 1], [-1, -1, -1, 1])];
  assert.deepEqual(r.dataSync(), g.dataSync());
  // Shuffled: both classes are mixed across the batches, each label seen 30 times.
  const labels = batches.flatMap(([, y]) => Array.from(y.dataSync()));
  assert.equal(labels.filter((l) => l === 1).length, 30);
  assert.notDeepEqual(labels, [...Array(30).fill(0), ...Array(30).fill(1)]);
});

test('label modes: categorical one-hot, binary [b, 1], null yields images only', async () => {
  const base = quiet({ imageSize: [8, 8], batchSize: 10, shuffle: false });
  const [[, cat]] = await imageDatasetFromDirectory(dir, { ...base, labelMode: 'categorical' }).take(1).toArray();
  assert.equal(cat!.dtype, 'float32');
  assert.deepEqual(cat!.shape, [10, 2]);
  assert.deepEqual(cat!.arraySync(), Array(10).fill([1, 0]));
  const bin = await imageDatasetFromDirectory(dir, { ...base, labelMode: 'binary' }).toArray();
  assert.deepEqual(bin.at(-1)![1].shape, [10, 1]);
  assert.equal(bin.at(-1)![1].dtype, 'float32');
  assert.deepEqual(bin.at(-1)![1].arraySync(), Array(10).fill([1]));
  const images = await imageDatasetFromDirectory(dir, { ...base, labelMode: null }).toArray();
  assert.ok(images.every((b) => b instanceof nb.Tensor));
  assert.deepEqual(images[0]!.shape, [10, 8, 8, 3]);
});

test('color modes: grayscale 1 channel, rgb 3, rgba 4 (opaque alpha)', async () => {
  for (const [colorMode, c] of [['grayscale', 1], ['rgb', 3], ['rgba', 4]] as const) {
    const [[x]] = await imageDatasetFromDirectory(dir, quiet({ imageSize: [12, 12], batchSize: 4, colorMode, seed: 2 })).take(1).toArray();
    assert.deepEqual(x!.shape, [4, 12, 12, c], colorMode);
    if (c === 4) assert.ok(nb.slice(x!, [0, 0, 0, 3], [-1, -1, -1, 1]).dataSync().every((a) => a === 255));
  }
});

test('seeded validation split: reproducible, disjoint, complete; "both" matches separate calls', async (t) => {
  t.mock.method(console, 'log', () => {});
  const opts = { imageSize: [16, 16] as const, batchSize: 8, validationSplit: 0.25, seed: 123 };
  const train = imageDatasetFromDirectory(dir, { ...opts, subset: 'training' });
  const val = imageDatasetFromDirectory(dir, { ...opts, subset: 'validation' });
  assert.equal(train.filePaths.length, 45);
  assert.equal(val.filePaths.length, 15);
  assert.equal(new Set([...train.filePaths, ...val.filePaths]).size, 60);
  assert.deepEqual(imageDatasetFromDirectory(dir, { ...opts, subset: 'validation' }).filePaths, val.filePaths);
  assert.notDeepEqual(imageDatasetFromDirectory(dir, { ...opts, seed: 124, subset: 'validation' }).filePaths, val.filePaths);
  const [bt, bv] = imageDatasetFromDirectory(dir, { ...opts, subset: 'both' });
  assert.deepEqual(bt.filePaths, train.filePaths);
  assert.deepEqual(bv.filePaths, val.filePaths);
  assert.deepEqual(bv.classNames, ['cls_a', 'cls_b']);
  // Iterating gives the subset's images (labels agree with the folders of its files).
  const got = (await val.toArray()).reduce((n, [x]) => n + x.shape[0]!, 0);
  assert.equal(got, 15);
  const ordered = imageDatasetFromDirectory(dir, { ...opts, subset: 'validation', shuffle: false, seed: undefined });
  const labels = (await ordered.toArray()).flatMap(([, y]) => Array.from(y.dataSync()));
  assert.deepEqual(labels, ordered.filePaths.map((p) => (p.includes('cls_a') ? 0 : 1)));
});

test('shuffling: each pass reshuffles the same files; the same seed gives the same order', async () => {
  const make = (): ReturnType<typeof imageDatasetFromDirectory> =>
    imageDatasetFromDirectory(dir, quiet({ imageSize: [4, 4], batchSize: null, seed: 9 }));
  const sig = async (ds: ReturnType<typeof imageDatasetFromDirectory>): Promise<string[]> =>
    (await ds.toArray()).map(([x]) => Array.from(x.dataSync().slice(20, 30)).join(','));
  const ds = make();
  const first = await sig(ds);
  const second = await sig(ds);
  assert.notDeepEqual(second, first);
  assert.deepEqual([...second].sort(), [...first].sort());
  assert.deepEqual(await sig(make()), first);
});

test('decoding is lazy: a file broken after listing is skipped when reached, with one warning per pass', async () => {
  const lazyRoot = mkdtempSync(join(tmpdir(), 'nabla-imgds-lazy-'));
  try {
    for (const folder of ['a', 'b']) {
      mkdirSync(join(lazyRoot, folder));
      for (let i = 0; i < 3; i++) writeImage(join(lazyRoot, folder, `${i}.png`), nb.fill([5, 5, 1], 40 * i, 'int32'));
    }
    const ds = imageDatasetFromDirectory(lazyRoot, quiet({ imageSize: [5, 5], batchSize: 2, shuffle: false }));
    const victim = join(lazyRoot, 'b', '1.png');
    writeFileSync(victim, readFileSync(victim).subarray(0, 40)); // valid header, truncated data
    const warnings = await warningsDuring(async () => {
      const batches = await ds.toArray();
      assert.equal(batches.reduce((n, [x]) => n + x.shape[0]!, 0), 5);
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /skipped 1 of 6 .*b\/1\.png \(corrupt or truncated image data\)/);
    // Reported once: a second pass skips it silently.
    assert.deepEqual(await warningsDuring(() => ds.toArray()), []);
    // Directly readable files still decode to what was written.
    assert.deepEqual(Array.from(readImage(join(lazyRoot, 'a', '2.png')).dataSync()), Array(25).fill(80));
  } finally {
    rmSync(lazyRoot, { recursive: true, force: true });
  }
});

test('errors: missing/empty folder, single class, binary with 3 classes, split without seed, bad options', () => {
  const errRoot = mkdtempSync(join(tmpdir(), 'nabla-imgds-err-'));
  try {
    assert.throws(() => imageDatasetFromDirectory(join(errRoot, 'nope')), (e: Error) => e instanceof nb.NotFoundError && /no folder at/.test(e.message));
    assert.throws(() => imageDatasetFromDirectory(errRoot), /has no subfolders; expected one folder per class/);
    mkdirSync(join(errRoot, 'only'));
    writeImage(join(errRoot, 'only', 'x.png'), nb.zeros([2, 2, 1]));
    assert.throws(() => imageDatasetFromDirectory(errRoot), /a single class folder \('only'\).*labelMode: null/);
    const single = imageDatasetFromDirectory(errRoot, quiet({ labelMode: null, imageSize: [2, 2] }));
    assert.deepEqual(single.classNames, ['only']);
    mkdirSync(join(errRoot, 'empty'));
    mkdirSync(join(errRoot, 'third'));
    writeFileSync(join(errRoot, 'third', 'anim.gif'), 'GIF89a');
    assert.throws(() => imageDatasetFromDirectory(errRoot, { classNames: ['empty', 'third'] }), /no image files \(\.png, \.jpg, \.jpeg\).*1 files of other image formats/);
    assert.throws(() => imageDatasetFromDirectory(errRoot, { labelMode: 'binary' }), /labelMode 'binary' needs exactly 2 classes, but there are 3/);
    assert.throws(() => imageDatasetFromDirectory(errRoot, { classNames: ['only', 'missing'] }), (e: Error) => e instanceof nb.NotFoundError && /'missing', which is not a subfolder/.test(e.message));
  } finally {
    rmSync(errRoot, { recursive: true, force: true });
  }
  assert.throws(() => imageDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' }), /give a seed/);
  assert.throws(() => imageDatasetFromDirectory(dir, { validationSplit: 0.2 }), /validationSplit and subset go together/);
  assert.throws(() => imageDatasetFromDirectory(dir, { subset: 'validation', seed: 1 }), /validationSplit and subset go together/);
  assert.throws(() => imageDatasetFromDirectory(dir, { validationSplit: 1.5, subset: 'training', seed: 1 }), /between 0 and 1/);
  assert.throws(() => imageDatasetFromDirectory(dir, { imageSize: [0, 3] as never }), /imageSize must be/);
  assert.throws(() => imageDatasetFromDirectory(dir, { batchSize: 0 }), /batchSize must be a positive integer or null/);
  assert.throws(() => imageDatasetFromDirectory(dir, { colorMode: 'cmyk' as never }), /colorMode must be/);
  assert.throws(() => imageDatasetFromDirectory(dir, { labelMode: 'sparse' as never }), /labelMode must be/);
});

test('fit trains on the dataset (sneakers vs ankle boots)', async () => {
  nb.setSeed(5);
  const ds = imageDatasetFromDirectory(dir, quiet({ imageSize: [14, 14], batchSize: 12, colorMode: 'grayscale', seed: 3, labelMode: 'binary' }));
  const model = nb.keras.sequential([L.rescaling({ scale: 1 / 255, inputShape: [14, 14, 1] }), L.flatten(), L.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(ds, { epochs: 6, verbose: 0 });
  const acc = h.history['accuracy']!;
  assert.ok(acc.at(-1)! >= 0.8, `accuracy ${acc.join(', ')}`);
});
