import type { DType, TypedArray } from '../core/dtype.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import type { Variable } from '../core/variable.js';
import type { OpDef, TensorSpec } from '../ops/engine.js';
import { observers, runOp } from '../ops/engine.js';
import { updateVariable } from './assign.js';
import { BufferPool, CallMemory } from './buffer-pool.js';
import { fuseElementwise, fusionAccelerated, type PlanStep } from './fusion.js';
import { Graph, suspendGraphs } from './graph.js';
import { optimize, type PassOptions, type PassStats } from './passes.js';
import { placeholder } from './placeholder.js';
import { SymbolicTensor } from './symbolic.js';

/** The shape (null = any size) and dtype a traced function accepts for one argument. */
export interface InputSpec {
  shape: readonly (number | null)[];
  dtype?: DType;
}

export interface FunctionOptions extends PassOptions {
  /** Fixes the accepted shapes/dtypes (null dims accept any size): one trace serves all calls. */
  inputSignature?: readonly InputSpec[];
}

/**
 * One trace of a function for one input signature: the optimised graph and its execution plan.
 */
export class ConcreteFunction {
  readonly stats: PassStats;
  /** The plan as traced (run while a tape records the call: it needs every op). */
  private readonly steps: PlanStep[] = [];
  /** The plan with element-wise chains fused (run otherwise, when the backend has a fused kernel). */
  private readonly fusedSteps: PlanStep[];
  private readonly slotCount: number;
  private readonly fixed: [number, Tensor | (() => Tensor)][] = [];
  private readonly inputSlots: number[];
  private readonly outputSlots: number[];
  private readonly reuse: boolean;
  private readonly pool = new BufferPool();
  /** Pool buffers that the last call returned, each in one output only (see `recycle`). */
  private readonly returned = new Map<ArrayBufferLike, { dtype: DType; values: TypedArray }>();

  constructor(
    readonly graph: Graph,
    private readonly inputs: readonly SymbolicTensor[],
    outputs: readonly SymbolicTensor[],
    private readonly structure: (slots: Tensor[]) => unknown,
    options: PassOptions,
  ) {
    const { live, resolve, stats } = optimize(graph, outputs, options);
    const slot = new Map<number, number>();
    const slotSpecs: TensorSpec[] = [];
    const slotOf = (t: SymbolicTensor): number => {
      const r = resolve(t);
      let s = slot.get(r.id);
      if (s === undefined) {
        s = slot.size;
        slot.set(r.id, s);
        slotSpecs[s] = { shape: r.shape, dtype: r.dtype };
      }
      return s;
    };
    this.inputSlots = inputs.map(slotOf);
    for (const n of live) {
      if (n.kind === 'const') this.fixed.push([slotOf(n.outputs[0]!), n.value!]);
      else if (n.kind === 'capture') {
        const v = n.captured!;
        this.fixed.push([slotOf(n.outputs[0]!), () => v]);
      } else if (n.kind === 'op') {
        // Output shapes fully known at trace time: the plan skips shape inference when it runs.
        const known = n.outputs.every((o) => o.shape.every((d) => d >= 0));
        const specs = known ? n.outputs.map((o) => ({ shape: o.shape.slice(), dtype: o.dtype })) : undefined;
        this.steps.push({ def: n.def!, attrs: n.attrs, inputs: n.inputs.map(slotOf), outputs: n.outputs.map(slotOf), release: [], specs });
      } else if (n.kind === 'assign' && n.target!.kind === 'capture') {
        this.steps.push({ target: n.target!.captured!, mode: n.mode!, attrs: undefined, inputs: n.inputs.map(slotOf), outputs: n.outputs.map(slotOf), release: [] });
      } else if (n.kind !== 'placeholder') {
        throw new InvalidArgumentError(`nb.function: the traced function creates a '${n.kind}' node ('${n.name}'); graph variables and updates are not supported inside nb.function.`);
      }
    }
    this.outputSlots = outputs.map(slotOf);
    const keep = new Set([...this.outputSlots, ...this.fixed.map(([s]) => s)]);
    let fused = 0;
    if (options.fuseElementwise ?? true) {
      const f = fuseElementwise(this.steps, (s) => slotSpecs[s], keep);
      this.fusedSteps = f.steps;
      fused = f.fused;
    } else {
      this.fusedSteps = this.steps.map((st) => ({ ...st, release: [] }));
    }
    planReleases(this.steps, keep);
    planReleases(this.fusedSteps, keep);
    this.stats = { ...stats, fused };
    this.slotCount = slot.size;
    this.reuse = options.reuseBuffers ?? true;
  }

