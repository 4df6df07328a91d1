#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (TypeScript through tsx).
// NABLA_TEST_TAGS=slow also runs the long learning tests (files named *.slow.test.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
