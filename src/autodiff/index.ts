export { withoutRecording } from '../ops/engine.js';
export { GradientTape, type GradientTapeOptions, type GradientOptions, type Sources, type GradientsOf } from './tape.js';
export { grad, grads, valueAndGrad, valueAndGrads, customGradient, type CustomGradientResult } from './functional.js';
