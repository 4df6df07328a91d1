import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as nb from '../../src/index.js';
import { sharedData } from '../util/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-csv-'));
function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];
// iris.csv's first line is `150,4,setosa,versicolor,virginica` (rows, features, class names), not column names.
const irisOptions = { header: false, skipRows: 1, columnNames: IRIS_COLUMNS, labelColumn: 'species' };

test('iris.csv as a Dataset of [features, label]: 150 rows, float32 features, int32 labels', async () => {
  const ds = nb.data.csv(sharedData('tabular', 'iris.csv'), irisOptions);
  assert.equal(ds.cardinality(), nb.data.UNKNOWN);
  const rows = await ds.toArray();
  assert.equal(rows.length, 150);
  const [f0, l0] = rows[0]!;
  assert.deepEqual(Object.keys(f0), IRIS_COLUMNS.slice(0, 4));
  assert.equal(f0['sepal_length']!.dtype, 'float32');
  assert.ok(Math.abs(f0['sepal_length']!.item() - 5.1) < 1e-6);
  assert.deepEqual(f0['petal_width']!.shape, []);
  assert.equal(l0.dtype, 'int32');
  const counts = [0, 0, 0];
  for (const [, l] of rows) counts[l.item()]!++;
  assert.deepEqual(counts, [50, 50, 50]);
  // Batched, the record components stack.
  const [batch] = await ds.batch(32).take(1).toArray();
  assert.deepEqual(batch![0]['sepal_width']!.shape, [32]);
  assert.deepEqual(batch![1].shape, [32]);
});

test('iris via csvToTensors, selectColumns, and a pipeline that trains', async () => {
  const { x, y, featureNames } = nb.data.csvToTensors(sharedData('tabular', 'iris.csv'), irisOptions);
  assert.deepEqual(x.shape, [150, 4]);
  assert.deepEqual(y.shape, [150]);
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(featureNames, IRIS_COLUMNS.slice(0, 4));
  const two = nb.data.csvToTensors(sharedData('tabular', 'iris.csv'), { ...irisOptions, selectColumns: ['petal_width', 'petal_length'] });
  assert.deepEqual(two.featureNames, ['petal_width', 'petal_length']);
  assert.deepEqual(two.x.shape, [150, 2]);
  assert.deepEqual(Array.from(two.x.values.slice(0, 2)), [Math.fround(0.2), Math.fround(1.4)]);
  const noLabel = nb.data.csvToTensors(sharedData('tabular', 'iris.csv'), { header: false, skipRows: 1, columnNames: IRIS_COLUMNS });
  assert.deepEqual(noLabel.x.shape, [150, 5]);
  assert.equal(noLabel.y, undefined);
});

test('header, type inference, quotes, CRLF, delimiter and blank lines', async () => {
  const p = file('mixed.csv', 'id,score,"note, quoted"\r\n1,2.5,3\r\n\r\n2,1e3,"4"\r\n3,-0.5,5');
  const rows = await nb.data.csv(p).toArray();
  assert.equal(rows.length, 3);
  assert.deepEqual(Object.keys(rows[0]!), ['id', 'score', 'note, quoted']);
  assert.equal(rows[0]!['id']!.dtype, 'int32');
  assert.equal(rows[0]!['score']!.dtype, 'float32');
  assert.deepEqual(rows.map((r) => r['score']!.item()), [2.5, 1000, -0.5]);
  assert.deepEqual(rows.map((r) => r['note, quoted']!.item()), [3, 4, 5]);
  const semi = file('semi.csv', 'a;b\n1;2\n3;4\n');
  const [first] = await nb.data.csv(semi, { delimiter: ';', labelColumn: 'b' }).toArray();
  assert.equal(first![0]['a']!.item(), 1);
  assert.equal(first![1].item(), 2);
  const forced = await nb.data.csv(semi, { delimiter: ';', columnDtypes: { a: 'float32' } }).toArray();
  assert.equal(forced[0]!['a']!.dtype, 'float32');
});

