// Eager vs nb.function training step: an MLP (784-128-64-10, batch 32: dispatch-bound) and the
// Keras mnist_convnet (conv 32, pool, conv 64, pool, dense 10; batch 128). One step = tape,
// gradients and the SGD update (nb.v1.assignSub), the same code eager and traced. Peak memory: the highest
// process.memoryUsage().arrayBuffers seen after each step (garbage-collector dependent).
import * as nb from '../src/index.js';
import { printTable } from './util.js';

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

function measure(name: string, make: () => Model, xShape: number[], batch: number, steps: number) {
  const data = { x: nb.randomUniform([batch, ...xShape]), y: nb.oneHot(nb.randomUniform([batch], 0, 10, 'int32'), 10) };
  const run = (traced: boolean) => {
    nb.setSeed(1);
    const m = make();
    const train = (x: nb.Tensor, y: nb.Tensor) => {
      const tape = new nb.GradientTape();
      const loss = tape.record(() => m.loss(x, y));
      const gs = tape.gradient(loss, m.vars);
      m.vars.forEach((v, i) => nb.v1.assignSub(v, nb.mul(gs[i]!, 0.01)));
      return loss;
    };
    const step = traced ? nb.function(train) : train;
    let peak = 0;
    const one = () => {
      step(data.x, data.y);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    };
    for (let i = 0; i < 3; i++) one();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) one();
    const ms = (performance.now() - t0) / steps;
    return { ms, peakMB: peak / 2 ** 20, loss: m.loss(data.x, data.y).item() };
  };
  const eager = run(false);
  const traced = run(true);
  return { name, eagerMs: eager.ms, tracedMs: traced.ms, speedup: eager.ms / traced.ms, eagerPeakMB: eager.peakMB, tracedPeakMB: traced.peakMB, lossDiff: Math.abs(eager.loss - traced.loss) };
}

const quick = process.argv.includes('--quick');
const rows = [measure('mlp b32', mlp, [784], 32, quick ? 50 : 300), measure('convnet b128', convnet, [28, 28, 1], 128, quick ? 3 : 10)];
printTable(rows.map((r) => ({ ...r, eagerMs: r.eagerMs.toFixed(3), tracedMs: r.tracedMs.toFixed(3), speedup: r.speedup.toFixed(2), eagerPeakMB: r.eagerPeakMB.toFixed(1), tracedPeakMB: r.tracedPeakMB.toFixed(1), lossDiff: r.lossDiff.toExponential(1) })));
console.log(`backend: ${nb.getBackend()}; targets: traced >= 1.3x eager on the MLP, never slower on the convnet`);
console.log(JSON.stringify({ backend: nb.getBackend(), mlp: rows[0], convnet: rows[1] }));
