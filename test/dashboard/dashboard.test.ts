import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { attachDashboard, startDashboard } from '../../src/dashboard/index.js';
import { dashboardCommand } from '../../src/cli/dashboard.js';
import { UsageError } from '../../src/cli/args.js';

function logdir(): string {
  const root = mkdtempSync(join(tmpdir(), 'nabla-dash-'));
  for (const [run, lr] of [['exp/a', 0.1], ['exp/b', 0.01]] as const) {
    const w = nb.summary.createFileWriter(join(root, run), { metadata: { hyperParameters: { lr }, dataset: 'digits' } });
    for (let s = 0; s < 3; s++) w.scalar('loss', 1 / (s + 1), s);
    w.image('sample', nb.zeros([4, 4, 1]), 2);
    w.histogram('w', [1, 2, 3], 2);
    w.close();
  }
  writeFileSync(join(root, 'secret.txt'), 'not a run file');
  return root;
}

/** A raw GET (no URL normalisation, so '../' reaches the server as written). */
function get(port: number, path: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('dashboard serves the page, vega builds, run list, scalars, images; binds to loopback', async () => {
  const root = logdir();
  const dash = await startDashboard({ logdir: root, port: 0 });
  try {
    assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const addr = dash.server.address();
    assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
    const page = await get(dash.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.type, /text\/html/);
    assert.match(page.body.toString(), /nabla dashboard.*\/static\/vega-lite\.min\.js/s);
    const script = page.body.toString().split('<script>')[1]!.split('</script>')[0]!;
    assert.doesNotThrow(() => new Function(script), 'the client script parses');
    const vega = await get(dash.port, '/static/vega.min.js');
    assert.equal(vega.status, 200);
    assert.ok(vega.body.length > 100_000);
    const runs = JSON.parse((await get(dash.port, '/api/runs')).body.toString());
    assert.deepEqual(runs.map((r: { name: string }) => r.name), ['exp/a', 'exp/b']);
    assert.deepEqual(runs[0].tags, { scalars: ['loss'], images: ['sample'], histograms: ['w'], text: [] });
    assert.deepEqual(runs[1].metadata.hyperParameters, { lr: 0.01 });
    const scalars = JSON.parse((await get(dash.port, '/api/scalars?run=exp%2Fa')).body.toString());
    assert.deepEqual(scalars.loss.map((p: { step: number; value: number }) => [p.step, p.value]), [[0, 1], [1, 0.5], [2, 1 / 3]]);
    const run = JSON.parse((await get(dash.port, '/api/run?run=exp/b')).body.toString());
    const img = await get(dash.port, `/api/file?run=exp/b&path=${encodeURIComponent(run.images.sample[0].file)}`);
    assert.equal(img.status, 200);
    assert.equal(img.type, 'image/png');
    assert.deepEqual(nb.data.image.decodePng(img.body).shape, [4, 4, 1]);
    assert.equal((await get(dash.port, '/api/run?run=nope')).status, 404);
  } finally {
    await dash.close();
  }
});

test('dashboard refuses paths outside the run / log directory', async () => {
  const root = logdir();
  const dash = await startDashboard({ logdir: root, port: 0 });
  try {
    for (const path of [
      '/api/file?run=exp/a&path=../../secret.txt',
      '/api/file?run=exp/a&path=..%2F..%2Fsecret.txt',
      '/api/file?run=exp/a&path=/etc/passwd',
      '/api/file?run=exp/a&path=%2Fetc%2Fpasswd',
      '/api/file?run=../../..&path=etc/passwd',
      '/api/file?run=/&path=etc/passwd',
      '/api/file?run=exp/a&path=images',
    ]) {
      const r = await get(dash.port, path);
      assert.equal(r.status, 403, path);
    }
    assert.equal((await get(dash.port, '/api/scalars?run=../..')).status, 404);
    assert.equal((await get(dash.port, '/../../etc/passwd')).status, 404);
  } finally {
    await dash.close();
  }
});

test('dashboard pushes a server-sent event when a run grows', async () => {
  const root = logdir();
  const dash = await startDashboard({ logdir: root, port: 0, pollMs: 50 });
  try {
    const got = new Promise<string>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: dash.port, path: '/api/events' }, (res) => {
        assert.match(String(res.headers['content-type']), /text\/event-stream/);
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('data:')) {
            req.destroy();
            ok(text);
          }
        });
      });
      req.on('error', (e) => (e.message.includes('aborted') ? undefined : fail(e)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 120));
    const w = nb.summary.createFileWriter(join(root, 'exp/a'), { formats: ['runlog'] });
    w.scalar('loss', 0.1, 3);
    w.close();
    assert.match(await got, /data: \{"changed":\d+\}/);
    const scalars = JSON.parse((await get(dash.port, '/api/scalars?run=exp/a')).body.toString());
    assert.equal(scalars.loss.length, 4);
  } finally {
    await dash.close();
  }
});

test('nabla dashboard: bad flags and a missing log directory are typed errors', async () => {
  await assert.rejects(dashboardCommand(['--port', 'x']), (e: Error) => e instanceof UsageError && /--port must be an integer from 0 to 65535/.test(e.message));
  await assert.rejects(dashboardCommand(['--bogus']), UsageError);
  await assert.rejects(
    dashboardCommand(['--logdir', join(tmpdir(), 'no-such-nabla-dir'), '--port', '0']),
    (e: Error) => e instanceof nb.NotFoundError && /log directory .* does not exist/.test(e.message),
  );
});

test('attachDashboard (for --dashboard flags) creates the logdir and falls back to a free port', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'nabla-attach-')), 'runs', 'x');
  const lines: string[] = [];
  const first = await attachDashboard(root, { port: 0, log: (l) => lines.push(l) });
  const second = await attachDashboard(root, { port: first.port, log: (l) => lines.push(l) });
  try {
    assert.notEqual(second.port, first.port);
    assert.match(lines.join('\n'), /dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(serving .*runs\/x\)/);
    assert.equal((await get(second.port, '/api/runs')).body.toString(), '[]');
  } finally {
    await first.close();
    await second.close();
  }
});
