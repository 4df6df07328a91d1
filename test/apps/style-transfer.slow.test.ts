// The learning check at 128 px (NABLA_TEST_TAGS=slow): a short random-feature run lowers
// the total loss by a stated factor and moves the output's Gram matrices towards the style's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { gramMatrix, loadFeatureNetwork, STYLE_LAYERS, styleTransfer, workingSize } from '../../src/apps/style-transfer/index.js';
import { sharedData } from '../util/shared-data.js';

const content = nb.data.image.readImage(sharedData('images', 'chelsea.png'), { channels: 3 });
const style = nb.data.image.readImage(sharedData('images', 'gravel.png'), { channels: 3 });

async function gramDistances(image: nb.Tensor, seed: number): Promise<number[]> {
  const { extractor } = await loadFeatureNetwork('random', seed, STYLE_LAYERS);
  const grams = (img: nb.Tensor, size: [number, number]) => {
    const x = nb.keras.applications.preprocessInput(nb.expandDims(nb.data.image.resizeImage(nb.cast(img, 'float32'), size), 0));
    return (extractor.predict(x) as nb.Tensor[]).map(gramMatrix);
  };
  const target = grams(style, workingSize(512, 512, 128));
  const g = grams(image, [image.shape[0]!, image.shape[1]!]);
  return g.map((gi, i) => Math.sqrt(nb.sum(nb.square(nb.sub(gi, target[i]!))).item() as number));
}

for (const optimizer of ['adam', 'lbfgs'] as const) {
  test(`random-feature style transfer at 128 px (${optimizer}): loss falls 3x, Gram distance to the style falls`, async () => {
    const seed = 3;
    const r = await styleTransfer({ content, style, size: 128, steps: optimizer === 'adam' ? 30 : 10, weights: 'random', seed, optimizer, outputSize: 'work' });
    const [first, last] = [r.history[0]!, r.history.at(-1)!];
    assert.ok(last.total < first.total / 3, `total ${first.total} -> ${last.total}`);
    const before = await gramDistances(nb.data.image.resizeImage(nb.cast(content, 'float32'), r.workSize), seed);
    const after = await gramDistances(r.image, seed);
    const ratio = after.reduce((a, b) => a + b, 0) / before.reduce((a, b) => a + b, 0);
    assert.ok(ratio < 0.9, `relative Gram distance ${ratio.toFixed(3)} (per layer before ${before.map((x) => x.toExponential(2))}, after ${after.map((x) => x.toExponential(2))})`);
  });
}
