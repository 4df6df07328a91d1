import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { crc32cRef, dbl, flt, int, packedDoubles, readEvents, str, sub } from './reader.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-summary-'));
const enc = (s: string) => new TextEncoder().encode(s);

test('CRC-32C matches the standard test vectors (library and the test reference)', () => {
  assert.equal(nb.summary.crc32c(enc('123456789')), 0xe3069283);
  assert.equal(crc32cRef(enc('123456789')), 0xe3069283);
  assert.equal(nb.summary.crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  assert.equal(nb.summary.crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(nb.summary.crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  const c = crc32cRef(enc('abc'));
  assert.equal(nb.summary.maskedCrc32c(enc('abc')), (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
});

test('event file round-trips: file_version first, scalars, PNG images, histograms, text', () => {
  const dir = tmp();
  const w = nb.summary.createFileWriter(dir);
  assert.match(w.eventFile!, /events\.out\.tfevents\.\d+\./);
  w.scalar('loss', 0.5, 0);
  w.scalar('loss', nb.scalar(0.25), 1);
  const img = nb.tensor(Float32Array.from({ length: 4 * 5 * 3 }, (_, i) => (i % 7) / 6), [4, 5, 3]);
  w.image('sample', img, 2);
  w.image('batch', nb.zeros([5, 3, 2, 1]), 2, { maxOutputs: 2 });
  w.histogram('weights', nb.tensor([1, 2, 2, 3, 4, 10]), 3, { buckets: 3 });
  w.text('note', 'hello *world*', 4);
  w.close();
  const events = readEvents(w.eventFile!);
  assert.equal(events[0]!.fileVersion, 'brain.Event:2');
  assert.ok(events[0]!.wallTime > 1.5e9);
  const [s0, s1, im, batch, hist, txt] = events.slice(1);
  assert.equal(str(s0!.values[0]!, 1), 'loss');
  assert.equal(flt(s0!.values[0]!, 2), 0.5);
  assert.equal(s1!.step, 1);
  assert.equal(flt(s1!.values[0]!, 2), 0.25);
  // Summary.Image: height 1, width 2, colorspace 3, encoded_image_string 4.
  assert.equal(im!.step, 2);
  const image = sub(im!.values[0]!, 4);
  assert.deepEqual([int(image, 1), int(image, 2), int(image, 3)], [4, 5, 3]);
  const decoded = nb.data.image.decodePng(image.get(4)![0]!.bytes!);
  assert.deepEqual(decoded.shape, [4, 5, 3]);
  assert.deepEqual(Array.from(decoded.values), Array.from(img.values, (v) => Math.round(v * 255)));
  assert.deepEqual(batch!.values.map((v) => str(v, 1)), ['batch/image/0', 'batch/image/1']);
  // HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7.
  const h = sub(hist!.values[0]!, 5);
  assert.deepEqual([dbl(h, 1), dbl(h, 2), dbl(h, 3), dbl(h, 4), dbl(h, 5)], [1, 10, 6, 22, 134]);
  assert.deepEqual(packedDoubles(h, 6), [4, 7, 10]);
  assert.deepEqual(packedDoubles(h, 7), [5, 0, 1]);
  // Text: metadata.plugin_data.plugin_name = "text", tensor { dtype 7 (DT_STRING), string_val 8 }.
  assert.equal(str(sub(sub(txt!.values[0]!, 9), 1), 1), 'text');
  const tensor = sub(txt!.values[0]!, 8);
  assert.equal(int(tensor, 1), 7);
  assert.equal(str(tensor, 8), 'hello *world*');
});

test('run log: summaries.jsonl, PNG files and run.json metadata', () => {
  const dir = tmp();
  const w = nb.summary.createFileWriter(dir, { metadata: { hyperParameters: { lr: 0.01 }, dataset: 'digits' } });
  w.scalar('loss', 1.5, 0);
  w.scalar('loss', NaN, 1);
  w.image('img', nb.ones([2, 2]), 1);
  w.histogram('h', [1, 2, 3], 1);
  w.setMetadata({ note: 'x' });
  w.close();
  const lines = readFileSync(join(dir, 'summaries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.kind, l.tag, l.step]), [['scalar', 'loss', 0], ['scalar', 'loss', 1], ['image', 'img', 1], ['histogram', 'h', 1]]);
  assert.equal(lines[0].value, 1.5);
  assert.equal(lines[1].value, null);
  assert.deepEqual(nb.data.image.decodePng(readFileSync(join(dir, lines[2].file))).shape, [2, 2, 1]);
  assert.equal(lines[3].num, 3);
  const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.equal(meta.format, 'nabla-run');
  assert.equal(meta.dataset, 'digits');
  assert.deepEqual(meta.hyperParameters, { lr: 0.01 });
  assert.equal(meta.backend, nb.getBackend());
  assert.equal(meta.note, 'x');
  assert.equal(typeof meta.command, 'string');
});

test('default writer: asDefault(fn) scopes it, free functions return false without one', async () => {
  const dir = tmp();
  assert.equal(nb.summary.scalar('x', 1, 0), false);
  const w = nb.summary.createFileWriter(dir, { formats: ['runlog'] });
  assert.equal(w.eventFile, null);
  assert.equal(w.asDefault(() => nb.summary.scalar('x', 1, 0)), true);
  assert.equal(nb.summary.getDefaultWriter(), null);
  await w.asDefault(async () => {
    nb.summary.histogram('h', nb.tensor([1, 2]), 0);
    nb.summary.text('t', 'hi', 0);
    nb.summary.image('i', nb.zeros([1, 1, 3]), 0);
  });
  w.asDefault();
  assert.equal(nb.summary.getDefaultWriter(), w);
  w.close();
  assert.equal(nb.summary.getDefaultWriter(), null);
  assert.equal(readFileSync(join(dir, 'summaries.jsonl'), 'utf8').trim().split('\n').length, 4);
  assert.ok(!readdirSync(dir).some((f) => f.includes('tfevents')));
});

test('typed errors name the function, the expected and actual value, and the fix', () => {
  const w = nb.summary.createFileWriter(tmp());
  assert.throws(() => w.scalar('loss', nb.tensor([1, 2, 3]), 0), (e: Error) => e instanceof nb.ShapeError && /nb\.summary\.scalar: expected a scalar.*shape \[3\].*nb\.mean/.test(e.message));
  assert.throws(() => w.image('img', nb.zeros([2, 2, 2, 2, 2]), 0), (e: Error) => e instanceof nb.ShapeError && /nb\.summary\.image: expected an image of shape.*got shape \[2, 2, 2, 2, 2\].*reshape/.test(e.message));
  assert.throws(() => w.image('img', nb.zeros([2, 2, 5]), 0), nb.ShapeError);
  assert.throws(() => w.image('img', nb.fill([2, 2], 300, 'int32'), 0), (e: Error) => e instanceof nb.InvalidArgumentError && /\[0, 255\].*clipByValue/.test(e.message));
  assert.throws(() => w.scalar('loss', 1, -1), (e: Error) => e instanceof nb.InvalidArgumentError && /step must be an integer >= 0/.test(e.message));
  assert.throws(() => w.scalar('', 1, 0), nb.InvalidArgumentError);
  assert.throws(() => w.histogram('h', [1], 0, { buckets: 0 }), nb.InvalidArgumentError);
  w.close();
  assert.throws(() => w.scalar('loss', 1, 0), (e: Error) => e instanceof nb.FailedPreconditionError && /closed.*createFileWriter/.test(e.message));
});

test('Keras TensorBoard callback writes epoch scalars (train/validation), batch scalars and histograms', async () => {
  const dir = tmp();
  nb.setSeed(1);
  const x = nb.tensor(Float32Array.from({ length: 64 }, (_, i) => ((i * 37) % 17) / 17 - 0.5), [32, 2]);
  const y = nb.tensor(Float32Array.from({ length: 32 }, (_, i) => (x.values[2 * i]! + x.values[2 * i + 1]! > 0 ? 1 : 0)), [32, 1]);
  const m = nb.keras.sequential([nb.keras.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const cb = new nb.keras.callbacks.TensorBoard({ logDir: dir, histogramFreq: 1, updateFreq: 2 });
  await m.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [cb] });
  const read = (run: string) => readFileSync(join(dir, run, 'summaries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const train = read('train');
  const epochLoss = train.filter((r) => r.tag === 'epoch_loss');
  assert.deepEqual(epochLoss.map((r) => r.step), [0, 1, 2]);
  assert.ok(train.some((r) => r.tag === 'epoch_accuracy'));
  assert.ok(train.filter((r) => r.tag === 'batch_loss').length >= 4, 'updateFreq 2 with 3 batches/epoch x 3 epochs');
  assert.ok(train.filter((r) => r.kind === 'histogram').length >= 6);
  const val = read('validation');
  assert.deepEqual(val.filter((r) => r.tag === 'epoch_loss').map((r) => r.step), [0, 1, 2]);
  const evFile = readdirSync(join(dir, 'train')).find((f) => f.startsWith('events.out.tfevents.'))!;
  const events = readEvents(join(dir, 'train', evFile));
  const tags = new Set(events.flatMap((e) => e.values.map((v) => str(v, 1))));
  assert.ok(tags.has('epoch_loss') && tags.has('batch_loss'));
  assert.ok(existsSync(join(dir, 'validation', 'run.json')));
  assert.throws(() => new nb.keras.callbacks.TensorBoard({ updateFreq: 0 }), nb.InvalidArgumentError);
});
