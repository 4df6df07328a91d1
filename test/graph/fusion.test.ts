// nb.function's element-wise fusion: which chains become one step, that results stay those of the
// unfused plan and of eager execution, and the fused kernel itself (native vs reference, bad
// programs rejected with typed errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../../src/core/errors.js';
import { FUSABLE_BINARY, FUSABLE_UNARY, type FusedInstruction, type FusedProgram } from '../../src/backend/fused-program.js';
import type { BinaryKind, TensorData, UnaryKind } from '../../src/backend/kernels.js';
import { callNative } from '../../src/backend/native/checks.js';
import { assertClose as assertValuesClose, forEachConfiguration, native, randomValues, reference } from '../native/helpers.js';

const values = (t: nb.Tensor): Float32Array => t.dataSync() as Float32Array;
/** Fused steps run on the native backend; the TypeScript backend runs the ops one by one. */
const accelerated = nb.getBackend() === 'native';
/** The plan a call runs: `fused` on the native backend, `plain` on the TypeScript one. */
const planOf = (fused: string[], plain: string[]) => (accelerated ? fused : plain);

/** The traced, unfused-traced and eager results of `fn` agree; returns the fused trace. */
function checkAgainstUnfused(fn: (...xs: nb.Tensor[]) => nb.Tensor | nb.Tensor[], args: nb.Tensor[], rtol = 1e-6) {
  const f = nb.function(fn);
  const plain = nb.function(fn, { fuseElementwise: false });
  const flat = (r: nb.Tensor | nb.Tensor[]) => (Array.isArray(r) ? r : [r]);
  const eager = flat(fn(...args));
  for (let call = 0; call < 3; call++) {
    const got = flat(f(...args));
    const unfused = flat(plain(...args));
    got.forEach((g, k) => {
      assertValuesClose(values(g), values(unfused[k]!), rtol, 1e-6, `output ${k} vs unfused, call ${call}`);
      assertValuesClose(values(g), values(eager[k]!), rtol, 1e-6, `output ${k} vs eager, call ${call}`);
    });
  }
  return { fused: f.getConcreteFunction(...args), plain: plain.getConcreteFunction(...args) };
}

test('relu(x*w + b) - exp(-x) runs as one fused step with the unfused and eager values', () => {
  const w = nb.variable(nb.randomNormal([16, 33]));
  const b = nb.scalar(0.25);
  const fn = (x: nb.Tensor) => nb.sub(nb.relu(nb.add(nb.mul(x, w), b)), nb.exp(nb.neg(x)));
  const { fused, plain } = checkAgainstUnfused(fn, [nb.randomNormal([16, 33])]);
  assert.equal(fused.stats.fused, 6);
  assert.deepEqual(fused.executionPlan, planOf(['fused(mul,add,relu,neg,exp,sub)'], plain.executionPlan));
  assert.equal(plain.stats.fused, 0);
  assert.deepEqual(plain.executionPlan, ['mul', 'add', 'relu', 'neg', 'exp', 'sub']);
});

test('scalar operands on either side, parameterised unary kinds and a value read twice by one op', () => {
  const fn = (x: nb.Tensor, s: nb.Tensor) => {
    const e = nb.exp(nb.mul(x, -0.5));
    const h = nb.mul(e, e); // e read twice by one op: still one reader
    return nb.div(1, nb.add(nb.clipByValue(nb.leakyRelu(nb.sub(s, h), 0.1), -0.3, 0.7), nb.sigmoid(x)));
  };
  const { fused } = checkAgainstUnfused(fn, [nb.randomNormal([5, 300]), nb.scalar(0.4)], 1e-5);
  assert.deepEqual(fused.executionPlan, planOf(['fused(mul,exp,mul,sub,leakyRelu,clip,sigmoid,add,div)'], ['mul', 'exp', 'mul', 'sub', 'leakyRelu', 'clip', 'sigmoid', 'add', 'div']));
  assert.equal(fused.stats.fused, 9);
});

