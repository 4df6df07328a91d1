import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const { Dataset } = nb.data;

/** Scalars of a dataset of scalar tensors, as numbers. */
async function nums(ds: nb.data.Dataset<nb.Tensor>): Promise<number[]> {
  return (await ds.toArray()).map((t) => t.item());
}

async function rows(ds: nb.data.Dataset<nb.Tensor>): Promise<unknown[]> {
  return (await ds.toArray()).map((t) => t.arraySync());
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('fromTensorSlices keeps order and nesting (tensor, tuple, record), and for await works', async () => {
  const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);
  const y = nb.tensor([0, 1, 2], undefined, 'int32');
  assert.deepEqual(await rows(Dataset.fromTensorSlices(x)), [[1, 2], [3, 4], [5, 6]]);
  const pairs = Dataset.fromTensorSlices([x, y]);
  assert.equal(pairs.cardinality(), 3);
  const seen: unknown[] = [];
  for await (const [xi, yi] of pairs) seen.push([xi.arraySync(), yi.item(), yi.dtype]);
  assert.deepEqual(seen, [[[1, 2], 0, 'int32'], [[3, 4], 1, 'int32'], [[5, 6], 2, 'int32']]);
  const rec = await Dataset.fromTensorSlices({ a: x, b: { c: y } }).toArray();
  assert.deepEqual(rec.map((e) => [e.a.arraySync(), e.b.c.item()]), [[[1, 2], 0], [[3, 4], 1], [[5, 6], 2]]);
  assert.deepEqual(await pairs.elementSpec(), [{ shape: [2], dtype: 'float32' }, { shape: [], dtype: 'int32' }]);
});

test('fromTensorSlices: sizes that disagree and scalars are ShapeErrors naming the parts', () => {
  assert.throws(() => Dataset.fromTensorSlices([nb.zeros([3, 2]), nb.zeros([4])]), (e: Error) => e instanceof nb.ShapeError && /\[0\] has 3 rows but \[1\] has 4/.test(e.message));
  assert.throws(() => Dataset.fromTensorSlices({ a: nb.zeros([2]), b: nb.zeros([5]) }), (e: Error) => e instanceof nb.ShapeError && /\.a has 2 rows but \.b has 5/.test(e.message));
  assert.throws(() => Dataset.fromTensorSlices(nb.scalar(1)), nb.ShapeError);
  assert.throws(() => Dataset.fromTensorSlices([nb.zeros([2]), 3 as unknown as nb.Tensor]), /must be Tensors/);
});

