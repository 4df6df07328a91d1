import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('FrozenLake 4x4 slippery: Gymnasium map and transition probabilities', () => {
  const lake = new nb.rl.FrozenLake();
  assert.deepEqual(lake.desc, ['SFFF', 'FHFH', 'FFFH', 'HFFG']);
  assert.equal(lake.nStates, 16);
  assert.equal(lake.nActions, 4);
  // State 0, action DOWN (1): intended down (4), or sideways left (stays at 0) and right (1), 1/3 each.
  assert.deepEqual(
    lake.P[0]![1]!.map(([p, s, r, d]) => [p.toFixed(6), s, r, d]),
    [
      [(1 / 3).toFixed(6), 0, 0, false],
      [(1 / 3).toFixed(6), 4, 0, false],
      [(1 / 3).toFixed(6), 1, 0, false],
    ],
  );
  // State 14, action RIGHT: down stays at 14, right reaches the goal 15 (reward 1, terminal), up to 10.
  assert.deepEqual(
    lake.P[14]![2]!.map(([, s, r, d]) => [s, r, d]),
    [
      [14, 0, false],
      [15, 1, true],
      [10, 0, false],
    ],
  );
  // Holes and the goal are absorbing.
  assert.deepEqual(lake.P[5]![0], [[1, 5, 0, true]]);
  assert.deepEqual(lake.P[15]![3], [[1, 15, 0, true]]);
  const firm = new nb.rl.FrozenLake({ isSlippery: false });
  assert.deepEqual(firm.P[0]![2], [[1, 1, 0, false]]);
  const big = new nb.rl.FrozenLake({ map: '8x8' });
  assert.equal(big.nStates, 64);
  assert.equal(big.desc[7], 'FFFHFFFG');
});

test('FrozenLake: sampled transitions follow the model (about 1/3 each way on slippery ice)', () => {
  const env = nb.rl.make('FrozenLake-v1');
  env.reset({ seed: 3 });
  const counts = new Map<number, number>();
  for (let i = 0; i < 3000; i++) {
    env.reset();
    const [s] = env.step(1);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  for (const s of [0, 1, 4]) assert.ok(Math.abs(counts.get(s)! / 3000 - 1 / 3) < 0.04, `state ${s}: ${counts.get(s)}`);
});

// The optimal state values of FrozenLake 4x4 (slippery) for gamma = 0.99, as widely published
// (e.g. in course notebooks), rounded to 3 decimals.
const KNOWN_V = [0.542, 0.499, 0.471, 0.457, 0.558, 0, 0.358, 0, 0.592, 0.643, 0.615, 0, 0, 0.742, 0.863, 0];
// The optimal actions (0 left, 1 down, 2 right, 3 up) where they are unique; holes, goal and
// state 6 (left and right tie) are skipped.
const KNOWN_POLICY: Record<number, number> = { 0: 0, 1: 3, 2: 3, 3: 3, 4: 0, 8: 3, 9: 1, 10: 0, 13: 2, 14: 1 };

test('value iteration on FrozenLake 4x4 slippery (gamma 0.99) finds the known optimal values and policy; rollouts succeed ~74%', () => {
  const env = nb.rl.make('FrozenLake-v1');
  const { V, policy } = nb.rl.valueIteration(env, { gamma: 0.99 });
  V.forEach((v, s) => assert.ok(Math.abs(v - KNOWN_V[s]!) < 6e-4, `V[${s}] = ${v}, known ${KNOWN_V[s]}`));
  for (const [s, a] of Object.entries(KNOWN_POLICY)) assert.equal(policy[Number(s)], a, `state ${s}`);
  const { successRate } = nb.rl.evaluatePolicy(env, policy, { episodes: 3000, seed: 0 });
  assert.ok(successRate > 0.71 && successRate < 0.77, `success rate ${successRate}`);
});

test('policy iteration agrees with value iteration on FrozenLake 4x4 and 8x8', () => {
  for (const map of ['4x4', '8x8'] as const) {
    const env = new nb.rl.FrozenLake({ map });
    const vi = nb.rl.valueIteration(env, { gamma: 0.99 });
    const pi = nb.rl.policyIteration(env, { gamma: 0.99 });
    pi.V.forEach((v, s) => assert.ok(Math.abs(v - vi.V[s]!) < 1e-6, `${map} V[${s}]`));
    pi.policy.forEach((a, s) => assert.ok(Math.abs(vi.Q[s]![a]! - vi.V[s]!) < 1e-6, `${map} state ${s}: action ${a} is not optimal`));
  }
});

test('policy evaluation reproduces Sutton & Barto Figure 4.1 (random policy on the 4x4 gridworld)', () => {
  const g = new nb.rl.GridWorld();
  const { V } = nb.rl.policyEvaluation(g, nb.rl.uniformPolicy(g), { gamma: 1, theta: 1e-8 });
  const book = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0];
  V.forEach((v, s) => assert.ok(Math.abs(v - book[s]!) < 1e-4, `V[${s}] = ${v}, book ${book[s]}`));
  // Optimal values: minus the number of steps to the nearest corner.
  const { V: vStar } = nb.rl.valueIteration(g, { gamma: 1 });
  assert.deepEqual(vStar, [0, -1, -2, -3, -1, -2, -3, -2, -2, -3, -2, -1, -3, -2, -1, 0]);
});