test('no fusion across an intermediate that is an output, or that two ops read', () => {
  const output = (x: nb.Tensor) => {
    const h = nb.tanh(nb.mul(x, 2)); // returned as well as read: must be materialised
    return [h, nb.add(nb.exp(h), 1)];
  };
  const a = checkAgainstUnfused(output, [nb.randomNormal([4, 80])]);
  assert.deepEqual(a.fused.executionPlan, planOf(['fused(mul,tanh)', 'fused(exp,add)'], ['mul', 'tanh', 'exp', 'add']));
  assert.equal(a.fused.stats.fused, 4);

  const twice = (x: nb.Tensor) => {
    const h = nb.mul(x, 3); // read by exp and by tanh
    return nb.add(nb.exp(h), nb.tanh(h));
  };
  const b = checkAgainstUnfused(twice, [nb.randomNormal([4, 80])]);
  assert.deepEqual(b.fused.executionPlan, planOf(['mul', 'fused(exp,tanh,add)'], ['mul', 'exp', 'tanh', 'add']));
  assert.equal(b.fused.stats.fused, 3);
});

test('no fusion across a variable update: a member reads the variable where the eager code did', () => {
  const v = nb.variable(nb.fill([512], 3));
  const f = nb.function(() => {
    const a = nb.mul(v, 2); // reads 3 ...
    nb.v1.assign(v, nb.zeros([512])); // ... before the update
    return nb.add(nb.exp(nb.neg(a)), 1);
  });
  const got = values(f() as nb.Tensor);
  assert.ok(Math.abs(got[0]! - (Math.exp(-6) + 1)) < 1e-6, `got ${got[0]}`);
  assert.deepEqual(f.getConcreteFunction().executionPlan, planOf(['mul', 'assign', 'fused(neg,exp,add)'], ['mul', 'assign', 'neg', 'exp', 'add']));
});

test('no fusion across broadcasting of non-scalar shapes, int32 ops, unknown shapes or under 256 elements', () => {
  const bias = nb.tensor([0.5, -1, 2]);
  const broadcast = (x: nb.Tensor) => nb.tanh(nb.add(nb.exp(nb.mul(x, 0.5)), bias)); // [4,3] + [3]
  const a = checkAgainstUnfused(broadcast, [nb.randomNormal([100, 3])]);
  assert.deepEqual(a.fused.executionPlan, planOf(['fused(mul,exp)', 'add', 'tanh'], ['mul', 'exp', 'add', 'tanh']));
  assert.equal(a.fused.stats.fused, 2);

  const ints = (i: nb.Tensor) => nb.add(nb.mul(i, 2), nb.abs(i));
  const fi = nb.function(ints);
  const i = nb.tensor([[1, -2, 3], [4, 5, -6]], undefined, 'int32');
  assert.deepEqual(fi(i).arraySync(), ints(i).arraySync());
  assert.deepEqual(fi.getConcreteFunction(i).executionPlan, ['mul', 'abs', 'add']);
  assert.equal(fi.getConcreteFunction(i).stats.fused, 0);

  const fn = (x: nb.Tensor) => nb.relu(nb.add(nb.mul(x, 2), 1));
  const open = nb.function(fn, { inputSignature: [{ shape: [null, 3] }] });
  const x = nb.randomNormal([100, 3]);
  assertValuesClose(values(open(x)), values(fn(x)), 1e-6, 1e-6, 'unknown batch dim');
  assert.deepEqual(open.getConcreteFunction(x).executionPlan, ['mul', 'add', 'relu']);
  assert.equal(open.getConcreteFunction(x).stats.fused, 0);

  // 255 elements: the native backend would hand each op to the reference kernels anyway.
  const small = checkAgainstUnfused(fn, [nb.randomNormal([5, 51])]);
  assert.equal(small.fused.stats.fused, 0);
  assert.deepEqual(small.fused.executionPlan, ['mul', 'add', 'relu']);
  assert.equal(checkAgainstUnfused(fn, [nb.randomNormal([4, 64])]).fused.stats.fused, 3);
});

