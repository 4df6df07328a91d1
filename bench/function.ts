// Eager vs nb.function training step: an MLP (784-128-64-10, batch 32: dispatch-bound) and the
// Keras mnist_convnet (conv 32, pool, conv 64, pool, dense 10; batch 128). One step = tape,
// gradients and the SGD update (nb.v1.assignSub), the same code eager and traced (with and
// without the plan's buffer reuse). Then the same two models as Keras models trained with
// trainOnBatch, runEagerly true vs false (Adam; traced forward/loss/gradients, eager update
// in place, the gradients' buffers recycled into the traced step's pool).
// Peak memory: the highest process.memoryUsage().arrayBuffers and rss seen after each step, each
// mode in a process of its own, from a collected heap (still garbage-collector dependent).
// allocMB/step: bytes of fresh output buffers per traced step with reuse, of all kernel outputs
// without.
// Times: the modes' steps timed side by side in 7 windows, the median window per mode.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as nb from '../src/index.js';
import { printTable } from './util.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// Memory is measured one mode per child process (`--memory-of KEY MODE`): in one process, what
// the earlier runs left for the collector and V8's adapted limits decide the later runs' peaks.
const memoryArg = process.argv.indexOf('--memory-of');
const child = memoryArg < 0 ? null : { key: process.argv[memoryArg + 1]!, mode: process.argv[memoryArg + 2]! };

/** The figures of `run(mode)` measured in a fresh process running this file. */
function inChild<F>(key: string, mode: string): F {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--memory-of', key, mode, ...(process.argv.includes('--quick') ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as F;
  } catch {
    throw new Error(`bench function: the memory run ${key} ${mode} failed: ${(r.stderr || last).slice(-500)}`);
  }
}

interface Model {
  vars: nb.Variable[];
  loss: (x: nb.Tensor, y: nb.Tensor) => nb.Tensor;
}

function mlp(): Model {
  const w1 = nb.variable(nb.mul(nb.randomNormal([784, 128]), 0.05));
  const b1 = nb.variable(nb.zeros([128]));
  const w2 = nb.variable(nb.mul(nb.randomNormal([128, 64]), 0.1));
  const b2 = nb.variable(nb.zeros([64]));
  const w3 = nb.variable(nb.mul(nb.randomNormal([64, 10]), 0.1));
  const b3 = nb.variable(nb.zeros([10]));
  return {
    vars: [w1, b1, w2, b2, w3, b3],
    loss: (x, y) => {
      const h1 = nb.relu(nb.add(nb.matMul(x, w1), b1));
      const h2 = nb.relu(nb.add(nb.matMul(h1, w2), b2));
      return nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: y, logits: nb.add(nb.matMul(h2, w3), b3) }));
    },
  };
}

function convnet(): Model {
  const k1 = nb.variable(nb.mul(nb.randomNormal([3, 3, 1, 32]), 0.2));
  const c1 = nb.variable(nb.zeros([32]));
  const k2 = nb.variable(nb.mul(nb.randomNormal([3, 3, 32, 64]), 0.05));
  const c2 = nb.variable(nb.zeros([64]));
  const w = nb.variable(nb.mul(nb.randomNormal([1600, 10]), 0.02));
  const b = nb.variable(nb.zeros([10]));
  return {
    vars: [k1, c1, k2, c2, w, b],
    loss: (x, y) => {
      let h = nb.relu(nb.add(nb.conv2d(x, k1, 1, 'valid'), c1));
      h = nb.maxPool(h, 2, 2, 'valid');
      h = nb.relu(nb.add(nb.conv2d(h, k2, 1, 'valid'), c2));
      h = nb.maxPool(h, 2, 2, 'valid');
      const logits = nb.add(nb.matMul(nb.reshape(h, [-1, 1600]), w), b);
      return nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: y, logits }));
    },
  };
}

interface RunFigures {
  ms: number;
  peakMB: number;
  rssMB: number;
  loss: number;
  /** Traced with reuse: MB of fresh output buffers per step, and of all kernel outputs per step. */
  allocMB: number;
  outputMB: number;
}

