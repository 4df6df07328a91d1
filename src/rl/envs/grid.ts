// Shared by the grid worlds: the four moves (FrozenLake's action order) and the frame drawing.
import { Canvas, type Rgb } from '../render.js';
import type { Tensor } from '../../core/tensor.js';

/** Action numbers of the grid worlds, as FrozenLake: 0 left, 1 down, 2 right, 3 up. */
export const LEFT = 0;
export const DOWN = 1;
export const RIGHT = 2;
export const UP = 3;

/** Row and column after moving one cell in `action`'s direction, clipped to the grid. */
export function moveOnGrid(row: number, col: number, action: number, nRows: number, nCols: number): [number, number] {
  if (action === LEFT) col = Math.max(col - 1, 0);
  else if (action === DOWN) row = Math.min(row + 1, nRows - 1);
  else if (action === RIGHT) col = Math.min(col + 1, nCols - 1);
  else if (action === UP) row = Math.max(row - 1, 0);
  return [row, col];
}

/** Draws a grid of cells (colour per letter) with the agent as a disc; `cell` pixels per cell. */
export function renderGrid(desc: readonly string[], colours: Record<string, Rgb>, agent: number, cell = 32): Tensor {
  const nRows = desc.length;
  const nCols = desc[0]!.length;
  const canvas = new Canvas(nCols * cell, nRows * cell, [40, 40, 40]);
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const colour = colours[desc[r]![c]!] ?? [200, 200, 200];
      canvas.fillRect(c * cell + 1, r * cell + 1, cell - 2, cell - 2, colour);
    }
  }
  const ar = Math.floor(agent / nCols);
  const ac = agent % nCols;
  canvas.fillCircle(ac * cell + cell / 2, ar * cell + cell / 2, cell * 0.3, [220, 40, 40]);
  return canvas.toTensor();
}
