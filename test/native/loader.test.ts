import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { native } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/load-backend.ts', import.meta.url));

/** Runs the fixture with extra environment variables; returns its JSON line and stderr. */
function load(env: Record<string, string>): { result: Record<string, any>; stderr: string } {
  const base = { ...process.env };
  delete base['NABLA_BACKEND'];
  delete base['NABLA_NUM_THREADS'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { env: { ...base, ...env }, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { result: JSON.parse(line) as Record<string, any>, stderr: r.stderr };
}

test('the native backend loads and becomes active by default, sized to the cores', (t) => {
  if (!native(t)) return;
  const { result, stderr } = load({});
  assert.equal(result['loaded'], true);
  assert.equal(result['again'], true);
  assert.equal(result['backend'], 'native');
  assert.equal(result['info'].threads, availableParallelism());
  assert.match(result['info'].simd, /^(avx2-fma|generic)$/);
  assert.equal(stderr, '');
});

test('NABLA_NUM_THREADS sets the pool size; NABLA_BACKEND=js keeps the TypeScript backend quietly', (t) => {
  if (!native(t)) return;
  assert.equal(load({ NABLA_NUM_THREADS: '1' }).result['info'].threads, 1);
  assert.equal(load({ NABLA_NUM_THREADS: '3', NABLA_BACKEND: 'native' }).result['info'].threads, 3);
  const js = load({ NABLA_BACKEND: 'js' });
  assert.equal(js.result['loaded'], false);
  assert.equal(js.result['backend'], 'js');
  assert.equal(js.stderr, '');
});

test('bad NABLA_BACKEND or NABLA_NUM_THREADS values raise InvalidArgumentError', () => {
  assert.equal(load({ NABLA_BACKEND: 'gpu' }).result['error'], 'InvalidArgumentError');
  assert.equal(load({ NABLA_NUM_THREADS: 'many' }).result['error'], 'InvalidArgumentError');
});
