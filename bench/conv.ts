// Conv2D forward+backward (y, dL/dx, dL/dfilter) of single 3x3 'valid' NHWC layers: nabla native vs
// nabla js vs TensorFlow.js (cpu backend) vs PyTorch (oneDNN, faster of NCHW and channels_last),
// measured shape by shape in this one run. Prints a table, then one JSON line.
//   npm run bench -- conv [--seconds 1] [--slow-seconds 4] [--rounds 3] [--no-torch]
// nabla runs nb.conv2d + nb.conv2dBackpropInput + nb.conv2dBackpropFilter: exactly the three ops a
// training step runs (a GradientTape over conv2d records conv2d, and its gradient calls those two
// backprop ops); the native tape path is timed too (`nativeTapeMs`) to show the tape adds nothing,
// and the three traced with nb.function (`nativeTracedMs`): eager ops allocate fresh zero-filled
// outputs at every call, a traced step reuses its pool's warm buffers, as Keras' fit does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { printTable } from './util.js';

interface Shape {
  name: string;
  n: number;
  hw: number;
  cin: number;
  cout: number;
  k: number;
}

const args = process.argv.slice(2);
const argNum = (flag: string, dflt: number): number => {
  const i = args.indexOf(flag);
  return i >= 0 ? Number(args[i + 1]) || dflt : dflt;
};
const seconds = argNum('--seconds', 1); // timed budget per shape for native and torch
const slowSeconds = argNum('--slow-seconds', 4); // timed budget per shape for js and tfjs (>= 1 call)
const withTorch = !args.includes('--no-torch');
// Rounds of (nabla native, nabla traced, PyTorch) windows, alternated so a change in the shared
// machine's speed hits both sides; the ratios are medians of the per-round ratios.
const rounds = Math.max(1, Math.round(argNum('--rounds', 3)));
const threads = availableParallelism();

const shapes: Shape[] = [
  { name: 'A 128x28x28 1->32', n: 128, hw: 28, cin: 1, cout: 32, k: 3 },
  { name: 'B 128x13x13 32->64', n: 128, hw: 13, cin: 32, cout: 64, k: 3 },
  { name: 'C 64x32x32 64->64', n: 64, hw: 32, cin: 64, cout: 64, k: 3 },
];

function random(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

/** Median ms of `fn` after `warmup` calls: timed calls until >= `budget` s and >= `minReps`; also the last result. */
function medianMs<T>(fn: () => T, warmup: number, budget: number, minReps: number): { ms: number; reps: number; last: T } {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  let total = 0;
  let last: T;
  while (times.length < minReps || total < budget) {
    const t0 = process.hrtime.bigint();
    last = fn();
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    times.push(t);
    total += t / 1000;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return { ms: times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2, reps: times.length, last: last! };
}

/** [all CPUs' busy jiffies, this process's + its waited-for children's jiffies] from /proc. */
function cpuJiffies(): [number, number] {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3]! - (v[4] ?? 0);
    const f = readFileSync('/proc/self/stat', 'utf8').split(')').pop()!.trim().split(/\s+/).map(Number);
    return [busy, f[11]! + f[12]! + f[13]! + f[14]!];
  } catch {
    return [NaN, NaN];
  }
}
const jiffies0 = cpuJiffies();
const wall0 = process.hrtime.bigint();

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b), mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

interface TorchRow {
  n: number; hw: number; cin: number; cout: number; k: number; format: string; fwdbwd_ms: number;
}
interface TorchResult {
  rows: TorchRow[];
  torch?: string;
  threads?: number;
  defaultThreads?: number;
  error?: string;
}

const torchScript = join(dirname(fileURLToPath(import.meta.url)), 'conv_torch.py');
function torchAvailable(): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `/usr/bin/python3 cannot import torch (${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()})`;
}

