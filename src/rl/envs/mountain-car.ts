// MountainCar-v0 with Gymnasium's dynamics and rewards.
import type { Tensor } from '../../core/tensor.js';
import { Env, type Info, type ResetOptions, type StepResult } from '../env.js';
import { Canvas } from '../render.js';
import { Box, Discrete } from '../spaces.js';

/**
 * MountainCar-v0 (Gymnasium, Moore 1990): drive an under-powered car up the right hill.
 * Observation `[position, velocity]`; actions 0 push left, 1 no push, 2 push right; reward -1 per
 * step; terminated when position >= 0.5; `make` truncates at 200 steps. Start position uniform in
 * [-0.6, -0.4], velocity 0.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('MountainCar-v0');
 * const [obs] = env.reset({seed: 0});
 * env.step(2);
 * ```
 */
export class MountainCar extends Env<Float32Array, number> {
  readonly minPosition = -1.2;
  readonly maxPosition = 0.6;
  readonly maxSpeed = 0.07;
  readonly goalPosition = 0.5;
  readonly goalVelocity = 0;
  readonly force = 0.001;
  readonly gravity = 0.0025;
  readonly observationSpace = new Box([this.minPosition, -this.maxSpeed], [this.maxPosition, this.maxSpeed]);
  readonly actionSpace = new Discrete(3);
  /** `[position, velocity]` in double precision. */
  state = new Float64Array(2);

  constructor() {
    super();
    this.spec = { id: 'MountainCar-v0', maxEpisodeSteps: 200, rewardThreshold: -110 };
  }

  protected resetEnv(_options: ResetOptions): [Float32Array, Info] {
    this.state[0] = this.rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
    return [Float32Array.from(this.state), {}];
  }

  protected stepEnv(action: number): StepResult<Float32Array> {
    let [position, velocity] = [this.state[0]!, this.state[1]!];
    velocity += (action - 1) * this.force + Math.cos(3 * position) * -this.gravity;
    velocity = Math.min(Math.max(velocity, -this.maxSpeed), this.maxSpeed);
    position += velocity;
    position = Math.min(Math.max(position, this.minPosition), this.maxPosition);
    if (position === this.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    this.state[0] = position;
    this.state[1] = velocity;
    return [Float32Array.from(this.state), -1, terminated, false, {}];
  }

  private heightAt(x: number): number {
    return Math.sin(3 * x) * 0.45 + 0.55;
  }

  /** A 600x400 frame: the hill, the flag and the car. */
  protected renderEnv(): Tensor {
    const W = 600;
    const H = 400;
    const scale = W / (this.maxPosition - this.minPosition);
    const canvas = new Canvas(W, H);
    const toY = (x: number) => H - 20 - this.heightAt(x) * scale;
    for (let px = 0; px < W; px++) {
      const x = this.minPosition + px / scale;
      canvas.fillRect(px, toY(x), 2, 3, [0, 0, 0]);
    }
    const fx = (this.goalPosition - this.minPosition) * scale;
    canvas.fillRect(fx, toY(this.goalPosition) - 50, 2, 50, [0, 0, 0]);
    canvas.fillRect(fx + 2, toY(this.goalPosition) - 50, 25, 10, [204, 204, 0]);
    const pos = this.state[0]!;
    canvas.fillCircle((pos - this.minPosition) * scale, toY(pos) - 12, 12, [50, 50, 200]);
    return canvas.toTensor();
  }
}
