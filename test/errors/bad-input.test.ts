import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

/** Asserts `fn` throws `cls` and that the message contains every string in `parts`. */
function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const p of parts) assert.ok((e as Error).message.includes(p), `message '${(e as Error).message}' lacks '${p}'`);
    return true;
  });
}

test('matMul of [2,3] by [4,5] is a ShapeError naming both shapes', () => {
  throwsWith(() => nb.matMul(nb.zeros([2, 3]), nb.zeros([4, 5])), nb.ShapeError, ['matMul', '[2,3]', '[4,5]']);
});

test('reshape to the wrong size is a ShapeError naming both shapes', () => {
  throwsWith(() => nb.reshape(nb.zeros([2, 3]), [4, 2]), nb.ShapeError, ['reshape', '[2,3]', '[4,2]']);
});

test('adding int32 to float32 is a DTypeError naming both dtypes and the fix', () => {
  throwsWith(() => nb.add(nb.zeros([2], 'int32'), nb.zeros([2])), nb.DTypeError, ['add', 'int32', 'float32', 'cast']);
});

test('conv2d with a filter of the wrong rank is a ShapeError naming both shapes', () => {
  throwsWith(() => nb.conv2d(nb.zeros([1, 5, 5, 1]), nb.zeros([3, 3, 1]), 1, 'valid'), nb.ShapeError, ['conv2d', '[1,5,5,1]', '[3,3,1]']);
});

test('broadcasting mismatch and bad axes are clear errors', () => {
  throwsWith(() => nb.add(nb.zeros([2, 3]), nb.zeros([4])), nb.ShapeError, ['add', '[2,3]', '[4]']);
  throwsWith(() => nb.sum(nb.zeros([2, 3]), 2), nb.InvalidArgumentError, ['sum', 'axis 2', 'rank 2']);
  throwsWith(() => nb.log(nb.zeros([2], 'int32')), nb.DTypeError, ['log', 'float32', 'int32']);
});
