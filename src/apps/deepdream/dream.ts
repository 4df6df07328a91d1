// DeepDream (Mordvintsev et al. 2015) as the Keras example does it: gradient ascent on the pixels
// to amplify chosen VGG19 activations, octave by octave from small to full size.
import * as nb from '../../index.js';
import { loadFeatureNetwork, seededUniform } from '../style-transfer/features.js';
import { DEFAULT_DREAM_LAYERS, parseDreamLayers, type DreamLayer } from './layers.js';
import { dreamWorkingSize, octaveSizes } from './octaves.js';

/** Options of `deepDream`. The image is a file path or an int32/float32 tensor [h, w, 3] of 0..255 RGB. */
export interface DeepDreamOptions {
  image: string | nb.Tensor;
  /** Layers to amplify: `'a,b'`, `'a:1,b:0.5'` or a list (default block4_conv3, block5_conv1). */
  layers?: string | readonly (string | DreamLayer)[];
  /** Number of octaves (scales) to dream at (default 3). */
  octaves?: number;
  /** Ratio between successive octave sizes (default 1.4). */
  octaveScale?: number;
  /** Gradient-ascent steps per octave (default 20). */
  steps?: number;
  /** Step size in 0..255 pixel units: every step moves pixels by stepSize / mean|gradient| x gradient (default 1.5). */
  stepSize?: number;
  /** Longer side of the working (and output) image in pixels (default 256, aspect kept). */
  size?: number;
  /** Largest random roll of the image per step, in pixels, so no grid locks in (default 8; 0 = none). */
  jitter?: number;
  /**
   * The VGG19 weights: `'imagenet'` (default: the Keras notop file found on disk), a path to a
   * Keras .h5 file, or `'random'` for seeded random features (never chosen implicitly).
   */
  weights?: 'imagenet' | 'random' | (string & {});
  /** Seed of the random features and of the jitter (default 42). */
  seed?: number;
  /** Called after every octave with its figures. */
  onOctave?: (log: OctaveLog) => void;
}

/** What one octave did. `before`/`after`: the dream objective at that octave's size. */
export interface OctaveLog {
  octave: number;
  octaves: number;
  size: [number, number];
  before: number;
  after: number;
  seconds: number;
}

export interface DeepDreamResult {
  /** The dreamed image, int32 [h, w, 3] RGB 0..255, at the working size. */
  image: nb.Tensor;
  workSize: [number, number];
  layers: DreamLayer[];
  octaves: OctaveLog[];
  /**
   * The objective (sum over layers of weight x mean squared activation) of the input image at the
   * working size, and of the dreamed image.
   */
  activationBefore: number;
  activationAfter: number;
  steps: number;
  stepSize: number;
  octaveScale: number;
  /** What the features came from, e.g. "ImageNet VGG19 weights from ..." or "RANDOM features ...". */
  features: string;
  randomFeatures: boolean;
  seconds: number;
}

function positive(name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || x <= 0) throw new nb.InvalidArgumentError(`deepdream: ${name} must be a positive number, got ${String(v)}.`);
  return x;
}

function count(name: string, v: number | undefined, fallback: number, min: number): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < min) throw new nb.InvalidArgumentError(`deepdream: ${name} must be an integer >= ${min}, got ${String(v)}.`);
  return x;
}

function toImage(x: string | nb.Tensor): nb.Tensor {
  const img = typeof x === 'string' ? nb.data.image.readImage(x, { channels: 3 }) : x;
  if (!(img instanceof nb.Tensor) || img.rank !== 3 || img.shape[2] !== 3) {
    const got = img instanceof nb.Tensor ? `shape [${img.shape.join(', ')}]` : typeof img;
    throw new nb.ShapeError(`deepdream: expected an RGB image [height, width, 3] of 0..255 values, got ${got}; read files with nb.data.image.readImage(path, {channels: 3}).`);
  }
  return img;
}

/** Rolls a batch [1, h, w, c] by dy rows and dx columns (wrapping around). */
function roll(x: nb.Tensor, dy: number, dx: number): nb.Tensor {
  const [, h, w] = x.shape as number[];
  let y = x;
  const sy = ((dy % h!) + h!) % h!;
  const sx = ((dx % w!) + w!) % w!;
  if (sy !== 0) y = nb.concat([nb.slice(y, [0, h! - sy, 0, 0], [-1, sy, -1, -1]), nb.slice(y, [0, 0, 0, 0], [-1, h! - sy, -1, -1])], 1);
  if (sx !== 0) y = nb.concat([nb.slice(y, [0, 0, w! - sx, 0], [-1, -1, sx, -1]), nb.slice(y, [0, 0, 0, 0], [-1, -1, w! - sx, -1])], 2);
  return y;
}

