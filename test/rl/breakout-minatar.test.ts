import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

function fresh(): nb.rl.BreakoutMinAtar {
  const env = new nb.rl.BreakoutMinAtar({ stickyActionProb: 0 });
  env.reset({ seed: 0 });
  return env;
}

const at = (obs: Float32Array, y: number, x: number, c: number) => obs[(y * 10 + x) * 4 + c];

test('Breakout-MinAtar: start state and 4-channel observation', () => {
  const env = new nb.rl.BreakoutMinAtar();
  const [obs] = env.reset({ seed: 1 });
  assert.deepEqual(env.observationSpace.shape, [10, 10, 4]);
  assert.equal(env.actionSpace.n, 3);
  assert.equal(obs.length, 400);
  assert.equal(at(obs, 9, 4, 0), 1, 'paddle at the bottom, column 4');
  assert.equal(at(obs, 3, env.ballX, 1), 1, 'ball on row 3');
  assert.ok(env.ballX === 0 || env.ballX === 9);
  let bricks = 0;
  for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) bricks += at(obs, y, x, 3)!;
  assert.equal(bricks, 30);
  for (let x = 0; x < 10; x++) for (const y of [1, 2, 3]) assert.equal(at(obs, y, x, 3), 1);
});

test('Breakout-MinAtar: paddle moves and stops at the walls', () => {
  const env = fresh();
  env.ballX = 5; env.ballY = 5; env.ballDir = 0; // keep the ball away from everything
  env.step(1);
  assert.equal(env.paddle, 3);
  env.step(2);
  env.step(2);
  assert.equal(env.paddle, 5);
  env.paddle = 9;
  env.step(2);
  assert.equal(env.paddle, 9);
});

test('Breakout-MinAtar: hitting a brick gives 1, removes it and sends the ball back down', () => {
  const env = fresh();
  // Ball at (row 4, col 5) moving up-right: next cell (3, 6) holds a brick.
  env.ballX = 5; env.ballY = 4; env.ballDir = 1;
  const [obs, reward, terminated] = env.step(0);
  assert.equal(reward, 1);
  assert.equal(terminated, false);
  assert.equal(at(obs, 3, 6, 3), 0, 'brick removed');
  assert.equal(env.ballY, 4, 'ball stays on its row');
  assert.equal(env.ballX, 6);
  assert.equal(env.ballDir, 2, 'now moving down-right');
  assert.equal(at(obs, 4, 5, 2), 1, 'trail at the previous cell');
});

test('Breakout-MinAtar: bounces off the side and top walls', () => {
  const env = fresh();
  env.ballX = 9; env.ballY = 6; env.ballDir = 1; // up-right into the right wall
  env.step(0);
  assert.equal(env.ballX, 9);
  assert.equal(env.ballY, 5);
  assert.equal(env.ballDir, 0, 'now up-left');
  env.bricks.fill(0);
  env.ballX = 4; env.ballY = 0; env.ballDir = 0; // up-left into the ceiling
  env.step(0);
  assert.equal(env.ballY, 0);
  assert.equal(env.ballX, 3);
  assert.equal(env.ballDir, 3, 'now down-left');
});

test('Breakout-MinAtar: the paddle returns the ball; missing it ends the game', () => {
  const env = fresh();
  env.paddle = 4; env.ballX = 4; env.ballY = 8; env.ballDir = 2; // straight above the paddle, down-right
  const [, r1, t1] = env.step(0);
  assert.equal(t1, false);
  assert.equal(r1, 0);
  assert.equal(env.ballY, 8);
  assert.equal(env.ballDir, 1, 'reflected to up-right');
  const env2 = fresh();
  env2.paddle = 5; env2.ballX = 4; env2.ballY = 8; env2.ballDir = 2; // lands on the paddle's cell diagonally
  env2.step(0);
  assert.equal(env2.ballDir, 0, 'edge hit sends it back up-left');
  const env3 = fresh();
  env3.paddle = 0; env3.ballX = 4; env3.ballY = 8; env3.ballDir = 2;
  const [, , t3] = env3.step(0);
  assert.equal(t3, true);
  assert.throws(() => env3.step(0), nb.FailedPreconditionError);
});

test('Breakout-MinAtar: a random policy scores a little and always ends', () => {
  const env = nb.rl.make('Breakout-MinAtar');
  env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  let total = 0;
  for (let ep = 0; ep < 20; ep++) {
    env.reset();
    for (let t = 0; t < 10000; t++) {
      const [, r, term] = env.step(env.actionSpace.sample());
      total += r;
      if (term) break;
      assert.ok(t < 9999);
    }
  }
  assert.ok(total / 20 > 0 && total / 20 < 5, `mean return ${total / 20}`);
});
