// Neural style transfer (Gatys et al. 2015) as the Keras example does it: VGG19 features, content
// at block5_conv2, style Grams at block{1..5}_conv1, total variation; gradient descent on the pixels.
import * as nb from '../../index.js';
import { Lbfgs } from './lbfgs.js';
import { contentLoss, gramMatrix, styleLayerLoss, totalVariationLoss } from './losses.js';
import { loadFeatureNetwork, seededUniform, type FeatureSource } from './features.js';

export const CONTENT_LAYER = 'block5_conv2';
export const STYLE_LAYERS = ['block1_conv1', 'block2_conv1', 'block3_conv1', 'block4_conv1', 'block5_conv1'] as const;

/** Options of `styleTransfer`. Images are file paths or int32/float32 tensors [h, w, 3] of 0..255 RGB. */
export interface StyleTransferOptions {
  content: string | nb.Tensor;
  style: string | nb.Tensor;
  /** Longer side of the working image in pixels (aspect kept; default 384, at least 32). */
  size?: number;
  /** Optimisation steps (Adam updates or L-BFGS iterations; default 300 for Adam, 100 for L-BFGS). */
  steps?: number;
  /** Weight of the content loss (default 1). */
  contentWeight?: number;
  /** Weight of the style loss (default 0.05). */
  styleWeight?: number;
  /** Weight of the total-variation loss (default 1). */
  tvWeight?: number;
  /** 'adam' (default) or 'lbfgs'. */
  optimizer?: 'adam' | 'lbfgs';
  /** Adam step size in pixel units of the 0..255 scale (default 5). */
  learningRate?: number;
  /**
   * The VGG19 weights: `'imagenet'` (default: the Keras notop file found on disk), a path to a
   * Keras .h5 file, or `'random'` for seeded random features (texture transfer with a random
   * network; never chosen implicitly).
   */
  weights?: 'imagenet' | 'random' | (string & {});
  /** Seed of the random features (default 42). */
  seed?: number;
  /** Start from the content image (default) or from noise around it. */
  init?: 'content' | 'noise';
  /** Size of the returned image: the content image's (default) or the working size. */
  outputSize?: 'content' | 'work';
  /** Called after every step with the losses. */
  onStep?: (log: StepLog) => void;
  /** Every this many steps (and after the last), `onImage` receives the current image. */
  saveEvery?: number;
  onImage?: (step: number, image: nb.Tensor) => void;
}

/** The losses after one step (weighted, as they enter the total). */
export interface StepLog {
  step: number;
  steps: number;
  total: number;
  content: number;
  style: number;
  tv: number;
  seconds: number;
}

export interface StyleTransferResult {
  /** The stylised image, int32 [h, w, 3] RGB 0..255. */
  image: nb.Tensor;
  /** Losses before the first step (step 0) and after each step. */
  history: StepLog[];
  workSize: [number, number];
  outputSize: [number, number];
  /** What the features came from, e.g. "imagenet weights (/path/file.h5)" or "RANDOM features (seed 42)". */
  features: string;
  randomFeatures: boolean;
  optimizer: 'adam' | 'lbfgs';
  secondsPerStep: number;
  weights: { content: number; style: number; tv: number };
}

function toImage(where: string, x: string | nb.Tensor): nb.Tensor {
  const img = typeof x === 'string' ? nb.data.image.readImage(x, { channels: 3 }) : x;
  if (img.rank !== 3 || img.shape[2] !== 3) throw new nb.ShapeError(`${where}: expected an RGB image [height, width, 3], got shape [${img.shape.join(', ')}].`);
  return img;
}

/** [height, width] with the longer side `size`, aspect kept. */
export function workingSize(height: number, width: number, size: number): [number, number] {
  const scale = size / Math.max(height, width);
  const h = Math.round(height * scale);
  const w = Math.round(width * scale);
  if (Math.min(h, w) < 32) {
    throw new nb.InvalidArgumentError(`styleTransfer: at size ${size} the image would be ${h}x${w}; VGG19 needs at least 32 pixels per side, so use a larger size.`);
  }
  return [h, w];
}