/**
 * Dreams on an image: for each octave (smallest first) it resizes the accumulated detail to the
 * octave's size, adds it to the image at that size, and takes `steps` gradient-ascent steps on
 * the pixels that raise `sum weight x mean(activation^2)` over the chosen VGG19 layers. Each step
 * is normalised (divided by the mean absolute gradient), taken on a randomly rolled copy
 * (jitter), and clipped to valid pixels (0..255 before the caffe preprocessing). Meaningful dreams
 * need the ImageNet VGG19 weights; `weights: 'random'` runs the same ascent on seeded random
 * features, reported as such.
 *
 * @example
 * ```ts
 * const r = await deepDream({image: 'chelsea.png', layers: 'block4_conv3,block5_conv1:0.5', octaves: 3, steps: 20});
 * nb.data.image.writeImage('dream.png', r.image);
 * console.log(r.activationBefore, '->', r.activationAfter);
 * ```
 */
export async function deepDream(options: DeepDreamOptions): Promise<DeepDreamResult> {
  const layers = parseDreamLayers(options.layers ?? DEFAULT_DREAM_LAYERS);
  const steps = count('steps', options.steps, 20, 1);
  const octaves = count('octaves', options.octaves, 3, 1);
  const jitter = count('jitter', options.jitter, 8, 0);
  const stepSize = positive('stepSize', options.stepSize, 1.5);
  const octaveScale = options.octaveScale ?? 1.4;
  const seed = count('seed', options.seed, 42, 0);
  const img = toImage(options.image);
  const work = dreamWorkingSize(img.shape[0]!, img.shape[1]!, options.size ?? 256);
  const sizes = octaveSizes(work, octaves, octaveScale);
  const source = await loadFeatureNetwork(options.weights ?? 'imagenet', seed, layers.map((l) => l.name), 'deepdream');
  const net = source.extractor;

  const objective = (x: nb.Tensor): nb.Tensor => {
    const outs = net.apply(x) as unknown as nb.Tensor[] | nb.Tensor;
    const list = Array.isArray(outs) ? outs : [outs];
    let total = nb.scalar(0);
    list.forEach((a, i) => {
      total = nb.add(total, nb.mul(nb.mean(nb.square(a)), layers[i]!.weight));
    });
    return total;
  };
  const measure = (x: nb.Tensor) => nb.withoutRecording(() => objective(x).item() as number);
  const gradient = (x: nb.Tensor): nb.Tensor => {
    const tape = new nb.GradientTape({ watchAccessedVariables: false });
    tape.watch(x);
    const value = tape.record(() => objective(x));
    return tape.gradient(value, x) as nb.Tensor;
  };

  // Valid pixels after caffe preprocessing (BGR minus the ImageNet mean): 0 - mean .. 255 - mean.
  const zero = nb.keras.applications.preprocessInput(nb.zeros([1, 1, 1, 3]));
  const full = nb.keras.applications.preprocessInput(nb.fill([1, 1, 1, 3], 255));
  const clip = (x: nb.Tensor) => nb.minimum(nb.maximum(x, zero), full);

  const original = nb.keras.applications.preprocessInput(nb.expandDims(nb.cast(img, 'float32'), 0));
  const shifts = seededUniform(2 * steps * octaves, jitter + 0.5, seed + 104729);
  const t0 = performance.now();
  const logs: OctaveLog[] = [];
  let detail: nb.Tensor | null = null;
  let x = original;
  sizes.forEach((size, o) => {
    const tOctave = performance.now();
    const base = nb.data.image.resizeImage(original, size);
    x = detail === null ? base : clip(nb.add(base, nb.data.image.resizeImage(detail, size)));
    const before = measure(x);
    for (let s = 0; s < steps; s++) {
      const k = 2 * (o * steps + s);
      const dy = jitter === 0 ? 0 : Math.round(shifts[k]!);
      const dx = jitter === 0 ? 0 : Math.round(shifts[k + 1]!);
      const g = roll(gradient(roll(x, dy, dx)), -dy, -dx);
      const scale = stepSize / ((nb.mean(nb.abs(g)).item() as number) + 1e-8);
      x = clip(nb.add(x, nb.mul(g, scale)));
    }
    detail = nb.sub(x, base);
    const log: OctaveLog = { octave: o + 1, octaves, size, before, after: measure(x), seconds: (performance.now() - tOctave) / 1000 };
    logs.push(log);
    options.onOctave?.(log);
  });

  const rgb = nb.squeeze(nb.keras.applications.deprocess(x), [0]);
  return {
    image: nb.cast(nb.round(rgb), 'int32'),
    workSize: work,
    layers,
    octaves: logs,
    activationBefore: measure(nb.data.image.resizeImage(original, work)),
    activationAfter: logs.at(-1)!.after,
    steps,
    stepSize,
    octaveScale,
    features: source.description,
    randomFeatures: source.random,
    seconds: (performance.now() - t0) / 1000,
  };
}
