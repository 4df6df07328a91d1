import { InvalidArgumentError, FailedPreconditionError, ShapeError } from '../core/errors.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Variable } from '../core/variable.js';
import { observers, type OpObserver, type OpRecord } from '../ops/engine.js';
import { add } from '../ops/arithmetic.js';
import { onesLike, zerosLike } from '../ops/creation.js';

/** Sources for `gradient`: one tensor, an array, or a record of named tensors. */
export type Sources = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/** Gradients in the same structure as the sources. */
export type GradientsOf<S, G> = S extends Tensor
  ? G
  : S extends readonly Tensor[]
    ? G[]
    : { [K in keyof S]: G };

export interface GradientTapeOptions {
  /** Allow several `gradient` calls on the same recording (TensorFlow's persistent=True). */
  persistent?: boolean;
  /** Watch trainable variables automatically when an op reads them (default true). */
  watchAccessedVariables?: boolean;
}

export interface GradientOptions {
  /** Gradients of the targets (default: ones, i.e. the gradient of their sum). */
  outputGradients?: Tensor | readonly Tensor[];
  /** What a source that does not influence the target gets: null (TensorFlow's default) or zeros. */
  unconnectedGradients?: 'none' | 'zero';
}

/**
 * Records ops so their gradients can be computed, like `tf.GradientTape`.
 * Ops run inside `record(fn)` (or between `start()` and `stop()`) are recorded when they depend on
 * a watched tensor or a trainable variable. Nest tapes for higher-order gradients.
 *
 * @example
 * ```ts
 * const x = nb.scalar(3);
 * const tape = new nb.GradientTape();
 * tape.watch(x);
 * const y = tape.record(() => x.mul(x));
 * tape.gradient(y, x)!.print(); // 6
 * ```
 */
export class GradientTape implements OpObserver {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  private readonly tracked = new Set<number>();
  private records: OpRecord[] = [];
  private used = false;

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  /** Marks tensors as sources to differentiate with respect to. */
  watch(...tensors: (Tensor | readonly Tensor[])[]): void {
    for (const t of tensors.flat()) {
      if (!(t instanceof Tensor)) {
        throw new InvalidArgumentError(`GradientTape.watch: expected tensors, got ${typeof t}.`);
      }
      this.tracked.add(t.id);
    }
  }

  /** Called by the engine for every executed differentiable op while this tape is active. */
  observe(record: OpRecord): void {
    let hit = false;
    for (const input of record.inputs) {
      if (this.tracked.has(input.id)) hit = true;
      else if (this.watchAccessedVariables && input instanceof Variable && input.trainable) {
        this.tracked.add(input.id);
        hit = true;
      }
    }
    if (!hit) return;
    this.records.push(record);
    for (const o of record.outputs) this.tracked.add(o.id);
  }

  /** Starts recording (prefer `record(fn)`, which cannot forget to stop). */
  start(): void {
    if (observers.includes(this)) return;
    observers.push(this);
  }

  /** Stops recording. */
  stop(): void {
    const i = observers.lastIndexOf(this);
    if (i >= 0) observers.splice(i, 1);
  }

  /** Whether the tape is recording now. */
  get recording(): boolean {
    return observers.includes(this);
  }

  /** Runs `fn` with this tape recording and returns its result. */
  record<T>(fn: () => T): T {
    const wasRecording = this.recording;
    this.start();
    try {
      return fn();
    } finally {
      if (!wasRecording) this.stop();
    }
  }

