import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

let root = '';
const quiet = { verbose: false } as const;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'nabla-text-ds-'));
  // 'folders' layout: class subfolders of .txt files (one text per file), a nested folder too.
  mkdirSync(join(root, 'folders', 'neg', 'more'), { recursive: true });
  mkdirSync(join(root, 'folders', 'pos'));
  writeFileSync(join(root, 'folders', 'neg', 'a.txt'), '  bad film \n');
  writeFileSync(join(root, 'folders', 'neg', 'more', 'b.txt'), 'awful');
  writeFileSync(join(root, 'folders', 'neg', 'skip.md'), 'not a text file');
  for (let i = 0; i < 8; i++) writeFileSync(join(root, 'folders', 'pos', `p${i}.txt`), `good ${i}`);
  // 'files' layout, fortune style: entries separated by lines holding only '%'.
  mkdirSync(join(root, 'files'));
  writeFileSync(join(root, 'files', 'food.txt'), 'Eat well.\n%\nTwo\nlines\n%\n%\n  \n%\nLast one\n');
  writeFileSync(join(root, 'files', 'love.txt'), 'All you need.\r\n%\r\nIs love.\r\n%\r\n');
  // Bad folders.
  mkdirSync(join(root, 'emptyclass', 'a'), { recursive: true });
  mkdirSync(join(root, 'emptyclass', 'b'));
  writeFileSync(join(root, 'emptyclass', 'a', 'x.txt'), 'x');
  mkdirSync(join(root, 'emptyfile'));
  writeFileSync(join(root, 'emptyfile', 'a.txt'), 'entry\n%\n');
  writeFileSync(join(root, 'emptyfile', 'b.txt'), '\n%\n  \n');
});

after(() => rmSync(root, { recursive: true, force: true }));

test("'folders' layout: subfolders are classes, .txt files (recursively) are texts, trimmed", async () => {
  const ds = nb.data.textDatasetFromDirectory(join(root, 'folders'), { ...quiet, shuffle: false, batchSize: 4 });
  assert.equal(ds.layout, 'folders');
  assert.deepEqual(ds.classNames, ['neg', 'pos']);
  assert.deepEqual(ds.texts.slice(0, 3), ['bad film', 'awful', 'good 0']);
  assert.deepEqual([...ds.labels], [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  const batches = await ds.toArray();
  assert.deepEqual(batches.map(([x]) => x.length), [4, 4, 2]);
  assert.deepEqual(batches[2]![1].shape, [2]);
  assert.equal(batches[2]![1].dtype, 'int32');
  assert.equal(ds.cardinality(), 3);
});

test("'files' layout (auto-detected): each .txt file is a class, entries split on '%' lines, empty ones dropped", async () => {
  const ds = nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, entrySeparator: '%', shuffle: false, batchSize: null });
  assert.equal(ds.layout, 'files');
  assert.deepEqual(ds.classNames, ['food', 'love']);
  assert.deepEqual(ds.texts, ['Eat well.', 'Two\nlines', 'Last one', 'All you need.', 'Is love.']);
  const first = (await ds.take(1).toArray())[0]!;
  assert.equal(first[0], 'Eat well.');
  assert.deepEqual(first[1].shape, []);
  // classNames picks and orders the classes.
  const picked = nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, entrySeparator: '%', classNames: ['love', 'food'], shuffle: false });
  assert.deepEqual([...picked.labels], [0, 0, 1, 1, 1]);
  // Without a separator, each non-empty line of a class file is a text (the '%' lines too).
  const lines = nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, layout: 'files', shuffle: false, classNames: ['love'] });
  assert.deepEqual(lines.texts, ['All you need.', '%', 'Is love.', '%']);
});

test('validationSplit: sizes, no overlap, same split for the same seed, reshuffled passes', async () => {
  const dir = join(root, 'folders');
  const opts = { ...quiet, validationSplit: 0.3, seed: 7, batchSize: 3 } as const;
  const [train, val] = nb.data.textDatasetFromDirectory(dir, { ...opts, subset: 'both' });
  // 10 texts: round(10 x 0.3) = 3 validation, 7 training.
  assert.equal(train.texts.length, 7);
  assert.equal(val.texts.length, 3);
  assert.deepEqual([...train.texts, ...val.texts].sort(), nb.data.textDatasetFromDirectory(dir, { ...quiet, shuffle: false }).texts.slice().sort());
  const again = nb.data.textDatasetFromDirectory(dir, { ...opts, subset: 'validation' });
  assert.deepEqual(again.texts, val.texts);
  const other = nb.data.textDatasetFromDirectory(dir, { ...opts, seed: 8, subset: 'validation' });
  assert.notDeepEqual(other.texts.concat([...other.labels].map(String)), val.texts.concat([...val.labels].map(String)));
  // Labels travel with their texts.
  for (let i = 0; i < train.texts.length; i++) assert.equal(train.labels[i], train.texts[i]!.startsWith('good') ? 1 : 0);
  const pass1 = (await train.toArray()).flatMap(([x]) => x);
  const pass2 = (await train.toArray()).flatMap(([x]) => x);
  assert.deepEqual(pass1.slice().sort(), train.texts.slice().sort());
  assert.notDeepEqual(pass1, pass2, 'each pass is reshuffled');
  // The pipeline vectorizes with a TextVectorization layer.
  const tv = nb.keras.layers.textVectorization({ outputSequenceLength: 2 });
  tv.adapt(train.texts);
  const [x] = (await train.map(([t, y]) => [tv.apply(t), y] as const).take(1).toArray())[0]!;
  assert.deepEqual(x.shape, [3, 2]);
});

test('errors: missing folder, empty class, empty file, bad options', () => {
  const is = (path: string, re: RegExp) => (e: Error) => e instanceof nb.data.TextDatasetError && e instanceof nb.data.DatasetError && (e as nb.data.TextDatasetError).path === path && re.test(e.message);
  const missing = join(root, 'nope');
  assert.throws(() => nb.data.textDatasetFromDirectory(missing, quiet), is(missing, /textDatasetFromDirectory: folder '.*nope' not found; expected a folder/));
  assert.throws(() => nb.data.textDatasetFromDirectory(join(root, 'emptyclass'), quiet), is(join(root, 'emptyclass', 'b'), /holds no \.txt files; add texts or leave the class out/));
  assert.throws(
    () => nb.data.textDatasetFromDirectory(join(root, 'emptyfile'), { ...quiet, entrySeparator: '%' }),
    is(join(root, 'emptyfile', 'b.txt'), /holds no text \(entries separated by lines '%'\); remove it or fill it/),
  );
  assert.throws(() => nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, classNames: ['food', 'art'] }), /class\(es\) 'art' not found.*available: food, love/);
  assert.throws(() => nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, validationSplit: 0.2, subset: 'training' }), nb.InvalidArgumentError);
  assert.throws(() => nb.data.textDatasetFromDirectory(join(root, 'files'), { ...quiet, batchSize: 0 }), /batchSize must be a positive integer or null/);
});
