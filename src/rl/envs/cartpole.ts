// CartPole-v1 with Gymnasium's dynamics (Barto, Sutton & Anderson 1983), thresholds and rewards.
import type { Tensor } from '../../core/tensor.js';
import { Env, type Info, type ResetOptions, type StepResult } from '../env.js';
import { Canvas } from '../render.js';
import { Box, Discrete } from '../spaces.js';

const F32_MAX = 3.4028234663852886e38;

/**
 * CartPole-v1 (Gymnasium): push a cart left (action 0) or right (action 1) with a force of 10 N to
 * keep the pole upright. Observation `[x, xDot, theta, thetaDot]` (float32); reward 1 for every
 * step, including the one that ends the episode; terminated when |x| > 2.4 or |theta| > 12
 * degrees. Euler integration with tau = 0.02 s; `make` truncates at 500 steps; solved at a mean
 * return of 475. The state starts uniformly in [-0.05, 0.05]^4.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('CartPole-v1');
 * const [obs] = env.reset({seed: 42});
 * const [next, reward, terminated] = env.step(1);
 * ```
 */
export class CartPole extends Env<Float32Array, number> {
  readonly gravity = 9.8;
  readonly massCart = 1.0;
  readonly massPole = 0.1;
  readonly totalMass = this.massPole + this.massCart;
  /** Half the pole's length. */
  readonly length = 0.5;
  readonly poleMassLength = this.massPole * this.length;
  readonly forceMag = 10.0;
  readonly tau = 0.02;
  readonly thetaThresholdRadians = (12 * 2 * Math.PI) / 360;
  readonly xThreshold = 2.4;
  readonly observationSpace: Box;
  readonly actionSpace = new Discrete(2);
  /** `[x, xDot, theta, thetaDot]` in double precision (the observation is its float32 copy). */
  state = new Float64Array(4);

  constructor() {
    super();
    const high = [this.xThreshold * 2, F32_MAX, this.thetaThresholdRadians * 2, F32_MAX];
    this.observationSpace = new Box(
      high.map((v) => -v),
      high,
    );
    this.spec = { id: 'CartPole-v1', maxEpisodeSteps: 500, rewardThreshold: 475 };
  }

  protected resetEnv(_options: ResetOptions): [Float32Array, Info] {
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
    return [Float32Array.from(this.state), {}];
  }

  protected stepEnv(action: number): StepResult<Float32Array> {
    const s = this.state;
    const [x, xDot, theta, thetaDot] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + this.poleMassLength * thetaDot * thetaDot * sin) / this.totalMass;
    const thetaAcc = (this.gravity * sin - cos * temp) / (this.length * (4 / 3 - (this.massPole * cos * cos) / this.totalMass));
    const xAcc = temp - (this.poleMassLength * thetaAcc * cos) / this.totalMass;
    s[0] = x + this.tau * xDot;
    s[1] = xDot + this.tau * xAcc;
    s[2] = theta + this.tau * thetaDot;
    s[3] = thetaDot + this.tau * thetaAcc;
    const terminated = s[0] < -this.xThreshold || s[0] > this.xThreshold || s[2] < -this.thetaThresholdRadians || s[2] > this.thetaThresholdRadians;
    return [Float32Array.from(s), 1, terminated, false, {}];
  }

  /** A 600x400 frame: track, cart and pole (Gymnasium's layout). */
  protected renderEnv(): Tensor {
    const W = 600;
    const H = 400;
    const scale = W / (this.xThreshold * 2);
    const canvas = new Canvas(W, H);
    const trackY = H - 100;
    canvas.fillRect(0, trackY, W, 1, [0, 0, 0]);
    const cartX = this.state[0]! * scale + W / 2;
    const cartW = 50;
    const cartH = 30;
    canvas.fillRect(cartX - cartW / 2, trackY - cartH / 2, cartW, cartH, [0, 0, 0]);
    const poleLen = scale * 2 * this.length;
    const th = this.state[2]!;
    const axleY = trackY - cartH / 4;
    canvas.line(cartX, axleY, cartX + poleLen * Math.sin(th), axleY - poleLen * Math.cos(th), 10, [202, 152, 101]);
    canvas.fillCircle(cartX, axleY, 5, [129, 132, 203]);
    return canvas.toTensor();
  }
}
