// Breakout-Pixels: an Atari-like Breakout drawn into 210x160 RGB frames (paddle, ball, six rows
// of bricks, five lives), for pixel-based DQN with the usual Atari preprocessing.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { tensor } from '../../ops/creation.js';
import { Env, type Info, type ResetOptions, type StepResult } from '../env.js';
import { Box, Discrete } from '../spaces.js';

const H = 210;
const W = 160;
const LEFT_WALL = 8;
const RIGHT_WALL = 152;
const TOP_WALL = 32;
const BRICK_TOP = 57;
const BRICK_H = 6;
const BRICK_W = 8;
const COLS = (RIGHT_WALL - LEFT_WALL) / BRICK_W;
const ROWS = 6;
const PADDLE_Y = 189;
const PADDLE_H = 4;
const PADDLE_W = 16;
const PADDLE_SPEED = 4;
const BALL_W = 2;
const BALL_H = 4;
// Row colours top to bottom and their points (7, 7, 4, 4, 1, 1 as in Atari Breakout).
const ROW_COLOURS: [number, number, number][] = [
  [200, 72, 72],
  [198, 108, 58],
  [180, 122, 48],
  [162, 162, 42],
  [72, 160, 72],
  [66, 72, 200],
];
const ROW_POINTS = [7, 7, 4, 4, 1, 1];

export interface BreakoutPixelsOptions {
  /** Lives per game (default 5). */
  lives?: number;
}

/**
 * An Atari-like Breakout rendered to 210x160 RGB frames. Actions as ALE's minimal set: 0 NOOP,
 * 1 FIRE (launch the ball), 2 RIGHT, 3 LEFT. Six rows of 18 bricks worth 1, 1, 4, 4, 7, 7 points
 * from the bottom; losing the ball costs a life (`info.lives`); the game terminates with no lives
 * left. Observation: the frame as float32 `[210, 160, 3]` values 0..255. Preprocess it with
 * `atariWrappers` (grayscale, 84x84, frame skip 4, 4-frame stack) for the Nature DQN.
 *
 * @example
 * ```ts
 * const env = nb.rl.atariWrappers(nb.rl.make('Breakout-Pixels'));
 * const [obs] = env.reset({seed: 0}); // Float32Array, shape [84, 84, 4]
 * ```
 */
export class BreakoutPixels extends Env<Float32Array, number> {
  readonly observationSpace = new Box(0, 255, [H, W, 3]);
  readonly actionSpace = new Discrete(4);
  readonly maxLives: number;
  lives = 5;
  paddleX = (W - PADDLE_W) / 2;
  ballX = 0;
  ballY = 0;
  vx = 0;
  vy = 0;
  inPlay = false;
  score = 0;
  /** `bricks[row * 18 + col]`, row 0 at the top. */
  readonly bricks = new Uint8Array(ROWS * COLS);

  constructor(options: BreakoutPixelsOptions = {}) {
    super();
    this.maxLives = options.lives ?? 5;
    if (!Number.isInteger(this.maxLives) || this.maxLives < 1) throw new InvalidArgumentError(`Breakout-Pixels: lives must be a positive integer, got ${options.lives}.`);
    this.spec = { id: 'Breakout-Pixels', maxEpisodeSteps: 108000, rewardThreshold: null };
  }

  protected resetEnv(_options: ResetOptions): [Float32Array, Info] {
    this.bricks.fill(1);
    this.lives = this.maxLives;
    this.score = 0;
    this.paddleX = (W - PADDLE_W) / 2;
    this.inPlay = false;
    return [this.frame(), { lives: this.lives }];
  }

  private launch(): void {
    this.inPlay = true;
    this.ballX = LEFT_WALL + this.rng.integer(RIGHT_WALL - LEFT_WALL - BALL_W);
    this.ballY = BRICK_TOP + ROWS * BRICK_H + 20;
    this.vx = this.rng.integer(2) === 0 ? -2 : 2;
    this.vy = 3;
  }

