import { test } from 'node:test';
import * as nb from '../../src/index.js';
import { checkLayer } from './layer-check.js';

const { Dense, dense } = nb.keras.layers;

test('Dense: output shape, gradients, config round-trip (2-D and 3-D inputs)', () => {
  checkLayer(() => dense({ units: 4, activation: 'tanh' }), Dense, { inputShapes: [[3, 5]], expectedShape: [3, 4] });
  checkLayer(() => dense({ units: 2, useBias: false }), Dense, { inputShapes: [[2, 3, 5]], expectedShape: [2, 3, 2] });
});
