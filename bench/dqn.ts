// DQN on CartPole-v1, nabla vs PyTorch in one run: env steps/s of the whole training loop (env +
// acting + learning) and env steps to solve (mean return of the last 20 episodes >= 475, the
// criterion of ../shared/bench/pytorch/dqn_cartpole.py; training stops there) per seed, their
// means and ratios; for nabla's solved seeds also the greedy agent's mean return over 100
// consecutive episodes (greedy100), the full "mean of 100 >= 475" criterion. nabla runs
// nb.rl.trainDqn on nb.rl.make('CartPole-v1') with the script's hyper-parameters (the table
// printed first shows both, read from the script's source).
//   npm run bench -- dqn [--seeds 0,1,2] [--max-steps 60000] [--threads 1] [--quick] [--no-torch]
//   npm run bench -- dqn --breakout FRAMES [--seeds 0] [--eval-episodes 20]
// --quick: one seed, 3000 steps (a smoke run). --threads: both sides (default 1, see util-dqn.ts).
// --breakout: instead, nabla's DQN on Breakout-MinAtar for FRAMES frames per seed, then the greedy
// agent's mean return vs a random policy (nabla only). Ends stdout with one JSON line of figures.
import * as nb from '../src/index.js';
import { UsageError } from '../src/cli/args.js';
import { printTable } from './util.js';
import { runBreakoutBench } from './util-dqn-breakout.js';
import {
  DQN_BENCH_CONFIG,
  DQN_BENCH_DIFFERENCES,
  configRows,
  parseDqnBenchArgs,
  runNablaDqnSeed,
  runTorchDqn,
  summarizeDqnBench,
  torchConfigFromDisk,
  type DqnBenchArgs,
  type DqnSeedResult,
} from './util-dqn.js';

let opts: DqnBenchArgs;
try {
  opts = parseDqnBenchArgs(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}

const hasNative = nb.listBackends().includes('native');
if (hasNative && !process.env['NABLA_BACKEND']) nb.setBackend('native');
const backend = nb.getBackend();
const threads = opts.threads;
if (backend === 'native') nb.setNativeThreads(threads);

if (opts.breakoutFrames !== null) {
  // Breakout-MinAtar, nabla only: the greedy agent's mean return vs a random policy's, per seed.
  const runs = opts.seeds.map((seed) => runBreakoutBench(opts.breakoutFrames!, seed, opts.evalEpisodes));
  printTable(runs.map((r) => ({ seed: r.seed, frames: r.frames, framesPerSec: Math.round(r.framesPerSecond), trainSeconds: r.trainSeconds, trainEpisodes: r.trainEpisodes, trainMeanReturn100: r.trainMeanReturn100, agentMeanReturn: r.agentMeanReturn, randomMeanReturn: r.randomMeanReturn })));
  const avg = (f: (r: (typeof runs)[number]) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  console.log(`Breakout-MinAtar, ${opts.breakoutFrames} frames, ${opts.evalEpisodes} evaluation episodes each (agent epsilon 0.01): agent ${avg((r) => r.agentMeanReturn).toFixed(2)} vs random ${avg((r) => r.randomMeanReturn).toFixed(2)}`);
  console.log(
    JSON.stringify({
      bench: 'dqn',
      env: 'Breakout-MinAtar',
      backend,
      threads,
      seeds: opts.seeds,
      frames: opts.breakoutFrames,
      eval_episodes: opts.evalEpisodes,
      nabla_frames_per_s: runs.reduce((a, r) => a + r.frames, 0) / runs.reduce((a, r) => a + r.trainSeconds, 0),
      agent_mean_return: avg((r) => r.agentMeanReturn),
      random_mean_return: avg((r) => r.randomMeanReturn),
      runs,
    }),
  );
  process.exit(0);
}

console.log(`DQN CartPole-v1: seeds ${opts.seeds.join(',')}, at most ${opts.maxSteps} env steps each; nabla backend ${backend}, ${threads} threads (PyTorch gets the same)`);
const torchCfg = torchConfigFromDisk();
printTable(configRows({ ...DQN_BENCH_CONFIG, maxSteps: opts.maxSteps }, torchCfg && { ...torchCfg, maxSteps: opts.maxSteps }));
console.log('Not identical:');
for (const d of DQN_BENCH_DIFFERENCES) console.log(`  - ${d}`);

const torch = opts.noTorch ? { skipped: '--no-torch' } : runTorchDqn(opts.seeds, opts.maxSteps, threads);
const torchRuns = 'runs' in torch ? torch.runs : null;
if (!torchRuns) console.log(`PyTorch skipped: ${(torch as { skipped: string }).skipped}`);

const nablaRuns: DqnSeedResult[] = [];
for (const seed of opts.seeds) {
  const r = runNablaDqnSeed(seed, opts.maxSteps);
  console.error(`nabla seed ${seed}: ${r.stepsToSolve === null ? 'not solved' : `solved at ${r.stepsToSolve}`}; ${r.envSteps} steps in ${r.wallSeconds.toFixed(1)}s = ${Math.round(r.stepsPerSecond)} steps/s`);
  nablaRuns.push(r);
}

const solved = (r: DqnSeedResult) => (r.stepsToSolve === null ? `not solved within ${opts.maxSteps}` : r.stepsToSolve);
const rows = (name: string, rs: DqnSeedResult[]) =>
  rs.map((r) => ({ framework: name, seed: r.seed, stepsPerSec: Math.round(r.stepsPerSecond), stepsToSolve: solved(r), envSteps: r.envSteps, episodes: r.episodes, bestAvg20: r.bestWindowMean, greedy100: r.greedyMean100 ?? 'n/a', wallSeconds: r.wallSeconds }));
printTable([...rows(`nabla ${backend}`, nablaRuns), ...(torchRuns ? rows('pytorch', torchRuns) : [])]);

const s = summarizeDqnBench(nablaRuns, torchRuns, opts.maxSteps);
const fmt = (v: number | null, digits = 0) => (v === null ? 'n/a' : v.toFixed(digits));
console.log(`mean steps/s: nabla ${fmt(s.nabla_steps_per_s)}  pytorch ${fmt(s.torch_steps_per_s)}  ratio (nabla / pytorch) ${fmt(s.ratio_steps_per_s, 3)}`);
console.log(
  `mean steps to solve${s.steps_to_solve_censored ? ' (an unsolved seed counts as max-steps: a lower bound)' : ''}: nabla ${fmt(s.nabla_mean_steps_to_solve)} (${s.nabla_solved}/${nablaRuns.length} solved)  pytorch ${fmt(s.torch_mean_steps_to_solve)} (${s.torch_solved ?? 'n/a'}/${torchRuns?.length ?? 'n/a'} solved)  ratio (pytorch / nabla) ${fmt(s.ratio_steps_to_solve, 3)}`,
);
console.log('greedy100: the agent where training stopped, greedy, mean return over 100 consecutive episodes (the full criterion: >= 475)');
console.log(
  JSON.stringify({
    bench: 'dqn',
    env: 'CartPole-v1',
    backend,
    threads,
    solve_criterion: `mean return of the last ${DQN_BENCH_CONFIG.solveWindow} episodes >= ${DQN_BENCH_CONFIG.solveThreshold}`,
    ...s,
    torch_skipped: torchRuns ? null : (torch as { skipped: string }).skipped,
    torch_foreign_cpu_frac: 'foreignCpuFrac' in torch ? torch.foreignCpuFrac : null,
    nabla_greedy_mean100: nablaRuns.map((r) => r.greedyMean100 ?? null),
  }),
);
