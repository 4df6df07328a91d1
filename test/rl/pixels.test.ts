import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('Breakout-Pixels: 210x160 RGB frames with six rows of bricks, FIRE launches, a missed ball costs a life', () => {
  const env = new nb.rl.BreakoutPixels({ lives: 2 });
  const [obs, info] = env.reset({ seed: 0 });
  assert.equal(obs.length, 210 * 160 * 3);
  assert.equal(info.lives, 2);
  assert.equal(env.bricks.length, 6 * 18);
  // A brick pixel (row 0 at y 57, red) and the background.
  assert.deepEqual(Array.from(obs.subarray((58 * 160 + 20) * 3, (58 * 160 + 20) * 3 + 3)), [200, 72, 72]);
  assert.deepEqual(Array.from(obs.subarray((120 * 160 + 80) * 3, (120 * 160 + 80) * 3 + 3)), [0, 0, 0]);
  assert.equal(env.inPlay, false);
  env.step(0);
  assert.equal(env.inPlay, false, 'NOOP does not launch');
  env.step(1);
  assert.equal(env.inPlay, true);
  // Move the paddle away from the ball and wait: the ball is lost.
  env.paddleX = env.ballX < 80 ? 136 : 8;
  env.vx = 0;
  let lost = false;
  for (let t = 0; t < 200 && !lost; t++) {
    const [, , terminated, , i] = env.step(0);
    assert.equal(terminated, false);
    lost = i.lives === 1;
  }
  assert.ok(lost);
  assert.equal(env.inPlay, false);
});

test('Breakout-Pixels: a ball rising into the bricks scores the row points and bounces', () => {
  const env = new nb.rl.BreakoutPixels();
  env.reset({ seed: 1 });
  env.inPlay = true;
  env.ballX = 40;
  env.ballY = 57 + 6 * 6 + 1; // just below the bottom row (1 point)
  env.vx = 0;
  env.vy = -3;
  const [, reward] = env.step(0);
  assert.equal(reward, 1);
  assert.equal(env.vy, 3);
  assert.equal(env.bricks[5 * 18 + 4], 0);
});

test('Atari preprocessing: grayscale, 84x84 resize, frame skip 4 with max of the last two frames, 4-frame stack', () => {
  const env = nb.rl.atariWrappers(nb.rl.make('Breakout-Pixels'));
  assert.deepEqual(env.observationSpace.shape, [84, 84, 4]);
  const [obs] = env.reset({ seed: 0 });
  assert.equal(obs.length, 84 * 84 * 4);
  // At reset the stack repeats the first frame.
  for (let p = 0; p < 84 * 84; p += 97) for (let f = 1; f < 4; f++) assert.equal(obs[p * 4 + f], obs[p * 4]);
  const [next, , , , info] = env.step(1);
  assert.equal(info.lives, 5);
  let differs = false;
  for (let p = 0; p < 84 * 84; p++) if (next[p * 4 + 3] !== next[p * 4 + 2]) differs = true;
  assert.ok(differs, 'the newest frame shows the launched ball');
  assert.equal(env.render().shape.join(','), '210,160,3');

  // Each wrapper on a small synthetic image env.
  class Solid extends nb.rl.Env<Float32Array, number> {
    readonly observationSpace = new nb.rl.Box(0, 255, [4, 6, 3]);
    readonly actionSpace = new nb.rl.Discrete(2);
    t = 0;
    protected resetEnv(): [Float32Array, nb.rl.Info] {
      this.t = 0;
      return [this.frameAt(0), {}];
    }
    protected stepEnv(): nb.rl.StepResult<Float32Array> {
      this.t++;
      return [this.frameAt(this.t), 1, false, false, {}];
    }
    frameAt(t: number): Float32Array {
      return new Float32Array(4 * 6 * 3).map((_, i) => (i % 3 === 0 ? 10 * t : i % 3 === 1 ? 100 : 0) + (t === 3 ? 50 : 0));
    }
    protected renderEnv(): nb.Tensor {
      return nb.zeros([1, 1, 3], 'int32');
    }
  }
  const gray = new nb.rl.GrayscaleObservation(new Solid());
  const [g] = gray.reset();
  assert.deepEqual(gray.observationSpace.shape, [4, 6, 1]);
  assert.ok(Math.abs(g[0]! - 0.587 * 100) < 1e-4);
  const resized = new nb.rl.ResizeObservation(gray, [2, 3]);
  const [rz] = resized.reset();
  assert.equal(rz.length, 6);
  assert.ok(rz.every((v) => Math.abs(v - 0.587 * 100) < 1e-4), 'a uniform image stays uniform');
  const skip = new nb.rl.FrameSkip(new Solid(), 4);
  skip.reset();
  const [s, reward] = skip.step(0);
  assert.equal(reward, 4);
  // Frames 3 (+50) and 4: max per value. Channel 0: max(30+50, 40) = 80.
  assert.equal(s[0], 80);
  assert.equal(s[1], 150);
  const stack = new nb.rl.FrameStack(new nb.rl.GrayscaleObservation(new Solid()), 3);
  stack.reset();
  stack.step(0);
  const [st] = stack.step(0);
  assert.deepEqual(stack.observationSpace.shape, [4, 6, 3]);
  assert.deepEqual(Array.from(st.subarray(0, 3)).map((v) => Math.round(v * 1000) / 1000), [0, 1, 2].map((t) => Math.round((0.299 * 10 * t + 58.7) * 1000) / 1000));
  assert.throws(() => new nb.rl.FrameStack(nb.rl.make('CartPole-v1') as nb.rl.Env<Float32Array, number>), /expected image observations Box \[h, w, c\]/);
});
