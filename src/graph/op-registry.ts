import type { OpDef } from '../ops/engine.js';

/** Op definitions by name, for importing serialized graphs. Filled as graphs are built. */
const defs = new Map<string, OpDef<unknown>>();

export function registerOpDef(def: OpDef<unknown>): void {
  if (!defs.has(def.name)) defs.set(def.name, def);
}

let catalogue: (() => void) | null = null;
/** Supplies the function that traces the op catalogue once (see catalogue.ts). @internal */
export function setCatalogue(fn: () => void): void {
  catalogue = fn;
}

export function lookupOpDef(name: string): OpDef<unknown> | undefined {
  let d = defs.get(name);
  if (d === undefined && catalogue !== null) {
    const run = catalogue;
    catalogue = null;
    run();
    d = defs.get(name);
  }
  return d;
}
