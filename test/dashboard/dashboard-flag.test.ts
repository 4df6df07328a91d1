import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { startRunDashboard } from '../../src/cli/dashboard-flag.js';
import { UsageError } from '../../src/cli/args.js';
import { runCliInProcess } from '../util/in-process-cli.js';

/** Fetches `url` from a child process while this thread is blocked in spawnSync. */
function fetchWhileBlocked(url: string): { status: number | null; body: string } {
  const r = spawnSync(process.execPath, ['-e', `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t))`], { encoding: 'utf8', timeout: 15000 });
  return { status: r.status, body: r.stdout };
}

test('--dashboard serves from its own thread: a run written while the main thread is blocked is listed', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nabla-dashflag-'));
  const logdir = join(root, 'run');
  const dash = await startRunDashboard('nabla train test', { dashboard: true, 'dashboard-port': '0' }, logdir);
  assert.ok(dash, 'a dashboard when --dashboard is given');
  assert.ok(existsSync(logdir), 'the log directory is created');
  assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'loopback by default');
  try {
    const w = nb.summary.createFileWriter(join(logdir, 'logs'));
    w.scalar('loss', 0.5, 1);
    w.close();
    // spawnSync blocks this thread for the whole request: only a server on another thread can answer.
    const r = fetchWhileBlocked(`${dash.url}api/runs`);
    assert.equal(r.status, 0, 'the request completed while the main thread was blocked');
    const runs = JSON.parse(r.body) as { name: string; tags: { scalars: string[] } }[];
    assert.deepEqual(runs.map((x) => x.name), ['logs']);
    assert.deepEqual(runs[0]!.tags.scalars, ['loss']);
  } finally {
    await dash.close();
  }
  assert.equal(await startRunDashboard('nabla train test', {}, logdir), null, 'no dashboard without --dashboard');
  await assert.rejects(startRunDashboard('nabla train test', { dashboard: true, 'dashboard-port': '70000' }, logdir), (e: Error) => e instanceof UsageError && e.message.includes('--dashboard-port'));
});

test('nabla train gan --dashboard: prints the URL on stderr, logs through nb.summary, keeps serving until Ctrl-C', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nabla-dashgan-')), 'run');
  // The command waits for Ctrl-C after training; send it once the run has written its result.
  const poll = setInterval(() => {
    if (existsSync(join(out, 'result.json'))) {
      clearInterval(poll);
      setTimeout(() => process.emit('SIGINT'), 200);
    }
  }, 100);
  const r = await runCliInProcess(['train', 'gan', '--dataset', 'digits', '--epochs', '1', '--limit', '128', '--batch-size', '64', '--fid-samples', '0', '--out', out, '--dashboard', '--dashboard-port', '0', '--json']);
  clearInterval(poll);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /dashboard: http:\/\/127\.0\.0\.1:\d+\//);
  assert.match(r.stderr, /stays up .*Ctrl-C/);
  const lines = r.stdout.trim().split('\n');
  assert.doesNotThrow(() => JSON.parse(lines.at(-1)!), 'stdout still ends with the --json line');
  assert.ok(existsSync(join(out, 'logs', 'summaries.jsonl')), 'the GAN logged its run through nb.summary');
  assert.ok(existsSync(join(out, 'logs', 'images', 'samples')), 'with a sample grid image');
});
