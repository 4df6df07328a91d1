import { allocArray, type DType, type TypedArray } from './dtype.js';
import { DTypeError, ShapeError } from './errors.js';
import { formatShape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

const usedNames = new Map<string, number>();

/** Makes `base` unique among variable names in this process: `w`, `w_1`, `w_2`, ... */
export function uniqueVariableName(base: string): string {
  const n = usedNames.get(base);
  if (n === undefined) {
    usedNames.set(base, 1);
    return base;
  }
  usedNames.set(base, n + 1);
  return `${base}_${n}`;
}

/**
 * A mutable tensor: model weights and optimizer state. It can be used anywhere a tensor can;
 * gradient tapes watch trainable variables automatically.
 *
 * Assigning replaces the storage, so tensors computed from the old value never change.
 *
 * @example
 * ```ts
 * const w = nb.variable(nb.zeros([3]), {name: 'w'});
 * w.assign(nb.ones([3]));
 * w.assignSub(nb.fill([3], 0.5));   // w = [0.5, 0.5, 0.5]
 * ```
 */
export class Variable extends Tensor {
  /** Unique name, e.g. `dense/kernel`. */
  readonly name: string;
  /** Whether optimizers and tapes treat this as a trainable parameter. */
  trainable: boolean;
  /** The value the variable was created with (useful to re-initialise). */
  readonly initialValue: Tensor;
  /**
   * Whether another tensor (a view such as `reshape` or `identity`, or a traced update's output
   * that left the graph) shares the current buffer. Updates write in place only while none does
   * (copy-on-write, as TensorFlow's resource variables), so such tensors never change.
   */
  private bufferShared = false;

  constructor(initialValue: Tensor, options: { trainable?: boolean; name?: string; dtype?: DType } = {}) {
    const dtype = options.dtype ?? initialValue.dtype;
    let values: TypedArray = initialValue.values.slice();
    if (dtype !== initialValue.dtype) {
      const converted = allocArray(dtype, values.length);
      converted.set(values);
      values = converted;
    }
    super(initialValue.shape.slice(), dtype, values);
    this.name = uniqueVariableName(options.name ?? 'Variable');
    this.trainable = options.trainable ?? true;
    this.initialValue = initialValue;
  }

  private checkCompatible(op: string, value: Tensor): void {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(
        `Variable.${op} on '${this.name}': value has shape ${formatShape(value.shape)} but the variable has shape ${formatShape(this.shape)}; reshape the value first.`,
      );
    }
    if (value.dtype !== this.dtype) {
      throw new DTypeError(
        `Variable.${op} on '${this.name}': value has dtype ${value.dtype} but the variable has dtype ${this.dtype}; cast the value first.`,
      );
    }
  }

  /** Sets the value (same shape and dtype). Returns this variable. */
  assign(value: Tensor): this {
    this.checkCompatible('assign', value);
    this.values = value.values.slice();
    this.bufferShared = false;
    return this;
  }

  /** `this += delta`. Returns this variable. */
  assignAdd(delta: Tensor): this {
    this.checkCompatible('assignAdd', delta);
    const next = this.values.slice();
    const d = delta.values;
    for (let i = 0; i < next.length; i++) next[i] = next[i]! + d[i]!;
    this.values = next;
    this.bufferShared = false;
    return this;
  }

  /** `this -= delta`. Returns this variable. */
  assignSub(delta: Tensor): this {
    this.checkCompatible('assignSub', delta);
    const next = this.values.slice();
    const d = delta.values;
    for (let i = 0; i < next.length; i++) next[i] = next[i]! - d[i]!;
    this.values = next;
    this.bufferShared = false;
    return this;
  }

  /**
   * Replaces the buffer with `values` without copying (optimizers build the updated values in a
   * fresh array). Internal: the caller must not keep or mutate `values` afterwards.
   * @internal
   */
  replaceValues(values: TypedArray): this {
    if (values.length !== this.size || values.constructor !== this.values.constructor) {
      throw new ShapeError(
        `Variable.replaceValues on '${this.name}': got ${values.constructor.name}(${values.length}), expected ${this.values.constructor.name}(${this.size}).`,
      );
    }
    this.values = values;
    this.bufferShared = false;
    return this;
  }

  /**
   * The current buffer, for a tensor that will share it (a view): later updates then write a
   * fresh buffer instead of this one.
   * @internal
   */
  shareValues(): TypedArray {
    this.bufferShared = true;
    return this.values;
  }

  /**
   * Whether an update may overwrite the current buffer: no other tensor shares it.
   * @internal
   */
  get writableInPlace(): boolean {
    return !this.bufferShared;
  }

  /** A snapshot of the current value as an ordinary (immutable) tensor. */
  read(): Tensor {
    return new Tensor(this.shape, this.dtype, this.values.slice());
  }

  override toString(): string {
    return `<nb.Variable '${this.name}' shape=(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}) dtype=${this.dtype}, numpy=\n${super.toString()}>`;
  }
}

/**
 * The buffer a view of `x` shares (reshape, identity, stopGradient): for a Variable, marks its
 * buffer shared so later updates leave it alone.
 */
export function viewValues(x: Tensor): TypedArray {
  return x instanceof Variable ? x.shareValues() : x.values;
}
