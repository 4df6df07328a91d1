// Reading Keras HDF5 weight files with h5wasm (HDF5 compiled to WebAssembly, loaded on first use
// so importing nabla never pays for it). Two layouts:
//  - Keras 2 / legacy h5 (`model.save_weights('w.h5')`, the keras.applications downloads): root
//    attribute `layer_names`; group `<layer>` with attribute `weight_names`; dataset
//    `<layer>/<weight name>` (e.g. `block1_conv1/block1_conv1/kernel:0`, `block1_conv1/block1_conv1_W_1:0`).
//    A full-model file (`model.save('m.h5')`) holds the same under `model_weights/`.
//  - Keras 3 (`model.save_weights('w.weights.h5')`): `layers/<snake_case class>[_k]/vars/<i>`,
//    nested models under `.../layers/...`; newer Keras writes the layer name as attribute `name`
//    of the `vars` group. Keras 2.13 wrote `_layer_checkpoint_dependencies` instead of `layers`.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { InvalidArgumentError, NablaError, NotFoundError } from '../../core/errors.js';

type H5 = typeof import('h5wasm/node');
type H5Group = InstanceType<H5['Group']>;
type H5Dataset = InstanceType<H5['Dataset']>;

let h5Promise: Promise<H5> | null = null;

/** The h5wasm module, initialised once (about 0.3 s the first time). */
export function loadH5wasm(): Promise<H5> {
  h5Promise ??= import('h5wasm/node').then(async (h5) => {
    await h5.ready;
    return h5;
  });
  return h5Promise;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `path` is an HDF5 file (its 8-byte signature at offset 0, 512, 1024, ...). */
export function isHdf5File(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size && offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      readSync(fd, buf, 0, 8, offset);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** One weight array read from the file. */
export interface H5Weight {
  /** Path of the dataset inside the file. */
  path: string;
  shape: number[];
  values: Float32Array;
}

/** A layer's weights in the file, in the order Keras saved them (its `weights` order). */
export interface H5LayerEntry {
  /** The layer name (Keras 2 `layer_names`, Keras 3 `vars` attribute `name`), if the file has it. */
  name: string | null;
  /** The group path (Keras 3: the structural path such as `layers/conv2d_1`). */
  path: string;
  weights: H5Weight[];
}

/** The weights of a Keras HDF5 file, layer by layer. */
export interface KerasH5Weights {
  layout: 'keras2' | 'keras3';
  layers: H5LayerEntry[];
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function readDataset(ds: H5Dataset, path: string, where: string): H5Weight {
  const meta = ds.metadata;
  const shape = [...(ds.shape ?? [])];
  const raw = ds.value;
  const size = shape.reduce((a, b) => a * b, 1);
  let values: Float32Array;
  if (meta.type === 1 && meta.size === 2 && (raw instanceof Uint16Array || raw instanceof Int16Array)) {
    values = Float32Array.from(raw as Uint16Array, halfToFloat);
  } else if (raw instanceof Float32Array) {
    values = raw;
  } else if (raw instanceof Float64Array || (ArrayBuffer.isView(raw) && !(raw instanceof DataView) && !(raw instanceof BigInt64Array) && !(raw instanceof BigUint64Array))) {
    values = Float32Array.from(raw as ArrayLike<number>);
  } else if (typeof raw === 'number' && size === 1) {
    values = Float32Array.of(raw);
  } else {
    throw new InvalidArgumentError(`${where}: dataset '${path}' holds ${String(ds.dtype)} data, not numbers; it is not a weight array.`);
  }
  if (values.length !== size) throw new InvalidArgumentError(`${where}: dataset '${path}' has ${values.length} values for shape [${shape.join(', ')}].`);
  return { path, shape, values };
}

function stringList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  // An empty list saved by numpy is an empty float array.
  const list: unknown[] = Array.isArray(value) ? value : ArrayBuffer.isView(value) && !(value instanceof Uint8Array) ? Array.from(value as unknown as ArrayLike<number>) : [value];
  return list.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)).replace(/\0+$/, ''));
}

/** A string-list attribute, also when Keras split a long one into `name0`, `name1`, ... */
function listAttr(group: H5Group, name: string): string[] {
  const attrs = group.attrs;
  if (name in attrs) return stringList(attrs[name]!.value);
  const out: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) out.push(...stringList(attrs[`${name}${i}`]!.value));
  return out;
}

