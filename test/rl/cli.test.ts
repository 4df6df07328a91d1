import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stdout.write;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  try {
    return { code: await main(args), out, err };
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
    const r = await run(['rl', 'train', 'q-learning', 'FrozenLake-v1-nonslippery', '--episodes', '600', '--seed', '1', '--out', out, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const figures = JSON.parse(r.out.at(-1)!) as Record<string, unknown>;
    for (const key of ['meanReturn100', 'envSteps', 'stepsPerSecond', 'solvedAtStep']) assert.ok(key in figures, key);
    assert.equal(figures['evalSuccessRate'], 1);
    assert.ok((figures['envSteps'] as number) > 600);
    for (const f of ['agent.json', 'result.json', 'report.html', 'returns.png']) assert.ok(existsSync(join(out, f)), f);
    const gif = join(dir, 'play.gif');
    const p = await run(['rl', 'play', join(out, 'agent.json'), '--episodes', '2', '--gif', gif, '--json']);
    assert.equal(p.code, 0, p.err.join('\n'));
    assert.equal((JSON.parse(p.out.at(-1)!) as { meanReturn: number }).meanReturn, 1);
    const bytes = readFileSync(gif);
    assert.equal(bytes.subarray(0, 6).toString(), 'GIF89a');
    assert.equal(bytes[bytes.length - 1], 0x3b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nabla rl: usage errors exit with 2 and name the problem', async () => {
  const a = await run(['rl', 'train', 'q-learning']);
  assert.equal(a.code, 2);
  assert.match(a.err.join('\n'), /expected ALGORITHM and ENV/);
  const b = await run(['rl', 'train', 'a3c', 'CartPole-v1']);
  assert.equal(b.code, 2);
  assert.match(b.err.join('\n'), /unknown algorithm 'a3c'; expected one of value-iteration/);
  const c = await run(['rl', 'train', 'dqn', 'FrozenLake-v1', '--steps', '10', '--out', join(tmpdir(), 'nabla-rl-unused')]);
  assert.equal(c.code, 1);
  assert.match(c.err.join('\n'), /dqn needs vector or image observations/);
  const d = await run(['rl', 'play', join(tmpdir(), 'no-such-agent.json')]);
  assert.equal(d.code, 1);
  assert.match(d.err.join('\n'), /cannot read/);
});
