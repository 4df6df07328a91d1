// A small L-BFGS minimiser (Nocedal & Wright, algorithm 7.4: two-loop recursion over the last
// `history` curvature pairs) with a backtracking Armijo line search, on a flat float64 vector.

/** The loss and its gradient at a point. */
export type LossAndGrad = (x: Float64Array) => { loss: number; grad: Float64Array };

export interface LbfgsState {
  x: Float64Array;
  loss: number;
  grad: Float64Array;
  /** Function evaluations of the last `step` (1 when the first trial step was accepted). */
  evaluations: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Stateful L-BFGS: each `step()` does one iteration (a search direction and a line search) and
 * returns the new point, so a caller can report progress per iteration.
 */
export class Lbfgs {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private state: LbfgsState;

  constructor(
    private readonly f: LossAndGrad,
    x0: Float64Array,
    private readonly history = 10,
  ) {
    const { loss, grad } = f(x0);
    this.state = { x: Float64Array.from(x0), loss, grad, evaluations: 1 };
  }

  get current(): LbfgsState {
    return this.state;
  }

  /** The direction -H g from the two-loop recursion. */
  private direction(g: Float64Array): Float64Array {
    const q = Float64Array.from(g);
    const k = this.s.length;
    const alpha = new Float64Array(k);
    const rho = this.s.map((s, i) => 1 / dot(this.y[i]!, s));
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = rho[i]! * dot(this.s[i]!, q);
      const y = this.y[i]!;
      for (let j = 0; j < q.length; j++) q[j]! -= alpha[i]! * y[j]!;
    }
    // Initial Hessian: gamma I with gamma = s'y / y'y of the newest pair (or a unit-length first step).
    const gamma = k > 0 ? dot(this.s[k - 1]!, this.y[k - 1]!) / dot(this.y[k - 1]!, this.y[k - 1]!) : 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
    for (let j = 0; j < q.length; j++) q[j]! *= gamma;
    for (let i = 0; i < k; i++) {
      const beta = rho[i]! * dot(this.y[i]!, q);
      const s = this.s[i]!;
      for (let j = 0; j < q.length; j++) q[j]! += s[j]! * (alpha[i]! - beta);
    }
    for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
    return q;
  }

  /** One iteration; returns the new state (unchanged when no step lowers the loss). */
  step(): LbfgsState {
    const { x, loss, grad } = this.state;
    let d = this.direction(grad);
    let slope = dot(grad, d);
    if (!(slope < 0)) {
      // Not a descent direction (bad curvature pairs): restart from steepest descent.
      this.s.length = 0;
      this.y.length = 0;
      d = this.direction(grad);
      slope = dot(grad, d);
    }
    let t = 1;
    let evaluations = 0;
    for (let tries = 0; tries < 20; tries++, t *= 0.5) {
      const xNew = new Float64Array(x.length);
      for (let j = 0; j < x.length; j++) xNew[j] = x[j]! + t * d[j]!;
      const next = this.f(xNew);
      evaluations++;
      if (Number.isFinite(next.loss) && next.loss <= loss + 1e-4 * t * slope) {
        const s = new Float64Array(x.length);
        const y = new Float64Array(x.length);
        for (let j = 0; j < x.length; j++) {
          s[j] = xNew[j]! - x[j]!;
          y[j] = next.grad[j]! - grad[j]!;
        }
        if (dot(s, y) > 1e-10) {
          this.s.push(s);
          this.y.push(y);
          if (this.s.length > this.history) {
            this.s.shift();
            this.y.shift();
          }
        }
        this.state = { x: xNew, loss: next.loss, grad: next.grad, evaluations };
        return this.state;
      }
    }
    this.state = { ...this.state, evaluations };
    return this.state;
  }
}