test('range, batch with and without dropRemainder, and cardinality', async () => {
  assert.deepEqual(await nums(Dataset.range(4)), [0, 1, 2, 3]);
  assert.deepEqual(await nums(Dataset.range(10, 0, -3)), [10, 7, 4, 1]);
  assert.equal(Dataset.range(10, 0, -3).cardinality(), 4);
  assert.deepEqual(await rows(Dataset.range(5).batch(2)), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(await rows(Dataset.range(5).batch(2, { dropRemainder: true })), [[0, 1], [2, 3]]);
  assert.equal(Dataset.range(5).batch(2).cardinality(), 3);
  assert.equal(Dataset.range(5).batch(2, { dropRemainder: true }).cardinality(), 2);
  const [first] = await Dataset.fromTensorSlices([nb.ones([5, 3]), nb.zeros([5])]).batch(4).toArray();
  assert.deepEqual(first![0].shape, [4, 3]);
  assert.deepEqual(first![1].shape, [4]);
  assert.throws(() => Dataset.range(3).batch(0), nb.InvalidArgumentError);
});

test('batch of elements with different shapes is a clear ShapeError', async () => {
  const ds = Dataset.fromGenerator(function* () {
    yield nb.zeros([2]);
    yield nb.zeros([3]);
  }).batch(2);
  await assert.rejects(ds.toArray(), (e: Error) => e instanceof nb.ShapeError && /element 1 has shape \[3\] but element 0 has \[2\]/.test(e.message));
});

test('unbatch is the inverse of batch', async () => {
  const x = nb.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
  const y = nb.tensor([0, 1, 2, 3, 4], undefined, 'int32');
  const back = await Dataset.fromTensorSlices([x, y]).batch(2).unbatch().toArray();
  const direct = await Dataset.fromTensorSlices([x, y]).toArray();
  assert.deepEqual(back.map(([a, b]) => [a.arraySync(), b.item()]), direct.map(([a, b]) => [a.arraySync(), b.item()]));
});

test('shuffle: a seed gives the same order every time; each iteration reshuffles unless told not to', async () => {
  const a = Dataset.range(50).shuffle(50, { seed: 7 });
  const b = Dataset.range(50).shuffle(50, { seed: 7 });
  const a1 = await nums(a);
  assert.deepEqual(await nums(b), a1, 'same seed, same first order');
  assert.notDeepEqual(a1, range(50), 'it does shuffle');
  assert.deepEqual([...a1].sort((p, q) => p - q), range(50), 'a permutation');
  const a2 = await nums(a);
  assert.notDeepEqual(a2, a1, 'second pass reshuffles');
  assert.deepEqual(await nums(b), a2, 'the sequence of orders is reproducible too');
  const fixed = Dataset.range(50).shuffle(50, { seed: 7, reshuffleEachIteration: false });
  assert.deepEqual(await nums(fixed), await nums(fixed));
  assert.notDeepEqual(await nums(Dataset.range(50).shuffle(50, { seed: 8 })), a1, 'another seed, another order');
});

test('shuffle without a seed follows nb.setSeed', async () => {
  nb.setSeed(3);
  const first = await nums(Dataset.range(30).shuffle(30));
  nb.setSeed(3);
  assert.deepEqual(await nums(Dataset.range(30).shuffle(30)), first);
});

test('shuffle buffer semantics: size 1 keeps order; a small buffer only moves elements forward a little', async () => {
  assert.deepEqual(await nums(Dataset.range(20).shuffle(1, { seed: 1 })), range(20));
  const out = await nums(Dataset.range(100).shuffle(3, { seed: 2 }));
  assert.deepEqual([...out].sort((p, q) => p - q), range(100));
  // Output i comes from the first i + 3 elements: a buffer of 3 can hold it back, not bring it forward by more.
  out.forEach((v, i) => assert.ok(v <= i + 2, `element ${v} at position ${i}`));
  assert.notDeepEqual(out, range(100));
});

test('repeat, take, skip, concatenate, zip (array and record) and their cardinalities', async () => {
  assert.deepEqual(await nums(Dataset.range(3).repeat(2)), [0, 1, 2, 0, 1, 2]);
  assert.equal(Dataset.range(3).repeat(2).cardinality(), 6);
  assert.equal(Dataset.range(3).repeat().cardinality(), nb.data.INFINITE);
  assert.deepEqual(await nums(Dataset.range(3).repeat().take(7)), [0, 1, 2, 0, 1, 2, 0]);
  assert.equal(Dataset.range(3).repeat().take(7).cardinality(), 7);
  assert.deepEqual(await nums(Dataset.range(6).skip(4)), [4, 5]);
  assert.equal(Dataset.range(6).skip(10).cardinality(), 0);
  assert.deepEqual(await nums(Dataset.range(6).take(-1)), range(6));
  assert.deepEqual(await nums(Dataset.range(2).concatenate(Dataset.range(5, 7))), [0, 1, 5, 6]);
  assert.equal(Dataset.range(2).concatenate(Dataset.range(5, 7)).cardinality(), 4);
  const z = Dataset.zip([Dataset.range(3), Dataset.range(10, 20)]);
  assert.equal(z.cardinality(), 3);
  assert.deepEqual((await z.toArray()).map(([a, b]) => [a.item(), b.item()]), [[0, 10], [1, 11], [2, 12]]);
  const zr = Dataset.zip({ x: Dataset.range(2), y: Dataset.range(5).repeat() });
  assert.equal(zr.cardinality(), 2);
  assert.deepEqual((await zr.toArray()).map((e) => [e.x.item(), e.y.item()]), [[0, 0], [1, 1]]);
  assert.equal(Dataset.range(4).filter((x) => x.item() % 2 === 0).cardinality(), nb.data.UNKNOWN);
  assert.deepEqual(await nums(Dataset.range(6).filter((x) => nb.equal(nb.mod(x, 2), 0))), [0, 2, 4]);
  await assert.rejects(Dataset.range(2).repeat().toArray(), /infinite/);
  await assert.rejects(Dataset.range(2).concatenate(Dataset.zip([Dataset.range(2)]) as never).toArray(), /structure/);
});

test('map (sync and async) and map errors that name the element index', async () => {
  assert.deepEqual(await nums(Dataset.range(4).map((x) => nb.mul(x, 10))), [0, 10, 20, 30]);
  const slow = Dataset.range(3).map(async (x, i) => {
    await new Promise((r) => setTimeout(r, 1));
    return nb.add(x, i);
  });
  assert.deepEqual(await nums(slow), [0, 2, 4]);
  const bad = Dataset.range(5).map((x) => {
    if (x.item() === 3) throw new RangeError('value 3 is not allowed');
    return x;
  });
  await assert.rejects(bad.toArray(), (e: unknown) => {
    assert.ok(e instanceof nb.data.DatasetError);
    assert.equal(e.elementIndex, 3);
    assert.match(e.message, /element 3/);
    assert.match(e.message, /value 3 is not allowed/);
    assert.ok(e.cause instanceof RangeError);
    return true;
  });
});

test('fromGenerator: sync and async generators, restarted on every pass; errors name the element', async () => {
  let starts = 0;
  const sync = Dataset.fromGenerator(function* () {
    starts++;
    for (let i = 0; i < 3; i++) yield nb.scalar(i);
  });
  assert.equal(sync.cardinality(), nb.data.UNKNOWN);
  assert.deepEqual(await nums(sync), [0, 1, 2]);
  assert.deepEqual(await nums(sync), [0, 1, 2]);
  assert.equal(starts, 2);
  const asyncDs = Dataset.fromGenerator(async function* () {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1));
      yield [nb.scalar(i), nb.scalar(i * i)] as const;
    }
  });
  assert.deepEqual((await asyncDs.batch(2).toArray()).map(([a, b]) => [a.arraySync(), b.arraySync()]), [[[0, 1], [0, 1]], [[2], [4]]]);
  const failing = Dataset.fromGenerator(function* () {
    yield nb.scalar(0);
    throw new Error('disk on fire');
  });
  await assert.rejects(failing.toArray(), (e: Error) => e instanceof nb.data.DatasetError && /element 1/.test(e.message) && /disk on fire/.test(e.message));
});

