import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('Discrete and Box: sample stays inside, contains rejects outsiders, seeding repeats samples', () => {
  const d = new nb.rl.Discrete(3, 0, 7);
  const draws = Array.from({ length: 50 }, () => d.sample());
  assert.ok(draws.every((x) => d.contains(x)));
  assert.deepEqual(new Set(draws), new Set([0, 1, 2]));
  assert.equal(d.contains(3), false);
  assert.equal(d.contains(1.5), false);
  assert.equal(d.contains('1'), false);
  d.seed(1);
  const a = [d.sample(), d.sample(), d.sample()];
  d.seed(1);
  assert.deepEqual([d.sample(), d.sample(), d.sample()], a);
  assert.equal(d.toString(), 'Discrete(3)');

  const b = new nb.rl.Box([-1, 0], [1, 2]);
  for (let i = 0; i < 20; i++) assert.ok(b.contains(b.sample()));
  assert.equal(b.contains(new Float32Array([0, 3])), false);
  assert.equal(b.contains([0, 1]), false);
  assert.deepEqual(b.shape, [2]);
  assert.throws(() => new nb.rl.Box([1], [0]), nb.InvalidArgumentError);
});

test('step: an action outside the space is an InvalidArgumentError naming the env, the space and the value', () => {
  const env = nb.rl.make('CartPole-v1');
  env.reset({ seed: 0 });
  assert.throws(
    () => env.step(2),
    (e: unknown) => e instanceof nb.InvalidArgumentError && /CartPole-v1\.step: invalid action 2; expected an element of the action space Discrete\(2\)/.test(e.message),
  );
  assert.throws(() => env.step(0.5), nb.InvalidArgumentError);
  const lake = nb.rl.make('FrozenLake-v1');
  lake.reset();
  assert.throws(() => lake.step(-1), /FrozenLake-v1\.step: invalid action -1; expected .*Discrete\(4\)/);
});

test('step before reset and after the episode ended is a FailedPreconditionError telling to reset', () => {
  const env = nb.rl.make('FrozenLake-v1', { isSlippery: false });
  assert.throws(() => env.step(0), (e: unknown) => e instanceof nb.FailedPreconditionError && /has not been reset; call env.reset\(\)/.test(e.message));
  env.reset({ seed: 0 });
  // 4x4 map: moving down from S twice reaches the hole at row 2? No: (2,0) is F; row 1 col 1 is H. Right then down falls in.
  env.step(2);
  const [, , terminated] = env.step(1);
  assert.equal(terminated, true);
  assert.throws(() => env.step(0), (e: unknown) => e instanceof nb.FailedPreconditionError && /FrozenLake-v1\.step: the episode has ended .*call env\.reset\(\)/.test(e.message));
  env.reset();
  env.step(0);
});

test('reset({seed}) makes episodes reproducible', () => {
  const run = () => {
    const env = nb.rl.make('CartPole-v1');
    const [obs] = env.reset({ seed: 123 });
    const [obs2] = env.reset();
    return [...obs, ...obs2];
  };
  assert.deepEqual(run(), run());
  const env = nb.rl.make('CartPole-v1');
  const [a] = env.reset({ seed: 1 });
  const [b] = env.reset({ seed: 2 });
  assert.notDeepEqual([...a], [...b]);
  for (const v of a) assert.ok(Math.abs(v) <= 0.05);
});

test('TimeLimit truncates; make applies the registered limits; RecordEpisodeStatistics reports returns', () => {
  const env = new nb.rl.RecordEpisodeStatistics(nb.rl.make('MountainCar-v0'));
  env.reset({ seed: 0 });
  let steps = 0;
  let last: nb.rl.StepResult<Float32Array> | null = null;
  for (;;) {
    last = env.step(1);
    steps++;
    if (last[2] || last[3]) break;
  }
  assert.equal(steps, 200);
  assert.equal(last[2], false);
  assert.equal(last[3], true);
  assert.deepEqual({ r: (last[4].episode as nb.rl.EpisodeStatistics).r, l: (last[4].episode as nb.rl.EpisodeStatistics).l }, { r: -200, l: 200 });
  assert.deepEqual(env.returns, [-200]);

  const short = nb.rl.make('CartPole-v1', { maxEpisodeSteps: 3 });
  short.reset({ seed: 0 });
  short.step(0);
  short.step(1);
  assert.equal(short.step(0)[3], true);
  assert.equal(nb.rl.make('FrozenLake8x8-v1').spec?.maxEpisodeSteps, 200);
  assert.equal(nb.rl.make('FrozenLake-v1').spec?.maxEpisodeSteps, 100);
  assert.ok(nb.rl.make('FrozenLake-v1').unwrapped instanceof nb.rl.FrozenLake);
  assert.throws(() => nb.rl.make('Pong-v5'), (e: unknown) => e instanceof nb.NotFoundError && /unknown environment 'Pong-v5'; registered: .*CartPole-v1/.test(e.message));
});

test('render() gives an RGB int32 tensor [h, w, 3] for every env', () => {
  for (const id of nb.rl.listEnvs()) {
    const env = nb.rl.make(id);
    env.reset({ seed: 0 });
    const img = env.render();
    assert.equal(img.dtype, 'int32', id);
    assert.equal(img.shape.length, 3, id);
    assert.equal(img.shape[2], 3, id);
    const data = img.dataSync();
    assert.ok(data.every((v) => v >= 0 && v <= 255), id);
  }
});
