import type { Layer } from './layer.js';
import type { Model } from './model.js';
import type { SymbolicShape } from './symbolic.js';
import { InputLayer } from './input-layer.js';

export interface SummaryOptions {
  /** Total width of the table (default 65, or 98 when a "Connected to" column is shown). */
  lineLength?: number;
  /** Where lines go (default console.log). */
  printFn?: (line: string) => void;
}

function shapeText(shapes: SymbolicShape[] | null): string {
  if (!shapes) return '?';
  const one = (s: SymbolicShape) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')}${s.length === 1 ? ',' : ''})`;
  return shapes.length === 1 ? one(shapes[0]!) : `[${shapes.map(one).join(', ')}]`;
}

function paramCount(layer: Layer): number {
  return layer.weights.reduce((n, w) => n + w.size, 0);
}

function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

function row(cells: string[], positions: number[]): string {
  let line = '';
  cells.forEach((cell, i) => {
    line = (line + cell).slice(0, positions[i]! - 1);
    line = line.padEnd(positions[i]!, ' ');
  });
  return line;
}

/** Renders (and prints) the Keras summary table of `model`; returns the text. */
export function printSummary(model: Model, options: SummaryOptions = {}): string {
  const connected = model.getClassName() === 'Functional';
  const width = options.lineLength ?? (connected ? 98 : 65);
  const fractions = connected ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1];
  const positions = fractions.map((f) => Math.floor(width * f));
  const headers = connected ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const lines: string[] = [`Model: "${model.name}"`, '_'.repeat(width), row(headers.map((h) => ` ${h}`), positions), '='.repeat(width)];
  const layers = model.layers.filter((l) => connected || !(l instanceof InputLayer));
  layers.forEach((layer, i) => {
    const cells = [` ${layer.name} (${layer.getClassName()})`, shapeText(layer.outputShapes), String(paramCount(layer))];
    if (connected) {
      const sources = layer.inboundNodes
        .flatMap((n) => n.inputs.map((t) => `${t.node.layer.name}[0][${t.outputIndex}]`));
      cells.push(sources.length > 0 ? [...new Set(sources)].join(', ') : '[]');
    }
    lines.push(row(cells, positions));
    if (i < layers.length - 1) lines.push(' '.repeat(width));
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  lines.push(
    '='.repeat(width),
    `Total params: ${withCommas(trainable + nonTrainable)}`,
    `Trainable params: ${withCommas(trainable)}`,
    `Non-trainable params: ${withCommas(nonTrainable)}`,
    '_'.repeat(width),
  );
  const text = lines.join('\n');
  (options.printFn ?? console.log)(text);
  return text;
}
