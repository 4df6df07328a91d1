import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { UsageError } from '../../src/cli/args.js';
import { rlCommand } from '../../src/cli/rl.js';

// rlCommand is what `nabla rl ...` runs (src/cli/main.ts maps UsageError to exit 2, NablaError to 1).

async function run(args: string[]): Promise<{ out: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stdout.write;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  try {
    await rlCommand(args);
    return { out };
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = write;
  }
}

test('nabla rl train q-learning FrozenLake (non-slippery) --json, then nabla rl play the saved agent with a GIF', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-rl-cli-'));
  try {
    const out = join(dir, 'run');
    const r = await run(['train', 'q-learning', 'FrozenLake-v1-nonslippery', '--episodes', '600', '--seed', '1', '--out', out, '--json']);
    const figures = JSON.parse(r.out.at(-1)!) as Record<string, unknown>;
    for (const key of ['meanReturn100', 'envSteps', 'stepsPerSecond', 'solvedAtStep']) assert.ok(key in figures, key);
    assert.equal(figures['evalSuccessRate'], 1);
    assert.ok((figures['envSteps'] as number) > 600);
    for (const f of ['agent.json', 'result.json', 'report.html', 'returns.png']) assert.ok(existsSync(join(out, f)), f);
    const gif = join(dir, 'play.gif');
    const p = await run(['play', join(out, 'agent.json'), '--episodes', '2', '--gif', gif, '--json']);
    assert.equal((JSON.parse(p.out.at(-1)!) as { meanReturn: number }).meanReturn, 1);
    const bytes = readFileSync(gif);
    assert.equal(bytes.subarray(0, 6).toString(), 'GIF89a');
    assert.equal(bytes[bytes.length - 1], 0x3b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nabla rl: usage errors are UsageErrors (exit 2), bad inputs typed errors (exit 1), naming the problem', async () => {
  await assert.rejects(run(['train', 'q-learning']), (e: unknown) => e instanceof UsageError && /expected ALGORITHM and ENV/.test(e.message));
  await assert.rejects(run(['train', 'a3c', 'CartPole-v1']), (e: unknown) => e instanceof UsageError && /unknown algorithm 'a3c'; expected one of value-iteration/.test(e.message));
  await assert.rejects(run(['train', 'dqn', 'FrozenLake-v1', '--steps', '10', '--out', '']), (e: unknown) => e instanceof nb.InvalidArgumentError && /dqn needs vector or image observations/.test(e.message));
  await assert.rejects(run(['play', join(tmpdir(), 'no-such-agent.json')]), (e: unknown) => e instanceof nb.NotFoundError && /cannot read/.test(e.message));
  await assert.rejects(run(['fly']), UsageError);
});