function runTorch(s: Shape): TorchResult {
  const r = spawnSync(
    '/usr/bin/python3',
    [torchScript, '--shapes', [s.n, s.hw, s.cin, s.cout, s.k].join(','), '--threads', String(threads), '--seconds', String(seconds)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as TorchResult;
  } catch {
    return { rows: [], error: `conv_torch.py failed (status ${r.status}): ${r.error?.message ?? 'no JSON output'}` };
  }
}

await tf.setBackend('cpu');
const tfStep = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid'));
{
  // JIT warm-up of tfjs's conv kernels on a small problem (its full-size calls take minutes).
  const [a, b, g] = [tf.ones([2, 10, 10, 8]), tf.ones([3, 3, 8, 8]), tf.ones([2, 8, 8, 8])] as tf.Tensor4D[];
  for (let i = 0; i < 2; i++) {
    const { value, grads } = tfStep([a, b], g);
    tf.dispose([value, ...grads]);
  }
  tf.dispose([a, b, g]);
}
const nativeInfo = nb.nativeInfo();
if (!nativeInfo.loaded) {
  console.error(`bench/conv: native backend unavailable (${nativeInfo.reason})`);
  process.exit(1);
}
const torchError = withTorch ? torchAvailable() : 'skipped (--no-torch)';
if (torchError) console.error(`bench/conv: PyTorch column empty: ${torchError}`);
let torchMeta: Omit<TorchResult, 'rows'> | undefined;

const rows: Record<string, string | number>[] = [];
const figures: Record<string, unknown>[] = [];
const checks: string[] = [];
for (const s of shapes) {
  const ho = s.hw - s.k + 1;
  const xShape = [s.n, s.hw, s.hw, s.cin];
  const wShape = [s.k, s.k, s.cin, s.cout];
  const yShape = [s.n, ho, ho, s.cout];
  const xv = random(s.n * s.hw * s.hw * s.cin, 1);
  const wv = random(s.k * s.k * s.cin * s.cout, 2);
  const dyv = random(s.n * ho * ho * s.cout, 3);
  const fwdFlops = 2 * s.n * ho * ho * s.cout * s.cin * s.k * s.k;

  // nabla: forward, dx, dfilter through the public ops.
  const x = nb.tensor(xv, xShape);
  const w = nb.tensor(wv, wShape);
  const dy = nb.tensor(dyv, yShape);
  const nablaStep = () => {
    const y = nb.conv2d(x, w, 1, 'valid');
    const dx = nb.conv2dBackpropInput(xShape, dy, w, 1, 'valid');
    const dw = nb.conv2dBackpropFilter(x, dy, wShape, 1, 'valid');
    return [y, dx, dw] as const;
  };
  const nablaTapeStep = () => {
    const tape = new nb.GradientTape();
    tape.watch([x, w]);
    const y = tape.record(() => nb.conv2d(x, w, 1, 'valid'));
    return tape.gradient(y, [x, w], { outputGradients: dy });
  };

  // The same three ops traced with nb.function, as Keras' fit runs a train step: the outputs go
  // back to the function's pool after each call (`recycle`, as Keras does with gradients once
  // applied), so each call reuses warm buffers instead of fresh zero-filled arrays.
  const traced = nb.function((xa: nb.Tensor, wa: nb.Tensor, dya: nb.Tensor) => [
    nb.conv2d(xa, wa, 1, 'valid'),
    nb.conv2dBackpropInput(xShape, dya, wa, 1, 'valid'),
    nb.conv2dBackpropFilter(xa, dya, wShape, 1, 'valid'),
  ]);
  const nablaTracedStep = () => {
    const outs = traced(x, w, dy);
    traced.getConcreteFunction(x, w, dy).recycle(outs);
  };

  nb.setBackend('native');
  const nativeTape = medianMs(nablaTapeStep, 1, seconds / 2, 3);
  const nativeRounds: number[] = [], tracedRounds: number[] = [], torchRounds: number[] = [];
  let native = medianMs(nablaStep, 2, seconds, 5);
  let nativeTraced = medianMs(nablaTracedStep, 2, seconds / 2, 5);
  let torchMs: number | undefined;
  let torchFormat = '-';
  const torchBoth: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    if (round > 0) {
      native = medianMs(nablaStep, 1, seconds, 5);
      nativeTraced = medianMs(nablaTracedStep, 1, seconds / 2, 5);
    }
    nativeRounds.push(native.ms);
    tracedRounds.push(nativeTraced.ms);
    if (torchError) continue;
    const tr = runTorch(s);
    if (tr.error) {
      console.error(`bench/conv: ${tr.error}`);
      continue;
    }
    const { rows: trows, ...meta } = tr;
    torchMeta = meta;
    for (const r of trows) (torchBoth[r.format] ??= []).push(r.fwdbwd_ms);
    const best = [...trows].sort((a, b) => a.fwdbwd_ms - b.fwdbwd_ms)[0];
    if (best) {
      torchRounds.push(best.fwdbwd_ms);
      torchFormat = best.format;
    }
  }
  const [ny, ndx, ndw] = native.last;

  nb.setBackend('js');
  // One full-size warm-up call (JIT), then at least one timed call.
  const js = medianMs(nablaStep, 1, slowSeconds, 1);
  const [jy, jdx, jdw] = js.last;
  nb.setBackend('native');

  // TensorFlow.js cpu backend: valueAndGrads of conv2d = forward + dx + dfilter, as tfjs training
  // does. Its Conv2DBackpropFilter kernel runs at ~0.02 GFLOPS (a full step of shape C takes ~15
  // minutes), so it is timed on a sub-batch sized from a 1-image probe to fit --slow-seconds, and
  // scaled by n / tfjsBatch: every tfjs conv kernel loops over the batch, so time is linear in n.
  const tfjsAt = (nb_: number) => {
    const tx = tf.tensor4d(xv.subarray(0, nb_ * s.hw * s.hw * s.cin), [nb_, s.hw, s.hw, s.cin]);
    const tw = tf.tensor4d(wv, wShape as [number, number, number, number]);
    const tdy = tf.tensor4d(dyv.subarray(0, nb_ * ho * ho * s.cout), [nb_, ho, ho, s.cout]);
    const step = () => {
      const { value, grads } = tfStep([tx, tw], tdy);
      tf.dispose([value, ...grads]);
    };
    return { step, dispose: () => tf.dispose([tx, tw, tdy]) };
  };
  const probe = tfjsAt(1);
  const probeRun = medianMs(probe.step, 0, 0, 1);
  probe.dispose();
  const tfjsBatch = Math.max(1, Math.min(s.n, Math.floor((slowSeconds * 1000) / probeRun.ms)));
  let tfjsRun = probeRun;
  if (tfjsBatch > 1) {
    const sub = tfjsAt(tfjsBatch);
    tfjsRun = medianMs(sub.step, 0, slowSeconds, 1);
    sub.dispose();
  }
  const tfjs = { ms: (tfjsRun.ms * s.n) / tfjsBatch, reps: tfjsRun.reps };

  // Correctness (printed, not asserted): native vs js per output, with the outputs' scale.
  const nOut = [ny.dataSync(), ndx.dataSync(), ndw.dataSync()];
  const jOut = [jy.dataSync(), jdx.dataSync(), jdw.dataSync()];
  const diffs = {
    y: maxAbsDiff(nOut[0]!, jOut[0]!), dx: maxAbsDiff(nOut[1]!, jOut[1]!), dw: maxAbsDiff(nOut[2]!, jOut[2]!),
  };
  const fmt = (v: number) => v.toExponential(2);
  checks.push(
    `${s.name}: max|native - js| y ${fmt(diffs.y)} dx ${fmt(diffs.dx)} dw ${fmt(diffs.dw)} ` +
      `(max|y| ${fmt(maxAbs(nOut[0]!))}, max|dx| ${fmt(maxAbs(nOut[1]!))}, max|dw| ${fmt(maxAbs(nOut[2]!))})`,
  );

  // Medians over the rounds; each ratio is the median of its per-round ratios.
  const nativeMs = median(nativeRounds), nativeTracedMs = median(tracedRounds);
  const paired = torchRounds.length === nativeRounds.length;
  if (paired) torchMs = median(torchRounds);
  const ratioRounds = paired ? torchRounds.map((t, i) => t / nativeRounds[i]!) : [];
  const ratioVsTorch = paired ? median(ratioRounds) : NaN;
  const ratioTracedVsTorch = paired ? median(torchRounds.map((t, i) => t / tracedRounds[i]!)) : NaN;
  const ratioVsTfjs = tfjs.ms / nativeMs;
  rows.push({
    shape: s.name,
    nativeMs,
    nativeTapeMs: nativeTape.ms,
    nativeTracedMs,
    jsMs: js.ms,
    tfjsMs: tfjs.ms,
    tfjsBatch,
    torchMs: torchMs ?? NaN,
    torchFormat,
    ratioVsTorch,
    ratioTracedVsTorch,
    ratioVsTfjs,
    nativeGflops: (3 * fwdFlops) / nativeMs / 1e6,
    'reps native/js/tfjs': `${native.reps}/${js.reps}/${tfjs.reps}`,
  });
  figures.push({
    shape: s.name, n: s.n, hw: s.hw, cin: s.cin, cout: s.cout, k: s.k, fwdMflop: fwdFlops / 1e6,
    nativeMs, nativeTapeMs: nativeTape.ms, nativeTracedMs, jsMs: js.ms, tfjsMs: tfjs.ms, tfjsBatch, tfjsMeasuredMs: tfjsRun.ms,
    torchMs: torchMs ?? null, torchFormat: torchMs !== undefined ? torchFormat : null,
    torchChannelsFirstMs: torchBoth['channels_first'] ? median(torchBoth['channels_first']) : null,
    torchChannelsLastMs: torchBoth['channels_last'] ? median(torchBoth['channels_last']) : null,
    ratioVsTorch: torchMs !== undefined ? ratioVsTorch : null,
    ratioTracedVsTorch: torchMs !== undefined ? ratioTracedVsTorch : null, ratioVsTfjs,
    rounds: nativeRounds.length, nativeMsRounds: nativeRounds, torchMsRounds: torchRounds, ratioVsTorchRounds: ratioRounds,
    nativeVsJsMaxAbsDiff: diffs,
  });
  console.error(`bench/conv: ${s.name} done`);
}

