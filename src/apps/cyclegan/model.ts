// CycleGAN (Zhu et al., 2017) sized for 28x28 images: two ResNet-style generators with
// InstanceNormalization, two PatchGAN discriminators, the least-squares (LSGAN) adversarial loss,
// cycle consistency (lambda 10) and identity loss, and a pool of past fakes for the discriminators.
import * as nb from '../../index.js';

const L = nb.keras.layers;

export interface CycleGanOptions {
  /** Base filters f (default 32): generator f, 2f; discriminator f, 2f. */
  filters?: number;
  /** Residual blocks at 14x14 in each generator (default 3). */
  resBlocks?: number;
  /** Image channels (default 1). */
  channels?: number;
  /** Weight of the cycle-consistency loss (default 10). */
  lambdaCycle?: number;
  /** Weight of the identity loss relative to lambdaCycle (default 0.5; trainCycleGan uses 0.1 between dataset classes). */
  lambdaIdentity?: number;
  /** Adam learning rate (default 2e-4, beta1 0.5). */
  learningRate?: number;
  /** Size of each image pool (default 50). */
  poolSize?: number;
}

const convIn = (x: nb.keras.SymbolicTensor, filters: number, kernelSize: number, strides: number): nb.keras.SymbolicTensor =>
  L.instanceNormalization().apply(L.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x) as nb.keras.SymbolicTensor) as nb.keras.SymbolicTensor;
const relu = (x: nb.keras.SymbolicTensor): nb.keras.SymbolicTensor => L.activation({ activation: 'relu' }).apply(x) as nb.keras.SymbolicTensor;

/**
 * ResNet-style generator for [28, 28, c] images in [-1, 1]: conv 7x7 f, conv 3x3/2 2f (14x14),
 * residual blocks, transposed conv 3x3/2 f (28x28), conv 7x7 c tanh; InstanceNormalization and
 * ReLU after every inner convolution.
 */
export function buildCycleGenerator(name: string, options: CycleGanOptions = {}): nb.keras.Functional {
  const f = options.filters ?? 32;
  const c = options.channels ?? 1;
  const input = nb.keras.input({ shape: [28, 28, c] });
  let x = relu(convIn(input, f, 7, 1));
  x = relu(convIn(x, 2 * f, 3, 2));
  for (let i = 0; i < (options.resBlocks ?? 3); i++) {
    const y = convIn(relu(convIn(x, 2 * f, 3, 1)), 2 * f, 3, 1);
    x = L.add().apply([x, y]) as nb.keras.SymbolicTensor;
  }
  x = L.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x) as nb.keras.SymbolicTensor;
  x = relu(L.instanceNormalization().apply(x) as nb.keras.SymbolicTensor);
  const out = L.conv2d({ filters: c, kernelSize: 7, padding: 'same', activation: 'tanh' }).apply(x) as nb.keras.SymbolicTensor;
  return nb.keras.model({ inputs: input, outputs: out, name });
}

/** PatchGAN discriminator: conv 4x4/2 f LeakyReLU, conv 4x4/2 2f IN LeakyReLU, conv 4x4 2f IN LeakyReLU, conv 4x4 1 -> a 7x7 map of real/fake scores. */
export function buildPatchDiscriminator(name: string, options: CycleGanOptions = {}): nb.keras.Sequential {
  const f = options.filters ?? 32;
  return nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [28, 28, options.channels ?? 1] }),
      L.conv2d({ filters: f, kernelSize: 4, strides: 2, padding: 'same' }),
      L.leakyReLU({ alpha: 0.2 }),
      L.conv2d({ filters: 2 * f, kernelSize: 4, strides: 2, padding: 'same', useBias: false }),
      L.instanceNormalization(),
      L.leakyReLU({ alpha: 0.2 }),
      L.conv2d({ filters: 2 * f, kernelSize: 4, strides: 1, padding: 'same', useBias: false }),
      L.instanceNormalization(),
      L.leakyReLU({ alpha: 0.2 }),
      L.conv2d({ filters: 1, kernelSize: 4, strides: 1, padding: 'same' }),
    ],
    { name },
  );
}

/**
 * The image pool of Shrivastava et al. used by CycleGAN: until full it returns the new fakes and
 * stores them; then each new fake is, with probability 1/2, swapped for a stored older one.
 */
export class ImagePool {
  private readonly images: nb.Tensor[] = [];
  constructor(readonly size = 50) {}

  /** A batch of fakes for the discriminator, drawn from the new batch and the pool. */
  query(batch: nb.Tensor): nb.Tensor {
    if (this.size === 0) return batch;
    const n = batch.shape[0]!;
    const rest = batch.shape.slice(1);
    const out: nb.Tensor[] = [];
    const draws = nb.randomUniform([n * 2], 0, 1).dataSync();
    for (let i = 0; i < n; i++) {
      const img = nb.slice(batch, [i, ...rest.map(() => 0)], [1, ...rest]);
      if (this.images.length < this.size) {
        this.images.push(img);
        out.push(img);
      } else if (draws[2 * i]! < 0.5) {
        const j = Math.min(this.size - 1, Math.floor(draws[2 * i + 1]! * this.size));
        out.push(this.images[j]!);
        this.images[j] = img;
      } else {
        out.push(img);
      }
    }
    return nb.concat(out, 0);
  }

  get length(): number {
    return this.images.length;
  }
}

export interface CycleGan {
  /** A -> B. */
  gAB: nb.keras.Functional;
  /** B -> A. */
  gBA: nb.keras.Functional;
  /** Real/fake for domain A and for domain B. */
  dA: nb.keras.Sequential;
  dB: nb.keras.Sequential;
  gOptimizer: nb.keras.optimizers.Adam;
  dOptimizer: nb.keras.optimizers.Adam;
  poolA: ImagePool;
  poolB: ImagePool;
  lambdaCycle: number;
  lambdaIdentity: number;
}

