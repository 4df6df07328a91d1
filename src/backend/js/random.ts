// Reference random fills (RandomKernels in ../kernels.ts): a fresh PhiloxStream per call.
import { PhiloxStream } from '../../core/random.js';
import type { RandomKernels } from '../kernels.js';

export const randomKernels: RandomKernels = {
  philoxUniform(out, k0, k1, minval, width, top) {
    const stream = new PhiloxStream(k0, k1);
    for (let i = 0; i < out.length; i++) {
      const v = Math.fround(minval + stream.nextFloat() * width);
      out[i] = v > top ? top : v;
    }
  },
  philoxKeepMask(out, k0, k1, rate, kept) {
    const stream = new PhiloxStream(k0, k1);
    for (let i = 0; i < out.length; i++) out[i] = stream.nextFloat() >= rate ? kept : 0;
  },
};