  protected stepEnv(action: number): StepResult<Float32Array> {
    if (action === 2) this.paddleX = Math.min(RIGHT_WALL - PADDLE_W, this.paddleX + PADDLE_SPEED);
    else if (action === 3) this.paddleX = Math.max(LEFT_WALL, this.paddleX - PADDLE_SPEED);
    else if (action === 1 && !this.inPlay) this.launch();
    let reward = 0;
    let terminated = false;
    if (this.inPlay) {
      this.ballX += this.vx;
      this.ballY += this.vy;
      if (this.ballX < LEFT_WALL) {
        this.ballX = LEFT_WALL;
        this.vx = -this.vx;
      } else if (this.ballX + BALL_W > RIGHT_WALL) {
        this.ballX = RIGHT_WALL - BALL_W;
        this.vx = -this.vx;
      }
      if (this.ballY < TOP_WALL) {
        this.ballY = TOP_WALL;
        this.vy = -this.vy;
      }
      reward += this.hitBrick();
      if (this.vy > 0 && this.ballY + BALL_H >= PADDLE_Y && this.ballY < PADDLE_Y + PADDLE_H && this.ballX + BALL_W > this.paddleX && this.ballX < this.paddleX + PADDLE_W) {
        // The return angle depends on where the ball meets the paddle.
        const offset = (this.ballX + BALL_W / 2 - (this.paddleX + PADDLE_W / 2)) / (PADDLE_W / 2);
        this.vx = Math.max(-3, Math.min(3, Math.round(offset * 3))) || (this.vx >= 0 ? 1 : -1);
        this.vy = -Math.abs(this.vy);
        this.ballY = PADDLE_Y - BALL_H;
      } else if (this.ballY >= H) {
        this.inPlay = false;
        this.lives--;
        terminated = this.lives === 0;
      }
      if (this.bricks.every((b) => b === 0)) this.bricks.fill(1);
    }
    this.score += reward;
    return [this.frame(), reward, terminated, false, { lives: this.lives }];
  }

  /** Removes the first brick the ball overlaps and bounces it vertically; returns the points. */
  private hitBrick(): number {
    const r0 = Math.floor((this.ballY - BRICK_TOP) / BRICK_H);
    const r1 = Math.floor((this.ballY + BALL_H - 1 - BRICK_TOP) / BRICK_H);
    const c0 = Math.floor((this.ballX - LEFT_WALL) / BRICK_W);
    const c1 = Math.floor((this.ballX + BALL_W - 1 - LEFT_WALL) / BRICK_W);
    for (let r = Math.max(0, r0); r <= Math.min(ROWS - 1, r1); r++) {
      for (let c = Math.max(0, c0); c <= Math.min(COLS - 1, c1); c++) {
        if (this.bricks[r * COLS + c]) {
          this.bricks[r * COLS + c] = 0;
          this.vy = -this.vy;
          return ROW_POINTS[r]!;
        }
      }
    }
    return 0;
  }

  /** The current frame as float32 RGB values, row-major [210, 160, 3]. */
  frame(): Float32Array {
    const f = new Float32Array(H * W * 3);
    const rect = (x0: number, y0: number, w: number, h: number, c: readonly number[]) => {
      for (let y = Math.max(0, Math.round(y0)); y < Math.min(H, Math.round(y0 + h)); y++) {
        for (let x = Math.max(0, Math.round(x0)); x < Math.min(W, Math.round(x0 + w)); x++) {
          const i = (y * W + x) * 3;
          f[i] = c[0]!;
          f[i + 1] = c[1]!;
          f[i + 2] = c[2]!;
        }
      }
    };
    const grey = [142, 142, 142];
    rect(0, TOP_WALL - 15, W, 15, grey);
    rect(0, TOP_WALL, LEFT_WALL, H - TOP_WALL, grey);
    rect(RIGHT_WALL, TOP_WALL, W - RIGHT_WALL, H - TOP_WALL, grey);
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < COLS; c++) if (this.bricks[r * COLS + c]) rect(LEFT_WALL + c * BRICK_W, BRICK_TOP + r * BRICK_H, BRICK_W, BRICK_H, ROW_COLOURS[r]!);
    }
    // Lives as small marks in the top bar.
    for (let i = 0; i < this.lives; i++) rect(100 + i * 8, 6, 5, 6, grey);
    rect(this.paddleX, PADDLE_Y, PADDLE_W, PADDLE_H, ROW_COLOURS[0]!);
    if (this.inPlay) rect(this.ballX, this.ballY, BALL_W, BALL_H, ROW_COLOURS[0]!);
    return f;
  }

  protected renderEnv(): Tensor {
    return tensor(Int32Array.from(this.frame()), [H, W, 3], 'int32');
  }
}
