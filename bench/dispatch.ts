// Per-op dispatch overhead: microseconds per small eager op, with and without an active tape,
// next to TensorFlow.js (cpu backend) doing the same op in the same process.
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { microsPerCall, printTable } from './util.js';

const ITERS = 200_000;
const a = nb.randomNormal([16]);
const b = nb.randomNormal([16]);
const m = nb.randomNormal([4, 4]);

const addNoTapeUs = microsPerCall(() => nb.add(a, b), ITERS);
const mulNoTapeUs = microsPerCall(() => nb.mul(a, b), ITERS);
const reluNoTapeUs = microsPerCall(() => nb.relu(a), ITERS);
const sumNoTapeUs = microsPerCall(() => nb.sum(a), ITERS);
const matMul4NoTapeUs = microsPerCall(() => nb.matMul(m, m), ITERS);

const tape = new nb.GradientTape({ persistent: true });
tape.watch(a);
tape.start();
// A persistent tape grows with every recorded op; time in slices and reset it between slices.
const addWithTapeUs = microsPerCall(() => nb.add(a, b), 20_000);
tape.stop();

await tf.setBackend('cpu');
const ta = tf.randomNormal([16]);
const tb = tf.randomNormal([16]);
const tfjsAddUs = microsPerCall(() => tf.tidy(() => tf.add(ta, tb)), 50_000);

printTable([
  { op: 'add [16]', nablaUs: addNoTapeUs, withTapeUs: addWithTapeUs, tfjsCpuUs: tfjsAddUs },
  { op: 'mul [16]', nablaUs: mulNoTapeUs, withTapeUs: NaN, tfjsCpuUs: NaN },
  { op: 'relu [16]', nablaUs: reluNoTapeUs, withTapeUs: NaN, tfjsCpuUs: NaN },
  { op: 'sum [16]', nablaUs: sumNoTapeUs, withTapeUs: NaN, tfjsCpuUs: NaN },
  { op: 'matMul [4,4]', nablaUs: matMul4NoTapeUs, withTapeUs: NaN, tfjsCpuUs: NaN },
]);
console.log(`backend: ${nb.getBackend()}; target: add without tape <= 5 us`);
console.log(
  JSON.stringify({
    backend: nb.getBackend(),
    addNoTapeUs,
    addWithTapeUs,
    mulNoTapeUs,
    reluNoTapeUs,
    sumNoTapeUs,
    matMul4NoTapeUs,
    tfjsCpuAddUs: tfjsAddUs,
    ratioVsTfjs: tfjsAddUs / addNoTapeUs,
  }),
);
