import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Where the shared real datasets live: $NABLA_SHARED_DATA, else `../shared/data` next to the
 * checkout, else /work/shared/data (a fresh CI clone may sit elsewhere on the same machine).
 */
export function sharedDataDir(): string {
  const candidates = [process.env['NABLA_SHARED_DATA'], join(repoRoot, '..', 'shared', 'data'), '/work/shared/data'];
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(c!));
  if (!found) {
    throw new Error(`shared data not found; looked in ${candidates.filter(Boolean).join(', ')}. Set NABLA_SHARED_DATA to the folder.`);
  }
  return found;
}

/** A path inside the shared data folder. */
export function sharedData(...parts: string[]): string {
  return join(sharedDataDir(), ...parts);
}
