// The pieces of `npm run bench -- dqn` that need no timing: the DQN configuration shared with the
// PyTorch reference (../shared/bench/pytorch/dqn_cartpole.py), reading that script's constants so
// the side-by-side table shows its real values, the bench's flags, one nabla seed, the PyTorch
// run, and the summary figures (means and ratios).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as nb from '../src/index.js';
import { UsageError, intFlag, parseCommand } from '../src/cli/args.js';

/** The DQN hyper-parameters both sides run with. */
export interface DqnBenchConfig {
  hidden: number[];
  learningRate: number;
  gamma: number;
  batchSize: number;
  bufferSize: number;
  targetUpdateInterval: number;
  epsilonStart: number;
  epsilonEnd: number;
  epsilonSteps: number;
  learningStarts: number;
  trainFrequency: number;
  /** Huber threshold (PyTorch: smooth_l1_loss with beta 1). */
  huberDelta: number;
  /** Global gradient-norm clip (null: none). */
  gradientClipNorm: number | null;
  /** Solved: mean return of the last `solveWindow` episodes >= `solveThreshold`; training stops there. */
  solveWindow: number;
  solveThreshold: number;
  maxSteps: number;
}

/**
 * The PyTorch script's configuration as nabla options are set from it (checked against the script
 * itself by `readTorchDqnConfig` and the tests).
 *
 * @example
 * ```ts
 * console.log(DQN_BENCH_CONFIG.batchSize); // 64
 * ```
 */
export const DQN_BENCH_CONFIG: Readonly<DqnBenchConfig> = Object.freeze({
  hidden: [64, 64],
  learningRate: 1e-3,
  gamma: 0.99,
  batchSize: 64,
  bufferSize: 50000,
  targetUpdateInterval: 500,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonSteps: 10000,
  learningStarts: 1000,
  trainFrequency: 1,
  huberDelta: 1,
  gradientClipNorm: null,
  solveWindow: 20,
  solveThreshold: 475,
  maxSteps: 60000,
});

