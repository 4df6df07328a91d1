import { InvalidArgumentError } from '../core/errors.js';
import * as ops from '../ops/index.js';
import type { Regularizer } from './engine/layer.js';

/** Serialised form of a regularizer. */
export interface RegularizerConfig {
  className: string;
  config: Record<string, unknown>;
}

/**
 * l1·sum(|x|) + l2·sum(x²).
 * @example `nb.keras.layers.dense({units: 8, kernelRegularizer: nb.keras.regularizers.l1l2({l1: 1e-5, l2: 1e-4})})`
 */
export function l1l2(args: { l1?: number; l2?: number } = {}): Regularizer {
  const l1 = args.l1 ?? 0.01;
  const l2 = args.l2 ?? 0.01;
  for (const [name, v] of [['l1', l1], ['l2', l2]] as const) {
    if (!(v >= 0)) throw new InvalidArgumentError(`regularizers.l1l2: ${name} must be >= 0, got ${v}.`);
  }
  return {
    className: 'L1L2',
    getConfig: () => ({ l1, l2 }),
    apply(x) {
      let penalty = ops.scalar(0);
      if (l1 > 0) penalty = ops.add(penalty, ops.mul(ops.sum(ops.abs(x)), l1));
      if (l2 > 0) penalty = ops.add(penalty, ops.mul(ops.sum(ops.square(x)), l2));
      return penalty;
    },
  };
}

/** l1·sum(|x|) (default 0.01). */
export const l1 = (args: { l1?: number } = {}): Regularizer => ({ ...l1l2({ l1: args.l1 ?? 0.01, l2: 0 }), className: 'L1' });
/** l2·sum(x²) (default 0.01). */
export const l2 = (args: { l2?: number } = {}): Regularizer => ({ ...l1l2({ l1: 0, l2: args.l2 ?? 0.01 }), className: 'L2' });

/** Resolves a regularizer from an instance, a name ('l1', 'l2', 'l1l2') or a config. */
export function getRegularizer(identifier: string | Regularizer | RegularizerConfig | null | undefined, layer = 'layer'): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'object' && 'apply' in identifier) return identifier;
  const name = (typeof identifier === 'string' ? identifier : identifier.className).toLowerCase().replace('_', '');
  const config = typeof identifier === 'string' ? {} : identifier.config;
  if (name === 'l1') return l1(config as { l1?: number });
  if (name === 'l2') return l2(config as { l2?: number });
  if (name === 'l1l2') return l1l2(config as { l1?: number; l2?: number });
  throw new InvalidArgumentError(`${layer}: unknown regularizer '${typeof identifier === 'string' ? identifier : identifier.className}'; use l1, l2 or l1l2.`);
}

export function serializeRegularizer(r: Regularizer | null): RegularizerConfig | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
