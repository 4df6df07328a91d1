import { InvalidArgumentError } from '../core/errors.js';
import * as ops from '../ops/index.js';
import type { Constraint } from './engine/layer.js';

export interface ConstraintConfig {
  className: string;
  config: Record<string, unknown>;
}

/** Rescales each slice along `axis` whose L2 norm exceeds `maxValue`. @example `maxNorm({maxValue: 3})` */
export function maxNorm(args: { maxValue?: number; axis?: number } = {}): Constraint {
  const maxValue = args.maxValue ?? 2;
  const axis = args.axis ?? 0;
  return {
    className: 'MaxNorm',
    getConfig: () => ({ maxValue, axis }),
    apply(w) {
      const norms = ops.sqrt(ops.sum(ops.square(w), axis, true));
      const desired = ops.clipByValue(norms, 0, maxValue);
      return ops.mul(w, ops.div(desired, ops.add(norms, 1e-7)));
    },
  };
}

/** Clips negative weights to zero. */
export function nonNeg(): Constraint {
  return { className: 'NonNeg', getConfig: () => ({}), apply: (w) => ops.relu(w) };
}

/** Rescales each slice along `axis` to unit L2 norm. */
export function unitNorm(args: { axis?: number } = {}): Constraint {
  const axis = args.axis ?? 0;
  return {
    className: 'UnitNorm',
    getConfig: () => ({ axis }),
    apply: (w) => ops.div(w, ops.add(ops.sqrt(ops.sum(ops.square(w), axis, true)), 1e-7)),
  };
}

/** Resolves a constraint from an instance, a name or a config. */
export function getConstraint(identifier: string | Constraint | ConstraintConfig | null | undefined, layer = 'layer'): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'object' && 'apply' in identifier) return identifier;
  const name = (typeof identifier === 'string' ? identifier : identifier.className).replace(/_/g, '').toLowerCase();
  const config = typeof identifier === 'string' ? {} : identifier.config;
  if (name === 'maxnorm') return maxNorm(config);
  if (name === 'nonneg') return nonNeg();
  if (name === 'unitnorm') return unitNorm(config);
  throw new InvalidArgumentError(`${layer}: unknown constraint '${typeof identifier === 'string' ? identifier : identifier.className}'; use maxNorm, nonNeg or unitNorm.`);
}

export function serializeConstraint(c: Constraint | null): ConstraintConfig | null {
  return c ? { className: c.className, config: c.getConfig() } : null;
}