test('GridWorld: walls block, traps end the episode, slip spreads the probability', () => {
  const g = new nb.rl.GridWorld({ map: ['S#G', '.X.'], stepReward: -1, goalReward: 10, trapReward: -5, slip: 0.2 });
  assert.deepEqual(g.P[0]![2]!.map(([p, s]) => [Number(p.toFixed(6)), s]), [
    [0.8, 0],
    [0.1, 0],
    [0.1, 3],
  ]);
  assert.deepEqual(g.P[3]![2]![0], [0.8, 4, -6, true]);
  assert.deepEqual(g.P[5]![3]![0], [0.8, 2, 9, true]);
  assert.throws(() => new nb.rl.GridWorld({ map: ['S?'] }), nb.InvalidArgumentError);
  assert.throws(() => nb.rl.policyEvaluation(nb.rl.make('CartPole-v1') as never, []), /no transition model/);
});

test('Q-learning, SARSA, Expected SARSA and both Monte Carlo controls reach the goal on FrozenLake 4x4 non-slippery', () => {
  const env = nb.rl.make('FrozenLake-v1', { isSlippery: false });
  const runs: [string, nb.rl.TabularControlResult][] = [
    ['q-learning', nb.rl.qLearning(env, { episodes: 1000, alpha: 0.5, seed: 0 })],
    ['sarsa', nb.rl.sarsa(env, { episodes: 1000, alpha: 0.5, seed: 0 })],
    ['expected-sarsa', nb.rl.expectedSarsa(env, { episodes: 1000, alpha: 0.5, seed: 0 })],
    ['first-visit MC', nb.rl.monteCarloControl(env, { episodes: 2000, gamma: 0.95, seed: 0 })],
    ['every-visit MC', nb.rl.monteCarloControl(env, { episodes: 2000, gamma: 0.95, firstVisit: false, seed: 0 })],
  ];
  for (const [name, r] of runs) {
    const { successRate, lengths } = nb.rl.evaluatePolicy(env, r.policy, { episodes: 5 });
    assert.equal(successRate, 1, name);
    assert.equal(lengths[0], 6, `${name}: the greedy path is the shortest (6 steps)`);
    assert.equal(r.returns.length, r.returns.length);
    assert.ok(r.envSteps > 1000, name);
  }
});

test('Q-learning reaches >= 0.70 success on FrozenLake 4x4 slippery', () => {
  const env = nb.rl.make('FrozenLake-v1');
  const r = nb.rl.qLearning(env, { episodes: 20000, alpha: 0.05, gamma: 0.99, seed: 1 });
  const { successRate } = nb.rl.evaluatePolicy(env, r.policy, { episodes: 2000, seed: 7 });
  assert.ok(successRate >= 0.7, `success rate ${successRate}`);
});

test('schedules and action selection', () => {
  const lin = nb.rl.linearSchedule(1, 0.1, 10);
  assert.equal(lin(0), 1);
  assert.ok(Math.abs(lin(5) - 0.55) < 1e-12);
  assert.equal(lin(20), 0.1);
  assert.equal(nb.rl.exponentialSchedule(1, 0.2, 0.5)(1), 0.5);
  assert.equal(nb.rl.exponentialSchedule(1, 0.2, 0.5)(5), 0.2);
  const rng = new nb.rl.Rng(0);
  assert.equal(nb.rl.epsilonGreedy([0, 5, 1], 0, rng), 1);
  nb.rl.epsilonGreedyProbs([0, 5, 5], 0.3).forEach((p, i) => assert.ok(Math.abs(p - [0.1, 0.45, 0.45][i]!) < 1e-12));
  let ones = 0;
  for (let i = 0; i < 2000; i++) if (nb.rl.softmaxAction([0, Math.log(3)], 1, rng) === 1) ones++;
  assert.ok(Math.abs(ones / 2000 - 0.75) < 0.04, `${ones}`);
});