test('a tape recording a call runs the unfused plan and gets the eager gradient', () => {
  const fn = (x: nb.Tensor) => nb.sum(nb.mul(nb.tanh(nb.mul(x, 1.5)), nb.sigmoid(x)));
  const f = nb.function(fn);
  const x = nb.randomNormal([6, 50]);
  const grad = (g: (x: nb.Tensor) => nb.Tensor) => {
    const tape = new nb.GradientTape();
    tape.watch(x);
    const y = tape.record(() => g(x));
    return tape.gradient(y, x)!;
  };
  assertValuesClose(values(grad(f)), values(grad(fn)), 1e-5, 1e-6, 'gradient through the traced call');
  assert.equal(f.getConcreteFunction(x).stats.fused, 4);
  assert.deepEqual(f.getConcreteFunction(x).executionPlan, planOf(['fused(mul,tanh,sigmoid,mul)', 'sum'], ['mul', 'tanh', 'sigmoid', 'mul', 'sum']));
});

test('fused steps take pooled buffers and release their inputs, call after call', () => {
  const w = nb.variable(nb.mul(nb.randomNormal([32, 32]), 0.2));
  const fn = (x: nb.Tensor) => {
    let h = x;
    for (let i = 0; i < 4; i++) h = nb.matMul(nb.tanh(nb.add(nb.mul(h, 1.5), 0.25)), w);
    return h;
  };
  const x = nb.randomNormal([32, 32]);
  const { fused } = checkAgainstUnfused(fn, [x], 1e-5);
  assert.equal(fused.stats.fused, 12);
  assert.equal(fused.executionPlan.length, accelerated ? 8 : 16);
  const st = fused.memoryStats;
  assert.ok(st.reused >= 12, `reused ${st.reused} buffers`);
  assert.ok(st.allocated <= 8, `allocated ${st.allocated} buffers over 3 calls of 8 steps`);
});

// ---- the kernel ----------------------------------------------------------------------------

const SIZES = [0, 1, 3, 7, 13, 127, 1000, 100003];
const view = (values: Float32Array): TensorData => ({ shape: [values.length], dtype: 'float32', values });
const PARAMS: Partial<Record<UnaryKind, [number, number]>> = { clip: [-0.5, 0.5], elu: [1.3, 0], leakyRelu: [0.2, 0], step: [0.1, 0] };

/** x -> s - kind(x) * t: a unary kind between a register/scalar and a scalar/register op. */
function unaryProgram(kind: UnaryKind): FusedProgram {
  const [alpha, beta] = PARAMS[kind] ?? [0, 0];
  return {
    registers: 2,
    code: [
      { op: 'load', dst: 0, input: 0 },
      { op: 'unary', dst: 1, kind, src: 0, alpha, beta },
      { op: 'binary', dst: 0, kind: 'mul', a: { reg: 1 }, b: { scalar: 1 } },
      { op: 'binary', dst: 1, kind: 'sub', a: { scalar: 2 }, b: { reg: 0 } },
    ],
  };
}

/** (x k y) k s, then s k that: the binary kind on every operand form. */
function binaryProgram(kind: BinaryKind): FusedProgram {
  return {
    registers: 3,
    code: [
      { op: 'load', dst: 0, input: 0 },
      { op: 'load', dst: 1, input: 1 },
      { op: 'binary', dst: 2, kind, a: { reg: 0 }, b: { reg: 1 } },
      { op: 'binary', dst: 0, kind, a: { reg: 2 }, b: { scalar: 2 } },
      { op: 'binary', dst: 1, kind: 'add', a: { reg: 0 }, b: { reg: 2 } },
      { op: 'binary', dst: 2, kind, a: { scalar: 3 }, b: { reg: 1 } },
    ],
  };
}

