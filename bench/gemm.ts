// GEMM speed: native sgemm (1 thread and all threads) vs the TypeScript reference (sizes <= 512)
// vs OpenBLAS through numpy (or torch), measured in this one run: square products and the exact
// products of a training step of the Keras MLP 784-512-256-10 at batch 128 (forward x.W,
// backward dy.W^T and x^T.dy, with their transpose flags). Prints a table and the per-step sum,
// then one JSON line.
//   node --import tsx bench/gemm.ts [--seconds 0.4] [--rounds 1] [--no-openblas] [--torch]
// ratioVsOpenblas = OpenBLAS median time / native median time (> 1: native is faster);
// ratioBest compares best times. With --rounds R, OpenBLAS and native are measured R times in
// alternation and each figure is the median over rounds (the machine may be shared and noisy).
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceKernels } from '../src/backend/registry.js';
import { loadAddon } from '../src/backend/native/addon.js';
import { printTable } from './util.js';

interface Case {
  name: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** One of the GEMMs a training step of the MLP runs (the first layer's dx is never computed). */
  step: boolean;
}

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 0.4) || 0.4;
const rounds = Math.max(1, Math.floor(Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 1) || 1));
const withOpenblas = !args.includes('--no-openblas');
const openblasLib = args.includes('--torch') ? 'torch' : 'numpy';

const layers: [number, number][] = [[784, 512], [512, 256], [256, 10]];
const cases: Case[] = [
  ...[256, 512, 1024, 2048].map((s) => ({ name: `square ${s}`, m: s, k: s, n: s, transA: false, transB: false, step: false })),
  ...layers.flatMap(([inp, outp], layer) => [
    { name: `mlp fwd ${inp}>${outp} x.W`, m: 128, k: inp, n: outp, transA: false, transB: false, step: true },
    { name: `mlp dx ${outp}>${inp} dy.W^T`, m: 128, k: outp, n: inp, transA: false, transB: true, step: layer > 0 },
    { name: `mlp dw ${inp}x${outp} x^T.dy`, m: inp, k: 128, n: outp, transA: true, transB: false, step: true },
  ]),
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

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** Best and median milliseconds per call of `fn` (one warm-up, >= 3 calls, >= `seconds`). */
function measure(fn: () => void): { bestMs: number; medianMs: number } {
  fn();
  const times: number[] = [];
  let total = 0;
  while (times.length < 3 || total < seconds) {
    const t0 = process.hrtime.bigint();
    fn();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    times.push(t * 1e3);
    total += t;
  }
  return { bestMs: Math.min(...times), medianMs: median(times) };
}

interface OpenblasRow {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  threads: number;
  gflops_best: number;
  gflops_median: number;
}
interface Openblas {
  rows: OpenblasRow[];
  lib?: string;
  error?: string;
}

function runOpenblas(threadCounts: number[]): Openblas {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'gemm_openblas.py');
  const shapes = cases.map((c) => [c.m, c.k, c.n, +c.transA, +c.transB].join(',')).join(';');
  const env = { ...process.env };
  // The bench environment may pin OpenBLAS's core type and cache size for other tools; let it
  // detect this CPU itself.
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  const r = spawnSync(
    '/usr/bin/python3',
    [script, '--shapes', shapes, '--threads', threadCounts.join(','), '--seconds', String(seconds), '--lib', openblasLib],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Openblas;
  } catch {
    return { rows: [], error: `gemm_openblas.py failed (status ${r.status}): ${r.error?.message ?? 'no JSON output'}` };
  }
}

const load = loadAddon();
if ('reason' in load) {
  console.error(`bench/gemm: native addon unavailable (${load.reason})`);
  process.exit(1);
}
const addon = load.addon;
const allThreads = availableParallelism();
const threadCounts = allThreads > 1 ? [1, allThreads] : [1];

const key = (c: { m: number; k: number; n: number; transA: boolean; transB: boolean }, threads: number) =>
  `${c.m},${c.k},${c.n},${+c.transA},${+c.transB},${threads}`;
// Per case and thread count: each round's [best, median] milliseconds.
const nativeMs = new Map<string, [number, number][]>();
const openblasMs = new Map<string, [number, number][]>();
const jsGflops = new Map<string, number>();
let openblasLabel: string | undefined;
let openblasError: string | undefined;

const inputs = cases.map((c) => ({
  a: random(c.m * c.k, 1),
  b: random(c.k * c.n, 2),
  out: new Float32Array(c.m * c.n),
  aShape: c.transA ? [c.k, c.m] : [c.m, c.k],
  bShape: c.transB ? [c.n, c.k] : [c.k, c.n],
}));

