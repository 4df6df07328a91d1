// Writes Keras HDF5 weight files with h5wasm directly, following the layouts Keras writes
// (independent of nabla's reader), from a nabla model's layers and given values.
import * as h5 from 'h5wasm/node';
import * as nb from '../../src/index.js';

export interface FixtureLayer {
  name: string;
  className: string;
  /** Keras weight names without the layer prefix (e.g. 'kernel:0', or legacy 'W_1:0'). */
  weightNames: string[];
  values: Float32Array[];
  shapes: number[][];
}

let seed = 987654321;
/** Deterministic pseudo-random floats in [-1, 1). */
export function randomFloats(n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    v[i] = seed / 2147483648 - 1;
  }
  return v;
}

/**
 * Every layer of `model` (top level, input and pooling layers included) with fresh random
 * values for its weights. `legacyNames` uses the Keras-1 names of the applications files
 * (`<layer>_W_1:0`, `<layer>_b_1:0`) instead of `kernel:0`/`bias:0`.
 */
export function fixtureLayers(model: nb.keras.Model, legacyNames = false): FixtureLayer[] {
  return model.layers.map((layer) => {
    const shapes = layer.weights.map((w) => [...w.shape]);
    const kinds = layer.weights.map((w) => (w.name.split('/').pop()!.startsWith('kernel') ? 'kernel' : 'bias'));
    const weightNames = kinds.map((k) => (legacyNames ? `${layer.name}_${k === 'kernel' ? 'W' : 'b'}_1:0` : `${layer.name}/${k}:0`));
    return { name: layer.name, className: layer.getClassName(), weightNames, shapes, values: shapes.map((s) => randomFloats(s.reduce((a, b) => a * b, 1))) };
  });
}

export async function ready(): Promise<void> {
  await h5.ready;
}

function writeData(group: h5.Group, name: string, values: Float32Array, shape: number[]): void {
  const parts = name.split('/');
  let g = group;
  for (const p of parts.slice(0, -1)) g = (g.get(p) as h5.Group | null) ?? g.create_group(p);
  g.create_dataset({ name: parts.at(-1)!, data: values, shape });
}

/**
 * Keras 2 / legacy layout: root attr layer_names, group per layer with attr weight_names (an
 * empty list is an empty float64 array, as numpy saves it). `chunked` splits layer_names into
 * layer_names0, layer_names1 as Keras does for long lists.
 */
export function writeKeras2(path: string, layers: FixtureLayer[], chunked = false): void {
  const f = new h5.File(path, 'w');
  const width = (xs: string[]) => `S${Math.max(1, ...xs.map((x) => x.length))}`;
  const names = layers.map((l) => l.name);
  if (chunked) {
    const half = Math.ceil(names.length / 2);
    for (const [i, part] of [names.slice(0, half), names.slice(half)].entries()) f.create_attribute(`layer_names${i}`, part, [part.length], width(part));
  } else {
    f.create_attribute('layer_names', names, [names.length], width(names));
  }
  f.create_attribute('backend', 'tensorflow');
  f.create_attribute('keras_version', '2.15.0');
  for (const l of layers) {
    const g = f.create_group(l.name);
    if (l.weightNames.length === 0) g.create_attribute('weight_names', new Float64Array(0), [0]);
    else g.create_attribute('weight_names', l.weightNames, [l.weightNames.length], width(l.weightNames));
    l.weightNames.forEach((wn, i) => writeData(g, wn, l.values[i]!, l.shapes[i]!));
  }
  f.close();
}

/** Keras 3 layout: layers/<snake_case class>[_k]/vars/<i>, with the layer name as attr `name` when `withNames`. */
export function writeKeras3(path: string, layers: FixtureLayer[], withNames: boolean): void {
  const snake = (s: string) => s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const f = new h5.File(path, 'w');
  f.create_group('vars');
  const root = f.create_group('layers');
  const used = new Map<string, number>();
  for (const l of layers) {
    const base = snake(l.className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const g = root.create_group(n === undefined ? base : `${base}_${n + 1}`);
    if (l.values.length === 0) continue;
    const vars = g.create_group('vars');
    if (withNames) vars.create_attribute('name', l.name);
    l.values.forEach((v, i) => vars.create_dataset({ name: String(i), data: v, shape: l.shapes[i]! }));
  }
  f.close();
}