test('the reference fused kernel gives exactly the values of the separate reference kernels', () => {
  for (const n of [1, 300, 5000]) {
    const x = view(randomValues(n, -3, 3));
    const s = [view(Float32Array.of(0.75)), view(Float32Array.of(-1.25))];
    for (const kind of ['elu', 'tanh', 'softplus', 'round'] as UnaryKind[]) {
      const [alpha, beta] = PARAMS[kind] ?? [0, 0];
      const got = view(new Float32Array(n));
      reference.fusedElementwise(unaryProgram(kind), [x, ...s], got);
      const t = view(new Float32Array(n));
      const want = view(new Float32Array(n));
      reference.unary(kind, x, t, alpha, beta);
      reference.binary('mul', t, s[0]!, t);
      reference.binary('sub', s[1]!, t, want);
      assert.deepEqual(got.values, want.values, `${kind}, n=${n}`);
    }
  }
});

test('native fused kernel matches the reference for every kind, size and SIMD/thread setting', (t) => {
  const nat = native(t);
  if (!nat) return;
  const run = nat.kernels.fusedElementwise!;
  const programs: [string, FusedProgram, number][] = [
    ...[...FUSABLE_UNARY].map((k): [string, FusedProgram, number] => [k, unaryProgram(k), 4]),
    ...[...FUSABLE_BINARY].map((k): [string, FusedProgram, number] => [k, binaryProgram(k), 4]),
  ];
  forEachConfiguration(nat.addon, (label) => {
    for (const n of SIZES) {
      const x = view(randomValues(n, -3, 3));
      const y = view(randomValues(n, 0.5, 2));
      const scalars = [view(Float32Array.of(0.75)), view(Float32Array.of(-1.25)), view(Float32Array.of(1.5))];
      for (const [name, program] of programs) {
        const inputs = program.code.some((c) => c.op === 'load' && c.input === 1) ? [x, y, scalars[0]!, scalars[2]!] : [x, scalars[0]!, scalars[1]!];
        const want = view(new Float32Array(n));
        reference.fusedElementwise(program, inputs, want);
        const got = view(new Float32Array(n).fill(NaN));
        run(program, inputs, got);
        assertValuesClose(got.values, want.values, 2e-5, 2e-5, `${label}: ${name}, n=${n}`);
      }
    }
  });
});

test('the native fused kernel writes in place over a full-size input and uses up to 16 registers', (t) => {
  const nat = native(t);
  if (!nat) return;
  const n = 5000;
  // A balanced tree of adds over 16 loads of x needs registers for every pending partial sum.
  const code: FusedInstruction[] = [];
  for (let r = 0; r < 16; r++) code.push({ op: 'load', dst: r, input: 0 });
  for (let width = 16; width > 1; width /= 2) {
    for (let r = 0; r < width / 2; r++) code.push({ op: 'binary', dst: r, kind: 'add', a: { reg: 2 * r }, b: { reg: 2 * r + 1 } });
  }
  code.push({ op: 'unary', dst: 0, kind: 'tanh', src: 0, alpha: 0, beta: 0 });
  const program: FusedProgram = { registers: 16, code };
  const x = randomValues(n, -0.1, 0.1);
  const want = view(new Float32Array(n));
  reference.fusedElementwise(program, [view(x)], want);
  assertValuesClose(want.values, x.map((v) => Math.tanh(16 * v)), 1e-5, 1e-6, 'reference');
  const inPlace = view(x.slice());
  nat.kernels.fusedElementwise!(program, [inPlace], inPlace);
  assertValuesClose(inPlace.values, want.values, 1e-5, 1e-6, 'native, out aliasing the input');
});

