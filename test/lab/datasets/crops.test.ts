import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../src/lab/handlers/index';
import { dispatch } from '../../../src/lab/dispatch';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import type { CropSample } from '../../../src/shared/api/crops';
import { tempDir, writePng } from '../../helpers/fixtures';
import { mkdirSync } from 'node:fs';

const t = tempDir();
let lab: Lab;

beforeAll(() => {
  lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
});
afterAll(() => {
  lab.close();
  t.cleanup();
});

const sample = async (request: Record<string, unknown>) => dispatch(createHandlers(lab), 'crops.sample', request);

describe('crops.sample', () => {
  it('samples boxes for a size, reproducibly per seed, with s_train and the test crop', async () => {
    const a = await sample({ width: 500, height: 375, n: 6, seed: 3 });
    const b = await sample({ width: 500, height: 375, n: 6, seed: 3 });
    expect(a).toEqual(b);
    const value = (a as { ok: true; value: CropSample }).value;
    expect(value.train).toHaveLength(6);
    for (const box of value.train) expect(box.scale).toBeCloseTo(224 / Math.sqrt(box.w * box.h), 12);
    expect(value.test).toMatchObject({ resizedWidth: 341, resizedHeight: 256 });
    expect(value.patches).toBeNull();
  });

  it('rejects impossible settings with a field-level message', async () => {
    expect(await sample({ width: 500, height: 375, scale: [0.9, 0.1] })).toMatchObject({ ok: false, error: { field: 'scale' } });
    expect(await sample({ width: 500, height: 375, ratio: [0, 1] })).toMatchObject({ ok: false, error: { field: 'ratio.0' } });
    expect(await sample({ width: 0, height: 375 })).toMatchObject({ ok: false, error: { field: 'width' } });
    expect(await sample({ n: 3 })).toMatchObject({ ok: false, error: { field: 'imageId' } });
  });

  it('renders the K×K patches of a dataset image as PNGs', async () => {
    const root = join(t.dir, 'ds');
    mkdirSync(join(root, 'a'), { recursive: true });
    await writePng(join(root, 'a', 'x.png'), 64, 48);
    const ds = await (await lab.datasets.open(root)).scanned;
    const image = lab.datasetImages.images(ds.id, { offset: 0, limit: 1 }).images[0]!;
    const reply = await sample({ imageId: image.id, n: 3, kTrain: 32, kTest: 40, patches: true });
    const value = (reply as { ok: true; value: CropSample }).value;
    expect([value.width, value.height]).toEqual([64, 48]);
    expect(value.patches!.train).toHaveLength(3);
    const meta = await sharp(Buffer.from(value.patches!.test.split(',')[1]!, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 40, 40]);
  });
});
