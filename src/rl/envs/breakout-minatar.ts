// Breakout-MinAtar: the 10x10 Breakout of MinAtar (Young & Tian 2019), its rules and 4-channel
// observation, with sticky actions.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Env, type Info, type ResetOptions, type StepResult } from '../env.js';
import { Canvas, type Rgb } from '../render.js';
import { Box, Discrete } from '../spaces.js';

/** Observation channels of Breakout-MinAtar. */
export const MINATAR_BREAKOUT_CHANNELS = { paddle: 0, ball: 1, trail: 2, brick: 3 } as const;

export interface BreakoutMinAtarOptions {
  /** Probability that the previous action repeats instead of the chosen one (default 0.1, as MinAtar). */
  stickyActionProb?: number;
}

// Ball directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
const FLIP_X = [1, 0, 3, 2];
const FLIP_Y = [3, 2, 1, 0];
const PADDLE_EDGE = [2, 3, 0, 1];

/**
 * Breakout from MinAtar: a 10x10 grid, the paddle on the bottom row, three rows of bricks
 * (rows 1-3), a ball moving diagonally one cell per step. Actions 0 no-op, 1 left, 2 right.
 * Reward 1 per brick; the bricks come back when all are gone; the episode terminates when the
 * ball passes the paddle. Observation: `[10, 10, 4]` float32 of 0/1 channels paddle, ball,
 * trail (the ball's previous cell) and brick.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('Breakout-MinAtar');
 * const [obs] = env.reset({seed: 0}); // Float32Array(400), shape [10, 10, 4]
 * ```
 */
export class BreakoutMinAtar extends Env<Float32Array, number> {
  readonly observationSpace = new Box(0, 1, [10, 10, 4]);
  readonly actionSpace = new Discrete(3);
  readonly stickyActionProb: number;
  ballX = 0;
  ballY = 3;
  ballDir = 2;
  paddle = 4;
  lastX = 0;
  lastY = 3;
  strike = false;
  /** `bricks[y * 10 + x]` is 1 where a brick stands. */
  readonly bricks = new Uint8Array(100);
  private lastAction = 0;

  constructor(options: BreakoutMinAtarOptions = {}) {
    super();
    this.stickyActionProb = options.stickyActionProb ?? 0.1;
    if (!(this.stickyActionProb >= 0 && this.stickyActionProb <= 1)) {
      throw new InvalidArgumentError(`Breakout-MinAtar: stickyActionProb must be in [0, 1], got ${options.stickyActionProb}.`);
    }
    this.spec = { id: 'Breakout-MinAtar', maxEpisodeSteps: 10000, rewardThreshold: null };
  }

  private fillBricks(): void {
    this.bricks.fill(0);
    this.bricks.fill(1, 10, 40);
  }

  /** The observation of the current state. */
  observation(): Float32Array {
    const obs = new Float32Array(400);
    obs[(9 * 10 + this.paddle) * 4 + 0] = 1;
    obs[(this.ballY * 10 + this.ballX) * 4 + 1] = 1;
    obs[(this.lastY * 10 + this.lastX) * 4 + 2] = 1;
    for (let i = 0; i < 100; i++) if (this.bricks[i]) obs[i * 4 + 3] = 1;
    return obs;
  }

  protected resetEnv(_options: ResetOptions): [Float32Array, Info] {
    const side = this.rng.integer(2);
    this.ballX = side === 0 ? 0 : 9;
    this.ballDir = side === 0 ? 2 : 3;
    this.ballY = 3;
    this.paddle = 4;
    this.lastX = this.ballX;
    this.lastY = this.ballY;
    this.strike = false;
    this.lastAction = 0;
    this.fillBricks();
    return [this.observation(), {}];
  }

  protected stepEnv(chosen: number): StepResult<Float32Array> {
    const action = this.rng.random() < this.stickyActionProb ? this.lastAction : chosen;
    this.lastAction = action;
    let reward = 0;
    let terminated = false;
    if (action === 1) this.paddle = Math.max(0, this.paddle - 1);
    else if (action === 2) this.paddle = Math.min(9, this.paddle + 1);
    this.lastX = this.ballX;
    this.lastY = this.ballY;
    let newX = this.ballX + (this.ballDir === 0 || this.ballDir === 3 ? -1 : 1);
    let newY = this.ballY + (this.ballDir <= 1 ? -1 : 1);
    let strikeNow = false;
    if (newX < 0 || newX > 9) {
      newX = newX < 0 ? 0 : 9;
      this.ballDir = FLIP_X[this.ballDir]!;
    }
    if (newY < 0) {
      newY = 0;
      this.ballDir = FLIP_Y[this.ballDir]!;
    } else if (this.bricks[newY * 10 + newX]) {
      strikeNow = true;
      if (!this.strike) {
        reward += 1;
        this.strike = true;
        this.bricks[newY * 10 + newX] = 0;
        newY = this.lastY;
        this.ballDir = FLIP_Y[this.ballDir]!;
      }
    } else if (newY === 9) {
      if (this.bricks.every((b) => b === 0)) this.fillBricks();
      if (this.ballX === this.paddle) {
        this.ballDir = FLIP_Y[this.ballDir]!;
        newY = this.lastY;
      } else if (newX === this.paddle) {
        this.ballDir = PADDLE_EDGE[this.ballDir]!;
        newY = this.lastY;
      } else {
        terminated = true;
      }
    }
    if (!strikeNow) this.strike = false;
    this.ballX = newX;
    this.ballY = newY;
    return [this.observation(), reward, terminated, false, {}];
  }

  /** A 160x160 frame, 16 pixels per cell. */
  protected renderEnv(): Tensor {
    const c = 16;
    const canvas = new Canvas(160, 160, [0, 0, 0]);
    const cell = (x: number, y: number, colour: Rgb) => canvas.fillRect(x * c + 1, y * c + 1, c - 2, c - 2, colour);
    for (let i = 0; i < 100; i++) if (this.bricks[i]) cell(i % 10, Math.floor(i / 10), [200, 72, 72]);
    cell(this.lastX, this.lastY, [90, 90, 40]);
    cell(this.ballX, this.ballY, [236, 236, 236]);
    cell(this.paddle, 9, [66, 158, 130]);
    return canvas.toTensor();
  }
}