test('bad programs raise typed errors naming fusedElementwise (native entry and reference)', (t) => {
  const x = view(new Float32Array(8));
  const out = view(new Float32Array(8));
  const s = view(new Float32Array(1));
  const bad: [string, FusedProgram, TensorData[]][] = [
    ['read before write', { registers: 2, code: [{ op: 'unary', dst: 0, kind: 'exp', src: 1, alpha: 0, beta: 0 }] }, [x]],
    ['register out of range', { registers: 1, code: [{ op: 'load', dst: 0, input: 0 }, { op: 'unary', dst: 3, kind: 'exp', src: 0, alpha: 0, beta: 0 }] }, [x]],
    ['missing input', { registers: 1, code: [{ op: 'load', dst: 0, input: 2 }, { op: 'unary', dst: 0, kind: 'exp', src: 0, alpha: 0, beta: 0 }] }, [x]],
    ['ends with a load', { registers: 1, code: [{ op: 'load', dst: 0, input: 0 }] }, [x]],
    ['too many registers', { registers: 17, code: [{ op: 'load', dst: 0, input: 0 }, { op: 'unary', dst: 0, kind: 'exp', src: 0, alpha: 0, beta: 0 }] }, [x]],
  ];
  for (const [why, program, inputs] of bad) {
    assert.throws(() => reference.fusedElementwise(program, inputs, out), (e: unknown) => e instanceof InvalidArgumentError && /fusedElementwise/.test(e.message), `reference: ${why}`);
  }
  assert.throws(
    () => reference.fusedElementwise({ registers: 1, code: [{ op: 'load', dst: 0, input: 0 }, { op: 'binary', dst: 0, kind: 'add', a: { reg: 0 }, b: { scalar: 0 } }] }, [x], out),
    ShapeError,
    'reference: an 8-value input used as a scalar',
  );
  const nat = native(t);
  if (!nat) return;
  const addon = nat.addon;
  const call = (code: number[], params: number[], registers: number, inputs: unknown[], o: unknown = out.values) =>
    callNative(() => addon.fusedElementwise(Int32Array.from(code), Float32Array.from(params), registers, inputs as Float32Array[], o as Float32Array));
  const p2 = [0, 0, 0, 0];
  const EXP = addon.fusedElementwiseKinds().unary['exp']!;
  const EQUAL = Object.keys(addon.fusedElementwiseKinds().binary).length; // the first kind past the float-valued ones
  const cases: [string, () => void, new (m: string) => Error][] = [
    ['register read before written', () => call([1, EXP, 0, 1, 0, 2, 0, 1, 0, 0], p2, 2, [x.values]), InvalidArgumentError],
    ['unknown op code', () => call([0, 0, 0, 0, 0, 9, 0, 0, 0, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['unary kind out of range', () => call([0, 0, 0, 0, 0, 1, 999, 0, 0, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['comparison kind', () => call([0, 0, 0, 0, 0, 2, EQUAL, 0, 0, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['negative register', () => call([0, 0, -1, 0, 0, 1, EXP, 0, -1, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['load of a short input', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 1, [s.values]), InvalidArgumentError],
    ['scalar operand of 8 values', () => call([0, 0, 0, 0, 0, 3, 0, 0, 0, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['input index out of range', () => call([0, 0, 0, 5, 0, 1, EXP, 0, 0, 0], p2, 1, [x.values]), InvalidArgumentError],
    ['ends with a load', () => call([0, 0, 0, 0, 0], [0, 0], 1, [x.values]), InvalidArgumentError],
    ['17 registers', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 17, [x.values]), InvalidArgumentError],
    ['code not 5 ints per instruction', () => call([0, 0, 0, 0], [0, 0], 1, [x.values]), InvalidArgumentError],
    ['empty code', () => call([], [], 1, [x.values]), InvalidArgumentError],
    ['params of the wrong length', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], [0], 1, [x.values]), InvalidArgumentError],
    ['an input that is not a Float32Array', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 1, [new Int32Array(8)]), DTypeError],
    ['inputs not an array', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 1, x.values as never), InvalidArgumentError],
    ['out overlapping an input', () => call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 1, [x.values], x.values.subarray(1)), InvalidArgumentError],
  ];
  for (const [why, run, type] of cases) {
    assert.throws(run, (e: unknown) => e instanceof type && /fusedElementwise/.test((e as Error).message), `native: ${why}`);
  }
  // The output was never touched by a rejected call; the well-formed call computes exp.
  assert.ok(out.values.every((v) => v === 0));
  const ok = new Float32Array(8);
  call([0, 0, 0, 0, 0, 1, EXP, 0, 0, 0], p2, 1, [x.values], ok);
  assert.ok(ok.every((v) => v === 1));
});
