import * as nb from '../../index.js';
import { loadIris, type IrisData } from './data.js';

export interface IrisTrainOptions {
  epochs?: number;
  learningRate?: number;
  hiddenUnits?: number;
  seed?: number;
  data?: IrisData;
  /** Called with a progress line every `logEvery` epochs. */
  onLog?: (line: string) => void;
  logEvery?: number;
  /** Where the loss (each epoch) and accuracy (every `logEvery` epochs) are written for the dashboard. */
  summary?: nb.summary.SummaryWriter | null;
}

export interface IrisTrainResult {
  trainAccuracy: number;
  finalLoss: number;
  epochs: number;
  trainSeconds: number;
  samplesPerSecond: number;
  backend: string;
  dataset: string;
}

/** Glorot-uniform initial weights for a [fanIn, fanOut] matrix. */
function glorot(fanIn: number, fanOut: number, name: string): nb.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return nb.variable(nb.randomUniform([fanIn, fanOut], -limit, limit), { name });
}

/**
 * Trains a 2-layer MLP (4 → hidden ReLU → 3) on iris with a GradientTape and plain full-batch
 * gradient descent — the foundation's end-to-end check that tensors, ops and autodiff learn.
 */
export function trainIris(options: IrisTrainOptions = {}): IrisTrainResult {
  const epochs = options.epochs ?? 300;
  const lr = options.learningRate ?? 0.1;
  const hidden = options.hiddenUnits ?? 16;
  nb.setSeed(options.seed ?? 42);
  const data = options.data ?? loadIris();
  const { x, y } = data;
  const numClasses = data.classNames.length;
  const w1 = glorot(x.shape[1]!, hidden, 'iris/w1');
  const b1 = nb.variable(nb.zeros([hidden]), { name: 'iris/b1' });
  const w2 = glorot(hidden, numClasses, 'iris/w2');
  const b2 = nb.variable(nb.zeros([numClasses]), { name: 'iris/b2' });
  const params = [w1, b1, w2, b2];
  const logits = (): nb.Tensor => nb.add(nb.matMul(nb.relu(nb.add(nb.matMul(x, w1), b1)), w2), b2);

  const start = performance.now();
  let loss = NaN;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const tape = new nb.GradientTape();
    const lossT = tape.record(() => nb.mean(nb.sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits: logits() })));
    const grads = tape.gradient(lossT, params);
    params.forEach((p, i) => p.assignSub(nb.mul(grads[i]!, lr)));
    loss = lossT.item();
    options.summary?.scalar('loss', loss, epoch);
    if ((options.onLog || options.summary) && (epoch % (options.logEvery ?? 50) === 0 || epoch === epochs)) {
      const acc = accuracy(logits(), y);
      options.summary?.scalar('accuracy', acc, epoch);
      options.onLog?.(`epoch ${epoch}/${epochs} - loss: ${loss.toFixed(4)} - accuracy: ${acc.toFixed(4)}`);
    }
  }
  const trainSeconds = (performance.now() - start) / 1000;
  return {
    trainAccuracy: accuracy(logits(), y),
    finalLoss: loss,
    epochs,
    trainSeconds,
    samplesPerSecond: (epochs * x.shape[0]!) / trainSeconds,
    backend: nb.getBackend(),
    dataset: data.path,
  };
}

function accuracy(logits: nb.Tensor, labels: nb.Tensor): number {
  return nb.mean(nb.cast(nb.equal(nb.argMax(logits, 1), labels), 'float32')).item();
}
