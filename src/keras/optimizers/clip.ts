// Gradient clipping as tf.keras optimizers do it (at most one kind is set; checked in that order):
// clipNorm scales each gradient to L2 norm <= clipNorm, globalClipNorm scales all gradients
// together to global norm <= globalClipNorm, clipValue clamps each element to [-clipValue, clipValue].
// Clipped gradients are new arrays; unclipped ones are returned as they are.

/** Returns the gradients clipped by whichever of clipNorm, globalClipNorm, clipValue is set. */
export function clipGradients(grads: Float32Array[], clip: { clipNorm?: number; globalClipNorm?: number; clipValue?: number }): Float32Array[] {
  if (clip.clipNorm !== undefined && clip.clipNorm !== null) {
    const c = clip.clipNorm;
    return grads.map((g) => {
      let ss = 0;
      for (let i = 0; i < g.length; i++) ss += g[i]! * g[i]!;
      const norm = Math.sqrt(ss);
      if (norm <= c) return g;
      const s = c / norm;
      const out = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) out[i] = g[i]! * s;
      return out;
    });
  }
  if (clip.globalClipNorm !== undefined && clip.globalClipNorm !== null) {
    const c = clip.globalClipNorm;
    let ss = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) ss += g[i]! * g[i]!;
    const norm = Math.sqrt(ss);
    if (norm <= c) return grads;
    const s = c / norm;
    return grads.map((g) => {
      const out = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) out[i] = g[i]! * s;
      return out;
    });
  }
  if (clip.clipValue !== undefined && clip.clipValue !== null) {
    const c = clip.clipValue;
    return grads.map((g) => {
      const out = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) {
        const x = g[i]!;
        out[i] = x > c ? c : x < -c ? -c : x;
      }
      return out;
    });
  }
  return grads;
}