  /**
   * Gradient of `target` (summed over its elements, unless `outputGradients` are given) with respect
   * to `sources`, returned in the same structure. Unconnected or integer sources get null
   * (or zeros with `unconnectedGradients: 'zero'`).
   */
  gradient<S extends Sources>(
    target: Tensor | readonly Tensor[],
    sources: S,
    options: GradientOptions = {},
  ): GradientsOf<S, Tensor | null> {
    if (this.used && !this.persistent) {
      throw new FailedPreconditionError(
        'GradientTape.gradient: a non-persistent tape can compute gradients once; create it with {persistent: true} to call gradient() several times.',
      );
    }
    this.used = true;
    const targets = target instanceof Tensor ? [target] : [...target];
    const sourceList: Tensor[] =
      sources instanceof Tensor ? [sources] : Array.isArray(sources) ? [...(sources as readonly Tensor[])] : Object.values(sources as Record<string, Tensor>);
    for (const s of sourceList) {
      if (!(s instanceof Tensor)) {
        throw new InvalidArgumentError(`GradientTape.gradient: sources must be tensors or variables, got ${typeof s}.`);
      }
    }

    const wasRecording = this.recording;
    this.stop();
    try {
      // As in TensorFlow, only watched tensors (and accessed trainable variables) have gradients.
      const watchedSources = sourceList.filter((s) => this.tracked.has(s.id));
      const grads = backprop(this.records, targets, watchedSources, options.outputGradients);
      const result = sourceList.map((s) => {
        const g = grads.get(s.id);
        if (g !== undefined) return g;
        return options.unconnectedGradients === 'zero' ? zerosLike(s) : null;
      });
      if (!this.persistent) {
        this.records = [];
        this.tracked.clear();
      }
      if (sources instanceof Tensor) return result[0] as GradientsOf<S, Tensor | null>;
      if (Array.isArray(sources)) return result as GradientsOf<S, Tensor | null>;
      const keys = Object.keys(sources as Record<string, Tensor>);
      const rec: Record<string, Tensor | null> = {};
      keys.forEach((k, i) => (rec[k] = result[i]!));
      return rec as GradientsOf<S, Tensor | null>;
    } finally {
      if (wasRecording && this.persistent) this.start();
    }
  }
}

/**
 * Reverse-mode accumulation over recorded ops. Only ops on a path from a source to a target are
 * differentiated; gradient rules run as ordinary ops, so enclosing tapes record them
 * (higher-order gradients).
 */
export function backprop(
  records: readonly OpRecord[],
  targets: readonly Tensor[],
  sources: readonly Tensor[],
  outputGradients?: Tensor | readonly Tensor[],
): Map<number, Tensor> {
  const dependsOnSource = new Set<number>(sources.map((s) => s.id));
  const needed: OpRecord[] = [];
  for (const r of records) {
    if (r.inputs.some((t) => dependsOnSource.has(t.id))) {
      needed.push(r);
      for (const o of r.outputs) dependsOnSource.add(o.id);
    }
  }

  const seeds = outputGradients === undefined ? undefined : outputGradients instanceof Tensor ? [outputGradients] : outputGradients;
  const grads = new Map<number, Tensor>();
  targets.forEach((t, i) => {
    // As in TensorFlow, gradients flow through float tensors only.
    if (t.dtype !== 'float32') return;
    const seed = seeds?.[i] ?? onesLike(t);
    if (!shapesEqual(seed.shape, t.shape)) {
      throw new ShapeError(
        `GradientTape.gradient: output gradient ${i} has shape ${formatShape(seed.shape)} but the target has shape ${formatShape(t.shape)}.`,
      );
    }
    const prev = grads.get(t.id);
    grads.set(t.id, prev === undefined ? seed : add(prev, seed));
  });

  for (let r = needed.length - 1; r >= 0; r--) {
    const rec = needed[r]!;
    let any = false;
    const dys = rec.outputs.map((o) => {
      const g = grads.get(o.id);
      if (g !== undefined) any = true;
      return g;
    });
    if (!any) continue;
    if (rec.def.grad === 'nondifferentiable' || rec.outputs.every((o) => o.dtype !== 'float32')) continue;
    const filled = dys.map((g, i) => g ?? zerosLike(rec.outputs[i]!));
    const wanted = rec.inputs.map((x) => dependsOnSource.has(x.id) && x.dtype === 'float32');
    const inputGrads = rec.def.grad(filled, rec.inputs, rec.outputs, rec.attrs, wanted);
    for (let i = 0; i < rec.inputs.length; i++) {
      const x = rec.inputs[i]!;
      const g = inputGrads[i];
      if (g === null || g === undefined || !dependsOnSource.has(x.id) || x.dtype !== 'float32') continue;
      if (!shapesEqual(g.shape, x.shape)) {
        throw new ShapeError(
          `gradient of ${rec.def.name}: input ${i} has shape ${formatShape(x.shape)} but its gradient has shape ${formatShape(g.shape)} (internal error in the gradient rule; please report it).`,
        );
      }
      const prev = grads.get(x.id);
      grads.set(x.id, prev === undefined ? g : add(prev, g));
    }
  }
  return grads;
}
