import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/eval/evaluate';
import { runSweep } from '../../../src/engine/fixres/sweep-job';
import type { SweepInput, SweepProgress } from '../../../src/shared/jobs/sweep';
import { tempDir } from '../../helpers/fixtures';
import { saveSweepCheckpoint } from '../../helpers/sweep-checkpoint';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';
import { syntheticSource } from '../../helpers/synthetic-source';
import { openSynthetic, syntheticSpec } from '../../helpers/train-input';

const t = tempDir();

beforeAll(async () => {
  await useTestBackend();
  await saveSweepCheckpoint(t.dir);
});
afterAll(() => t.cleanup());

const input = (extra: Partial<SweepInput> = {}): SweepInput => ({
  model: { kind: 'checkpoint', dir: t.dir },
  val: syntheticSpec(12, 8, 2),
  kTests: [8, 12],
  batchSize: 5,
  activations: { reservoir: 1000, seed: 0, xi: 0.3, freeXi: false },
  adapt: null,
  featureBudgetMb: 64,
  ...extra,
});

const run = (i: SweepInput, progress: SweepProgress[] = [], signal = new AbortController().signal) =>
  runSweep(i, { signal, progress: (p) => progress.push(p), openSource: openSynthetic });

describe('runSweep', () => {
  it('evaluates every K_test like a single evaluation and summarises the pooled features, leaking nothing', async () => {
    const before = liveTensors();
    const progress: SweepProgress[] = [];
    const result = await run(input(), progress);
    expect(liveTensors()).toBe(before);
    expect(result.points.map((p) => [p.kTest, p.adapter, p.n])).toEqual([
      [8, 'none', 12],
      [12, 'none', 12],
    ]);
    const { loadCheckpointModel } = await import('../../../src/engine/checkpoint/checkpoint-model');
    const direct = await loadCheckpointModel(t.dir, 4);
    const alone = await evaluate(direct, syntheticSource({ numItems: 12, k: 12, seed: 2 }), { batchSize: 5 });
    direct.dispose();
    expect(result.points[1]!.top1).toBe(alone.top1);
    expect(result.points[1]!.loss).toBeCloseTo(alone.loss, 6);
    const stats = result.activations[1]!;
    expect(stats.summary.n).toBe(12 * 16);
    expect(stats.frechet).toMatchObject({ xi: 0.3 });
    expect(stats.frechet!.ks).toBeLessThan(0.5);
    expect(progress.filter((p) => p.type === 'point').map((p) => (p as { kTest: number }).kTest)).toEqual([8, 12]);
    expect(progress.some((p) => p.type === 'batch' && p.phase === 'evaluate' && p.done === 12)).toBe(true);
  });

  it('leaves the metrics unchanged when the features are mapped onto their own fit', async () => {
    const plain = await run(input({ kTests: [12] }));
    const own = plain.activations[0]!.frechet!;
    const adapted = await run(input({ kTests: [12], adapt: { reference: { kind: 'fit', fit: own } } }));
    const [none, frechet] = adapted.points;
    expect(frechet).toMatchObject({ adapter: 'frechet', kTest: 12, n: 12, top1: none!.top1 });
    expect(frechet!.loss).toBeCloseTo(none!.loss, 3);
  });

  it('fits the reference on the given features and adapts the same way in memory and in a second pass', async () => {
    const reference = { kind: 'features' as const, data: syntheticSpec(16, 8, 7), source: 'train-augment' as const };
    const before = liveTensors();
    const progress: SweepProgress[] = [];
    const inMemory = await run(input({ adapt: { reference } }), progress);
    const twoPass = await run(input({ adapt: { reference }, featureBudgetMb: 0 }));
    expect(liveTensors()).toBe(before);
    expect(inMemory.reference).toMatchObject({ source: 'train-augment', images: 16, kTest: 8 });
    expect(progress.filter((p) => p.type === 'reference')).toHaveLength(1);
    const frechet = (r: typeof inMemory) => r.points.filter((p) => p.adapter === 'frechet').map((p) => [p.kTest, p.top1, p.loss]);
    expect(frechet(inMemory)).toHaveLength(2);
    expect(frechet(twoPass)).toEqual(frechet(inMemory));
  });

  it('stops with an AbortError when cancelled, releasing every tensor and closing every source it opened', async () => {
    const controller = new AbortController();
    const before = liveTensors();
    const progress: SweepProgress[] = [];
    const open = new Set<number>();
    const opened: number[] = [];
    const pending = runSweep(input({ kTests: [8, 12, 16] }), {
      signal: controller.signal,
      progress: (p) => {
        progress.push(p);
        if (p.type === 'point') controller.abort();
      },
      openSource: async (spec) => {
        const source = await openSynthetic(spec);
        const k = spec.transform.k;
        open.add(k);
        opened.push(k);
        return { ...source, close: async () => void open.delete(k) };
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.filter((p) => p.type === 'point')).toHaveLength(1);
    expect(liveTensors()).toBe(before);
    expect(opened).toEqual([8, 12, 16]); // each K_test's source is opened while the one before is evaluated
    expect(open.size).toBe(0);
  });
});