test('missing values: filled from columnDefaults (a float default makes the column float32), else an error naming row and column', async () => {
  const p = file('missing.csv', 'a,b,c\n1,2,3\n4,,6\n7,8,\n');
  const filled = await nb.data.csv(p, { columnDefaults: { b: 0.5, c: -1 } }).toArray();
  assert.deepEqual(filled.map((r) => [r['a']!.item(), r['b']!.item(), r['c']!.item()]), [[1, 2, 3], [4, 0.5, 6], [7, 8, -1]]);
  assert.equal(filled[0]!['b']!.dtype, 'float32');
  assert.equal(filled[0]!['c']!.dtype, 'int32');
  const byOrder = nb.data.csvToTensors(p, { columnDefaults: [undefined, 0, 0] });
  assert.deepEqual(Array.from(byOrder.x.values), [1, 2, 3, 4, 0, 6, 7, 8, 0]);
  await assert.rejects(nb.data.csv(p).toArray(), (e: Error) => e instanceof nb.InvalidArgumentError && /row 2 \(line 3\)/.test(e.message) && /column 'b'/.test(e.message) && /columnDefaults/.test(e.message));
  assert.throws(() => nb.data.csvToTensors(p, { columnDefaults: { b: 0 } }), /row 3 \(line 4\) has no value in column 'c'/);
});

test('bad numbers, text columns and ragged rows are errors naming row and column', async () => {
  const text = file('text.csv', 'x,kind\n1,cat\n2,dog\n');
  await assert.rejects(nb.data.csv(text).toArray(), (e: Error) => e instanceof nb.DTypeError && /column 'kind'/.test(e.message) && /'cat' in row 1 \(line 2\)/.test(e.message) && /selectColumns/.test(e.message));
  assert.deepEqual((await nb.data.csv(text, { selectColumns: ['x'] }).toArray()).map((r) => r['x']!.item()), [1, 2]);
  const bad = file('bad.csv', 'x,y\n1,2\n3,4\n5,4.5.6\n');
  await assert.rejects(nb.data.csv(bad).toArray(), /column 'y'.*'4\.5\.6' in row 3 \(line 4\)/);
  // With inference limited to the first rows, a later float in an int column is reported where it is.
  const late = file('late.csv', 'x\n1\n2\n3.5\n');
  await assert.rejects(nb.data.csv(late, { numRowsForInference: 2 }).toArray(), /column 'x' is int32 but row 3 \(line 4\) holds '3\.5'/);
  const ragged = file('ragged.csv', 'a,b\n1,2\n3\n');
  await assert.rejects(nb.data.csv(ragged).toArray(), /row 2 \(line 3\) has 1 fields but the table has 2 columns/);
  const unclosed = file('quote.csv', 'a,b\n1,"2\n');
  await assert.rejects(nb.data.csv(unclosed).toArray(), /quoted field opened on line 2/);
  assert.throws(() => nb.data.csv(join(dir, 'nope.csv')), nb.NotFoundError);
  await assert.rejects(nb.data.csv(text, { labelColumn: 'label' }).toArray(), /labelColumn 'label' is not a column; columns are x, kind/);
  assert.throws(() => nb.data.csv(text, { header: false, columnNames: ['x', 'kind'], selectColumns: ['y'] }), /selectColumns entry 'y' is not a column/);
  assert.throws(() => nb.data.csv(text, { header: false }), /columnNames/);
});

test('gzip input is read (by extension or magic bytes), streamed and re-read on each pass', async () => {
  const body = 'a,b\n' + Array.from({ length: 1000 }, (_, i) => `${i},${i / 2}`).join('\n') + '\n';
  const gz = file('big.csv.gz', gzipSync(body));
  const ds = nb.data.csv(gz, { labelColumn: 'b' }).batch(100);
  const batches = await ds.toArray();
  assert.equal(batches.length, 10);
  assert.equal(batches[9]![0]['a']!.values[99], 999);
  assert.equal(batches[9]![1].values[99], 499.5);
  assert.equal((await ds.toArray()).length, 10, 'a second pass reads the file again');
  const disguised = file('disguised.csv', gzipSync('x\n7\n'));
  assert.equal((await nb.data.csv(disguised).toArray())[0]!['x']!.item(), 7);
  assert.equal(nb.data.csvToTensors(gz, { labelColumn: 'b' }).x.shape[0], 1000);
  const digits = nb.data.csvToTensors(sharedData('tabular', 'digits.csv.gz'), {
    header: false,
    columnNames: [...Array.from({ length: 64 }, (_, i) => `p${i}`), 'digit'],
    labelColumn: 'digit',
  });
  assert.deepEqual(digits.x.shape, [1797, 64]);
  assert.equal(digits.y.dtype, 'int32');
});
