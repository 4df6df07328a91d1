import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

// DQN on CartPole-v1, the issue's bar: the mean return of the last 20 episodes reaches 195 within
// 30k env steps in at least 2 of 3 seeds. MLP 64-64, Adam 1e-3, batch 128, Huber, hard target copy
// every 200 steps, ε 1 -> 0.05 over 5k steps, γ 0.98 (the `nabla rl train dqn` defaults). A few
// minutes per seed on 2 busy cores.
test('DQN solves CartPole-v1 (mean of the last 20 returns >= 195) within 30k steps in >= 2 of 3 seeds', (t) => {
  let solved = 0;
  for (const seed of [1, 2, 3]) {
    const r = nb.rl.trainDqn(nb.rl.make('CartPole-v1'), {
      steps: 30000,
      seed,
      gamma: 0.98,
      hidden: [64, 64],
      learningRate: 1e-3,
      batchSize: 128,
      targetUpdateInterval: 200,
      learningStarts: 1000,
      epsilon: nb.rl.linearSchedule(1, 0.05, 5000),
      stopWhen: { window: 20, threshold: 195 },
    });
    const ok = r.stoppedAtStep !== null;
    if (ok) solved++;
    t.diagnostic(
      `seed ${seed}: ${ok ? `solved at step ${r.stoppedAtStep} (episode ${r.returns.length})` : `not solved, last-20 mean ${(r.returns.slice(-20).reduce((a, b) => a + b, 0) / 20).toFixed(1)}`}, ${Math.round(r.stepsPerSecond)} steps/s`,
    );
  }
  assert.ok(solved >= 2, `${solved} of 3 seeds solved`);
});