  /** Runs the plan on concrete arguments (already checked against the signature). */
  call(args: readonly Tensor[]): unknown {
    const values = new Array<Tensor | undefined>(this.slotCount);
    for (const [s, v] of this.fixed) values[s] = typeof v === 'function' ? v() : v;
    this.inputSlots.forEach((s, i) => (values[s] = args[i]));
    // A tape watching this call keeps the intermediates for its backward pass: no reuse then.
    const mem = this.reuse && observers.length === 0 ? new CallMemory(this.pool) : null;
    const steps = this.activePlan();
    return suspendGraphs(() => {
      for (const st of steps) {
        const ins = st.inputs.map((s) => values[s]!);
        let outs: Tensor[];
        if (st.def === undefined) {
          // The update never keeps the value's buffer, which goes back to the pool as usual.
          outs = [applyUpdate(st.target!, st.mode!, ins[0]!, !st.release.includes(st.outputs[0]!))];
        } else if (mem !== null && st.def.forward === undefined) {
          outs = mem.run(st.def, ins, st.attrs, st.specs);
        } else {
          outs = runOp(st.def, ins, st.attrs);
        }
        for (let k = 0; k < outs.length; k++) {
          values[st.outputs[k]!] = outs[k];
          mem?.hold(outs[k]!);
        }
        for (const s of st.release) {
          if (mem !== null) mem.drop(values[s]!);
          values[s] = undefined;
        }
      }
      const outputs = this.outputSlots.map((s) => values[s]!);
      this.noteReturned(outputs, mem);
      return this.structure(outputs);
    });
  }

  /** Remembers which outputs of this call hold a pool buffer that no other output shares. */
  private noteReturned(outputs: readonly Tensor[], mem: CallMemory | null): void {
    this.returned.clear();
    if (mem === null) return;
    const uses = new Map<ArrayBufferLike, number>();
    for (const t of outputs) uses.set(t.values.buffer, (uses.get(t.values.buffer) ?? 0) + 1);
    for (const t of outputs) {
      const owned = mem.ownedBuffer(t);
      if (owned !== undefined && uses.get(t.values.buffer) === 1) this.returned.set(t.values.buffer, owned);
    }
  }

  /**
   * Hands output tensors of the last call back to the pool, for a caller that is done with them
   * (Keras' train step, once the optimizer has applied the gradients): the next call writes its
   * outputs into the same buffers instead of fresh ones. The tensors must not be used again.
   * Tensors that are not such outputs are ignored.
   * @internal
   */
  recycle(tensors: readonly (Tensor | null | undefined)[]): void {
    for (const t of tensors) {
      if (t === null || t === undefined) continue;
      const owned = this.returned.get(t.values.buffer);
      if (owned === undefined || owned.values !== t.values) continue;
      this.returned.delete(t.values.buffer);
      this.pool.give(owned.dtype, owned.values);
    }
  }

  /**
   * Output buffers (and bytes) this function's calls took from its buffer pool (`reused`) or
   * allocated (`allocated`), and the bytes now waiting in the pool. Buffers freed by the liveness
   * plan are reused by later outputs of the same dtype and length, in the same call or the next.
   */
  get memoryStats(): { reused: number; allocated: number; reusedBytes: number; allocatedBytes: number; pooledBytes: number } {
    const p = this.pool;
    return { reused: p.reused, allocated: p.allocated, reusedBytes: p.reusedBytes, allocatedBytes: p.allocatedBytes, pooledBytes: p.freeBytes };
  }