function hasListAttr(group: H5Group, name: string): boolean {
  return name in group.attrs || `${name}0` in group.attrs;
}

function isGroup(h5: H5, x: unknown): x is H5Group {
  return x instanceof h5.Group;
}

function readKeras2(h5: H5, root: H5Group, base: string, where: string): H5LayerEntry[] {
  const names = listAttr(root, 'layer_names');
  return names.map((name) => {
    const group = root.get(name);
    const path = `${base}${name}`;
    if (!isGroup(h5, group)) throw new InvalidArgumentError(`${where}: the file lists layer '${name}' in layer_names but has no group '${path}'; the file is damaged.`);
    const weights = listAttr(group, 'weight_names').map((wn) => {
      const ds = group.get(wn);
      if (!(ds instanceof h5.Dataset)) throw new InvalidArgumentError(`${where}: layer '${name}' lists weight '${wn}' but '${path}/${wn}' is not a dataset; the file is damaged.`);
      return readDataset(ds, `${path}/${wn}`, where);
    });
    return { name, path, weights };
  });
}

function readKeras3(h5: H5, group: H5Group, path: string, out: H5LayerEntry[], where: string): void {
  const vars = group.get('vars');
  if (isGroup(h5, vars) && vars.keys().length > 0) {
    const keys = vars.keys().sort((a, b) => Number(a) - Number(b));
    const nameAttr = vars.attrs['name']?.value;
    out.push({
      name: typeof nameAttr === 'string' ? nameAttr : null,
      path,
      weights: keys.map((k) => {
        const ds = vars.get(k);
        if (!(ds instanceof h5.Dataset)) throw new InvalidArgumentError(`${where}: '${path}/vars/${k}' is not a dataset; the file is damaged.`);
        return readDataset(ds, `${path}/vars/${k}`, where);
      }),
    });
  }
  for (const key of ['layers', '_layer_checkpoint_dependencies']) {
    const sub = group.get(key);
    if (!isGroup(h5, sub)) continue;
    for (const child of sub.keys()) {
      const g = sub.get(child);
      if (isGroup(h5, g)) readKeras3(h5, g, path ? `${path}/layers/${child}` : `layers/${child}`, out, where);
    }
  }
}

/**
 * Reads every layer's weights from a Keras HDF5 weight file (either layout) into memory.
 * `where` prefixes error messages.
 */
export async function readKerasH5Weights(path: string, where = 'loadWeights'): Promise<KerasH5Weights> {
  if (!existsSync(path)) throw new NotFoundError(`${where}: the weight file '${path}' does not exist.`);
  if (!isHdf5File(path)) {
    throw new InvalidArgumentError(`${where}: '${path}' is not an HDF5 file (no HDF5 signature); Keras weight files are .h5 / .weights.h5 files written by save_weights.`);
  }
  const h5 = await loadH5wasm();
  const damaged = (detail: string) =>
    new InvalidArgumentError(`${where}: '${path}' has an HDF5 signature but could not be read (${detail}); the file is damaged or truncated, e.g. an interrupted download.`);
  let file: InstanceType<H5['File']>;
  try {
    file = new h5.File(path, 'r');
  } catch (e) {
    throw damaged((e as Error).message);
  }
  if (file.file_id < 0n) throw damaged('HDF5 could not open it');
  try {
    const modelWeights = file.get('model_weights');
    const root: H5Group = isGroup(h5, modelWeights) && hasListAttr(modelWeights, 'layer_names') ? modelWeights : file;
    if (hasListAttr(root, 'layer_names')) {
      return { layout: 'keras2', layers: readKeras2(h5, root, root === file ? '' : 'model_weights/', where) };
    }
    const keys = file.keys();
    if (keys.includes('layers') || keys.includes('_layer_checkpoint_dependencies') || keys.includes('vars')) {
      const layers: H5LayerEntry[] = [];
      readKeras3(h5, file, '', layers, where);
      return { layout: 'keras3', layers };
    }
    throw new InvalidArgumentError(
      `${where}: '${path}' is HDF5 but not a Keras weight file: no 'layer_names' attribute (Keras 2) and no 'layers' group (Keras 3); its top-level entries are [${keys.join(', ')}].`,
    );
  } catch (e) {
    if (e instanceof NablaError) throw e;
    throw damaged((e as Error).message);
  } finally {
    if (file.file_id >= 0n) file.close();
  }
}
