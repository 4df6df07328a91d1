// Reference kernels of training-mode batch normalisation over rows of [M, C] (channels last),
// statistics accumulated in float64.
import type { NNKernels } from '../kernels.js';

export const batchNormKernels: Pick<NNKernels, 'batchNormTrain' | 'batchNormTrainGrad'> = {
  batchNormTrain(x, gamma, beta, epsilon, y, mean, variance, invStd) {
    const C = mean.values.length;
    const M = C === 0 ? 0 : x.values.length / C;
    const xv = x.values;
    const sum = new Float64Array(C);
    for (let i = 0; i < xv.length; i++) sum[i % C]! += xv[i]!;
    for (let c = 0; c < C; c++) mean.values[c] = M > 0 ? sum[c]! / M : 0;
    const sq = new Float64Array(C);
    for (let i = 0; i < xv.length; i++) {
      const d = xv[i]! - mean.values[i % C]!;
      sq[i % C]! += d * d;
    }
    for (let c = 0; c < C; c++) {
      variance.values[c] = M > 0 ? sq[c]! / M : 0;
      invStd.values[c] = 1 / Math.sqrt(variance.values[c]! + epsilon);
    }
    for (let i = 0; i < xv.length; i++) {
      const c = i % C;
      const g = gamma ? gamma.values[c]! : 1;
      const b = beta ? beta.values[c]! : 0;
      y.values[i] = (xv[i]! - mean.values[c]!) * invStd.values[c]! * g + b;
    }
  },
  batchNormTrainGrad(x, dy, mean, invStd, gamma, dx, dgamma, dbeta) {
    const C = mean.values.length;
    const M = C === 0 ? 0 : x.values.length / C;
    const sumDy = new Float64Array(C);
    const sumDyXhat = new Float64Array(C);
    for (let i = 0; i < x.values.length; i++) {
      const c = i % C;
      const xhat = (x.values[i]! - mean.values[c]!) * invStd.values[c]!;
      sumDy[c]! += dy.values[i]!;
      sumDyXhat[c]! += dy.values[i]! * xhat;
    }
    for (let c = 0; c < C; c++) {
      dbeta.values[c] = sumDy[c]!;
      dgamma.values[c] = sumDyXhat[c]!;
    }
    for (let i = 0; i < x.values.length; i++) {
      const c = i % C;
      const xhat = (x.values[i]! - mean.values[c]!) * invStd.values[c]!;
      const g = gamma ? gamma.values[c]! : 1;
      dx.values[i] = g * invStd.values[c]! * (dy.values[i]! - sumDy[c]! / M - (xhat * sumDyXhat[c]!) / M);
    }
  },
};