function prepared(img: nb.Tensor, size: [number, number]): nb.Tensor {
  const resized = nb.data.image.resizeImage(nb.cast(img, 'float32'), size);
  return nb.keras.applications.preprocessInput(nb.expandDims(resized, 0));
}

/** An RGB int32 image [h, w, 3] from the optimised BGR-centred batch [1, h, w, 3]. */
function toRgb(x: nb.Tensor, size: [number, number] | null): nb.Tensor {
  let rgb = nb.squeeze(nb.keras.applications.deprocess(x), [0]);
  if (size && (size[0] !== rgb.shape[0] || size[1] !== rgb.shape[1])) rgb = nb.clipByValue(nb.data.image.resizeImage(rgb, size), 0, 255);
  return nb.cast(nb.round(rgb), 'int32');
}

function positive(name: string, v: number | undefined, fallback: number, allowZero = true): number {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) throw new nb.InvalidArgumentError(`styleTransfer: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(v)}.`);
  return x;
}

/**
 * Paints `content` in the style of `style`: minimises `contentWeight·content + styleWeight·style +
 * tvWeight·tv` over the pixels of an image initialised from the content, with Adam or L-BFGS.
 * Content: mean squared difference of block5_conv2 features; style: Gatys's Gram loss averaged
 * over block1_conv1 ... block5_conv1 (normalised Grams, see `gramMatrix`); tv: total variation.
 * Meaningful pictures need the real ImageNet VGG19 weights; `weights: 'random'` runs the same
 * optimisation on seeded random features (a texture-transfer variant), reported as such.
 *
 * @example
 * ```ts
 * const result = await styleTransfer({content: 'chelsea.png', style: 'brick.png', size: 256, steps: 200});
 * nb.data.image.writeImage('out.png', result.image);
 * ```
 */