/** Where the PyTorch reference script is, or null. */
export function torchDqnScript(): string | null {
  const candidates = [process.env['NABLA_TORCH_DQN'], join(process.cwd(), '..', 'shared', 'bench', 'pytorch', 'dqn_cartpole.py'), '/work/shared/bench/pytorch/dqn_cartpole.py'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
}

/**
 * Reads the hyper-parameters out of the PyTorch script's source (its module constants, the Adam
 * learning rate, the nn.Linear sizes, the --max-steps default), so the table printed by the bench
 * shows what the script really runs rather than what we believe it runs. Values the script does
 * not state (it has no gradient clipping, one update per env step) come from its docstring's
 * description and are fixed here.
 *
 * @example
 * ```ts
 * const torch = readTorchDqnConfig(readFileSync(torchDqnScript()!, 'utf8'));
 * ```
 */
export function readTorchDqnConfig(source: string): DqnBenchConfig {
  const num = (re: RegExp, what: string): number => {
    const m = re.exec(source);
    if (!m) throw new nb.InvalidArgumentError(`bench dqn: cannot find ${what} in the PyTorch script (pattern ${re}); update readTorchDqnConfig to the script's new layout.`);
    return Number(m[1]!.replace(/_/g, ''));
  };
  const n = String.raw`([0-9][0-9_]*(?:\.[0-9]+)?(?:e-?[0-9]+)?)`;
  const eps = new RegExp(String.raw`EPS_START,\s*EPS_END,\s*EPS_STEPS\s*=\s*${n},\s*${n},\s*${n}`).exec(source);
  const solve = new RegExp(String.raw`SOLVE_AVG,\s*SOLVE_WINDOW\s*=\s*${n},\s*${n}`).exec(source);
  if (!eps || !solve) throw new nb.InvalidArgumentError('bench dqn: cannot find EPS_START/EPS_END/EPS_STEPS or SOLVE_AVG/SOLVE_WINDOW in the PyTorch script; update readTorchDqnConfig.');
  const linears = [...source.matchAll(/nn\.Linear\((\d+),\s*(\d+)\)/g)].map((m) => Number(m[2]));
  return {
    hidden: linears.slice(0, -1),
    learningRate: num(new RegExp(String.raw`Adam\([^\n]*?lr=${n}`), 'the Adam learning rate'),
    gamma: num(new RegExp(String.raw`^GAMMA\s*=\s*${n}`, 'm'), 'GAMMA'),
    batchSize: num(new RegExp(String.raw`^BATCH\s*=\s*${n}`, 'm'), 'BATCH'),
    bufferSize: num(new RegExp(String.raw`^REPLAY\s*=\s*${n}`, 'm'), 'REPLAY'),
    targetUpdateInterval: num(new RegExp(String.raw`^TARGET_SYNC\s*=\s*${n}`, 'm'), 'TARGET_SYNC'),
    epsilonStart: Number(eps[1]),
    epsilonEnd: Number(eps[2]),
    epsilonSteps: Number(eps[3]!.replace(/_/g, '')),
    learningStarts: num(new RegExp(String.raw`^LEARN_START\s*=\s*${n}`, 'm'), 'LEARN_START'),
    trainFrequency: 1,
    huberDelta: /smooth_l1_loss\(/.test(source) ? 1 : NaN,
    gradientClipNorm: /clip_grad/.test(source) ? NaN : null,
    solveWindow: Number(solve[2]),
    solveThreshold: Number(solve[1]),
    maxSteps: num(new RegExp(String.raw`--max-steps",\s*type=int,\s*default=${n}`), 'the --max-steps default'),
  };
}

/** One row per hyper-parameter: its nabla and PyTorch values and whether they agree. */
export function configRows(nabla: DqnBenchConfig, torch: DqnBenchConfig | null): { parameter: string; nabla: string; pytorch: string; same: string }[] {
  return (Object.keys(nabla) as (keyof DqnBenchConfig)[]).map((k) => {
    const a = JSON.stringify(nabla[k]);
    const b = torch ? JSON.stringify(torch[k]) : 'n/a';
    return { parameter: k, nabla: a, pytorch: b, same: torch ? (a === b ? 'yes' : 'NO') : '?' };
  });
}

/** What cannot be made identical between the two runs. */
export const DQN_BENCH_DIFFERENCES: readonly string[] = [
  'env: the same CartPole-v1 equations, constants and limits (Euler, float64 state, float32 observations, 12 deg / 2.4, 500-step truncation not terminal) in two implementations with different RNGs: seed n is not the same trajectory on both sides',
  'warm-up: nabla acts uniformly at random for the first learningStarts steps; the script is epsilon-greedy from step 0 (epsilon 1.0 -> 0.905 over those steps, so nearly random too)',
  'Adam epsilon: nabla 1e-7 (Keras default, not an option of trainDqn), PyTorch 1e-8',
  'weights: both Glorot-uniform kernels and zero biases, from different PRNGs',
];

/** The bench's flags. */
export interface DqnBenchArgs {
  seeds: number[];
  maxSteps: number;
  quick: boolean;
  /** Skip the PyTorch side. */
  noTorch: boolean;
  /** Threads for both frameworks (default 1: see parseDqnBenchArgs). */
  threads: number;
  /** `--breakout FRAMES`: run DQN on Breakout-MinAtar for this many frames instead (nabla only). */
  breakoutFrames: number | null;
  /** Evaluation episodes of the Breakout run, agent and random policy each (default 20). */
  evalEpisodes: number;
}

/**
 * Parses `--seeds 0,1,2 --max-steps N --threads T --quick --no-torch --breakout FRAMES
 * --eval-episodes N`; mistakes raise UsageError (exit 2). `--quick` means one seed and 3000 steps
 * unless they are given; `--breakout`, one seed. Threads default to 1 on both sides: the matmuls
 * are 64x64, too small to split, and on a shared 2-core machine PyTorch with 2 OpenMP threads fell
 * from ~900 to ~100 env steps/s under load (measured), so one thread is each framework at its best.
 *
 * @example
 * ```ts
 * parseDqnBenchArgs(['--seeds', '0,1', '--max-steps', '20000']); // {seeds: [0, 1], maxSteps: 20000, ...}
 * ```
 */
export function parseDqnBenchArgs(args: string[]): DqnBenchArgs {
  const cmd = 'bench dqn';
  const { values } = parseCommand(cmd, args, { seeds: { type: 'string' }, 'max-steps': { type: 'string' }, threads: { type: 'string' }, breakout: { type: 'string' }, 'eval-episodes': { type: 'string' }, quick: { type: 'boolean' }, 'no-torch': { type: 'boolean' } });
  const quick = values.quick ?? false;
  let seeds = quick || values.breakout !== undefined ? [0] : [0, 1, 2];
  if (values.seeds !== undefined) {
    const parts = values.seeds.split(',').map((s) => s.trim());
    if (parts.some((s) => !/^\d+$/.test(s))) throw new UsageError(`${cmd}: --seeds must be a comma-separated list of non-negative integers such as 0,1,2; got '${values.seeds}'.`);
    seeds = parts.map(Number);
  }
  const maxSteps = intFlag(cmd, 'max-steps', values['max-steps'], 1) ?? (quick ? 3000 : DQN_BENCH_CONFIG.maxSteps);
  const threads = intFlag(cmd, 'threads', values.threads, 1, 256) ?? 1;
  const breakoutFrames = intFlag(cmd, 'breakout', values.breakout, 1) ?? null;
  const evalEpisodes = intFlag(cmd, 'eval-episodes', values['eval-episodes'], 1) ?? 20;
  return { seeds, maxSteps, quick, noTorch: values['no-torch'] ?? false, threads, breakoutFrames, evalEpisodes };
}

/** The figures of one seed on one side. */
export interface DqnSeedResult {
  seed: number;
  envSteps: number;
  wallSeconds: number;
  stepsPerSecond: number;
  /** Env step at which the solve criterion was met (training stopped there); null if never. */
  stepsToSolve: number | null;
  episodes: number;
  /** Best mean of `solveWindow` consecutive returns. */
  bestWindowMean: number;
  /**
   * nabla only: the mean return of the greedy agent over 100 consecutive episodes where training
   * stopped (Gym's "solved" reads >= 475 over 100 episodes); null when it never stopped.
   */
  greedyMean100?: number | null;
}

/**
 * Trains nabla's DQN on nb.rl.make('CartPole-v1') for one seed with the bench configuration.
 *
 * @example
 * ```ts
 * const r = runNablaDqnSeed(0, 60000);
 * console.log(r.stepsPerSecond, r.stepsToSolve);
 * ```
 */
export function runNablaDqnSeed(seed: number, maxSteps: number, cfg: DqnBenchConfig = DQN_BENCH_CONFIG): DqnSeedResult {
  const r = nb.rl.trainDqn(nb.rl.make('CartPole-v1'), {
    steps: maxSteps,
    seed,
    hidden: cfg.hidden,
    learningRate: cfg.learningRate,
    gamma: cfg.gamma,
    batchSize: cfg.batchSize,
    bufferSize: cfg.bufferSize,
    targetUpdateInterval: cfg.targetUpdateInterval,
    epsilon: nb.rl.linearSchedule(cfg.epsilonStart, cfg.epsilonEnd, cfg.epsilonSteps),
    learningStarts: cfg.learningStarts,
    trainFrequency: cfg.trainFrequency,
    huberDelta: cfg.huberDelta,
    gradientClipNorm: cfg.gradientClipNorm,
    double: false,
    tau: 1,
    stopWhen: { window: cfg.solveWindow, threshold: cfg.solveThreshold },
    solveThreshold: null,
  });
  let best = 0;
  for (let i = cfg.solveWindow; i <= r.returns.length; i++) {
    let s = 0;
    for (let j = i - cfg.solveWindow; j < i; j++) s += r.returns[j]!;
    best = Math.max(best, s / cfg.solveWindow);
  }
  const greedyMean100 =
    r.stoppedAtStep === null
      ? null
      : nb.rl.evaluatePolicy(nb.rl.make('CartPole-v1'), (obs: Float32Array) => r.agent.act(obs, 0), { episodes: 100, seed: seed + 1000 }).meanReturn;
  return { seed, envSteps: r.envSteps, wallSeconds: r.seconds, stepsPerSecond: r.stepsPerSecond, stepsToSolve: r.stoppedAtStep, episodes: r.returns.length, bestWindowMean: best, greedyMean100 };
}

interface TorchRun {
  seed: number;
  env_steps: number;
  wall_s: number;
  steps_per_sec: number;
  solved_at_step: number | null;
  episodes: number;
  best_avg20: number;
}

/**
 * Runs the PyTorch script for `seeds` with Debian's /usr/bin/python3, or says why it was skipped.
 *
 * @example
 * ```ts
 * const t = runTorchDqn([0], 3000, 2);
 * if ('skipped' in t) console.log(t.skipped);
 * ```
 */
export function runTorchDqn(seeds: number[], maxSteps: number, threads: number): { runs: DqnSeedResult[]; foreignCpuFrac: number | null } | { skipped: string } {
  const script = torchDqnScript();
  if (!script) return { skipped: 'PyTorch reference script not found (../shared/bench/pytorch/dqn_cartpole.py; set NABLA_TORCH_DQN)' };
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: '/usr/bin/python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)' };
  const r = spawnSync('/usr/bin/python3', [script, '--seeds', seeds.join(','), '--max-steps', String(maxSteps)], {
    encoding: 'utf8',
    cwd: dirname(script),
    // One OpenBLAS thread: its pool fighting torch's OpenMP threads slows small matmuls on 2 cores.
    env: { OPENBLAS_NUM_THREADS: '1', ...process.env, ANCHOR_THREADS: String(threads) },
    maxBuffer: 1 << 26,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const json = JSON.parse(last) as { runs: TorchRun[]; env?: { foreign_cpu_frac?: number } };
    return {
      runs: json.runs.map((x) => ({ seed: x.seed, envSteps: x.env_steps, wallSeconds: x.wall_s, stepsPerSecond: x.steps_per_sec, stepsToSolve: x.solved_at_step ?? null, episodes: x.episodes, bestWindowMean: x.best_avg20 })),
      foreignCpuFrac: json.env?.foreign_cpu_frac ?? null,
    };
  } catch {
    return { skipped: `PyTorch run failed (exit ${r.status}): ${(r.stderr || last).slice(-300)}` };
  }
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Means over seeds and the nabla-vs-PyTorch ratios, with the JSON keys the bench prints. */
export interface DqnBenchSummary {
  seeds: number[];
  max_steps: number;
  nabla_steps_per_s: number | null;
  torch_steps_per_s: number | null;
  /** nabla steps/s ÷ PyTorch steps/s (> 1: nabla faster). */
  ratio_steps_per_s: number | null;
  nabla_steps_to_solve: (number | null)[];
  torch_steps_to_solve: (number | null)[] | null;
  nabla_solved: number;
  torch_solved: number | null;
  /** Mean steps to solve, an unsolved seed counted as max_steps (then a lower bound). */
  nabla_mean_steps_to_solve: number | null;
  torch_mean_steps_to_solve: number | null;
  /** PyTorch mean steps to solve ÷ nabla's (> 1: nabla learns in fewer steps). */
  ratio_steps_to_solve: number | null;
  /** True when some seed did not solve, so the means and their ratio are bounds, not exact. */
  steps_to_solve_censored: boolean;
  nabla_wall_s: number[];
  torch_wall_s: number[] | null;
}

/**
 * Means over seeds of env steps/s (total steps ÷ total wall time, as the script reports its
 * overall rate) and of steps to solve, and the ratios.
 *
 * @example
 * ```ts
 * const s = summarizeDqnBench(nablaRuns, torchRuns, 60000);
 * console.log(s.ratio_steps_per_s);
 * ```
 */
export function summarizeDqnBench(nabla: DqnSeedResult[], torch: DqnSeedResult[] | null, maxSteps: number): DqnBenchSummary {
  const rate = (rs: DqnSeedResult[]) => {
    const wall = rs.reduce((a, r) => a + r.wallSeconds, 0);
    return rs.length && wall > 0 ? rs.reduce((a, r) => a + r.envSteps, 0) / wall : null;
  };
  const solveMean = (rs: DqnSeedResult[]) => mean(rs.map((r) => r.stepsToSolve ?? maxSteps));
  const ns = rate(nabla);
  const ts = torch ? rate(torch) : null;
  const nSolve = solveMean(nabla);
  const tSolve = torch ? solveMean(torch) : null;
  return {
    seeds: nabla.map((r) => r.seed),
    max_steps: maxSteps,
    nabla_steps_per_s: ns,
    torch_steps_per_s: ts,
    ratio_steps_per_s: ns !== null && ts ? ns / ts : null,
    nabla_steps_to_solve: nabla.map((r) => r.stepsToSolve),
    torch_steps_to_solve: torch ? torch.map((r) => r.stepsToSolve) : null,
    nabla_solved: nabla.filter((r) => r.stepsToSolve !== null).length,
    torch_solved: torch ? torch.filter((r) => r.stepsToSolve !== null).length : null,
    nabla_mean_steps_to_solve: nSolve,
    torch_mean_steps_to_solve: tSolve,
    ratio_steps_to_solve: nSolve && tSolve !== null ? tSolve / nSolve : null,
    steps_to_solve_censored: [...nabla, ...(torch ?? [])].some((r) => r.stepsToSolve === null),
    nabla_wall_s: nabla.map((r) => r.wallSeconds),
    torch_wall_s: torch ? torch.map((r) => r.wallSeconds) : null,
  };
}

/** Reads and parses the PyTorch script's configuration, or null when the script is absent. */
export function torchConfigFromDisk(): DqnBenchConfig | null {
  const p = torchDqnScript();
  return p ? readTorchDqnConfig(readFileSync(p, 'utf8')) : null;
}
