/**
 * The test sizes a workflow fine-tunes at. The paper's fine-tuned optimum lies above the untuned
 * one (ResNet-50 trained at 224: untuned best 288, the official fine-tuned model served at 384,
 * 1.33× higher), so the search starts at the untuned best and goes up to `maxRatio` times it.
 */
export interface CandidateOptions {
  /** Highest candidate as a multiple of the untuned best (default 1.4, just above the paper's 384/288). */
  maxRatio?: number;
  /** At most this many candidates (default 3): the untuned best, the largest, and evenly spaced ones between. */
  count?: number;
}

/** Candidates from the sweep's K_test grid within [best, maxRatio·best], thinned evenly; always includes `best`. */
export function finetuneCandidates(kTests: readonly number[], best: number, options: CandidateOptions = {}): number[] {
  const { maxRatio = 1.4, count = 3 } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`The candidate count must be a whole number ≥ 1, got ${count}`);
  const grid = [...new Set([...kTests, best])].filter((k) => k >= best && k <= maxRatio * best).sort((a, b) => a - b);
  if (grid.length <= count) return grid;
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(grid[Math.round((i * (grid.length - 1)) / (count - 1 || 1))]!);
  return [...picked].sort((a, b) => a - b);
}
