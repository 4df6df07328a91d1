// The program a fused element-wise kernel runs: a short list of float32 instructions over
// block-sized registers, produced by nb.function's fusion pass (src/graph/fusion.ts) and run by
// each backend's `fusedElementwise` kernel. Inputs are full-size (as long as the output) or
// scalars (one value broadcast to every element); the last instruction writes the output.
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import type { BinaryKind, TensorData, UnaryKind } from './kernels.js';

/** A binary instruction's operand: a register, or a scalar input (its one value). */
export type FusedOperand = { readonly reg: number } | { readonly scalar: number };

/** One instruction; `dst` is the register written. */
export type FusedInstruction =
  /** dst = the full-size input `input` (backends alias it, no copy). */
  | { readonly op: 'load'; readonly dst: number; readonly input: number }
  /** dst = kind(reg src) with the kind's alpha/beta parameters. */
  | { readonly op: 'unary'; readonly dst: number; readonly kind: UnaryKind; readonly src: number; readonly alpha: number; readonly beta: number }
  /** dst = kind(a, b): register/register, register/scalar or scalar/register. */
  | { readonly op: 'binary'; readonly dst: number; readonly kind: BinaryKind; readonly a: FusedOperand; readonly b: FusedOperand };

/** A fused element-wise program: `registers` block-sized float32 registers, then the code. */
export interface FusedProgram {
  readonly registers: number;
  readonly code: readonly FusedInstruction[];
}

/** Most registers a program may use (the native kernel keeps them all in L1). */
export const MAX_FUSED_REGISTERS = 16;

/** Unary kinds a fused program may use: every float32 kind (logicalNot works on bools). */
export const FUSABLE_UNARY: ReadonlySet<UnaryKind> = new Set<UnaryKind>([
  'neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sigmoid', 'tanh',
  'relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'softplus', 'gelu', 'erf', 'sin', 'cos', 'sign', 'floor',
  'ceil', 'round', 'clip', 'step', 'identity',
]);

/** Binary kinds a fused program may use: those with a float32 output (no comparisons or logic). */
export const FUSABLE_BINARY: ReadonlySet<BinaryKind> = new Set<BinaryKind>([
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'floorDiv', 'mod', 'reluGrad',
]);

/** A short description of a program, e.g. `fused(mul,add,relu)`. */
export function describeFusedProgram(program: FusedProgram): string {
  return `fused(${program.code.filter((c) => c.op !== 'load').map((c) => (c as { kind: string }).kind).join(',')})`;
}

/**
 * Throws a typed error unless `program` is well formed for these tensors: registers in range
 * and written before they are read, known kinds, full-size loads, one-value scalar operands,
 * float32 throughout, and a last instruction that computes the output.
 */
export function checkFusedProgram(program: FusedProgram, inputs: readonly TensorData[], out: TensorData): void {
  const op = 'fusedElementwise';
  const bad = (why: string): never => {
    throw new InvalidArgumentError(`${op}: ${why}; the program must come from nb.function's fusion pass.`);
  };
  const { registers, code } = program;
  if (!Number.isInteger(registers) || registers < 1 || registers > MAX_FUSED_REGISTERS) {
    bad(`registers must be an integer from 1 to ${MAX_FUSED_REGISTERS}, got ${registers}`);
  }
  if (code.length === 0) bad('the program is empty');
  if (out.dtype !== 'float32') bad(`the output must be float32, got ${out.dtype}`);
  const n = out.values.length;
  inputs.forEach((t, k) => {
    if (t.dtype !== 'float32') bad(`input ${k} must be float32, got ${t.dtype}`);
  });
  const written = new Array<boolean>(registers).fill(false);
  const reg = (r: number, i: number): void => {
    if (!Number.isInteger(r) || r < 0 || r >= registers) bad(`instruction ${i} names register ${r}, outside [0, ${registers})`);
    if (!written[r]) bad(`instruction ${i} reads register ${r} before any instruction writes it`);
  };
  const input = (k: number, i: number, size: 'full' | 'scalar'): void => {
    if (!Number.isInteger(k) || k < 0 || k >= inputs.length) bad(`instruction ${i} names input ${k}, but there are ${inputs.length}`);
    const len = inputs[k]!.values.length;
    if (size === 'full' && len !== n) {
      throw new ShapeError(`${op}: instruction ${i} loads input ${k} with ${len} values, but the output has ${n}; loaded inputs must be full-size.`);
    }
    if (size === 'scalar' && len !== 1) {
      throw new ShapeError(`${op}: instruction ${i} uses input ${k} as a scalar, but it has ${len} values (expected 1).`);
    }
  };
  const operand = (o: FusedOperand, i: number): void => ('reg' in o ? reg(o.reg, i) : input(o.scalar, i, 'scalar'));
  code.forEach((c, i) => {
    if (c.op === 'load') input(c.input, i, 'full');
    else if (c.op === 'unary') {
      if (!FUSABLE_UNARY.has(c.kind)) bad(`instruction ${i} has unary kind '${c.kind}', which fused programs do not support`);
      reg(c.src, i);
    } else if (c.op === 'binary') {
      if (!FUSABLE_BINARY.has(c.kind)) bad(`instruction ${i} has binary kind '${c.kind}', which fused programs do not support`);
      operand(c.a, i);
      operand(c.b, i);
      if (!('reg' in c.a) && !('reg' in c.b)) bad(`instruction ${i} has two scalar operands; one must be a register`);
    } else {
      bad(`instruction ${i} has unknown op '${(c as { op: string }).op}'`);
    }
    if (!Number.isInteger(c.dst) || c.dst < 0 || c.dst >= registers) bad(`instruction ${i} writes register ${c.dst}, outside [0, ${registers})`);
    written[c.dst] = true;
  });
  if (code[code.length - 1]!.op === 'load') bad('the last instruction must compute the output, not load an input');
}
