export interface NelderMeadOptions {
  /** Initial simplex: start + step[i] along axis i. */
  step: readonly number[];
  maxIterations?: number;
  /** Converged when the simplex's f-values span ≤ fTolerance and its vertices lie within xTolerance (max-norm) of the best. */
  fTolerance?: number;
  xTolerance?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Derivative-free minimisation (Nelder–Mead with the standard coefficients 1, 2, ½, ½). `f` may
 * return +∞ for infeasible points (outside a distribution's support): such points are never
 * accepted, so the simplex stays in the feasible region as long as the start is feasible.
 */
export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: NelderMeadOptions): NelderMeadResult {
  const dim = start.length;
  const maxIterations = options.maxIterations ?? 200 * dim;
  const fTolerance = options.fTolerance ?? 1e-10;
  const xTolerance = options.xTolerance ?? 1e-8;
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const simplex: { x: number[]; f: number }[] = [{ x: [...start], f: evaluate([...start]) }];
  for (let i = 0; i < dim; i++) {
    const x = [...start];
    x[i]! += options.step[i]!;
    simplex.push({ x, f: evaluate(x) });
  }
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i]! - v));
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0]!;
    const worst = simplex[dim]!;
    const spread = worst.f - best.f;
    const size = Math.max(...simplex.slice(1).map((v) => Math.max(...v.x.map((xi, i) => Math.abs(xi - best.x[i]!)))));
    if (Number.isFinite(spread) && spread <= fTolerance && size <= xTolerance) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(dim).fill(0);
    for (let v = 0; v < dim; v++) for (let i = 0; i < dim; i++) centroid[i]! += simplex[v]!.x[i]! / dim;
    const reflected = along(centroid, worst.x, -1);
    const fr = evaluate(reflected);
    if (fr < best.f) {
      const expanded = along(centroid, worst.x, -2);
      const fe = evaluate(expanded);
      simplex[dim] = fe < fr ? { x: expanded, f: fe } : { x: reflected, f: fr };
      continue;
    }
    if (fr < simplex[dim - 1]!.f) {
      simplex[dim] = { x: reflected, f: fr };
      continue;
    }
    const outside = fr < worst.f;
    const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : worst.f)) {
      simplex[dim] = { x: contracted, f: fc };
      continue;
    }
    for (let v = 1; v <= dim; v++) {
      const x = along(best.x, simplex[v]!.x, 0.5);
      simplex[v] = { x, f: evaluate(x) };
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return { x: simplex[0]!.x, f: simplex[0]!.f, iterations, evaluations, converged };
}
