// A configurable grid world with an explicit model (Sutton & Barto's gridworlds and the like).
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { moveOnGrid, renderGrid } from './grid.js';
import { TabularEnv, type TransitionModel } from './tabular.js';

export interface GridWorldOptions {
  /**
   * Rows of the grid: `.` free, `#` wall, `S` start, `G` goal (terminal), `X` trap (terminal).
   * Default: Sutton & Barto's Example 4.1, `['G...', '....', '....', '...G']`.
   */
  map?: readonly string[];
  /** Reward of every step (default -1). */
  stepReward?: number;
  /** Added to the step's reward when it enters a goal (default 0). */
  goalReward?: number;
  /** Added to the step's reward when it enters a trap (default -10). */
  trapReward?: number;
  /** Probability that a move goes in a random perpendicular direction instead (default 0). */
  slip?: number;
}

/**
 * A grid world defined by a map. Actions 0 left, 1 down, 2 right, 3 up; moving into a wall or the
 * edge leaves the agent in place. Episodes start on `S` (uniformly over the non-terminal free
 * cells when there is none) and end on `G` or `X`. The model is `env.P[s][a]`.
 *
 * @example
 * ```ts
 * const env = new nb.rl.GridWorld(); // Sutton & Barto Example 4.1
 * const {V} = nb.rl.policyEvaluation(env, nb.rl.uniformPolicy(env), {gamma: 1});
 * ```
 */
export class GridWorld extends TabularEnv {
  readonly desc: readonly string[];
  readonly nRows: number;
  readonly nCols: number;

  constructor(options: GridWorldOptions = {}) {
    const desc = options.map ?? ['G...', '....', '....', '...G'];
    const name = 'GridWorld';
    if (!Array.isArray(desc) || desc.length === 0) throw new InvalidArgumentError(`${name}: map must be a non-empty array of rows.`);
    const nCols = desc[0]!.length;
    for (const row of desc) {
      if (typeof row !== 'string' || row.length !== nCols || !/^[.#SGX]+$/.test(row)) {
        throw new InvalidArgumentError(`${name}: bad map row ${JSON.stringify(row)}; rows must have ${nCols} characters from . # S G X.`);
      }
    }
    const slip = options.slip ?? 0;
    if (!(slip >= 0 && slip <= 1)) throw new InvalidArgumentError(`${name}: slip must be in [0, 1], got ${slip}.`);
    const stepReward = options.stepReward ?? -1;
    const goalReward = options.goalReward ?? 0;
    const trapReward = options.trapReward ?? -10;
    const nRows = desc.length;
    const nS = nRows * nCols;
    const letter = (s: number) => desc[Math.floor(s / nCols)]![s % nCols]!;
    const P: TransitionModel = [];
    for (let s = 0; s < nS; s++) {
      P.push([]);
      for (let a = 0; a < 4; a++) {
        if ('GX#'.includes(letter(s))) {
          P[s]!.push([[1, s, 0, true]]);
          continue;
        }
        const moves: [number, number][] = slip > 0 ? [[a, 1 - slip], [(a + 1) % 4, slip / 2], [(a + 3) % 4, slip / 2]] : [[a, 1]];
        const outcomes: TransitionModel[number][number] = [];
        for (const [b, p] of moves) {
          const [r2, c2] = moveOnGrid(Math.floor(s / nCols), s % nCols, b, nRows, nCols);
          let next = r2 * nCols + c2;
          if (letter(next) === '#') next = s;
          const l = letter(next);
          const reward = stepReward + (l === 'G' ? goalReward : l === 'X' ? trapReward : 0);
          outcomes.push([p, next, reward, l === 'G' || l === 'X']);
        }
        P[s]!.push(outcomes);
      }
    }
    const hasStart = desc.some((r) => r.includes('S'));
    const starts = Array.from({ length: nS }, (_, s): number => (hasStart ? letter(s) === 'S' : '.S'.includes(letter(s))) ? 1 : 0);
    const n = starts.reduce((x, y) => x + y, 0);
    if (n === 0) throw new InvalidArgumentError(`${name}: the map has no free cell to start from.`);
    super(
      P,
      starts.map((v) => v / n),
    );
    this.desc = [...desc];
    this.nRows = nRows;
    this.nCols = nCols;
    this.spec = { id: 'GridWorld-v0', maxEpisodeSteps: 100, rewardThreshold: null };
  }

  protected renderEnv(): Tensor {
    return renderGrid(this.desc, { '.': [230, 230, 230], S: [180, 210, 240], '#': [60, 60, 60], G: [90, 200, 90], X: [200, 60, 60] }, this.s);
  }
}