/**
 * Times `steps` calls of `one` after warm-up calls (a tenth of `steps`, at least 3: the JIT and
 * the buffer pool settle), tracking peak memory after each.
 */
const warmupCalls = (steps: number): number => Math.max(3, Math.round(steps / 10));
function timed(one: () => void, steps: number): { ms: number; peakMB: number; rssMB: number } {
  gc();
  let peak = 0;
  let rss = 0;
  const step = () => {
    one();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.arrayBuffers);
    rss = Math.max(rss, m.rss);
  };
  for (let i = 0; i < warmupCalls(steps); i++) step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  return { ms: (performance.now() - t0) / steps, peakMB: peak / 2 ** 20, rssMB: rss / 2 ** 20 };
}

/**
 * Per-step ms of each step function, timed side by side: `windows` rounds, each running a window
 * of steps/windows calls of every function in turn; the median window per function. A single
 * long run per mode is at the mercy of a garbage collection or a noisy neighbour that hits one
 * mode only (this machine's MLP steps vary 2x from one window to the next).
 */
function interleavedMs(stepFns: (() => void)[], steps: number, windows = 7): number[] {
  const per = Math.max(1, Math.round(steps / windows));
  const times: number[][] = stepFns.map(() => []);
  for (let w = 0; w < windows; w++) {
    stepFns.forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < per; i++) fn();
      times[k]!.push((performance.now() - t0) / per);
    });
  }
  return times.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

function measure(name: string, key: string, make: () => Model, xShape: number[], batch: number, steps: number) {
  nb.setSeed(0); // the same batch in the parent and in every memory child
  const data = { x: nb.randomUniform([batch, ...xShape]), y: nb.oneHot(nb.randomUniform([batch], 0, 10, 'int32'), 10) };
  type Mode = 'eager' | 'traced' | 'noReuse';
  const prepare = (mode: Mode) => {
    nb.setSeed(1);
    const m = make();
    const train = (x: nb.Tensor, y: nb.Tensor) => {
      const tape = new nb.GradientTape();
      const loss = tape.record(() => m.loss(x, y));
      const gs = tape.gradient(loss, m.vars);
      m.vars.forEach((v, i) => nb.v1.assignSub(v, nb.mul(gs[i]!, 0.01)));
      return loss;
    };
    const traced = mode === 'eager' ? null : nb.function(train, { reuseBuffers: mode === 'traced' });
    const fn = traced ?? train;
    return { m, traced, step: () => void fn(data.x, data.y) };
  };
  const run = (mode: Mode): RunFigures => {
    const { m, traced, step } = prepare(mode);
    const t = timed(step, steps);
    let allocMB = NaN;
    let outputMB = NaN;
    if (mode === 'traced') {
      const st = traced!.getConcreteFunction(data.x, data.y).memoryStats;
      const calls = steps + warmupCalls(steps);
      allocMB = st.allocatedBytes / calls / 2 ** 20;
      outputMB = (st.allocatedBytes + st.reusedBytes) / calls / 2 ** 20;
    }
    return { ...t, loss: m.loss(data.x, data.y).item(), allocMB, outputMB };
  };
  if (child !== null) {
    console.log(JSON.stringify(run(child.mode as Mode)));
    return null;
  }
  // Times: the three steps side by side. Memory and losses: each mode alone in a child process.
  const [eagerMs, noReuseMs, tracedMs] = interleavedMs((['eager', 'noReuse', 'traced'] as const).map((mode) => prepare(mode).step), steps);
  return {
    name,
    eager: { ...inChild<RunFigures>(key, 'eager'), ms: eagerMs! },
    noReuse: { ...inChild<RunFigures>(key, 'noReuse'), ms: noReuseMs! },
    traced: { ...inChild<RunFigures>(key, 'traced'), ms: tracedMs! },
  };
}

