import type { FusedProgram } from '../fused-program.js';
import type { FusedKernels, TensorData } from '../kernels.js';
import { jsKernels } from '../js/index.js';
import type { NativeAddon } from './addon.js';
import { callNative, checkTensor, isFloat32 } from './checks.js';

/** A program as the addon takes it (see native/fused_elementwise.h), or null if it has a kind the addon lacks. */
interface Encoded {
  code: Int32Array;
  params: Float32Array;
}

const OP_LOAD = 0, OP_UNARY = 1, OP_BINARY = 2, OP_REG_SCALAR = 3, OP_SCALAR_REG = 4;

function encode(program: FusedProgram, kinds: ReturnType<NativeAddon['fusedElementwiseKinds']>): Encoded | null {
  const count = program.code.length;
  const code = new Int32Array(5 * count);
  const params = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const c = program.code[i]!;
    let row: [number, number, number, number, number];
    if (c.op === 'load') row = [OP_LOAD, 0, c.dst, c.input, 0];
    else if (c.op === 'unary') {
      const kind = kinds.unary[c.kind];
      if (kind === undefined) return null;
      row = [OP_UNARY, kind, c.dst, c.src, 0];
      params[2 * i] = c.alpha;
      params[2 * i + 1] = c.beta;
    } else {
      const kind = kinds.binary[c.kind];
      if (kind === undefined) return null;
      const a = 'reg' in c.a ? c.a.reg : c.a.scalar;
      const b = 'reg' in c.b ? c.b.reg : c.b.scalar;
      const op = !('reg' in c.a) ? OP_SCALAR_REG : !('reg' in c.b) ? OP_REG_SCALAR : OP_BINARY;
      row = [op, kind, c.dst, a, b];
    }
    code.set(row, 5 * i);
  }
  return { code, params };
}

/**
 * The native fused element-wise kernel: programs are encoded once (cached per program) and run
 * by native/fused_elementwise.cc, which checks them again before touching memory. Outputs
 * smaller than `small` elements, programs with kinds the addon lacks and non-float32 tensors go
 * to the reference kernel.
 */
export function createFusedKernels(addon: NativeAddon, small: number): FusedKernels {
  let kinds: ReturnType<NativeAddon['fusedElementwiseKinds']> | undefined;
  const encoded = new WeakMap<FusedProgram, Encoded | null>();
  return {
    fusedElementwise(program: FusedProgram, inputs: readonly TensorData[], out: TensorData): void {
      const op = 'fusedElementwise';
      checkTensor(op, 'out', out);
      let float32 = isFloat32(out);
      inputs.forEach((t, k) => {
        checkTensor(op, `input ${k}`, t);
        float32 &&= isFloat32(t);
      });
      let e = encoded.get(program);
      if (e === undefined) {
        kinds ??= typeof addon.fusedElementwiseKinds === 'function' ? addon.fusedElementwiseKinds() : { unary: {}, binary: {} };
        e = encode(program, kinds);
        encoded.set(program, e);
      }
      if (e === null || !float32 || out.values.length < small || typeof addon.fusedElementwise !== 'function') {
        jsKernels.fusedElementwise(program, inputs, out);
        return;
      }
      const code = e;
      callNative(() => addon.fusedElementwise(code.code, code.params, program.registers, inputs.map((t) => t.values as Float32Array), out.values as Float32Array));
    },
  };
}