export function buildCycleGan(options: CycleGanOptions = {}): CycleGan {
  const lr = options.learningRate ?? 2e-4;
  return {
    gAB: buildCycleGenerator('generator_ab', options),
    gBA: buildCycleGenerator('generator_ba', options),
    dA: buildPatchDiscriminator('discriminator_a', options),
    dB: buildPatchDiscriminator('discriminator_b', options),
    gOptimizer: new nb.keras.optimizers.Adam({ learningRate: lr, beta1: 0.5 }),
    dOptimizer: new nb.keras.optimizers.Adam({ learningRate: lr, beta1: 0.5 }),
    poolA: new ImagePool(options.poolSize ?? 50),
    poolB: new ImagePool(options.poolSize ?? 50),
    lambdaCycle: options.lambdaCycle ?? 10,
    lambdaIdentity: options.lambdaIdentity ?? 0.5,
  };
}

const mse = (x: nb.Tensor, target: number): nb.Tensor => nb.mean(nb.square(nb.sub(x, target)));
const mae = (a: nb.Tensor, b: nb.Tensor): nb.Tensor => nb.mean(nb.abs(nb.sub(a, b)));

export interface CycleGanStep {
  /** Adversarial (LSGAN) losses of the generators. */
  gAdv: number;
  /** Cycle-consistency L1 loss, both directions, unweighted. */
  cycle: number;
  /** Identity L1 loss, both directions, unweighted. */
  identity: number;
  /** Total generator loss. */
  gLoss: number;
  /** Discriminator losses (LSGAN, halved as in the paper). */
  dALoss: number;
  dBLoss: number;
}

/**
 * One CycleGAN step on unpaired batches `a` and `b` ([n, 28, 28, c] in [-1, 1]): the generators
 * minimise LSGAN + lambda * (cycle + lambdaIdentity * identity) under one GradientTape; then the
 * discriminators learn real against pooled fakes under another.
 */
export function cycleGanTrainStep(m: CycleGan, a: nb.Tensor, b: nb.Tensor): CycleGanStep {
  const gVars = [...m.gAB.trainableWeights, ...m.gBA.trainableWeights];
  const gTape = new nb.GradientTape({ watchAccessedVariables: false });
  gTape.watch(gVars);
  let fakeA: nb.Tensor | null = null;
  let fakeB: nb.Tensor | null = null;
  const g = gTape.record(() => {
    fakeB = m.gAB.apply(a, { training: true }) as nb.Tensor;
    fakeA = m.gBA.apply(b, { training: true }) as nb.Tensor;
    const cycleA = m.gBA.apply(fakeB, { training: true }) as nb.Tensor;
    const cycleB = m.gAB.apply(fakeA, { training: true }) as nb.Tensor;
    const adv = nb.add(mse(m.dB.apply(fakeB, { training: true }) as nb.Tensor, 1), mse(m.dA.apply(fakeA, { training: true }) as nb.Tensor, 1));
    const cycle = nb.add(mae(cycleA, a), mae(cycleB, b));
    const identity = nb.add(mae(m.gBA.apply(a, { training: true }) as nb.Tensor, a), mae(m.gAB.apply(b, { training: true }) as nb.Tensor, b));
    const total = nb.add(adv, nb.mul(nb.add(cycle, nb.mul(identity, m.lambdaIdentity)), m.lambdaCycle));
    return { adv, cycle, identity, total };
  });
  const gGrads = gTape.gradient(g.total, gVars);
  m.gOptimizer.applyGradients(gVars.map((v, i) => [gGrads[i] ?? null, v] as const));

  const pooledA = m.poolA.query(nb.stopGradient(fakeA!));
  const pooledB = m.poolB.query(nb.stopGradient(fakeB!));
  const dVars = [...m.dA.trainableWeights, ...m.dB.trainableWeights];
  const dTape = new nb.GradientTape({ watchAccessedVariables: false });
  dTape.watch(dVars);
  const d = dTape.record(() => {
    const dA = nb.mul(nb.add(mse(m.dA.apply(a, { training: true }) as nb.Tensor, 1), mse(m.dA.apply(pooledA, { training: true }) as nb.Tensor, 0)), 0.5);
    const dB = nb.mul(nb.add(mse(m.dB.apply(b, { training: true }) as nb.Tensor, 1), mse(m.dB.apply(pooledB, { training: true }) as nb.Tensor, 0)), 0.5);
    return { dA, dB, total: nb.add(dA, dB) };
  });
  const dGrads = dTape.gradient(d.total, dVars);
  m.dOptimizer.applyGradients(dVars.map((v, i) => [dGrads[i] ?? null, v] as const));
  return {
    gAdv: g.adv.item() as number,
    cycle: g.cycle.item() as number,
    identity: g.identity.item() as number,
    gLoss: g.total.item() as number,
    dALoss: d.dA.item() as number,
    dBLoss: d.dB.item() as number,
  };
}

/** Mean absolute error of A -> B -> A and B -> A -> B reconstructions, in pixel units 0..1 (inference mode). */
export function cycleError(m: CycleGan, a: nb.Tensor, b: nb.Tensor): { a: number; b: number } {
  const rec = (g1: nb.keras.Model, g2: nb.keras.Model, x: nb.Tensor): number => {
    const back = g2.predict(g1.predict(x, { batchSize: 128 }) as nb.Tensor, { batchSize: 128 }) as nb.Tensor;
    return (mae(back, x).item() as number) / 2;
  };
  return { a: rec(m.gAB, m.gBA, a), b: rec(m.gBA, m.gAB, b) };
}