function kerasMeasure(name: string, key: string, make: () => nb.keras.Model, xShape: number[], batch: number, steps: number) {
  nb.setSeed(0);
  const x = nb.randomUniform([batch, ...xShape]);
  const y = nb.randomUniform([batch], 0, 10, 'int32');
  const prepare = (runEagerly: boolean) => {
    nb.setSeed(1);
    const m = make();
    m.compile({ optimizer: 'adam', loss: new nb.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), runEagerly });
    return m;
  };
  const run = (runEagerly: boolean) => {
    const m = prepare(runEagerly);
    let last = 0;
    const t = timed(() => {
      last = m.trainOnBatch(x, y) as number;
    }, steps);
    return { ...t, loss: last, traces: m.tracingCounts.train, fallback: m.traceFallbackReason };
  };
  if (child !== null) {
    console.log(JSON.stringify(run(child.mode === 'eager')));
    return null;
  }
  const [eagerMs, tracedMs] = interleavedMs([true, false].map((runEagerly) => {
    const m = prepare(runEagerly);
    return () => void m.trainOnBatch(x, y);
  }), steps);
  type KerasFigures = ReturnType<typeof run>;
  return { name, eager: { ...inChild<KerasFigures>(key, 'eager'), ms: eagerMs! }, traced: { ...inChild<KerasFigures>(key, 'traced'), ms: tracedMs! } };
}

const L = nb.keras.layers;
const kerasMlp = () =>
  nb.keras.sequential([L.dense({ units: 128, activation: 'relu', inputShape: [784] }), L.dense({ units: 64, activation: 'relu' }), L.dense({ units: 10 })]);
const kerasConvnet = () =>
  nb.keras.sequential([
    L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dropout({ rate: 0.5 }),
    L.dense({ units: 10 }),
  ]);

const quick = process.argv.includes('--quick');
const benches = {
  mlp: () => measure('mlp b32', 'mlp', mlp, [784], 32, quick ? 50 : 2000),
  convnet: () => measure('convnet b128', 'convnet', convnet, [28, 28, 1], 128, quick ? 3 : 10),
  kerasMlp: () => kerasMeasure('keras mlp b32', 'kerasMlp', kerasMlp, [784], 32, quick ? 50 : 2000),
  kerasConvnet: () => kerasMeasure('keras convnet b128', 'kerasConvnet', kerasConvnet, [28, 28, 1], 128, quick ? 3 : 10),
};
if (child !== null) {
  benches[child.key as keyof typeof benches]();
  process.exit(0);
}
const rows = [benches.mlp()!, benches.convnet()!];
const f1 = (x: number) => x.toFixed(1);
printTable(
  rows.map((r) => ({
    name: r.name,
    eagerMs: r.eager.ms.toFixed(3),
    tracedMs: r.traced.ms.toFixed(3),
    noReuseMs: r.noReuse.ms.toFixed(3),
    speedup: (r.eager.ms / r.traced.ms).toFixed(2),
    eagerPeakMB: f1(r.eager.peakMB),
    tracedPeakMB: f1(r.traced.peakMB),
    noReusePeakMB: f1(r.noReuse.peakMB),
    eagerRssMB: f1(r.eager.rssMB),
    tracedRssMB: f1(r.traced.rssMB),
    allocMBPerStep: `${f1(r.traced.allocMB)} of ${f1(r.traced.outputMB)}`,
    lossDiff: Math.abs(r.eager.loss - r.traced.loss).toExponential(1),
  })),
);
const krows = [benches.kerasMlp()!, benches.kerasConvnet()!];
printTable(
  krows.map((r) => ({
    name: r.name,
    eagerMs: r.eager.ms.toFixed(3),
    tracedMs: r.traced.ms.toFixed(3),
    speedup: (r.eager.ms / r.traced.ms).toFixed(2),
    eagerPeakMB: f1(r.eager.peakMB),
    tracedPeakMB: f1(r.traced.peakMB),
    traces: r.traced.traces,
    lossDiff: Math.abs(r.eager.loss - r.traced.loss).toExponential(1),
  })),
);
console.log(`backend: ${nb.getBackend()}; targets: traced >= 1.3x eager on the MLP, never slower on the convnet, lower peak memory`);
console.log(JSON.stringify({ backend: nb.getBackend(), mlp: rows[0], convnet: rows[1], kerasMlp: krows[0], kerasConvnet: krows[1] }));