  /**
   * The op each step of the execution plan runs, in order (variable updates as `assign`,
   * `assignAdd`, `assignSub`; fused element-wise chains as `fused(mul,add,relu)`). Fused steps
   * run on backends with a fused kernel (native); the TypeScript backend, and any call a
   * GradientTape records, run the ops one by one.
   *
   * @example
   * ```ts
   * const f = nb.function((x: nb.Tensor) => nb.relu(nb.add(nb.mul(x, 2), 1)));
   * f.getConcreteFunction(nb.ones([64, 64])).executionPlan; // ['fused(mul,add,relu)'] on native
   * ```
   */
  get executionPlan(): string[] {
    return this.activePlan().map((st) => st.def?.name ?? (st.mode === 'assign' ? 'assign' : st.mode === 'add' ? 'assignAdd' : 'assignSub'));
  }

  /** The steps a call runs now: the fused plan unless a tape records it or the backend lacks a fused kernel. */
  private activePlan(): PlanStep[] {
    return observers.length === 0 && fusionAccelerated() ? this.fusedSteps : this.steps;
  }

  /** The placeholders standing for the arguments. */
  get inputTensors(): readonly SymbolicTensor[] {
    return this.inputs;
  }
}

/** Liveness: each step releases the slots it reads last (or writes and nobody reads), bar `keep`. */
function planReleases(steps: PlanStep[], keep: ReadonlySet<number>): void {
  const last = new Map<number, number>();
  steps.forEach((st, k) => st.inputs.forEach((s) => last.set(s, k)));
  for (const [s, k] of last) if (!keep.has(s)) steps[k]!.release.push(s);
  // Outputs nobody reads (e.g. an unused output of a multi-output op) go at once.
  steps.forEach((st) => st.outputs.forEach((s) => !last.has(s) && !keep.has(s) && st.release.push(s)));
}

/** Updates `v`; its output views the new value, and marks it shared if a later step or the caller reads it. */
function applyUpdate(v: Variable, mode: 'assign' | 'add' | 'sub', value: Tensor, outputRead: boolean): Tensor {
  updateVariable(v, mode, value);
  return new Tensor(v.shape, v.dtype, outputRead ? v.shareValues() : v.values);
}

/** A function compiled by `nb.function`: call it like the original. */
export type TracedFunction<F extends (...args: any[]) => any> = F & {
  /** How many times the function has been traced (once per new input signature). */
  readonly tracingCount: number;
  /** The trace for these arguments (tracing it if needed). */
  getConcreteFunction(...args: Parameters<F>): ConcreteFunction;
  /** Whether these arguments' signature has been traced already (traces nothing). */
  hasTrace(...args: Parameters<F>): boolean;
};

/**
 * Compiles `fn` (TensorFlow's `tf.function`): the first call with a new input signature (tensor
 * shapes and dtypes, plus the values of non-tensor arguments) runs `fn` once with symbolic
 * tensors, building a graph of the ops it calls — tapes, layers and models inside included —;
 * the graph is optimised (constant folding, common-subexpression elimination, dead-code
 * elimination, and fusion of float32 element-wise chains into one kernel: `fuseElementwise:
 * false` turns it off) and later calls with the same signature execute it without running `fn`. The
 * execution plan frees each intermediate after its last reader and reuses its buffer for a later
 * output of the same dtype and length (`reuseBuffers: false` turns that off; it is also off
 * while a GradientTape records the call, since the tape keeps the intermediates).
 *
 * As in TensorFlow, JavaScript side effects (logging, pushing to arrays, reading a changing
 * global) happen only while tracing; eager `nb.Variable`s are read when the graph runs, and
 * are updated inside `fn` with `nb.v1.assign` / `assignAdd` / `assignSub` (which run in program
 * order each call); `variable.assign(...)` itself works only eagerly. Arguments are tensors or plain values;
 * the result may be a tensor or arrays/records of tensors.
 *
 * @example
 * ```ts
 * const f = nb.function((x: nb.Tensor) => nb.relu(nb.matMul(x, w)));
 * f(nb.ones([2, 3]));   // traces, then runs the graph
 * f(nb.zeros([2, 3]));  // same signature: runs the graph, no retrace
 * f.tracingCount;       // 1
 * ```
 */
