import { InvalidArgumentError } from '../core/errors.js';
import type { KernelTable } from './kernels.js';
import { jsKernels } from './js/index.js';

/** A set of kernels under a name. Missing kernels fall back to the reference backend's. */
export interface Backend {
  readonly name: string;
  readonly kernels: Partial<KernelTable>;
}

const backends = new Map<string, Backend>([['js', { name: 'js', kernels: jsKernels }]]);
let activeName = 'js';
let active: KernelTable = jsKernels;

/** Registers a backend (e.g. the native addon). Does not activate it. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Activates a registered backend by name. Kernels it lacks are served by the TypeScript
 * reference backend, so every op works on every backend.
 *
 * @example
 * ```ts
 * nb.setBackend('js');
 * ```
 */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (!backend) {
    throw new InvalidArgumentError(
      `setBackend: unknown backend '${name}'; registered backends are ${[...backends.keys()].join(', ')}.`,
    );
  }
  activeName = name;
  active = { ...jsKernels, ...backend.kernels } as KernelTable;
}

/** Name of the active backend ('js' or 'native'). */
export function getBackend(): string {
  return activeName;
}

/** Names of all registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/** The active kernel table. Internal: ops call kernels through it. */
export function kernels(): KernelTable {
  return active;
}

/** The reference kernel table, for differential tests. */
export function referenceKernels(): KernelTable {
  return jsKernels;
}
