// The reference fused element-wise kernel: runs a FusedProgram block by block, each instruction
// through the reference unary/binary kernels, so its values are exactly those of the separate ops.
import { checkFusedProgram, type FusedOperand, type FusedProgram } from '../fused-program.js';
import type { FusedKernels, TensorData } from '../kernels.js';
import { elementwiseKernels } from './elementwise.js';

/** Elements per block: registers of this size stay in cache between instructions. */
const BLOCK = 2048;

const view = (values: Float32Array): TensorData => ({ shape: [values.length], dtype: 'float32', values });

export const fusedKernels: FusedKernels = {
  fusedElementwise(program: FusedProgram, inputs: readonly TensorData[], out: TensorData): void {
    checkFusedProgram(program, inputs, out);
    const n = out.values.length;
    const code = program.code;
    const last = code.length - 1;
    const scratch = Array.from({ length: program.registers }, () => new Float32Array(Math.min(n, BLOCK)));
    const regs = new Array<Float32Array>(program.registers);
    const scalars = inputs.map((t) => (t.values.length === 1 ? view(Float32Array.of(t.values[0]!)) : null));
    const outValues = out.values as Float32Array;
    const operand = (o: FusedOperand): TensorData => ('reg' in o ? view(regs[o.reg]!) : scalars[o.scalar]!);
    for (let begin = 0; begin < n; begin += BLOCK) {
      const len = Math.min(BLOCK, n - begin);
      for (let i = 0; i <= last; i++) {
        const c = code[i]!;
        if (c.op === 'load') {
          regs[c.dst] = (inputs[c.input]!.values as Float32Array).subarray(begin, begin + len);
          continue;
        }
        const dst = i === last ? outValues.subarray(begin, begin + len) : scratch[c.dst]!.subarray(0, len);
        if (c.op === 'unary') elementwiseKernels.unary(c.kind, view(regs[c.src]!), view(dst), c.alpha, c.beta);
        else elementwiseKernels.binary(c.kind, operand(c.a), operand(c.b), view(dst));
        regs[c.dst] = dst;
      }
    }
  },
};
