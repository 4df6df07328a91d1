// Fusion of element-wise chains in nb.function's execution plan.
//
// After the graph passes, a traced function is a list of steps over value slots. This pass finds
// trees of float32 unary and binary element-wise steps whose intermediates are read by one step
// only and are not outputs, and whose operands are full-size (the output's size) or scalars
// (one value); each tree of two or more steps becomes one step running a FusedProgram, so the
// intermediates live in block-sized registers instead of whole tensors. Calls on the native
// backend run the fused steps; gradients never see them (a tape recording a call, and the
// TypeScript backend, run the plain steps).
import type { Variable } from '../core/variable.js';
import { kernels, referenceKernels } from '../backend/registry.js';
import {
  describeFusedProgram, FUSABLE_BINARY, FUSABLE_UNARY, MAX_FUSED_REGISTERS,
  type FusedInstruction, type FusedOperand, type FusedProgram,
} from '../backend/fused-program.js';
import type { BinaryKind, UnaryKind } from '../backend/kernels.js';
import type { OpDef, TensorSpec } from '../ops/engine.js';

/** One step of a traced function's plan. */
export interface PlanStep {
  /** An op, or (def undefined) an update of the captured variable `target`. */
  def?: OpDef<unknown>;
  target?: Variable;
  mode?: 'assign' | 'add' | 'sub';
  attrs: unknown;
  inputs: number[];
  outputs: number[];
  /** Slots whose last reader is this step: released after it (liveness). */
  release: number[];
  /** The outputs' shapes and dtypes when the trace knew them all. */
  specs?: TensorSpec[];
}

/**
 * Smallest output (elements) worth fusing: below it the native backend hands element-wise work
 * to the reference kernels, where a fused program saves nothing.
 */
export const MIN_FUSED_ELEMENTS = 256;

/**
 * Whether the active backend runs fused programs faster than the separate ops (the native
 * backend). The reference kernel runs each instruction through the reference unary/binary
 * kernels, so on the TypeScript backend plans run unfused.
 */
export function fusionAccelerated(): boolean {
  return kernels().fusedElementwise !== referenceKernels().fusedElementwise;
}

/** What an element-wise step computes, as the program sees it. */
type Elementwise =
  | { kind: 'unary'; op: UnaryKind; alpha: number; beta: number; size: number }
  | { kind: 'binary'; op: BinaryKind; size: number };

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const known = (s: TensorSpec | undefined): s is TensorSpec => s !== undefined && s.shape.every((d) => d >= 0);

/**
 * The element-wise computation of `step`, or null when the step is not a fusable float32 unary
 * or binary op with full-size or scalar operands (custom `forward` ops, int32/bool, broadcasting
 * of non-scalar shapes and unknown shapes are not).
 */
function classify(step: PlanStep, specOf: (slot: number) => TensorSpec | undefined): Elementwise | null {
  const def = step.def;
  if (def === undefined || def.forward !== undefined || def.kernel === undefined || step.outputs.length !== 1) return null;
  const out = specOf(step.outputs[0]!);
  if (!known(out) || out.dtype !== 'float32') return null;
  const size = sizeOf(out.shape);
  const ins = step.inputs.map(specOf);
  if (!ins.every((s) => known(s) && s.dtype === 'float32')) return null;
  if (FUSABLE_UNARY.has(def.name as UnaryKind) && ins.length === 1 && sizeOf(ins[0]!.shape) === size) {
    const a = step.attrs as { alpha?: unknown; beta?: unknown } | undefined;
    if (a === undefined) return { kind: 'unary', op: def.name as UnaryKind, alpha: 0, beta: 0, size };
    if (typeof a === 'object' && a !== null && typeof a.alpha === 'number' && typeof a.beta === 'number') {
      return { kind: 'unary', op: def.name as UnaryKind, alpha: a.alpha, beta: a.beta, size };
    }
    return null;
  }
  if (FUSABLE_BINARY.has(def.name as BinaryKind) && ins.length === 2 && step.attrs === undefined) {
    const ok = ins.every((s) => {
      const n = sizeOf(s!.shape);
      return n === size || n === 1;
    });
    return ok ? { kind: 'binary', op: def.name as BinaryKind, size } : null;
  }
  return null;
}

/** The plan step running a fused program: no gradient (it exists only in the execution plan). */
function fusedStep(program: FusedProgram, inputs: number[], output: number, spec: TensorSpec): PlanStep {
  const def: OpDef<unknown> = {
    name: describeFusedProgram(program),
    infer: () => [{ shape: spec.shape.slice(), dtype: spec.dtype }],
    kernel(ins, [out]) {
      kernels().fusedElementwise(program, ins, out!);
    },
    grad: 'nondifferentiable',
  };
  return { def, attrs: undefined, inputs, outputs: [output], release: [], specs: [{ shape: spec.shape.slice(), dtype: spec.dtype }] };
}

/**
 * Compiles the tree of steps rooted at `root` (members: the steps in the tree) into a program,
 * or returns null when it needs more registers than a program may have.
 */
