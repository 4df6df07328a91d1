// The per-batch steps of fit/evaluate/predict run through nb.function (TensorFlow's
// `model.train_function` & co.). What is traced is the tensor computation of a step: the forward
// pass, the loss and, for training, the tape and its gradients. The optimizer update, weight
// constraints and metric updates stay eager around it: the optimizer reads its learning rate (a
// number a callback may change, or a schedule of its step) at every step, and metrics keep their
// running state in JavaScript, so none of them can go stale in a graph. Once the optimizer has
// applied them, the gradients' buffers go back to the traced step's pool (`recycle`), so a
// traced training step allocates no memory for its gradients after the first.
//
// Layers whose call computes values in JavaScript at every call (dropout masks, seeded per-call
// noise, augmentations) put them in the graph as per-run ops (layers/core/per-run.ts), so a
// traced step draws fresh values every step. A step runs eagerly instead (with no error) when a
// layer reports a trace hazard (`Layer.traceHazard`, for custom layers with such side effects),
// when tracing throws (an op or layer that cannot work on symbolic tensors; the eager run then
// shows any real error), or past MAX_TRACES input shapes. The reason is kept in
// `TracedSteps.fallbackReason`.
import type { Tensor } from '../../core/tensor.js';
import { tfFunction, type ConcreteFunction, type TracedFunction } from '../../graph/function.js';
import { withoutRecording } from '../../ops/engine.js';
import type { Layer } from './layer.js';

export type StepKind = 'train' | 'test' | 'predict';

/** The tensors of one step: inputs, targets and (where given) sample weights. */
export interface StepArgs {
  xs: readonly Tensor[];
  ys: readonly Tensor[];
  sampleWeights: readonly (Tensor | undefined)[];
}

/** A step body: the same function runs eagerly or is traced. */
export type StepBody<R> = (args: StepArgs) => R;

type Flat = (layout: string, ...tensors: Tensor[]) => unknown;

/** Packs step arguments into a layout string plus a flat tensor list (what nb.function keys on). */
function flatten(a: StepArgs): [string, Tensor[]] {
  const sw = a.sampleWeights.map((w) => (w === undefined ? 0 : 1)).join('');
  const tensors = [...a.xs, ...a.ys, ...a.sampleWeights.filter((w): w is Tensor => w !== undefined)];
  return [`${a.xs.length}|${a.ys.length}|${sw}`, tensors];
}

function unflatten(layout: string, tensors: readonly Tensor[]): StepArgs {
  const [nx, ny, sw] = layout.split('|') as [string, string, string];
  const xs = tensors.slice(0, Number(nx));
  const ys = tensors.slice(xs.length, xs.length + Number(ny));
  let k = xs.length + ys.length;
  const sampleWeights = [...sw].map((bit) => (bit === '1' ? tensors[k++] : undefined));
  return { xs, ys, sampleWeights };
}

function signature(kind: StepKind, layout: string, tensors: readonly Tensor[]): string {
  return `${kind}|${layout}|${tensors.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(';')}`;
}

/** Input signatures traced per step kind before new ones run eagerly (as TF warns on retracing). */
export const MAX_TRACES = 8;

/**
 * The traced step functions of one model, traced once per input signature (shapes and dtypes;
 * the last, smaller batch of an epoch traces once more) and dropped by `reset` (on compile) or
 * when a layer's `trainable` flag changes (a frozen BatchNormalization normalises differently).
 * Each traced function keeps a pool of its released buffers between calls (see nb.function).
 */
export class TracedSteps {
  private readonly fns = new Map<StepKind, TracedFunction<Flat>>();
  /** The concrete function each kind's last traced run called. */
  private readonly lastRun = new Map<StepKind, ConcreteFunction>();
  private readonly hazards = new Map<StepKind, string | null>();
  private readonly trainableKeys = new Map<StepKind, string>();
  private readonly failed = new Map<string, string>();
  /** Why the last step that ran eagerly did so (null while every step has been traced). */
  fallbackReason: string | null = null;

  constructor(private readonly layers: () => Layer[]) {}

  /** Forgets every trace (the model's loss, metrics or trainable weights changed). */
  reset(kinds: readonly StepKind[] = ['train', 'test', 'predict']): void {
    for (const k of kinds) {
      this.fns.delete(k);
      this.hazards.delete(k);
      this.trainableKeys.delete(k);
    }
    for (const key of [...this.failed.keys()]) if (kinds.some((k) => key.startsWith(`${k}|`))) this.failed.delete(key);
  }

  /** The traced function of a kind, if it has been created (for its `tracingCount`). */
  function(kind: StepKind): TracedFunction<Flat> | null {
    return this.fns.get(kind) ?? null;
  }

  /** Why steps of this kind cannot be traced (a layer's hazard), or null. */
  hazard(kind: StepKind): string | null {
    if (!this.hazards.has(kind)) {
      const training = kind === 'train';
      let reason: string | null = null;
      for (const l of this.layers()) {
        reason = l.traceHazard(training);
        if (reason !== null) break;
      }
      this.hazards.set(kind, reason);
    }
    return this.hazards.get(kind)!;
  }

  /**
   * Runs `body` traced and returns its result, or returns null when this step must run eagerly
   * (the caller then runs `body` itself).
   */
  run<R>(kind: StepKind, body: StepBody<R>, args: StepArgs): R | null {
    const layers = this.layers();
    const trainableKey = layers.map((l) => (l.trainable ? '1' : '0')).join('');
    if (this.trainableKeys.has(kind) && this.trainableKeys.get(kind) !== trainableKey) this.reset([kind]);
    this.trainableKeys.set(kind, trainableKey);
    const hazard = this.hazard(kind);
    if (hazard !== null) {
      this.fallbackReason = `${kind} step runs eagerly: ${hazard}`;
      return null;
    }
    const [layout, tensors] = flatten(args);
    const key = signature(kind, layout, tensors);
    const known = this.failed.get(key);
    if (known !== undefined) {
      this.fallbackReason = known;
      return null;
    }
    let fn = this.fns.get(kind);
    if (fn !== undefined && fn.tracingCount >= MAX_TRACES && !fn.hasTrace(layout, ...tensors)) {
      this.fallbackReason = `${kind} step runs eagerly: ${MAX_TRACES} input shapes were traced already (pad or bucket batches to fewer shapes)`;
      return null;
    }
    if (fn === undefined) {
      fn = tfFunction<Flat>((l: string, ...ts: Tensor[]) => body(unflatten(l, ts)));
      this.fns.set(kind, fn);
    }
    let concrete;
    try {
      concrete = fn.getConcreteFunction(layout, ...tensors);
    } catch (e) {
      const reason = `${kind} step runs eagerly: tracing failed (${(e as Error).message})`;
      this.failed.set(key, reason);
      this.fallbackReason = reason;
      return null;
    }
    // The graph holds the step's own gradients: outer tapes do not record it (as eager predict and
    // evaluate do not), which also leaves the plan free to reuse its buffers.
    this.lastRun.set(kind, concrete);
    return withoutRecording(() => concrete.call(tensors)) as R;
  }

  /**
   * Gives tensors that the last traced `kind` step returned back to its buffer pool; the caller
   * must be done with them (the train step's gradients, once applied).
   */
  recycle(kind: StepKind, tensors: readonly (Tensor | null | undefined)[]): void {
    this.lastRun.get(kind)?.recycle(tensors);
  }
}
