// Per-kernel time of one training step of the bench/lstm.ts model (Embedding(1000, 64) ->
// LSTM(128) -> Dense(10), batch 64, sequences of 100) on the active backend: wraps every kernel of
// the active table with a timer, runs warm-up steps, then times `steps` steps. Kernels are grouped
// by name (binary/unary by their kind) and shapes; the gap between the step time and the kernel
// time is op dispatch, autodiff bookkeeping and allocation in JavaScript.
//   node --import tsx bench/lstm_profile.ts [steps] [--cpu]
import * as nb from '../src/index.js';
import { setNativeThreads } from '../src/backend/native/index.js';
import { kernels } from '../src/backend/registry.js';

const steps = Number(process.argv[2] ?? 5) || 5;
// --cpu: one native thread, times in process CPU time (robust when the machine is loaded).
const cpu = process.argv.includes('--cpu');
const now = (): number => (cpu ? (() => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; })() : performance.now());
if (cpu && nb.getBackend() === 'native') setNativeThreads(1);
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
const L = nb.keras.layers;
const model = nb.keras.sequential([L.embedding({ inputDim: 1000, outputDim: 64, inputShape: [100] }), L.lstm({ units: 128 }), L.dense({ units: 10 })]);
model.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 1e-3, epsilon: 1e-7 }), loss: new nb.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
const x = nb.cast(nb.floor(nb.randomUniform([64, 100], 0, 999.999)), 'int32');
const y = nb.cast(nb.floor(nb.randomUniform([64], 0, 9.999)), 'int32');
for (let i = 0; i < 2; i++) model.trainOnBatch(x, y);
totals.clear();
const t0 = now();
for (let i = 0; i < steps; i++) model.trainOnBatch(x, y);
const wall = (now() - t0) / steps;
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
let kernelSum = 0;
let calls = 0;
for (const [, v] of rows) {
  kernelSum += v.ms;
  calls += v.calls;
}
console.log(`backend ${nb.getBackend()}${cpu ? ' (1 thread, CPU time)' : ''}: ${wall.toFixed(2)} ms/step total, ${(kernelSum / steps).toFixed(2)} ms/step in ${calls / steps} kernel calls, ${(64000 / wall).toFixed(0)} samples/s`);
for (const [k, v] of rows.slice(0, 30)) console.log(`${(v.ms / steps).toFixed(3).padStart(8)} ms  ${String(v.calls / steps).padStart(4)}x  ${k}`);
console.log(JSON.stringify({ bench: 'lstm_profile', backend: nb.getBackend(), ms_per_step: wall, kernel_ms_per_step: kernelSum / steps, kernel_calls_per_step: calls / steps }));
