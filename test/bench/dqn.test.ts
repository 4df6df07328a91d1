// The DQN CartPole bench (`npm run bench -- dqn`): its configuration really matches the PyTorch
// reference script, its flags, its summary figures, and one short nabla run. No timings asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as nb from '../../src/index.js';
import { UsageError } from '../../src/cli/args.js';
import {
  DQN_BENCH_CONFIG,
  configRows,
  parseDqnBenchArgs,
  readTorchDqnConfig,
  runNablaDqnSeed,
  summarizeDqnBench,
  torchDqnScript,
  type DqnSeedResult,
} from '../../bench/util-dqn.js';
import { runBreakoutBench } from '../../bench/util-dqn-breakout.js';

const script = torchDqnScript();

test('bench dqn: nabla runs every hyper-parameter of the PyTorch script', (t) => {
  if (!script || !existsSync(script)) return t.skip('PyTorch script dqn_cartpole.py not found (../shared/bench/pytorch; set NABLA_TORCH_DQN)');
  const torch = readTorchDqnConfig(readFileSync(script, 'utf8'));
  const differing = configRows(DQN_BENCH_CONFIG, torch).filter((r) => r.same !== 'yes');
  assert.deepEqual(differing, [], `parameters that differ: ${JSON.stringify(differing)}`);
});

test('bench dqn: readTorchDqnConfig reads the values the script states and rejects a layout it cannot read', () => {
  const src = [
    'GAMMA = 0.9',
    'BATCH = 32',
    'REPLAY = 10_000',
    'TARGET_SYNC = 250',
    'EPS_START, EPS_END, EPS_STEPS = 1.0, 0.1, 5_000',
    'LEARN_START = 500',
    'SOLVE_AVG, SOLVE_WINDOW = 195.0, 100',
    'nn.Sequential(nn.Linear(4, 128), nn.ReLU(), nn.Linear(128, 2))',
    'opt = torch.optim.Adam(q.parameters(), lr=5e-4)',
    'loss = F.smooth_l1_loss(qsa, tgt)',
    'ap.add_argument("--max-steps", type=int, default=20_000)',
  ].join('\n');
  const c = readTorchDqnConfig(src);
  assert.deepEqual(
    { ...c },
    { hidden: [128], learningRate: 5e-4, gamma: 0.9, batchSize: 32, bufferSize: 10000, targetUpdateInterval: 250, epsilonStart: 1, epsilonEnd: 0.1, epsilonSteps: 5000, learningStarts: 500, trainFrequency: 1, huberDelta: 1, gradientClipNorm: null, solveWindow: 100, solveThreshold: 195, maxSteps: 20000 },
  );
  // A differing script shows up as 'NO' rows in the printed table.
  const rows = configRows(DQN_BENCH_CONFIG, c);
  assert.equal(rows.find((r) => r.parameter === 'batchSize')!.same, 'NO');
  assert.equal(rows.find((r) => r.parameter === 'trainFrequency')!.same, 'yes');
  assert.throws(() => readTorchDqnConfig(src.replace('BATCH = 32', 'MINIBATCH = 32')), (e: Error) => e instanceof nb.InvalidArgumentError && /bench dqn/.test(e.message) && /BATCH/.test(e.message));
});

test('bench dqn: flags, defaults and usage errors', () => {
  assert.deepEqual(parseDqnBenchArgs([]), { seeds: [0, 1, 2], maxSteps: DQN_BENCH_CONFIG.maxSteps, quick: false, noTorch: false, threads: 1, breakoutFrames: null, evalEpisodes: 20 });
  assert.deepEqual(parseDqnBenchArgs(['--quick']), { seeds: [0], maxSteps: 3000, quick: true, noTorch: false, threads: 1, breakoutFrames: null, evalEpisodes: 20 });
  assert.deepEqual(parseDqnBenchArgs(['--seeds', '3, 4', '--max-steps', '20000', '--threads', '2', '--no-torch']), { seeds: [3, 4], maxSteps: 20000, quick: false, noTorch: true, threads: 2, breakoutFrames: null, evalEpisodes: 20 });
  assert.equal(parseDqnBenchArgs(['--breakout', '50000', '--eval-episodes', '5']).breakoutFrames, 50000);
  assert.throws(() => parseDqnBenchArgs(['--breakout', 'lots']), (e: Error) => e instanceof UsageError && /--breakout/.test(e.message));
  assert.throws(() => parseDqnBenchArgs(['--seeds', '0,x']), (e: Error) => e instanceof UsageError && /--seeds/.test(e.message) && /'0,x'/.test(e.message));
  assert.throws(() => parseDqnBenchArgs(['--max-steps', '0']), (e: Error) => e instanceof UsageError && /--max-steps/.test(e.message));
  assert.throws(() => parseDqnBenchArgs(['--episodes', '3']), UsageError);
});

