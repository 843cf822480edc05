import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/core/nelder-mead';

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock valley at (1, 1)', () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;
    const r = nelderMead(rosenbrock, [-1.2, 1], { step: [0.5, 0.5], maxIterations: 5000, fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('never accepts a point where the objective is infinite', () => {
    const seen: number[] = [];
    const walled = ([x]: number[]) => {
      if (x! < 1) return Infinity;
      seen.push(x!);
      return (x! - 0.5) ** 2;
    };
    const r = nelderMead(walled, [3], { step: [1] });
    expect(r.x[0]).toBeGreaterThanOrEqual(1);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(Number.isFinite(r.f)).toBe(true);
  });

  it('reports non-convergence when it runs out of iterations', () => {
    const r = nelderMead(([x, y]) => x! ** 2 + y! ** 2, [10, 10], { step: [1, 1], maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
  });
});
