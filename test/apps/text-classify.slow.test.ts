// The default text-classify run as a learning check (NABLA_TEST_TAGS=slow): ~10 s of training per
// seed with the native backend on 2 cores, longer on js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { trainTextClassify } from '../../src/apps/text-classify/train.js';
import { sharedData } from '../util/shared-data.js';

let fortunes: string | null = null;
try {
  fortunes = sharedData('text', 'fortunes');
  if (!existsSync(fortunes)) fortunes = null;
} catch {
  fortunes = null;
}
const skip = fortunes === null ? 'shared data text/fortunes not found (set NABLA_SHARED_DATA to the shared data folder)' : false;

test('default settings (5 epochs, 64 tokens, GRU 16) beat the majority baseline by >= 0.2 on two seeds', { skip }, async (t) => {
  // Measured on food/love/sports (99 test entries, baseline 0.374): seed 42 -> 0.697, seed 7 -> 0.646.
  for (const seed of [42, 7]) {
    const r = await trainTextClassify({ dataPath: fortunes!, seed, outDir: null, verbose: 0, log: () => {} });
    t.diagnostic(`seed ${seed}: test accuracy ${r.accuracy.toFixed(3)}, baseline ${r.baseline.toFixed(3)}, fit ${r.trainSeconds.toFixed(1)} s`);
    assert.ok(r.accuracy >= r.baseline + 0.2, `seed ${seed}: accuracy ${r.accuracy.toFixed(3)} should be >= baseline ${r.baseline.toFixed(3)} + 0.2`);
  }
});
