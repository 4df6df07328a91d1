// Sparse cross-entropy in a graph checks its labels when the graph runs (they have no values
// while it is built), and graphs holding that check import in a fresh process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const v1 = nb.v1;

function build(): { g: nb.v1.Graph; loss: nb.Tensor } {
  const g = new v1.Graph();
  const loss = g.asDefault(() =>
    nb.sparseSoftmaxCrossEntropyWithLogits({ labels: v1.placeholder('int32', [2], 'labels'), logits: v1.placeholder('float32', [2, 3], 'logits') }),
  );
  return { g, loss };
}

test('a Session graph checks sparse labels when it runs', () => {
  const { g, loss } = build();
  const sess = new v1.Session(g);
  const logits = [[1, 2, 0.5], [0, -1, 3]];
  const eager = nb.sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([2, 0], [2], 'int32'), logits: nb.tensor(logits) });
  assert.deepEqual([...sess.run(loss, { labels: nb.tensor([2, 0], [2], 'int32'), logits }).dataSync()], [...eager.dataSync()]);
  assert.throws(() => sess.run(loss, { labels: nb.tensor([1, 3], [2], 'int32'), logits }), /label 3 at flat index 1 is outside the valid range \[0, 3\)/);
});

test('a graph with the label check imports in a fresh process (op catalogue)', async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'nabla-labels-'));
  try {
    const { g, loss } = build();
    const path = v1.io.writeGraph(g, dir, 'g');
    const script = `import * as nb from './src/index.ts';
const g = nb.v1.importGraphDef(nb.v1.io.readGraph(${JSON.stringify(path)}), {graph: new nb.v1.Graph(), name: ''});
const labels = nb.tensor([2, 0], [2], 'int32');
console.log(JSON.stringify([...new nb.v1.Session(g).run(g.getTensor(${JSON.stringify((loss as nb.v1.SymbolicTensor).name)}), {labels, logits: [[1, 2, 0.5], [0, -1, 3]]}).dataSync()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const expected = new v1.Session(g).run(loss, { labels: nb.tensor([2, 0], [2], 'int32'), logits: [[1, 2, 0.5], [0, -1, 3]] });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), [...expected.dataSync()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
