/** `nb.v1.io`: graph files (JSON + binary weights, docs/FORMATS.md). */
export { writeGraph, readGraph } from '../graph/index.js';
