import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../../src/engine/fixres/sweep-job';
import type { SweepInput, SweepResult } from '../../../src/shared/jobs/sweep';
import { tempDir } from '../../helpers/fixtures';
import { saveSweepCheckpoint } from '../../helpers/sweep-checkpoint';
import { useTestBackend } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec } from '../../helpers/train-input';

const t = tempDir();
beforeAll(async () => {
  await useTestBackend();
  await saveSweepCheckpoint(t.dir);
});
afterAll(() => t.cleanup());
afterEach(() => {
  delete process.env.FIXRES_FORWARD;
});

const input: SweepInput = {
  model: { kind: 'checkpoint', dir: '' },
  val: syntheticSpec(40, 8, 2),
  kTests: [7, 12, 16],
  batchSize: 16,
  activations: { reservoir: 5000, seed: 0, xi: 0.3, freeXi: false },
  adapt: { reference: { kind: 'features', data: syntheticSpec(24, 8, 7), source: 'train-augment' } },
  featureBudgetMb: 64,
};

async function sweepOn(engine: 'tfjs' | 'onnxruntime'): Promise<SweepResult> {
  process.env.FIXRES_FORWARD = engine;
  return runSweep(
    { ...input, model: { kind: 'checkpoint', dir: t.dir } },
    { signal: new AbortController().signal, progress: () => {}, openSource: openSynthetic },
  );
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('sweeps on ONNX Runtime', () => {
  it('give the tfjs sweep points, activation statistics and Fréchet series within float32 noise', async () => {
    const tfjs = await sweepOn('tfjs');
    const ort = await sweepOn('onnxruntime');
    expect(tfjs.forward?.engine).toBe('tfjs');
    expect(ort.forward?.engine).toBe('onnxruntime');
    expect(ort.backend).toBe('onnxruntime');
    expect(ort.points.map((p) => [p.kTest, p.adapter, p.n, p.top1, p.top5])).toEqual(
      tfjs.points.map((p) => [p.kTest, p.adapter, p.n, p.top1, p.top5]),
    );
    ort.points.forEach((p, i) => expect(relative(p.loss, tfjs.points[i]!.loss)).toBeLessThan(1e-5));
    ort.activations.forEach((a, i) => {
      const ref = tfjs.activations[i]!;
      expect(a.summary.n).toBe(ref.summary.n);
      expect(a.summary.zeros).toBe(ref.summary.zeros);
      expect(relative(a.summary.max, ref.summary.max)).toBeLessThan(1e-5);
      expect(relative(a.summary.mean, ref.summary.mean)).toBeLessThan(1e-5);
      expect(relative(a.summary.std, ref.summary.std)).toBeLessThan(1e-5);
      expect(relative(a.frechet!.mu, ref.frechet!.mu)).toBeLessThan(1e-3);
      expect(relative(a.frechet!.sigma, ref.frechet!.sigma)).toBeLessThan(1e-3);
    });
    expect(relative(ort.reference!.frechet!.mu, tfjs.reference!.frechet!.mu)).toBeLessThan(1e-3);
  });
});
