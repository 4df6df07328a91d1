// Per-kernel time of one mnist_convnet training step (batch 128) on the active backend: wraps
// every kernel of the active table with a timer, runs warm-up steps, then times `steps` steps.
//   node --import tsx bench/convnet_profile.ts [steps]
import * as nb from '../src/index.js';
import { setNativeThreads } from '../src/backend/native/index.js';
import { kernels } from '../src/backend/registry.js';
import { buildConvnet } from '../src/apps/mnist/model.js';

const steps = Number(process.argv[2] ?? 20) || 20;
// --cpu: one native thread, kernels timed in process CPU time (robust when the machine is loaded).
const cpu = process.argv.includes('--cpu');
const now = (): number => (cpu ? (() => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; })() : performance.now());
if (cpu) setNativeThreads(1);
const table = kernels() as unknown as Record<string, (...a: unknown[]) => unknown>;
const totals = new Map<string, { ms: number; calls: number }>();
let depth = 0;
for (const [name, fn] of Object.entries(table)) {
  if (typeof fn !== 'function') continue;
  table[name] = (...args: unknown[]) => {
    if (depth > 0) return fn(...args);
    depth++;
    const t0 = now();
    try {
      return fn(...args);
    } finally {
      depth--;
      const label = name === 'binary' || name === 'unary' || name === 'reduce' ? `${name}:${String(args[0])}` : name;
      const shapes = (args.filter((a) => a && typeof a === 'object' && 'shape' in (a as object)) as { shape: number[] }[]).map((a) => a.shape.join('x')).join(' ');
      const key = `${label} ${shapes}`;
      const e = totals.get(key) ?? { ms: 0, calls: 0 };
      e.ms += now() - t0;
      e.calls++;
      totals.set(key, e);
    }
  };
}
nb.setSeed(0);
const model = buildConvnet([28, 28, 1], 10);
const x = nb.mul(nb.randomUniform([128, 28, 28, 1]), 255);
const y = nb.cast(nb.floor(nb.randomUniform([128], 0, 9.999)), 'int32');
for (let i = 0; i < 5; i++) model.trainOnBatch(x, y);
totals.clear();
const t0 = now();
for (let i = 0; i < steps; i++) model.trainOnBatch(x, y);
const wall = (now() - t0) / steps;
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
let kernelSum = 0;
for (const [, v] of rows) kernelSum += v.ms;
console.log(`backend ${nb.getBackend()}: ${wall.toFixed(2)} ms/step total, ${(kernelSum / steps).toFixed(2)} ms/step in kernels, ${(128000 / wall).toFixed(0)} samples/s`);
for (const [k, v] of rows.slice(0, 30)) console.log(`${(v.ms / steps).toFixed(3).padStart(8)} ms  ${String(v.calls / steps).padStart(4)}x  ${k}`);