export async function styleTransfer(options: StyleTransferOptions): Promise<StyleTransferResult> {
  const optimizer = options.optimizer ?? 'adam';
  if (optimizer !== 'adam' && optimizer !== 'lbfgs') throw new nb.InvalidArgumentError(`styleTransfer: optimizer must be 'adam' or 'lbfgs', got ${JSON.stringify(optimizer)}.`);
  const steps = options.steps ?? (optimizer === 'adam' ? 300 : 100);
  if (!Number.isInteger(steps) || steps < 1) throw new nb.InvalidArgumentError(`styleTransfer: steps must be a positive integer, got ${String(options.steps)}.`);
  const size = options.size ?? 384;
  if (!Number.isInteger(size) || size < 32) throw new nb.InvalidArgumentError(`styleTransfer: size must be an integer >= 32, got ${String(options.size)}.`);
  const weights = { content: positive('contentWeight', options.contentWeight, 1), style: positive('styleWeight', options.styleWeight, 0.05), tv: positive('tvWeight', options.tvWeight, 1) };
  const lr = positive('learningRate', options.learningRate, 5, false);
  const saveEvery = options.saveEvery ?? 0;

  const content = toImage('styleTransfer: content', options.content);
  const style = toImage('styleTransfer: style', options.style);
  const work = workingSize(content.shape[0]!, content.shape[1]!, size);
  const styleWork = workingSize(style.shape[0]!, style.shape[1]!, size);
  const source: FeatureSource = await loadFeatureNetwork(options.weights ?? 'imagenet', options.seed ?? 42, [CONTENT_LAYER, ...STYLE_LAYERS]);
  const net = source.extractor;

  const features = (x: nb.Tensor) => net.apply(x) as unknown as nb.Tensor[];
  const contentX = prepared(content, work);
  const [contentTarget, styleTargets] = nb.withoutRecording(() => {
    const c = features(contentX)[0]!;
    const s = features(prepared(style, styleWork)).slice(1).map(gramMatrix);
    return [c, s] as const;
  });

  let start = contentX;
  if (options.init === 'noise') start = nb.add(contentX, nb.tensor(seededUniform(contentX.size, 20, (options.seed ?? 42) + 7919), [...contentX.shape]));
  const image = new nb.Variable(start, { name: 'style_transfer/image' });

  const lossParts = (x: nb.Tensor) => {
    const outs = features(x);
    const c = nb.mul(contentLoss(outs[0]!, contentTarget), weights.content);
    let s = nb.scalar(0);
    outs.slice(1).forEach((f, i) => {
      s = nb.add(s, styleLayerLoss(gramMatrix(f), styleTargets[i]!));
    });
    s = nb.mul(s, weights.style / STYLE_LAYERS.length);
    const tv = nb.mul(totalVariationLoss(x), weights.tv);
    return { c, s, tv, total: nb.add(nb.add(c, s), tv) };
  };
  // One loss-and-gradient evaluation, traced once into a graph (as tf.function would): later
  // calls run the plan, which reuses its intermediate buffers and fuses element-wise chains.
  const lossAndGradient = nb.function(() => {
    const tape = new nb.GradientTape({ watchAccessedVariables: false });
    tape.watch(image);
    const parts = tape.record(() => lossParts(image));
    const grad = tape.gradient(parts.total, image) as nb.Tensor;
    return [parts.total, parts.c, parts.s, parts.tv, grad] as const;
  });
  const evaluate = () => {
    const [total, c, s, tv, grad] = lossAndGradient();
    const log = { total: total.item() as number, content: c.item() as number, style: s.item() as number, tv: tv.item() as number };
    return { log, grad };
  };

  const history: StepLog[] = [];
  const t0 = performance.now();
  const record = (step: number, log: { total: number; content: number; style: number; tv: number }) => {
    const entry: StepLog = { step, steps, ...log, seconds: (performance.now() - t0) / 1000 };
    history.push(entry);
    if (step > 0) options.onStep?.(entry);
    if (step > 0 && options.onImage && saveEvery > 0 && (step % saveEvery === 0 || step === steps)) options.onImage(step, toRgb(image, null));
  };

  const partsNow = () =>
    nb.withoutRecording(() => {
      const p = lossParts(image);
      return { total: p.total.item() as number, content: p.c.item() as number, style: p.s.item() as number, tv: p.tv.item() as number };
    });
  if (optimizer === 'adam') {
    const adam = new nb.keras.optimizers.Adam({ learningRate: lr });
    let current = evaluate();
    record(0, current.log);
    for (let step = 1; step <= steps; step++) {
      adam.applyGradients([[current.grad, image]]);
      // The gradient at the new point serves the next update; the last step needs only the loss.
      if (step < steps) {
        current = evaluate();
        record(step, current.log);
      } else {
        record(step, partsNow());
      }
    }
  } else {
    let last = { total: 0, content: 0, style: 0, tv: 0 };
    let lastX: Float64Array | null = null;
    const f = (x: Float64Array) => {
      image.replaceValues(Float32Array.from(x));
      const { log, grad } = evaluate();
      last = log;
      lastX = x;
      return { loss: log.total, grad: Float64Array.from(grad.values as Float32Array) };
    };
    const lbfgs = new Lbfgs(f, Float64Array.from(image.values as Float32Array));
    record(0, last);
    for (let step = 1; step <= steps; step++) {
      const state = lbfgs.step();
      image.replaceValues(Float32Array.from(state.x));
      record(step, state.x === lastX ? last : partsNow());
    }
  }
  const out = options.outputSize === 'work' ? work : ([content.shape[0]!, content.shape[1]!] as [number, number]);
  const seconds = (performance.now() - t0) / 1000;
  return {
    image: toRgb(image, out),
    history,
    workSize: work,
    outputSize: out,
    features: source.description,
    randomFeatures: source.random,
    optimizer,
    secondsPerStep: seconds / steps,
    weights,
  };
}
