import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as nb from '../../index.js';
import { readImage, resizeImage, toGrayscale } from '../../data/image/index.js';
import type { ModelMeta } from './train.js';

export type InvertMode = 'auto' | 'yes' | 'no';

export interface Prediction {
  image: string;
  /** Index of the most likely class. */
  class: number;
  /** Its name (from meta.json beside the model; the index when there is none). */
  label: string;
  probability: number;
  /** Whether the image was inverted to light-on-dark before classifying. */
  inverted: boolean;
  /** The `top` most likely classes, most likely first. */
  top: { class: number; label: string; probability: number }[];
}

export interface Classifier {
  model: nb.keras.Model;
  classNames: string[];
  /** [h, w] of the model's input images. */
  size: [number, number];
  /** 1 (grayscale, 'nabla train mnist') or 3 (RGB, 'nabla train cats-vs-dogs'). */
  channels: 1 | 3;
  /** A single sigmoid output: P(classNames[1]). */
  binary: boolean;
}

/**
 * Loads a model saved by `nabla train mnist` (grayscale, softmax) or `nabla train cats-vs-dogs`
 * (RGB, one sigmoid output), with the class names of meta.json beside it.
 *
 * @example
 * ```ts
 * const classifier = loadClassifier('runs/pets/model.nabla');
 * predictFiles(classifier, ['my-cat.jpg'])[0].label;   // 'cat'
 * ```
 */
export function loadClassifier(modelPath: string): Classifier {
  const model = nb.keras.loadModel(modelPath);
  const shape = model.batchInputShape;
  if (!shape || shape.length !== 4 || (shape[3] !== 1 && shape[3] !== 3) || shape[1] === null || shape[2] === null) {
    throw new nb.InvalidArgumentError(
      `predict: ${modelPath} takes inputs of shape [${(shape ?? []).map((d) => d ?? 'None').join(', ')}]; expected a model of grayscale images [None, h, w, 1] such as 'nabla train mnist' saves, or of RGB images [None, h, w, 3] such as 'nabla train cats-vs-dogs' saves.`,
    );
  }
  const channels = shape[3] as 1 | 3;
  const metaPath = join(dirname(modelPath), 'meta.json');
  let classNames: string[] | null = null;
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Partial<ModelMeta>;
    if (Array.isArray(meta.classNames)) classNames = meta.classNames.map(String);
  }
  const outputs = (model.predictOnBatch(nb.zeros([1, shape[1]!, shape[2]!, channels])) as nb.Tensor).shape[1]!;
  const binary = outputs === 1;
  const classes = binary ? 2 : outputs;
  if (!classNames || classNames.length !== classes) classNames = Array.from({ length: classes }, (_, i) => String(i));
  return { model, classNames, size: [shape[1]!, shape[2]!], channels, binary };
}

/**
 * An image file as the model's input: grayscale, resized to the model's size, float32
 * [1, h, w, 1] intensities 0..255. MNIST-style models expect a light figure on a dark
 * background; 'auto' inverts images whose border is mostly light (dark ink on paper).
 * With `channels: 3`: RGB [1, h, w, 3], resized exactly as `imageDatasetFromDirectory` resized
 * the training images (bilinear), inverted only with 'yes'.
 */
export function prepareImage(path: string, size: [number, number], invert: InvertMode = 'auto', channels: 1 | 3 = 1): { input: nb.Tensor; inverted: boolean } {
  if (channels === 3) {
    const rgb = nb.expandDims(nb.cast(readImage(path, { channels: 3 }), 'float32'), 0);
    const resized = nb.clipByValue(resizeImage(rgb, size), 0, 255);
    return invert === 'yes' ? { input: nb.sub(255, resized), inverted: true } : { input: resized, inverted: false };
  }
  let gray = nb.expandDims(nb.cast(toGrayscale(readImage(path)), 'float32'), 0); // [1, h, w, 1]
  // Bilinear resizing does not antialias: shrink a large picture by block averaging first.
  const k = Math.floor(Math.min(gray.shape[1]! / size[0], gray.shape[2]! / size[1]));
  if (k >= 2) gray = nb.avgPool(gray, [k, k], [k, k], 'valid');
  const resized = nb.reshape(nb.clipByValue(resizeImage(gray, size), 0, 255), [size[0], size[1]]);
  let inverted = invert === 'yes';
  if (invert === 'auto') {
    const [h, w] = size;
    const px = resized.dataSync();
    let sum = 0;
    let count = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (y === 0 || x === 0 || y === h - 1 || x === w - 1) {
          sum += px[y * w + x]!;
          count++;
        }
      }
    }
    inverted = sum / count > 127.5;
  }
  const values = inverted ? nb.sub(255, resized) : resized;
  return { input: nb.reshape(values, [1, size[0], size[1], 1]), inverted };
}

/** Classifies each image file with the model. */
export function predictFiles(classifier: Classifier, paths: string[], options: { invert?: InvertMode; top?: number } = {}): Prediction[] {
  const top = Math.min(options.top ?? 3, classifier.classNames.length);
  return paths.map((image) => {
    const { input, inverted } = prepareImage(image, classifier.size, options.invert ?? 'auto', classifier.channels);
    const out = Array.from((classifier.model.predictOnBatch(input) as nb.Tensor).dataSync());
    const probs = classifier.binary ? [1 - out[0]!, out[0]!] : out;
    const ranked = probs.map((p, i) => ({ class: i, label: classifier.classNames[i]!, probability: p })).sort((a, b) => b.probability - a.probability);
    const best = ranked[0]!;
    return { image, class: best.class, label: best.label, probability: best.probability, inverted, top: ranked.slice(0, top) };
  });
}