export function tfFunction<F extends (...args: any[]) => any>(fn: F, options: FunctionOptions = {}): TracedFunction<F> {
  if (typeof fn !== 'function') throw new InvalidArgumentError(`nb.function: expected a function, got ${typeof fn}.`);
  const cache = new Map<string, ConcreteFunction>();
  let count = 0;
  const sig = options.inputSignature;
  const keyOf = (args: readonly unknown[]): string => {
    if (sig !== undefined) {
      if (args.length !== sig.length) {
        throw new InvalidArgumentError(`nb.function: the inputSignature has ${sig.length} argument(s) but the call passes ${args.length}.`);
      }
      args.forEach((a, i) => checkAgainst(a, sig[i]!, i));
      return 'sig';
    }
    return args.map((a) => (a instanceof Tensor ? `T${a.dtype}[${a.shape.join(',')}]` : `V${JSON.stringify(a) ?? String(a)}`)).join(';');
  };
  const concrete = (args: readonly unknown[]): ConcreteFunction => {
    const key = keyOf(args);
    let c = cache.get(key);
    if (c === undefined) {
      c = trace(fn, args, sig, options);
      cache.set(key, c);
      count++;
    }
    return c;
  };
  const wrapped = ((...args: unknown[]) => concrete(args).call(args.filter((a): a is Tensor => a instanceof Tensor))) as unknown as TracedFunction<F>;
  Object.defineProperty(wrapped, 'tracingCount', { get: () => count });
  Object.defineProperty(wrapped, 'getConcreteFunction', { value: (...args: unknown[]) => concrete(args) });
  Object.defineProperty(wrapped, 'hasTrace', { value: (...args: unknown[]) => cache.has(keyOf(args)) });
  return wrapped;
}

function checkAgainst(a: unknown, spec: InputSpec, i: number): void {
  if (!(a instanceof Tensor)) throw new InvalidArgumentError(`nb.function: argument ${i} must be a tensor (the inputSignature says so), got ${typeof a}.`);
  const dtype = spec.dtype ?? 'float32';
  if (a.dtype !== dtype) throw new DTypeError(`nb.function: argument ${i} is ${a.dtype} but the inputSignature expects ${dtype}; cast it.`);
  const want = spec.shape;
  if (a.shape.length !== want.length || a.shape.some((d, k) => want[k] !== null && want[k] !== d)) {
    throw new ShapeError(
      `nb.function: argument ${i} has shape ${formatShape(a.shape)} but the inputSignature expects ${formatShape(want.map((d) => d ?? -1))}.`,
    );
  }
}

function trace(fn: (...args: any[]) => any, args: readonly unknown[], sig: readonly InputSpec[] | undefined, options: PassOptions): ConcreteFunction {
  const g = new Graph();
  const inputs: SymbolicTensor[] = [];
  const flat: SymbolicTensor[] = [];
  let build: (slots: Tensor[]) => unknown = () => undefined;
  g.asDefault(() => {
    const symArgs = args.map((a, i) => {
      if (!(a instanceof Tensor)) return a;
      const spec = sig?.[i];
      const p = placeholder(spec?.dtype ?? a.dtype, spec ? spec.shape : a.shape, `arg${i}`);
      inputs.push(p);
      return p;
    });
    const result = fn(...symArgs);
    build = structureOf(result, (t) => {
      flat.push(g.lift(t, 'nb.function'));
      return flat.length - 1;
    });
  });
  return new ConcreteFunction(g, inputs, flat, build, options);
}

/** Records the tensors of a nested result and returns a function rebuilding it from values. */
function structureOf(r: unknown, add: (t: Tensor) => number): (slots: Tensor[]) => unknown {
  if (r instanceof Tensor) {
    const k = add(r);
    return (s) => s[k];
  }
  if (Array.isArray(r)) {
    const parts = r.map((x) => structureOf(x, add));
    return (s) => parts.map((p) => p(s));
  }
  if (r !== null && typeof r === 'object') {
    const parts = Object.entries(r as Record<string, unknown>).map(([k, x]) => [k, structureOf(x, add)] as const);
    return (s) => Object.fromEntries(parts.map(([k, p]) => [k, p(s)]));
  }
  return () => r;
}
