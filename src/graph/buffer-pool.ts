// Buffer reuse for traced functions (the memory half of the liveness plan). A ConcreteFunction
// allocates the outputs of its kernel steps itself; when the last slot referring to such a buffer
// is released, the buffer goes to a pool and a later output of the same dtype and length (in the
// same call or a later one) takes it instead of a fresh allocation.
//
// Only buffers the plan allocated are pooled: never inputs, constants, captured variables, the
// values given to variable updates, or anything a returned output still refers to. View ops
// (reshape and other `forward` ops) return tensors sharing their input's storage, so buffers are
// reference-counted by ArrayBuffer across every live slot, and a buffer is free only when no
// live slot, view included, refers to it. Reused buffers are zero-filled before the kernel runs,
// as a fresh allocation would be, so kernels that accumulate into their output stay correct.
import { allocArray, type DType, type TypedArray } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import type { OpDef, TensorSpec } from '../ops/engine.js';

/** Free buffers of a ConcreteFunction by dtype and length, kept across its calls. */
export class BufferPool {
  private readonly free = new Map<string, TypedArray[]>();
  /** Output buffers taken from the pool since creation. */
  reused = 0;
  /** Output buffers allocated fresh since creation. */
  allocated = 0;
  /** Bytes of the reused and of the freshly allocated buffers since creation. */
  reusedBytes = 0;
  allocatedBytes = 0;

  take(dtype: DType, size: number): TypedArray {
    const list = this.free.get(`${dtype}:${size}`);
    const v = list?.pop();
    if (v !== undefined) {
      this.reused++;
      this.reusedBytes += v.byteLength;
      v.fill(0);
      return v;
    }
    this.allocated++;
    const fresh = allocArray(dtype, size);
    this.allocatedBytes += fresh.byteLength;
    return fresh;
  }

  give(dtype: DType, v: TypedArray): void {
    const key = `${dtype}:${v.length}`;
    let list = this.free.get(key);
    if (list === undefined) this.free.set(key, (list = []));
    list.push(v);
  }

  /** Bytes held by free buffers. */
  get freeBytes(): number {
    let n = 0;
    for (const list of this.free.values()) for (const v of list) n += v.byteLength;
    return n;
  }
}

/** The buffers one call of a plan owns, with how many live slots refer to each. */
export class CallMemory {
  private readonly owned = new Map<ArrayBufferLike, { dtype: DType; values: TypedArray; refs: number }>();

  constructor(private readonly pool: BufferPool) {}

  /** Runs a kernel op with outputs allocated from the pool (`specs`: its output specs, when known). */
  run<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A, known?: readonly TensorSpec[]): Tensor[] {
    const specs = known ?? def.infer(inputs, attrs);
    const outputs = specs.map((s) => {
      const size = s.shape.reduce((a, b) => a * b, 1);
      const values = this.pool.take(s.dtype, size);
      this.owned.set(values.buffer, { dtype: s.dtype, values, refs: 0 });
      return new Tensor(s.shape.slice(), s.dtype, values);
    });
    def.kernel!(inputs, outputs, attrs);
    return outputs;
  }

  /** A slot now refers to `t` (counts only buffers this call owns). */
  hold(t: Tensor): void {
    const o = this.owned.get(t.values.buffer);
    if (o !== undefined) o.refs++;
  }

  /** The pool buffer behind `t`, if this call took it from the pool. */
  ownedBuffer(t: Tensor): { dtype: DType; values: TypedArray } | undefined {
    return this.owned.get(t.values.buffer);
  }

  /** A slot referring to `t` was released: its buffer is pooled once no slot refers to it. */
  drop(t: Tensor): void {
    const b = t.values.buffer;
    const o = this.owned.get(b);
    if (o === undefined || --o.refs > 0) return;
    this.owned.delete(b);
    this.pool.give(o.dtype, o.values);
  }
}
