import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const v1 = nb.v1;

function buildMlp(g: nb.v1.Graph) {
  return g.asDefault(() => {
    nb.setSeed(7);
    const x = v1.placeholder('float32', [null, 4], 'x');
    const y = v1.placeholder('float32', [null, 2], 'y');
    const w1 = new v1.Variable(nb.mul(nb.randomNormal([4, 8]), 0.5), { name: 'w1' });
    const b1 = new v1.Variable(nb.zeros([8]), { name: 'b1' });
    const w2 = new v1.Variable(nb.mul(nb.randomNormal([8, 2]), 0.5), { name: 'w2' });
    const h = nb.relu(nb.add(nb.matMul(x, w1), b1));
    const logits = nb.matMul(h, w2);
    const probs = v1.nameScope('out', () => nb.softmax(logits));
    const loss = nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: y, logits }));
    const step = v1.train.getOrCreateGlobalStep();
    const train = new v1.train.AdamOptimizer(0.05).minimize(loss, { globalStep: step });
    return { x, y, probs, loss, train, step, init: v1.globalVariablesInitializer() };
  });
}

const xs = nb.tensor([[1, 0, 0.5, -1], [0, 1, -0.5, 1], [1, 1, 0, 0], [-1, 0.2, 0.3, 0.9]]);
const ys = nb.tensor([[1, 0], [0, 1], [1, 0], [0, 1]]);

test('freeze -> write -> import into a fresh graph -> run gives identical outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-graph-'));
  try {
    const g = new v1.Graph();
    const m = buildMlp(g);
    const sess = new v1.Session(g);
    sess.run(m.init);
    for (let i = 0; i < 20; i++) sess.run(m.train, { x: xs, y: ys });
    const expected = sess.run(m.probs, { x: xs });
    const probsName = (m.probs as nb.v1.SymbolicTensor).node.name;
    assert.equal(probsName, 'out/softmax');
    const frozen = v1.graphUtil.convertVariablesToConstants(sess, g, [probsName]);
    assert.ok(!frozen.nodes.some((n) => n.kind === 'variable' || n.kind === 'assign'), 'no variables or updates left');
    const path = v1.io.writeGraph(frozen, dir, 'frozen');
    const g2 = new v1.Graph();
    v1.importGraphDef(v1.io.readGraph(path), { graph: g2 });
    const out = new v1.Session(g2).run(g2.getTensor(`import/${probsName}`), { 'import/x': xs });
    assert.deepEqual([...out.dataSync()], [...expected.dataSync()]);
    // A whole (unfrozen) graph round-trips too: its variables can be initialized and trained.
    const g3 = new v1.Graph();
    v1.importGraphDef(v1.io.readGraph(v1.io.writeGraph(g, dir, 'whole')), { graph: g3, name: '' });
    const s3 = new v1.Session(g3);
    s3.run(g3.getOperation('init'));
    s3.run(g3.getOperation('Adam/train'), { x: xs, y: ys });
    assert.equal(s3.run(g3.getTensor('global_step')).item(), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Saver: restore resumes at the saved step; only the last N checkpoints are kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-ckpt-'));
  try {
    const g = new v1.Graph();
    const m = buildMlp(g);
    const saver = new v1.train.Saver({ maxToKeep: 2 });
    const sess = new v1.Session(g);
    sess.run(m.init);
    for (let i = 1; i <= 6; i++) {
      sess.run(m.train, { x: xs, y: ys });
      if (i % 2 === 0) saver.save(sess, join(dir, 'model'), { globalStep: m.step });
    }
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['checkpoint', 'model-4.data.bin', 'model-4.index.json', 'model-6.data.bin', 'model-6.index.json']);
    const latest = v1.train.latestCheckpoint(dir)!;
    assert.equal(latest, join(dir, 'model-6'));
    const lossAt6 = sess.run(m.loss, { x: xs, y: ys }).item();
    sess.run(m.train, { x: xs, y: ys });
    const next = sess.run(m.probs, { x: xs });

    const g2 = new v1.Graph();
    const m2 = buildMlp(g2);
    const s2 = new v1.Session(g2);
    assert.throws(() => s2.run(m2.loss, { x: xs, y: ys }), v1.UninitializedVariableError);
    saver.restore(s2, latest);
    assert.equal(s2.run(m2.step).item(), 6);
    assert.equal(s2.run(m2.loss, { x: xs, y: ys }).item(), lossAt6);
    s2.run(m2.train, { x: xs, y: ys });
    assert.deepEqual([...s2.run(m2.probs, { x: xs }).dataSync()], [...next.dataSync()]);
    assert.throws(() => saver.restore(s2, join(dir, 'model-2')), nb.NotFoundError);
    assert.ok(!existsSync(join(dir, 'model-2.index.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('importGraphDef in a fresh process finds op definitions it has not built yet (op catalogue)', async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cat-'));
  try {
    const g = new v1.Graph();
    const y = g.asDefault(() => nb.sigmoid(nb.transpose(nb.maximum(v1.placeholder('float32', [2, 3], 'x'), 0.25))));
    const path = v1.io.writeGraph(g, dir, 'g');
    const script = `import * as nb from './src/index.ts';
const g = nb.v1.importGraphDef(nb.v1.io.readGraph(${JSON.stringify(path)}), {graph: new nb.v1.Graph(), name: ''});
console.log(JSON.stringify([...new nb.v1.Session(g).run(g.getTensor(${JSON.stringify((y as nb.v1.SymbolicTensor).name)}), {x: [[0, 1, 2], [-1, 0.5, 3]]}).dataSync()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const expected = new v1.Session(g).run(y, { x: [[0, 1, 2], [-1, 0.5, 3]] });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), [...expected.dataSync()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