const [busy1, own1] = cpuJiffies();
const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
// Share of the machine's CPU used by other processes during the run (0 = idle machine; 0.5 on two
// cores = another process kept one core busy throughout, and the figures are not trustworthy).
const foreignCpuFrac = Math.max(0, busy1 - jiffies0[0] - (own1 - jiffies0[1])) / 100 / (wallS * cpus().length);
console.log(
  `Conv2D 3x3 valid NHWC, forward + dx + dfilter, median ms per step; CPU: ${cpus()[0]?.model ?? '?'}, ` +
    `nabla native ${nativeInfo.threads} threads (simd ${nativeInfo.simd}), ` +
    (torchMeta
      ? `torch ${torchMeta.torch} ${torchMeta.threads} threads (torch.get_num_threads() default ${torchMeta.defaultThreads}), faster memory format`
      : `torch: ${torchError ?? 'failed'}`),
);
console.log(
  `nabla = conv2d + conv2dBackpropInput + conv2dBackpropFilter (what a GradientTape step runs; nativeTapeMs = the tape path; ` +
    `nativeTracedMs = the three traced with nb.function, outputs recycled into its pool each call, as a Keras train step runs); ` +
    `tfjsMs = tfjs cpu valueAndGrads timed at tfjsBatch images and scaled to n; ` +
    `run ${wallS.toFixed(0)} s, foreign CPU load ${foreignCpuFrac.toFixed(2)}`,
);
if (foreignCpuFrac > 0.1) {
  console.log(
    `WARNING: other processes used ${(100 * foreignCpuFrac).toFixed(0)}% of the CPUs during this run; with 2 cores, ` +
      `PyTorch's OpenMP threads stall far more than nabla's task pool when a core is taken: rerun on an idle machine.`,
  );
}
console.log(
  `nativeMs, nativeTracedMs and torchMs: medians over ${rounds} rounds of alternated windows; ratioVsTorch = torchMs / nativeMs and ` +
    'ratioTracedVsTorch = torchMs / nativeTracedMs as the median of the per-round ratios, ratioVsTfjs = tfjsMs / nativeMs (> 1: nabla native faster)',
);
printTable(rows);
for (const c of checks) console.log(c);
console.log(
  JSON.stringify({
    bench: 'conv', threads, simd: nativeInfo.simd, nablaOps: 'conv2d+conv2dBackpropInput+conv2dBackpropFilter',
    torch: torchMeta ?? { error: torchError ?? 'failed' }, foreignCpuFrac, shapes: figures,
  }),
);
