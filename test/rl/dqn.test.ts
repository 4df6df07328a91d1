import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

test('ReplayBuffer: ring overwrite, sampling shapes, terminated flags', () => {
  const buf = new nb.rl.ReplayBuffer(3, 2);
  for (let i = 0; i < 5; i++) buf.add([i, i], i % 2, i, [i + 1, i + 1], i === 4);
  assert.equal(buf.size, 3);
  const b = buf.sample(50, new nb.rl.Rng(0));
  assert.equal(b.obs.length, 100);
  const seen = new Set(Array.from(b.rewards));
  assert.deepEqual([...seen].sort(), [2, 3, 4], 'the two oldest were overwritten');
  for (let i = 0; i < 50; i++) {
    assert.equal(b.nextObs[2 * i], b.obs[2 * i]! + 1);
    assert.equal(b.dones[i], b.rewards[i] === 4 ? 1 : 0);
  }
  assert.throws(() => buf.add([1], 0, 0, [1, 2], false), nb.InvalidArgumentError);
});

test('DQN smoke: a few hundred CartPole steps give finite losses, hard target syncs, and a saved agent that acts the same', () => {
  const env = nb.rl.make('CartPole-v1');
  const r = nb.rl.trainDqn(env, { steps: 300, learningStarts: 100, batchSize: 16, targetUpdateInterval: 50, hidden: [16], seed: 3 });
  assert.equal(r.envSteps, 300);
  assert.equal(r.agent.updates, 201);
  assert.equal(r.agent.targetSyncs, 5, 'steps 100, 150, ..., 300');
  const finite = r.losses.filter((l) => !Number.isNaN(l));
  assert.ok(finite.length > 0 && finite.every(Number.isFinite), `losses ${r.losses}`);
  // After a sync the target equals the online network.
  r.agent.syncTarget();
  const a = r.agent.qNetwork.getWeights().map((w) => Array.from(w.dataSync()));
  const b = r.agent.targetNetwork.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(a, b);

  const dir = mkdtempSync(join(tmpdir(), 'nabla-rl-'));
  try {
    const path = join(dir, 'agent.json');
    nb.rl.saveDqnAgent(path, r.agent, { algorithm: 'dqn', env: 'CartPole-v1' });
    const loaded = nb.rl.loadAgent(path);
    assert.equal(loaded.kind, 'dqn');
    const [obs] = env.reset({ seed: 9 });
    for (let i = 0; i < 5; i++) {
      const probe = Float32Array.from(obs, (v, j) => v + 0.1 * i * (j - 1.5));
      assert.equal(loaded.act(probe), r.agent.act(probe, 0));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DQN: soft updates move the target part of the way; Double DQN and dueling heads train', () => {
  nb.setSeed(1);
  const q = nb.rl.mlpQNetwork(4, 2, { hidden: [8], dueling: true });
  const t = nb.rl.mlpQNetwork(4, 2, { hidden: [8], dueling: true });
  const agent = new nb.rl.DqnAgent(q, t, { tau: 0.5, double: true, seed: 0 });
  const before = Array.from(t.getWeights()[0]!.dataSync());
  const buf = new nb.rl.ReplayBuffer(10, 4);
  for (let i = 0; i < 10; i++) buf.add([i / 10, 0, 0, 0], i % 2, 1, [(i + 1) / 10, 0, 0, 0], i === 9);
  const loss = agent.update(buf.sample(8, new nb.rl.Rng(0)));
  assert.ok(Number.isFinite(loss));
  const online = Array.from(q.getWeights()[0]!.dataSync());
  const after = Array.from(t.getWeights()[0]!.dataSync());
  after.forEach((v, i) => assert.ok(Math.abs(v - (0.5 * online[i]! + 0.5 * before[i]!)) < 1e-6));
  // The dueling head's Q values: V + A - mean(A).
  const qs = agent.qValues(new Float32Array([0.3, 0, 0, 0]));
  assert.equal(qs.length, 2);
  assert.throws(() => new nb.rl.DqnAgent(q, t, { tau: 0 }), nb.InvalidArgumentError);
  assert.throws(() => nb.rl.trainDqn(nb.rl.make('FrozenLake-v1') as never, { steps: 10 }), /DQN needs Box observations/);
});

test('the Nature-DQN CNN maps 84x84x4 frames to one Q value per action', () => {
  const net = nb.rl.convQNetwork([84, 84, 4], 4);
  const out = net.predict(nb.zeros([2, 84, 84, 4])) as nb.Tensor;
  assert.deepEqual(out.shape, [2, 4]);
  const conv = net.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => (l.getConfig() as { filters: number }).filters);
  assert.deepEqual(conv, [32, 64, 64]);
});
