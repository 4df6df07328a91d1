#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (TypeScript through tsx).
// NABLA_TEST_TAGS=slow also runs the long learning tests (files named *.slow.test.ts).
// The suite runs once per backend: native (when the addon is built) and js. NABLA_BACKEND=js|native
// runs just that one. Under CI (CI=true) a missing addon is a failure, not a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const includeSlow = (process.env.NABLA_TEST_TAGS ?? '').split(',').includes('slow');
const filter = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

let files = walk('test').sort();
if (!includeSlow) files = files.filter((f) => !f.endsWith('.slow.test.ts'));
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

const addonBuilt = existsSync(join('build', 'Release', 'nabla_native.node'));
if (!addonBuilt && process.env.CI && process.env.NABLA_BACKEND !== 'js') {
  console.error('run-tests: the native addon is not built (build/Release/nabla_native.node); CI must build it. See build/native-build.log.');
  process.exit(1);
}
const backends = process.env.NABLA_BACKEND ? [process.env.NABLA_BACKEND] : addonBuilt ? ['native', 'js'] : ['js'];
for (const backend of backends) {
  console.log(`# run-tests: backend ${backend}, ${files.length} files`);
  const env = { ...process.env, NABLA_BACKEND: backend };
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`run-tests: failures on backend ${backend}`);
    process.exit(result.status ?? 1);
  }
}
