import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

// The cart-pole equations of Barto, Sutton & Anderson (1983) with Florian's correction, as
// Gymnasium's CartPole-v1 states them, written out here independently of src/rl.
function referenceCartPoleStep(s: number[], action: number): number[] {
  const g = 9.8, mc = 1.0, mp = 0.1, l = 0.5, F = 10, tau = 0.02;
  const [x, xd, th, thd] = s as [number, number, number, number];
  const f = action === 1 ? F : -F;
  const M = mc + mp;
  const temp = (f + mp * l * thd ** 2 * Math.sin(th)) / M;
  const thAcc = (g * Math.sin(th) - Math.cos(th) * temp) / (l * (4 / 3 - (mp * Math.cos(th) ** 2) / M));
  const xAcc = temp - (mp * l * thAcc * Math.cos(th)) / M;
  return [x + tau * xd, xd + tau * xAcc, th + tau * thd, thd + tau * thAcc];
}

function cartPole(): nb.rl.CartPole {
  const env = nb.rl.make('CartPole-v1');
  env.reset({ seed: 0 });
  return env.unwrapped as nb.rl.CartPole;
}

test('CartPole: one push from rest matches the values worked out by hand', () => {
  const env = cartPole();
  env.state.set([0, 0, 0, 0]);
  // temp = 10/1.1 = 100/11; thetaAcc = -(100/11) / (0.5 (4/3 - 0.1/1.1)) = -600/41;
  // xAcc = 100/11 + 0.05 (600/41) / 1.1 = 4400/451. Euler: velocities change by tau * acc.
  const [obs, reward, terminated, truncated] = env.step(1);
  assert.equal(reward, 1);
  assert.equal(terminated, false);
  assert.equal(truncated, false);
  assert.equal(obs[0], 0);
  assert.equal(obs[2], 0);
  assert.ok(Math.abs(obs[1]! - 0.02 * (4400 / 451)) < 1e-7, `xDot ${obs[1]}`);
  assert.ok(Math.abs(obs[3]! + 0.02 * (600 / 41)) < 1e-7, `thetaDot ${obs[3]}`);
  // Pushing left from rest mirrors it.
  env.state.set([0, 0, 0, 0]);
  const [left] = env.step(0);
  assert.ok(Math.abs(left[1]! + 0.02 * (4400 / 451)) < 1e-7);
  assert.ok(Math.abs(left[3]! - 0.02 * (600 / 41)) < 1e-7);
});

test('CartPole: a 60-step trajectory matches the published equations step by step', () => {
  const env = nb.rl.make('CartPole-v1');
  const [obs0] = env.reset({ seed: 11 });
  let ref = Array.from((env.unwrapped as nb.rl.CartPole).state);
  assert.deepEqual(Array.from(obs0), Array.from(Float32Array.from(ref)));
  const actions = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0];
  for (let t = 0; t < 60; t++) {
    // A stabilising controller so the episode lasts, with a fixed pattern mixed in.
    const a = t % 3 === 0 ? actions[t % actions.length]! : ref[2]! + 0.5 * ref[3]! > 0 ? 1 : 0;
    const [obs, reward, terminated] = env.step(a);
    ref = referenceCartPoleStep(ref, a);
    for (let i = 0; i < 4; i++) assert.equal(obs[i], Math.fround(ref[i]!), `t=${t} i=${i}`);
    assert.equal(reward, 1);
    assert.equal(terminated, Math.abs(ref[0]!) > 2.4 || Math.abs(ref[2]!) > (12 * 2 * Math.PI) / 360);
    if (terminated) break;
  }
});

test('CartPole: terminates past 12 degrees or 2.4 m with reward 1 on the last step; truncates at 500', () => {
  const env = cartPole();
  env.state.set([0, 0, 0.2, 1]);
  const [, reward, terminated] = env.step(1);
  assert.equal(terminated, true, 'theta 0.2 + 0.02 > 0.2094 rad');
  assert.equal(reward, 1);
  const env2 = cartPole();
  env2.state.set([2.39, 1, 0, 0]);
  assert.equal(env2.step(1)[2], true, 'x 2.39 + 0.02 > 2.4');
  const env3 = cartPole();
  env3.state.set([0, 0, 0.2, 0]);
  assert.equal(env3.step(0)[2], false, 'theta exactly 0.2 after the step is inside');

  // A linear controller balances the pole indefinitely: the TimeLimit ends the episode at 500.
  const full = nb.rl.make('CartPole-v1');
  let [obs] = full.reset({ seed: 5 });
  let steps = 0;
  let total = 0;
  for (;;) {
    const [next, r, term, trunc] = full.step(obs[2]! + 0.5 * obs[3]! + 0.01 * obs[0]! + 0.1 * obs[1]! > 0 ? 1 : 0);
    steps++;
    total += r;
    obs = next;
    if (term || trunc) {
      assert.equal(term, false);
      assert.equal(trunc, true);
      break;
    }
  }
  assert.equal(steps, 500);
  assert.equal(total, 500);
  assert.equal(full.spec?.rewardThreshold, 475);
});

test('MountainCar: dynamics, the left wall and the goal follow Gymnasium', () => {
  const env = nb.rl.make('MountainCar-v0');
  const [obs] = env.reset({ seed: 0 });
  assert.ok(obs[0]! >= -0.6 && obs[0]! <= -0.4 && obs[1] === 0);
  const car = env.unwrapped as nb.rl.MountainCar;
  car.state.set([-0.5, 0]);
  const [o1, r1] = env.step(2);
  const v = 0.001 - 0.0025 * Math.cos(-1.5);
  assert.equal(o1[1], Math.fround(v));
  assert.equal(o1[0], Math.fround(-0.5 + v));
  assert.equal(r1, -1);
  car.state.set([-1.2, -0.01]);
  const [o2] = env.step(0);
  assert.deepEqual(Array.from(o2), [Math.fround(-1.2), 0]);
  car.state.set([0.49, 0.02]);
  const [o3, , terminated] = env.step(1);
  assert.ok(o3[0]! >= 0.5);
  assert.equal(terminated, true);
});