const seedResult = (seed: number, envSteps: number, wallSeconds: number, stepsToSolve: number | null): DqnSeedResult => ({
  seed,
  envSteps,
  wallSeconds,
  stepsPerSecond: envSteps / wallSeconds,
  stepsToSolve,
  episodes: 10,
  bestWindowMean: 100,
});

test('bench dqn: summary means and ratios', () => {
  const nabla = [seedResult(0, 20000, 10, 20000), seedResult(1, 30000, 20, 30000)];
  const torch = [seedResult(0, 40000, 40, 40000), seedResult(1, 60000, 60, null)];
  const s = summarizeDqnBench(nabla, torch, 60000);
  // Overall rate = total steps / total wall: nabla 50000 / 30 s, torch 100000 / 100 s.
  assert.ok(Math.abs(s.nabla_steps_per_s! - 50000 / 30) < 1e-9);
  assert.ok(Math.abs(s.torch_steps_per_s! - 1000) < 1e-9);
  assert.ok(Math.abs(s.ratio_steps_per_s! - 50 / 30) < 1e-9);
  assert.deepEqual(s.nabla_steps_to_solve, [20000, 30000]);
  assert.deepEqual(s.torch_steps_to_solve, [40000, null]);
  assert.equal(s.nabla_solved, 2);
  assert.equal(s.torch_solved, 1);
  // The unsolved torch seed counts as max-steps (60000): mean 50000, a lower bound.
  assert.equal(s.torch_mean_steps_to_solve, 50000);
  assert.equal(s.nabla_mean_steps_to_solve, 25000);
  assert.equal(s.ratio_steps_to_solve, 2);
  assert.equal(s.steps_to_solve_censored, true);
  const alone = summarizeDqnBench(nabla, null, 60000);
  assert.equal(alone.torch_steps_per_s, null);
  assert.equal(alone.ratio_steps_per_s, null);
  assert.equal(alone.ratio_steps_to_solve, null);
  assert.equal(alone.steps_to_solve_censored, false);
});

test('bench dqn: a short nabla run reports its steps, stops at the solve criterion, and repeats with its seed', () => {
  // 1100 steps: 1000 of random play, then 100 updates; CartPole episodes under a random policy
  // last ~22 steps, so ~50 episodes and a best 20-episode mean far below the 475 bar.
  const a = runNablaDqnSeed(5, 1100);
  assert.equal(a.envSteps, 1100);
  assert.equal(a.stepsToSolve, null);
  assert.ok(a.episodes >= 20 && a.episodes <= 110, `episodes ${a.episodes}`);
  assert.ok(a.bestWindowMean > 8 && a.bestWindowMean < 100, `best 20-episode mean ${a.bestWindowMean}`);
  assert.ok(a.stepsPerSecond > 0 && a.wallSeconds > 0);
  const b = runNablaDqnSeed(5, 1100);
  assert.equal(b.episodes, a.episodes);
  assert.equal(b.bestWindowMean, a.bestWindowMean);
  // A bar a random policy clears (mean of the last 5 returns >= 10): training stops there.
  const c = runNablaDqnSeed(5, 5000, { ...DQN_BENCH_CONFIG, solveWindow: 5, solveThreshold: 10 });
  assert.ok(c.stepsToSolve !== null && c.stepsToSolve === c.envSteps && c.envSteps < 1000, `stopped at ${c.stepsToSolve} of ${c.envSteps}`);
});

test('bench dqn --breakout: a tiny Breakout-MinAtar run reports agent and random returns', () => {
  // 120 frames (100 random, then 20 conv updates; the js backend's convolutions are slow): far
  // too short to learn; this checks the figures are produced and sane, not that the agent beats
  // random play.
  const r = runBreakoutBench(120, 0, 1);
  assert.equal(r.frames, 120);
  assert.equal(r.evalEpisodes, 1);
  assert.ok(r.trainEpisodes >= 1, `train episodes ${r.trainEpisodes}`);
  for (const v of [r.agentMeanReturn, r.randomMeanReturn, r.trainMeanReturn100]) assert.ok(Number.isFinite(v) && v >= 0, `return ${v}`);
  assert.throws(() => runBreakoutBench(0, 0), (e: Error) => e instanceof nb.InvalidArgumentError && /--breakout/.test(e.message) && /got 0/.test(e.message));
});
