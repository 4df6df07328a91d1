// The VGG19 feature extractor of style transfer: ImageNet weights from a Keras file, or seeded
// random weights when asked for explicitly.
import * as nb from '../../index.js';

export interface FeatureSource {
  /** Maps a preprocessed image batch to the requested layers' feature maps, in order. */
  extractor: nb.keras.Functional;
  /** Human-readable origin of the weights, printed with the results. */
  description: string;
  random: boolean;
  /** The weight file, when one was loaded. */
  weightsFile: string | null;
}

/**
 * `n` uniform values in [-limit, limit) from a small seeded generator (mulberry32): the same
 * numbers on every backend and in every process, whatever nabla's global seed is.
 */
export function seededUniform(n: number, limit: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 * limit - limit;
  }
  return out;
}

/**
 * Gives VGG19's kernels seeded He-uniform values (fan-in scaling keeps activations of the 16 ReLU
 * layers at a steady magnitude) and zero biases: a deterministic random feature network.
 */
export function randomizeVGG(model: nb.keras.Model, seed: number): void {
  model.setWeights(
    model.weights.map((w, i) => {
      if (w.shape.length !== 4) return nb.zeros([...w.shape]);
      const fanIn = w.shape[0]! * w.shape[1]! * w.shape[2]!;
      return nb.tensor(seededUniform(w.size, Math.sqrt(6 / fanIn), seed * 1000 + i), [...w.shape]);
    }),
  );
}

/**
 * VGG19 (no top, any image size) with `layers` as outputs. `weights`: `'imagenet'` (the Keras
 * file, found on disk), a path to a Keras .h5 file, or `'random'` (seeded random features).
 * `where` names the caller in a missing-weights error (default 'style transfer').
 */
export async function loadFeatureNetwork(weights: string, seed: number, layers: readonly string[], where = 'style transfer'): Promise<FeatureSource> {
  const A = nb.keras.applications;
  const random = weights === 'random';
  const file = random ? null : A.findWeightsFile('vgg19', false, weights, where);
  const vgg = await A.VGG19({ includeTop: false, weights: file, inputShape: [null, null, 3] });
  if (random) randomizeVGG(vgg, seed);
  vgg.trainable = false;
  const outputs = layers.map((name) => vgg.getLayer(name).inboundNodes[0]!.outputs[0]!);
  const extractor = nb.keras.model({ inputs: vgg.inputs, outputs, name: 'vgg19_features' });
  const description = random ? `RANDOM features: seeded random VGG19 weights (seed ${seed}), not ImageNet` : `ImageNet VGG19 weights from ${file}`;
  return { extractor, description, random, weightsFile: file };
}
