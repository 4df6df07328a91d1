import type { DType, TypedArray } from './dtype.js';

interface Printable {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: TypedArray;
}

const EDGE_ITEMS = 3;
const SUMMARIZE_OVER = 1000;

function formatNumber(x: number, dtype: DType): string {
  if (dtype === 'bool') return x ? 'True' : 'False';
  if (dtype === 'int32') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.`;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e8)) return x.toExponential(7).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(8)));
}

/** TensorFlow-style text for a tensor: nested brackets, shape and dtype. */
export function formatTensor(t: Printable): string {
  const { shape, dtype, values } = t;
  const summarize = values.length > SUMMARIZE_OVER;
  const shapeText = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  if (shape.length === 0) {
    return `tf.Tensor(${formatNumber(values[0]!, dtype)}, shape=(), dtype=${dtype})`;
  }
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const cells: string[] = [];
  const indicesOf = (n: number): (number | null)[] => {
    if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
    const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
    const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
    return [...head, null, ...tail];
  };
  // Collect every printed value first so columns can share one width.
  const collect = (dim: number, offset: number): void => {
    for (const i of indicesOf(shape[dim]!)) {
      if (i === null) continue;
      if (dim === shape.length - 1) cells.push(formatNumber(values[offset + i]!, dtype));
      else collect(dim + 1, offset + i * strides[dim]!);
    }
  };
  collect(0, 0);
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  let k = 0;
  const render = (dim: number, offset: number, indent: number): string => {
    const parts: string[] = [];
    for (const i of indicesOf(shape[dim]!)) {
      if (i === null) {
        parts.push('...');
        continue;
      }
      if (dim === shape.length - 1) {
        parts.push(cells[k++]!.padStart(width));
      } else {
        parts.push(render(dim + 1, offset + i * strides[dim]!, indent + 1));
      }
    }
    if (dim === shape.length - 1) return `[${parts.join(' ')}]`;
    const sep = '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, 0);
  return `tf.Tensor(${body.includes('\n') ? '\n' : ''}${body}, shape=${shapeText}, dtype=${dtype})`;
}
