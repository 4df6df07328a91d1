import { join } from 'node:path';

/**
 * The default output folder of a training command: `runs/<app>-<UTC timestamp>`, with the
 * colons of the time replaced so the name is valid on every file system.
 *
 * @example
 * ```ts
 * timestampedRunDir('mnist', new Date('2026-01-02T03:04:05Z'));   // 'runs/mnist-2026-01-02T03-04-05'
 * ```
 */
export function timestampedRunDir(app: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  return join('runs', `${app}-${stamp}`);
}
