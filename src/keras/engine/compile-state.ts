import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.js';
import { getMetric, type Metric } from '../metrics/index.js';
import type { Logs } from '../callbacks/base.js';

export type MetricIdentifier = string | Metric;

/** What `compile` accepts for losses, metrics and loss weights (one, a list, or by output name). */
export interface CompileTargets {
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier | null>;
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  lossWeights?: number[] | Record<string, number>;
}

interface OutputTarget {
  name: string;
  loss: Loss | null;
  weight: number;
  metrics: Metric[];
  lossMean: RunningMean | null;
}

/** A weighted running mean of plain numbers (the loss figures in the logs). */
class RunningMean {
  private total = 0;
  private count = 0;
  constructor(readonly args: { name: string }) {}
  get name(): string {
    return this.args.name;
  }
  updateValue(value: number, weight: number): void {
    this.total += value * weight;
    this.count += weight;
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

function perOutput<T>(spec: T | T[] | Record<string, T> | undefined, names: readonly string[], what: string, isLeaf: (x: unknown) => boolean): (T | undefined)[] {
  if (spec === undefined) return names.map(() => undefined);
  if (isLeaf(spec)) return names.map(() => spec as T);
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) {
      throw new InvalidArgumentError(`compile: ${what} has ${spec.length} entries but the model has ${names.length} outputs (${names.join(', ')}).`);
    }
    return spec;
  }
  const record = spec as Record<string, T>;
  const unknown = Object.keys(record).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`compile: ${what} names unknown output(s) ${unknown.join(', ')}; the outputs are ${names.join(', ')}.`);
  }
  return names.map((n) => record[n]);
}

/**
 * The losses, loss weights and metrics of a compiled model, per output, with the running means
 * shown in logs. Built once the output names are known (at the first step for subclassed models).
 */
export class CompileState {
  private targets: OutputTarget[] | null = null;
  private readonly totalLoss = new RunningMean({ name: 'loss' });

  constructor(readonly spec: CompileTargets) {
    // Unknown names fail at compile time, not at the first step.
    const losses = typeof spec.loss === 'string' ? [spec.loss] : Array.isArray(spec.loss) ? spec.loss : spec.loss && typeof spec.loss === 'object' && !('call' in spec.loss) ? Object.values(spec.loss) : [];
    for (const l of losses) if (typeof l === 'string') getLoss(l, 'compile');
    const metrics = Array.isArray(spec.metrics) ? spec.metrics.flat() : spec.metrics ? Object.values(spec.metrics).flat() : [];
    for (const m of metrics) if (typeof m === 'string') getMetric(m);
  }

  static validate(spec: CompileTargets): void {
    if (spec.loss === undefined || spec.loss === null) {
      throw new InvalidArgumentError("compile: `loss` is required, e.g. model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy'}).");
    }
  }

  /** Resolves the targets for outputs named `names` with shapes `shapes`. */
  ensureBuilt(names: readonly string[], shapes: readonly (readonly (number | null)[])[]): OutputTarget[] {
    if (this.targets && this.targets.length === names.length) return this.targets;
    const leafLoss = (x: unknown) => typeof x === 'string' || typeof x === 'function' || (x !== null && typeof x === 'object' && 'call' in (x as object));
    const losses = perOutput(this.spec.loss as LossIdentifier, names, 'loss', leafLoss);
    const weights = perOutput(this.spec.lossWeights as number | undefined, names, 'lossWeights', (x) => typeof x === 'number');
    const leafMetrics = (x: unknown) => Array.isArray(x) && x.every((m) => !Array.isArray(m));
    const metricSpec = this.spec.metrics;
    const metricLists: (MetricIdentifier | MetricIdentifier[] | undefined)[] =
      metricSpec === undefined
        ? names.map(() => [])
        : Array.isArray(metricSpec) && metricSpec.every((m) => Array.isArray(m)) && metricSpec.length === names.length && names.length > 1
          ? (metricSpec as MetricIdentifier[][])
          : leafMetrics(metricSpec)
            ? names.map(() => metricSpec as MetricIdentifier[])
            : perOutput(metricSpec as Record<string, MetricIdentifier | MetricIdentifier[]>, names, 'metrics', () => false);
    const multi = names.length > 1;
    this.targets = names.map((name, i) => {
      const id = losses[i];
      const loss = id === undefined || id === null ? null : getLoss(id, `compile (output '${name}')`);
      const raw = metricLists[i];
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const metrics = list.map((m) => {
        const metric = getMetric(m, { lossName: loss?.name, outputShape: shapes[i] });
        if (multi) (metric as { name: string }).name = `${name}_${metric.name}`;
        return metric;
      });
      return { name, loss, weight: weights[i] ?? 1, metrics, lossMean: multi && loss ? new RunningMean({ name: `${name}_loss` }) : null };
    });
    return this.targets;
  }

  /** Log keys in order: loss, per-output losses, metrics. */
  metricsNames(): string[] {
    if (!this.targets) return ['loss'];
    return [
      'loss',
      ...this.targets.flatMap((t) => (t.lossMean ? [t.lossMean.name] : [])),
      ...this.targets.flatMap((t) => t.metrics.map((m) => m.name)),
    ];
  }

  /**
   * The weighted total loss (a scalar tensor, recorded on the active tape) plus regularisation
   * losses, and each output's loss value.
   */
  computeLoss(ys: readonly Tensor[], preds: readonly Tensor[], sampleWeights: readonly (Tensor | undefined)[], extraLosses: readonly Tensor[]): { total: Tensor; perOutput: (Tensor | null)[] } {
    const targets = this.targets!;
    let total: Tensor | null = null;
    const perOutputLoss = targets.map((t, i) => {
      if (!t.loss) return null;
      const value = t.loss.apply(ys[i]!, preds[i]!, sampleWeights[i]);
      const weighted = t.weight === 1 ? value : ops.mul(value, t.weight);
      total = total === null ? weighted : ops.add(total, weighted);
      return value;
    });
    for (const extra of extraLosses) total = total === null ? ops.sum(extra) : ops.add(total, ops.sum(extra));
    if (total === null) {
      throw new InvalidArgumentError('compile: no output has a loss, so there is nothing to minimise; give `loss` for at least one output.');
    }
    return { total, perOutput: perOutputLoss };
  }

  /** Adds a step's results to the running means and metrics. */
  update(total: number, perOutput: readonly (Tensor | null)[], ys: readonly Tensor[], preds: readonly Tensor[], sampleWeights: readonly (Tensor | undefined)[], batch: number): void {
    this.totalLoss.updateValue(total, batch);
    const targets = this.targets!;
    targets.forEach((t, i) => {
      const l = perOutput[i];
      if (t.lossMean && l) t.lossMean.updateValue(l.item() as number, batch);
      for (const m of t.metrics) m.updateState(ys[i]!, preds[i]!, sampleWeights[i]);
    });
  }

  reset(): void {
    this.totalLoss.resetState();
    for (const t of this.targets ?? []) {
      t.lossMean?.resetState();
      for (const m of t.metrics) m.resetState();
    }
  }

  results(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.totalLoss.result() };
    for (const t of this.targets ?? []) if (t.lossMean) logs[`${prefix}${t.lossMean.name}`] = t.lossMean.result();
    for (const t of this.targets ?? []) for (const m of t.metrics) logs[`${prefix}${m.name}`] = m.result();
    return logs;
  }
}