function compile(
  root: number,
  members: ReadonlySet<number>,
  steps: readonly PlanStep[],
  elem: readonly (Elementwise | null)[],
  producer: ReadonlyMap<number, number>,
  specOf: (slot: number) => TensorSpec | undefined,
): { program: FusedProgram; inputs: number[] } | null {
  const code: FusedInstruction[] = [];
  const inputs: number[] = [];
  const inputIndex = new Map<number, number>();
  const inputOf = (slot: number): number => {
    let k = inputIndex.get(slot);
    if (k === undefined) {
      k = inputs.length;
      inputs.push(slot);
      inputIndex.set(slot, k);
    }
    return k;
  };
  const free: number[] = [];
  let registers = 0;
  const alloc = (): number => {
    if (free.length > 0) {
      free.sort((a, b) => b - a);
      return free.pop()!;
    }
    return registers++;
  };
  // Registers holding computed member outputs, with how many reads of them remain.
  const held = new Map<number, { reg: number; uses: number }>();
  const memberOf = (slot: number): number | undefined => {
    const p = producer.get(slot);
    return p !== undefined && members.has(p) ? p : undefined;
  };
  // Sethi-Ullman-style register need, to evaluate the hungrier operand first.
  const need = new Map<number, number>();
  const needOf = (k: number): number => {
    let v = need.get(k);
    if (v === undefined) {
      const sub = steps[k]!.inputs.map((s) => (memberOf(s) !== undefined ? needOf(memberOf(s)!) : 1));
      v = sub.length === 1 ? sub[0]! : Math.max(sub[0]!, sub[1]!) + (sub[0] === sub[1] ? 1 : 0);
      need.set(k, v);
    }
    return v;
  };
  const scalarOperand = (slot: number, size: number): boolean => memberOf(slot) === undefined && size !== 1 && sizeOf(specOf(slot)!.shape) === 1;
  const emit = (k: number): number => {
    const st = steps[k]!;
    const e = elem[k]!;
    const order = st.inputs.map((_, i) => i);
    if (order.length === 2 && memberOf(st.inputs[1]!) !== undefined && (memberOf(st.inputs[0]!) === undefined || needOf(memberOf(st.inputs[1]!)!) > needOf(memberOf(st.inputs[0]!)!))) {
      order.reverse();
    }
    const operands = new Array<FusedOperand>(st.inputs.length);
    const toFree: number[] = [];
    for (const i of order) {
      const slot = st.inputs[i]!;
      const m = memberOf(slot);
      if (m !== undefined) {
        let h = held.get(slot);
        if (h === undefined) {
          h = { reg: emit(m), uses: st.inputs.filter((s) => s === slot).length };
          held.set(slot, h);
        }
        operands[i] = { reg: h.reg };
        if (--h.uses === 0) toFree.push(h.reg);
      } else if (scalarOperand(slot, e.size)) {
        operands[i] = { scalar: inputOf(slot) };
      } else {
        const reg = alloc();
        code.push({ op: 'load', dst: reg, input: inputOf(slot) });
        operands[i] = { reg };
        toFree.push(reg);
      }
    }
    free.push(...new Set(toFree));
    const dst = alloc();
    if (e.kind === 'unary') code.push({ op: 'unary', dst, kind: e.op, src: (operands[0] as { reg: number }).reg, alpha: e.alpha, beta: e.beta });
    else code.push({ op: 'binary', dst, kind: e.op, a: operands[0]!, b: operands[1]! });
    return dst;
  };
  emit(root);
  if (registers > MAX_FUSED_REGISTERS) return null;
  return { program: { registers, code }, inputs };
}

/**
 * Fuses element-wise trees in `steps` (a plan in execution order; `keep` holds the slots that
 * must stay materialised: outputs and fixed values). Returns the new plan (release lists empty)
 * and how many op steps now run inside fused steps.
 */
export function fuseElementwise(
  steps: readonly PlanStep[],
  specOf: (slot: number) => TensorSpec | undefined,
  keep: ReadonlySet<number>,
): { steps: PlanStep[]; fused: number } {
  const elem = steps.map((st) => classify(st, specOf));
  const producer = new Map<number, number>();
  const readers = new Map<number, Set<number>>();
  steps.forEach((st, k) => {
    st.outputs.forEach((s) => producer.set(s, k));
    for (const s of st.inputs) {
      let r = readers.get(s);
      if (r === undefined) readers.set(s, (r = new Set()));
      r.add(k);
    }
  });
  // consumer[k]: the step that absorbs step k (its only reader, element-wise over the same size).
  const consumer = new Map<number, number>();
  steps.forEach((st, k) => {
    const e = elem[k];
    if (e === null || e === undefined) return;
    const out = st.outputs[0]!;
    const r = readers.get(out);
    if (keep.has(out) || r === undefined || r.size !== 1) return;
    const j = [...r][0]!;
    if (elem[j] !== null && elem[j]!.size === e.size) consumer.set(k, j);
  });
  // A fused tree runs where its root is: a member must not move past a variable update, which
  // may change the value the member reads (updatesBefore[k]: update steps before step k).
  const updatesBefore: number[] = [];
  steps.reduce((n, st, k) => ((updatesBefore[k] = n), n + (st.def === undefined ? 1 : 0)), 0);
  const replaced = new Map<number, PlanStep>();
  const absorbed = new Set<number>();
  let fused = 0;
  for (let root = steps.length - 1; root >= 0; root--) {
    if (elem[root] === null || consumer.has(root) || elem[root]!.size < MIN_FUSED_ELEMENTS) continue;
    const members = new Set<number>();
    const stack = [root];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (members.has(k)) continue;
      members.add(k);
      for (const s of steps[k]!.inputs) {
        const p = producer.get(s);
        if (p !== undefined && consumer.get(p) === k && updatesBefore[p] === updatesBefore[root]) stack.push(p);
      }
    }
    if (members.size < 2) continue;
    const compiled = compile(root, members, steps, elem, producer, specOf);
    if (compiled === null) continue;
    const out = steps[root]!.outputs[0]!;
    replaced.set(root, fusedStep(compiled.program, compiled.inputs, out, specOf(out)!));
    for (const k of members) if (k !== root) absorbed.add(k);
    fused += members.size;
  }
  const plan: PlanStep[] = [];
  steps.forEach((st, k) => {
    if (absorbed.has(k)) return;
    plan.push(replaced.get(k) ?? { ...st, release: [] });
  });
  return { steps: plan, fused };
}
