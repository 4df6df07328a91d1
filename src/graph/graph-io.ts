import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Graph } from './graph.js';
import { toGraphDef, type GraphDef, type NodeDef } from './graph-def.js';

/** Writes `data` to `path` atomically (temporary file, then rename). */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Writes a graph (or a `GraphDef`, e.g. a frozen one) as `dir/name.json` plus the binary
 * weights `dir/name.bin` (docs/FORMATS.md, "Graph files"). Returns the JSON path.
 *
 * @example
 * ```ts
 * nb.v1.io.writeGraph(frozen, 'models', 'iris');   // models/iris.json + models/iris.bin
 * ```
 */
export function writeGraph(graph: Graph | GraphDef, dir: string, name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new InvalidArgumentError(`writeGraph: name '${name}' must be a plain file name (letters, digits, _ . -).`);
  }
  const def = graph instanceof Graph ? toGraphDef(graph) : graph;
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${name}.json`);
  const binName = `${name}.bin`;
  writeAtomic(join(dir, binName), def.weights);
  writeAtomic(jsonPath, JSON.stringify({ format: def.format, version: def.version, weightsFile: binName, weightsBytes: def.weights.length, nodes: def.nodes }, null, 1));
  return jsonPath;
}

/** Reads a graph written by `writeGraph` (the `.json` path; the weights file sits next to it). */
export function readGraph(jsonPath: string): GraphDef {
  let text: string;
  try {
    text = readFileSync(jsonPath, 'utf8');
  } catch {
    throw new NotFoundError(`readGraph: cannot read '${jsonPath}'; pass the .json file written by nb.v1.io.writeGraph.`);
  }
  const j = JSON.parse(text) as { format: string; version: number; weightsFile: string; weightsBytes: number; nodes: NodeDef[] };
  if (j.format !== 'nabla-graph') {
    throw new InvalidArgumentError(`readGraph: '${jsonPath}' is not a nabla graph file (format '${j.format}').`);
  }
  const binPath = join(dirname(jsonPath), basename(j.weightsFile));
  let weights: Uint8Array;
  try {
    weights = new Uint8Array(readFileSync(binPath));
  } catch {
    throw new NotFoundError(`readGraph: the weights file '${binPath}' named by '${jsonPath}' is missing; copy both files together.`);
  }
  if (weights.length !== j.weightsBytes) {
    throw new InvalidArgumentError(`readGraph: '${binPath}' has ${weights.length} bytes but the graph expects ${j.weightsBytes}; the files do not belong together.`);
  }
  return { format: 'nabla-graph', version: 1, nodes: j.nodes, weights };
}
