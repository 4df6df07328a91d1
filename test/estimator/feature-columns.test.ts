import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const fc = nb.featureColumn;
const rows = (t: nb.Tensor): number[][] => {
  const [n, d] = t.shape as [number, number];
  return Array.from({ length: n }, (_, i) => Array.from(t.values.subarray(i * d, (i + 1) * d), Number));
};
const layer = (cols: nb.featureColumn.FeatureColumn[], f: nb.featureColumn.FeatureRecord) => rows(fc.denseFeatures(cols).transform(f));

test('numericColumn: raw values as [batch, shape], normalizer applied, shape checked', () => {
  assert.deepEqual(layer([fc.numericColumn('a')], { a: nb.tensor([1, 2, 3]) }), [[1], [2], [3]]);
  assert.deepEqual(layer([fc.numericColumn('a', { normalizer: (x) => nb.div(nb.sub(x, 2), 2) })], { a: [0, '4'] }), [[-1], [1]]);
  assert.deepEqual(layer([fc.numericColumn('v', { shape: 2 })], { v: nb.tensor([[1, 2], [3, 4]]) }), [[1, 2], [3, 4]]);
  assert.throws(() => layer([fc.numericColumn('v', { shape: 3 })], { v: nb.tensor([[1, 2]]) }), (e: Error) => e instanceof nb.ShapeError && /'v'/.test(e.message) && /\[batch, 3\]/.test(e.message) && /\[1, 2\]/.test(e.message) && /shape: 2/.test(e.message));
  assert.throws(() => layer([fc.numericColumn('a')], { a: ['1', 'abc'] }), (e: Error) => e instanceof nb.InvalidArgumentError && /row 1/.test(e.message) && /"abc"/.test(e.message) && /'a'/.test(e.message));
});

test('bucketizedColumn: (-inf,0) [0,10) [10,inf) one-hot; ids usable by other columns', () => {
  const b = fc.bucketizedColumn(fc.numericColumn('x'), [0, 10]);
  assert.equal(b.name, 'x_bucketized');
  assert.deepEqual(layer([b], { x: [-5, 0, 9.9, 10, 100] }), [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]);
  assert.deepEqual(Array.from(b.ids({ x: [-5, 10] })), [0, 2]);
  assert.throws(() => fc.bucketizedColumn(fc.numericColumn('x'), [3, 1]), nb.InvalidArgumentError);
});

test('vocabulary list: known values, unknown -> no id (zeros) or default, OOV buckets after the vocabulary', () => {
  const c = fc.categoricalColumnWithVocabularyList('color', ['red', 'green', 'blue']);
  assert.deepEqual(Array.from(c.ids({ color: ['blue', 'red', 'purple'] })), [2, 0, -1]);
  assert.deepEqual(layer([fc.indicatorColumn(c)], { color: ['blue', 'purple'] }), [[0, 0, 1], [0, 0, 0]]);
  const d = fc.categoricalColumnWithVocabularyList('color', ['red', 'green'], { defaultValue: 1 });
  assert.deepEqual(Array.from(d.ids({ color: ['x'] })), [1]);
  const o = fc.categoricalColumnWithVocabularyList('color', ['red', 'green'], { numOovBuckets: 3 });
  assert.equal(o.numBuckets, 5);
  const id = o.ids({ color: ['purple'] })[0]!;
  assert.equal(id, 2 + (fc.stableHash('purple') % 3));
});

test('identity column: ids as given; out of range is an error unless defaultValue', () => {
  const c = fc.categoricalColumnWithIdentity('k', 4);
  assert.deepEqual(layer([fc.indicatorColumn(c)], { k: nb.tensor([3, 0], [2], 'int32') }), [[0, 0, 0, 1], [1, 0, 0, 0]]);
  assert.throws(() => c.ids({ k: [4] }), (e: Error) => e instanceof nb.InvalidArgumentError && /'k'/.test(e.message) && /\[0, 4\)/.test(e.message) && /defaultValue/.test(e.message));
  assert.deepEqual(Array.from(fc.categoricalColumnWithIdentity('k', 4, { defaultValue: 0 }).ids({ k: [9] })), [0]);
});

test('hash bucket: stable FNV-1a of the string form (known vectors)', () => {
  assert.equal(fc.stableHash(''), 0x811c9dc5);
  assert.equal(fc.stableHash('a'), 0xe40c292c);
  assert.equal(fc.stableHash('foobar'), 0xbf9cf968);
  const c = fc.categoricalColumnWithHashBucket('city', 10);
  assert.deepEqual(Array.from(c.ids({ city: ['a', 'foobar', 3] })), [0xe40c292c % 10, 0xbf9cf968 % 10, fc.stableHash('3') % 10]);
});

test('crossed column: hash of the joined values; columns cross by their ids', () => {
  const x = fc.crossedColumn(['a', 'b'], 7);
  assert.equal(x.name, 'a_X_b');
  assert.deepEqual(Array.from(x.ids({ a: ['u', 'v'], b: [1, 2] })), [fc.stableHash('u\u00011') % 7, fc.stableHash('v\u00012') % 7]);
  const b = fc.bucketizedColumn(fc.numericColumn('n'), [5]);
  const y = fc.crossedColumn([b, 'a'], 100);
  assert.deepEqual(Array.from(y.ids({ n: [1, 9], a: ['u', 'u'] })), [fc.stableHash('0\u0001u') % 100, fc.stableHash('1\u0001u') % 100]);
});

test('embedding column: rows of the table, zeros for no id; the table is a trainable weight', () => {
  const emb = fc.embeddingColumn(fc.categoricalColumnWithVocabularyList('w', ['a', 'b', 'c']), 2);
  const df = fc.denseFeatures([emb]);
  const out = rows(df.transform({ w: ['c', 'zzz', 'a'] }));
  assert.equal(df.trainableWeights.length, 1);
  const table = rows(df.trainableWeights[0]!);
  assert.deepEqual(table.length, 3);
  for (let j = 0; j < 2; j++) {
    assert.ok(Math.abs(out[0]![j]! - table[2]![j]!) < 1e-7);
    assert.equal(out[1]![j]! + 0, 0); // -0 on some backends
    assert.ok(Math.abs(out[2]![j]! - table[0]![j]!) < 1e-7);
  }
  assert.throws(() => fc.embeddingColumn(fc.numericColumn('x') as never, 2), nb.InvalidArgumentError);
});

test('DenseFeatures: columns sorted by name and concatenated; categorical columns one-hot; missing feature named', () => {
  const cols = [fc.numericColumn('z'), fc.categoricalColumnWithIdentity('a', 2)];
  assert.deepEqual(layer(cols, { z: [5, 6], a: [1, 0] }), [[0, 1, 5], [1, 0, 6]]);
  assert.throws(
    () => layer(cols, { z: [5], b: [1] }),
    (e: Error) => e instanceof nb.NotFoundError && /featureColumn 'a'/.test(e.message) && /no key 'a'/.test(e.message) && /they have: z, b/.test(e.message),
  );
});
