import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisService, fitFrechetColumn } from '../../../src/lab/datasets/analysis';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { ApparentSizeRequest } from '../../../src/shared/api/analysis';
import { upsertDataset } from '../../../src/store/datasets';

const labs: Lab[] = [];
afterEach(() => labs.splice(0).forEach((l) => l.close()));

function lab(): Lab {
  const l = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  labs.push(l);
  return l;
}

async function apparentSize(request: unknown, l = lab()) {
  return dispatch(createHandlers(l), 'analysis.apparentSize', request);
}

describe('analysis.apparentSize', () => {
  it('analyses one image size with the defaults filled in', async () => {
    const r = await apparentSize({ kTrain: 224, source: { kind: 'size', width: 500, height: 500 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as import('../../../src/shared/api/analysis').ApparentSizeResult;
    expect(v.settings).toEqual({ kTrain: 224, kTest: 224, cropPct: 0.875, scale: [0.08, 1], ratio: [3 / 4, 4 / 3] });
    expect(v.closedForm.alpha).toBeCloseTo(0.8094, 4);
    expect(Math.abs(v.monteCarlo.alpha - 0.76)).toBeLessThan(0.01);
    expect(v.monteCarlo.samples).toBe(20_000);
    expect(v.recommendedKTest % 8).toBe(0);
    expect(v.sizes).toEqual({ distinct: 1, images: 1 });
  });

  it('draws from an explicit list of sizes in proportion to their counts', async () => {
    const r = await apparentSize({
      kTrain: 64,
      samples: 1000,
      source: {
        kind: 'sizes',
        sizes: [
          { width: 100, height: 100, count: 3 },
          { width: 1000, height: 10, count: 1 },
        ],
      },
    });
    expect(r.ok && (r.value as { monteCarlo: { fallbackRate: number } }).monteCarlo.fallbackRate).toBe(0.25);
  });

  it.each([
    [{ kTrain: 0 }, 'kTrain'],
    [{ kTrain: 224.5 }, 'kTrain'],
    [{ kTrain: 9000 }, 'kTrain'],
    [{ cropPct: 0 }, 'cropPct'],
    [{ cropPct: 1.2 }, 'cropPct'],
    [{ scale: [0.5, 0.2] }, 'scale'],
    [{ scale: [0, 1] }, 'scale.0'],
    [{ ratio: [0.75, -1] }, 'ratio.1'],
    [{ samples: 10 }, 'samples'],
    [{ samples: 1e9 }, 'samples'],
    [{ source: { kind: 'size', width: 0, height: 5 } }, 'source.width'],
    [{ source: { kind: 'sizes', sizes: [] } }, 'source.sizes'],
    [{ extra: true }, ''],
  ])('refuses %o with a field-level error on "%s"', async (patch, field) => {
    const r = await apparentSize({ kTrain: 224, source: { kind: 'size', width: 50, height: 50 }, ...patch });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.name).toBe('ValidationError');
    expect(r.error.field ?? '').toBe(field);
  });

  it('says so clearly for a dataset without recorded image sizes, and for an unknown dataset', async () => {
    const l = lab();
    const { id } = upsertDataset(l.db, '/data/pets', 'pets');
    const known = await apparentSize({ kTrain: 224, source: { kind: 'dataset', datasetId: id } }, l);
    expect(!known.ok && known.error.message).toMatch(/no readable images with recorded sizes/);
    const unknown = await apparentSize({ kTrain: 224, source: { kind: 'dataset', datasetId: 999 } }, l);
    expect(!unknown.ok && unknown.error).toMatchObject({ message: 'No dataset with id 999', field: 'source.datasetId' });
  });

  it('uses the dataset’s image sizes once the data layer provides them', () => {
    const l = lab();
    const { id } = upsertDataset(l.db, '/data/pets', 'pets');
    const asked: unknown[] = [];
    const service = new AnalysisService(l.db, (id, split) => {
      asked.push([id, split]);
      return [{ width: 640, height: 480, count: 10 }];
    });
    const request = ApparentSizeRequest.parse({ kTrain: 224, source: { kind: 'dataset', datasetId: id, split: 'train' } });
    const r = service.apparentSize(request);
    expect(asked).toEqual([[id, 'train']]);
    expect(Math.abs(r.monteCarlo.alpha - 0.84)).toBeLessThan(0.01);
    expect(r.sizes).toEqual({ distinct: 1, images: 10 });
    const empty = new AnalysisService(l.db, () => []);
    expect(() => empty.apparentSize(request)).toThrow(/no readable train images/);
  });
});

describe('fitFrechetColumn', () => {
  it('fits a column of numbers and turns bad input into user errors naming the line', () => {
    const text = Array.from({ length: 200 }, (_, i) => String(1 + Math.log(200 / (i + 0.5)))).join('\n');
    expect(fitFrechetColumn(text, {})).toMatchObject({ n: 200, xi: 0.3, zeros: 'include' });
    expect(() => fitFrechetColumn('1\n2\nx', {})).toThrow(
      expect.objectContaining({ name: 'UserError', message: expect.stringMatching(/Line 3/) }),
    );
    expect(() => fitFrechetColumn('', {})).toThrow(/no numbers/);
  });
});
