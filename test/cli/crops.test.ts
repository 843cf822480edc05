import { afterAll, describe, expect, it } from 'vitest';
import { sampleTrainCrop } from '../../src/core/crops';
import { Rng } from '../../src/core/rng';
import { tempDir } from '../helpers/fixtures';
import { runFixres as fixres } from '../helpers/cli';

const t = tempDir();
afterAll(() => t.cleanup());

describe('fixres crops', () => {
  it('prints the seeded boxes (x, y, w, h) and the test crop as JSON', async () => {
    const r = await fixres(
      ['crops', '--width', '500', '--height', '375', '--n', '4', '--seed', '9', '--scale', '0.2,1', '--k-test', '288', '--json'],
      t.dir,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const rng = Rng.fromSeed(9);
    const expected = Array.from({ length: 4 }, () => sampleTrainCrop(500, 375, { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, rng));
    expect(out.train.map(({ x, y, w, h }: Record<string, number>) => ({ x, y, w, h }))).toEqual(
      expected.map(({ x, y, w, h }) => ({ x, y, w, h })),
    );
    expect(out.test).toMatchObject({ resizedWidth: 438, resizedHeight: 329 });
  });

  it('names the bad option', async () => {
    const r = await fixres(['crops', '--width', 'wide', '--height', '10'], t.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--width must be a number/);
    const bad = await fixres(['crops', '--width', '10', '--height', '10', '--crop-pct', '2'], t.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cropPct: must be at most 1 \(--crop-pct\)/);
  });
});
