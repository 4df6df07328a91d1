export { GradientTape, type GradientTapeOptions, type GradientOptions, type Sources, type GradientsOf } from './tape.js';