for (let round = 0; round < rounds; round++) {
  if (withOpenblas) {
    const ob = runOpenblas(threadCounts);
    openblasLabel = ob.lib ?? openblasLabel;
    if (ob.error) openblasError = ob.error;
    for (const r of ob.rows) {
      const flops = 2 * r.m * r.n * r.k;
      const list = openblasMs.get(key(r, r.threads)) ?? [];
      list.push([flops / r.gflops_best / 1e6, flops / r.gflops_median / 1e6]);
      openblasMs.set(key(r, r.threads), list);
    }
  }
  for (const [i, c] of cases.entries()) {
    const { a, b, out, aShape, bShape } = inputs[i]!;
    if (round === 0 && Math.max(c.m, c.n, c.k) <= 512) {
      const ref = referenceKernels();
      const td = (values: Float32Array, shape: number[]) => ({ values, shape, dtype: 'float32' as const });
      const js = measure(() => ref.matMul(td(a, aShape), td(b, bShape), td(out, [c.m, c.n]), c.transA, c.transB));
      jsGflops.set(key(c, 1), (2 * c.m * c.n * c.k) / js.bestMs / 1e6);
    }
    for (const threads of threadCounts) {
      addon.setNumThreads(threads);
      const t = measure(() => addon.matMul(a, aShape, b, bShape, out, [c.m, c.n], c.transA, c.transB));
      const list = nativeMs.get(key(c, threads)) ?? [];
      list.push([t.bestMs, t.medianMs]);
      nativeMs.set(key(c, threads), list);
    }
  }
}
addon.setNumThreads(allThreads);
if (withOpenblas && openblasError) console.error(`bench/gemm: OpenBLAS column empty: ${openblasError}`);

/** Best over rounds of the best times, median over rounds of the median times. */
function summarize(list: [number, number][] | undefined): { bestMs: number; medianMs: number } | undefined {
  if (!list || list.length === 0) return undefined;
  return { bestMs: Math.min(...list.map((x) => x[0])), medianMs: median(list.map((x) => x[1])) };
}

const rows: Record<string, string | number>[] = [];
const figures: Record<string, unknown>[] = [];
const stepSums = new Map<number, { native: number; openblas: number; complete: boolean }>();
for (const threads of threadCounts) {
  for (const c of cases) {
    const flops = 2 * c.m * c.n * c.k;
    const nat = summarize(nativeMs.get(key(c, threads)))!;
    const ob = summarize(openblasMs.get(key(c, threads)));
    const ratio = ob ? ob.medianMs / nat.medianMs : NaN;
    const ratioBest = ob ? ob.bestMs / nat.bestMs : NaN;
    const js = threads === 1 ? jsGflops.get(key(c, 1)) : undefined;
    rows.push({
      shape: c.name,
      MxKxN: `${c.m}x${c.k}x${c.n}`,
      op: `${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'}`,
      threads,
      nativeMs: nat.medianMs,
      openblasMs: ob?.medianMs ?? NaN,
      nativeGflops: flops / nat.medianMs / 1e6,
      openblasGflops: ob ? flops / ob.medianMs / 1e6 : NaN,
      ratioVsOpenblas: ratio,
      ratioBest,
      jsGflops: js ?? '-',
    });
    figures.push({
      name: c.name, m: c.m, k: c.k, n: c.n, transA: c.transA, transB: c.transB, threads, mlpStep: c.step,
      nativeMsMedian: nat.medianMs, nativeMsBest: nat.bestMs,
      nativeGflopsBest: flops / nat.bestMs / 1e6, nativeGflopsMedian: flops / nat.medianMs / 1e6,
      openblasMsMedian: ob?.medianMs ?? null, openblasMsBest: ob?.bestMs ?? null,
      openblasGflopsBest: ob ? flops / ob.bestMs / 1e6 : null, openblasGflopsMedian: ob ? flops / ob.medianMs / 1e6 : null,
      ratioVsOpenblas: ob ? ratio : null, ratioVsOpenblasBest: ob ? ratioBest : null,
      jsGflopsBest: js ?? null,
    });
    if (c.step) {
      const s = stepSums.get(threads) ?? { native: 0, openblas: 0, complete: true };
      s.native += nat.medianMs;
      if (ob) s.openblas += ob.medianMs;
      else s.complete = false;
      stepSums.set(threads, s);
    }
  }
}
const step = [...stepSums.entries()].map(([threads, s]) => ({
  threads,
  nativeMs: s.native,
  openblasMs: s.complete ? s.openblas : null,
  ratioVsOpenblas: s.complete ? s.openblas / s.native : null,
}));

console.log(
  `GEMM, median ms per call (median over ${rounds} round${rounds > 1 ? 's' : ''}); CPU: ${cpus()[0]?.model ?? '?'}, ` +
    `${allThreads} threads, simd ${addon.info().simd}; OpenBLAS via ${openblasLabel ?? openblasError ?? 'none'}`,
);
printTable(rows);
console.log('MLP training step, sum of its 8 GEMMs (median ms):');
printTable(step.map((s) => ({ threads: s.threads, nativeMs: s.nativeMs, openblasMs: s.openblasMs ?? NaN, ratioVsOpenblas: s.ratioVsOpenblas ?? NaN })));
console.log(
  JSON.stringify({
    bench: 'gemm', simd: addon.info().simd, threads: allThreads, rounds,
    openblas: openblasLabel ?? openblasError ?? null, mlpStep: step, rows: figures,
  }),
);
