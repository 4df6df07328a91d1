// FrozenLake-v1 with Gymnasium's maps, dynamics and rewards.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { moveOnGrid, renderGrid } from './grid.js';
import { TabularEnv, type TransitionModel } from './tabular.js';

/** Gymnasium's named FrozenLake maps. S start, F frozen, H hole, G goal. */
export const FROZEN_LAKE_MAPS: Readonly<Record<'4x4' | '8x8', readonly string[]>> = {
  '4x4': ['SFFF', 'FHFH', 'FFFH', 'HFFG'],
  '8x8': ['SFFFFFFF', 'FFFFFFFF', 'FFFHFFFF', 'FFFFFHFF', 'FFFHFFFF', 'FHHFFFHF', 'FHFFHFHF', 'FFFHFFFG'],
};

export interface FrozenLakeOptions {
  /** `'4x4'` (default), `'8x8'`, or the rows of a custom map of S, F, H, G. */
  map?: '4x4' | '8x8' | readonly string[];
  /** Slippery ice (default true): the intended move with probability 1/3, each perpendicular one with 1/3. */
  isSlippery?: boolean;
}

/**
 * FrozenLake-v1 (Gymnasium): cross a frozen lake from S to G without falling into a hole H.
 * Observation `row * nCols + col`; actions 0 left, 1 down, 2 right, 3 up; reward 1 on reaching
 * G, else 0; the episode terminates in G or a hole. On slippery ice the agent moves in the
 * intended direction or either perpendicular one, each with probability 1/3. `make` adds the
 * time limit (100 steps for 4x4, 200 for 8x8). The model is `env.P`.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1', {map: '8x8', isSlippery: false});
 * const [s] = env.reset({seed: 1});
 * ```
 */
export class FrozenLake extends TabularEnv {
  readonly desc: readonly string[];
  readonly nRows: number;
  readonly nCols: number;
  readonly isSlippery: boolean;

  constructor(options: FrozenLakeOptions = {}) {
    const desc = FrozenLake.resolveMap(options.map ?? '4x4');
    const isSlippery = options.isSlippery ?? true;
    const nRows = desc.length;
    const nCols = desc[0]!.length;
    const nS = nRows * nCols;
    const letter = (s: number) => desc[Math.floor(s / nCols)]![s % nCols]!;
    const P: TransitionModel = [];
    for (let s = 0; s < nS; s++) {
      const row = Math.floor(s / nCols);
      const col = s % nCols;
      P.push([]);
      for (let a = 0; a < 4; a++) {
        const outcomes: TransitionModel[number][number] = [];
        if ('GH'.includes(letter(s))) outcomes.push([1, s, 0, true]);
        else {
          const moves = isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a];
          for (const b of moves) {
            const [r2, c2] = moveOnGrid(row, col, b, nRows, nCols);
            const next = r2 * nCols + c2;
            const l = letter(next);
            outcomes.push([1 / moves.length, next, l === 'G' ? 1 : 0, 'GH'.includes(l)]);
          }
        }
        P[s]!.push(outcomes);
      }
    }
    const starts = Array.from({ length: nS }, (_, s): number => (letter(s) === 'S' ? 1 : 0));
    const nStart = starts.reduce((x, y) => x + y, 0);
    super(
      P,
      starts.map((v) => v / nStart),
    );
    this.desc = desc;
    this.nRows = nRows;
    this.nCols = nCols;
    this.isSlippery = isSlippery;
    this.spec = { id: 'FrozenLake-v1', maxEpisodeSteps: nS === 64 ? 200 : 100, rewardThreshold: nS === 64 ? 0.85 : 0.7 };
  }

  private static resolveMap(map: '4x4' | '8x8' | readonly string[]): readonly string[] {
    if (typeof map === 'string') {
      const named = FROZEN_LAKE_MAPS[map];
      if (!named) throw new InvalidArgumentError(`FrozenLake-v1: unknown map '${map}'; expected '4x4', '8x8' or an array of rows.`);
      return named;
    }
    if (!Array.isArray(map) || map.length === 0) throw new InvalidArgumentError('FrozenLake-v1: map must be a non-empty array of equal-length rows of S, F, H, G.');
    const w = map[0]!.length;
    for (const row of map) {
      if (typeof row !== 'string' || row.length !== w || !/^[SFHG]+$/.test(row)) {
        throw new InvalidArgumentError(`FrozenLake-v1: bad map row ${JSON.stringify(row)}; rows must have ${w} letters from S, F, H, G.`);
      }
    }
    if (!map.some((r) => r.includes('S'))) throw new InvalidArgumentError("FrozenLake-v1: the map has no start cell 'S'.");
    return [...map];
  }

  protected renderEnv(): Tensor {
    return renderGrid(this.desc, { S: [180, 210, 240], F: [200, 230, 255], H: [20, 40, 90], G: [250, 200, 40] }, this.s);
  }
}
