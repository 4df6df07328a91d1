// GEMM GFLOPS: native sgemm (1 thread and all threads) vs the TypeScript reference (sizes <= 512)
// vs OpenBLAS through numpy, measured in this one run. Prints a table, then one JSON line.
//   node --import tsx bench/gemm.ts [--seconds 0.4] [--no-openblas]
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
}

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 0.4) || 0.4;
const withOpenblas = !args.includes('--no-openblas');

const cases: Case[] = [
  ...[256, 512, 1024, 2048].map((s) => ({ name: `square ${s}`, m: s, k: s, n: s, transA: false, transB: false })),
  ...[[784, 512], [512, 256], [256, 10]].flatMap(([inp, outp]) => [
    { name: `mlp fwd  x.W`, m: 128, k: inp!, n: outp!, transA: false, transB: false },
    { name: `mlp dx  dy.W^T`, m: 128, k: outp!, n: inp!, transA: false, transB: true },
    { name: `mlp dw  x^T.dy`, m: inp!, k: 128, n: outp!, transA: true, transB: false },
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

/** Best and median GFLOPS of `fn` over repeated calls (one warm-up, >= 3 calls, >= `seconds`). */
function measure(fn: () => void, flops: number): { best: number; median: number } {
  fn();
  const times: number[] = [];
  let total = 0;
  while (times.length < 3 || total < seconds) {
    const t0 = process.hrtime.bigint();
    fn();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    times.push(t);
    total += t;
  }
  const g = times.map((t) => flops / t / 1e9).sort((x, y) => x - y);
  return { best: g[g.length - 1]!, median: g[Math.floor(g.length / 2)]! };
}

interface Openblas {
  rows: { m: number; k: number; n: number; transA: boolean; transB: boolean; threads: number; gflops_best: number }[];
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
  const r = spawnSync('/usr/bin/python3', [script, '--shapes', shapes, '--threads', threadCounts.join(','), '--seconds', String(seconds)], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
const openblas = withOpenblas ? runOpenblas(threadCounts) : { rows: [], error: 'skipped (--no-openblas)' };
if (openblas.error) console.error(`bench/gemm: OpenBLAS column empty: ${openblas.error}`);

const rows: Record<string, string | number>[] = [];
const figures: Record<string, unknown>[] = [];
for (const c of cases) {
  const a = random(c.m * c.k, 1), b = random(c.k * c.n, 2), out = new Float32Array(c.m * c.n);
  const aShape = c.transA ? [c.k, c.m] : [c.m, c.k];
  const bShape = c.transB ? [c.n, c.k] : [c.k, c.n];
  const flops = 2 * c.m * c.n * c.k;
  let js: number | undefined;
  if (Math.max(c.m, c.n, c.k) <= 512) {
    const ref = referenceKernels();
    const td = (values: Float32Array, shape: number[]) => ({ values, shape, dtype: 'float32' as const });
    js = measure(() => ref.matMul(td(a, aShape), td(b, bShape), td(out, [c.m, c.n]), c.transA, c.transB), flops).best;
  }
  for (const threads of threadCounts) {
    addon.setNumThreads(threads);
    const native = measure(() => addon.matMul(a, aShape, b, bShape, out, [c.m, c.n], c.transA, c.transB), flops);
    const ob = openblas.rows.find(
      (r) => r.m === c.m && r.k === c.k && r.n === c.n && r.transA === c.transA && r.transB === c.transB && r.threads === threads,
    );
    const ratio = ob ? native.best / ob.gflops_best : NaN;
    rows.push({
      shape: c.name,
      'MxKxN': `${c.m}x${c.k}x${c.n}`,
      threads,
      native: native.best,
      nativeMedian: native.median,
      openblas: ob?.gflops_best ?? NaN,
      ratioVsOpenblas: ratio,
      js: js ?? '-',
    });
    figures.push({
      name: c.name, m: c.m, k: c.k, n: c.n, transA: c.transA, transB: c.transB, threads,
      nativeGflopsBest: native.best, nativeGflopsMedian: native.median,
      openblasGflopsBest: ob?.gflops_best ?? null, ratioVsOpenblas: ob ? ratio : null,
      jsGflopsBest: js ?? null,
    });
  }
}
addon.setNumThreads(allThreads);

console.log(`GFLOPS (best of repeated calls); CPU: ${cpus()[0]?.model ?? '?'}, ${allThreads} threads, simd ${addon.info().simd}`);
printTable(rows);
console.log(JSON.stringify({ bench: 'gemm', simd: addon.info().simd, threads: allThreads, openblas: openblas.lib ?? openblas.error, rows: figures }));