test('prefetch yields the same elements and reads ahead of the consumer', async () => {
  let pulls = 0;
  const src = Dataset.fromGenerator(async function* () {
    for (let i = 0; i < 10; i++) {
      pulls++;
      yield nb.scalar(i);
    }
  });
  assert.deepEqual(await nums(src.prefetch(3)), range(10));
  pulls = 0;
  const it = src.prefetch(3)[Symbol.asyncIterator]();
  const first = await it.next();
  assert.equal((first.value as nb.Tensor).item(), 0);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(pulls, 4, 'one consumed plus three read ahead');
  await it.next();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(pulls, 5);
  await it.return?.();
  // Without prefetch the generator runs only when asked.
  pulls = 0;
  const plain = src[Symbol.asyncIterator]();
  await plain.next();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(pulls, 1);
  await plain.return?.();
  // An error upstream arrives at its element, not before.
  const bad = Dataset.range(5).map((x) => {
    if (x.item() === 2) throw new Error('bad');
    return x;
  });
  const got: number[] = [];
  await assert.rejects(bad.prefetch(4).forEachAsync((x) => got.push(x.item())), /element 2/);
  assert.deepEqual(got, [0, 1]);
});

test('cache replays the first full pass without running map again', async () => {
  let calls = 0;
  const ds = Dataset.range(5)
    .map((x) => {
      calls++;
      return nb.mul(x, 2);
    })
    .cache();
  assert.deepEqual(await nums(ds), [0, 2, 4, 6, 8]);
  assert.equal(calls, 5);
  assert.deepEqual(await nums(ds), [0, 2, 4, 6, 8]);
  assert.deepEqual(await nums(ds.shuffle(5, { seed: 1 }).take(2)).then((v) => v.length), 2);
  assert.equal(calls, 5, 'later passes replay from memory');
  // A pass cut short stores nothing.
  let partial = 0;
  const cut = Dataset.range(4).map((x) => (partial++, x)).cache();
  await cut.take(2).toArray();
  assert.deepEqual(await nums(cut), [0, 1, 2, 3]);
  assert.equal(partial, 6);
  assert.deepEqual(await nums(cut), [0, 1, 2, 3]);
  assert.equal(partial, 6);
});

test('invalid arguments are InvalidArgumentErrors naming the method', () => {
  assert.throws(() => Dataset.range(3).shuffle(0), /Dataset.shuffle: bufferSize/);
  assert.throws(() => Dataset.range(3).take(1.5), /Dataset.take: count/);
  assert.throws(() => Dataset.range(3).repeat(-2), /Dataset.repeat: count/);
  assert.throws(() => Dataset.range(3).prefetch(-3), /Dataset.prefetch/);
  assert.throws(() => Dataset.range(0.5), /Dataset.range: stop/);
  assert.throws(() => Dataset.zip([]), /at least one/);
});
