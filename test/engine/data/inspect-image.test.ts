import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelStats, inspectImage } from '../../../src/engine/data/inspect-image';
import { thumbnailFile } from '../../../src/shared/jobs/inspect';
import { tempDir } from '../../helpers/fixtures';
import { brokenImages, unusualImages } from '../../helpers/image-zoo';

const t = tempDir();
const root = join(t.dir, 'ds');
const thumbDir = join(t.dir, 'thumbs');
const options = () => ({ rootReal: root, thumbDir, thumbSide: 32 });

beforeAll(() => mkdirSync(join(root, 'x'), { recursive: true }));
afterAll(() => t.cleanup());

describe('inspectImage', async () => {
  const unusual = await unusualImages();
  const broken = await brokenImages();

  it.each(Object.keys(unusual))('reads size, format, hash and a thumbnail of a %s image', async (name) => {
    const { bytes, ext, width, height } = unusual[name]!;
    const rel = `x/${name.replace(/ /g, '_')}${ext}`;
    writeFileSync(join(root, rel), bytes);
    const r = await inspectImage(root, rel, options());
    expect(r).toMatchObject({ relPath: rel, status: 'ok', error: null, width, height });
    expect(r.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(r.format).toBe({ '.jpg': 'jpeg', '.tif': 'tiff' }[ext] ?? ext.slice(1));
    expect(existsSync(join(thumbDir, thumbnailFile(r.hash!)))).toBe(true);
  });

  it.each(Object.keys(broken))('reports a %s as unreadable with its reason instead of throwing', async (name) => {
    const { bytes, ext, reason } = broken[name]!;
    const rel = `x/broken_${name.replace(/ /g, '_')}${ext}`;
    writeFileSync(join(root, rel), bytes);
    const r = await inspectImage(root, rel, options());
    expect(r.status).toBe('unreadable');
    expect(r.error).toMatch(reason);
    expect(r.width).toBeNull();
  });

  it('reports a file that vanished', async () => {
    expect(await inspectImage(root, 'x/gone.png', options())).toMatchObject({
      status: 'unreadable',
      error: expect.stringMatching(/not found/),
    });
  });
});

describe('channelStats', () => {
  it('gives per-channel mean and mean square on the 0..1 scale', () => {
    const s = channelStats(Uint8Array.from([255, 0, 51, 0, 0, 51]));
    expect(s.channelMean).toEqual([0.5, 0, 0.2]);
    expect(s.channelMeanSquare![0]).toBeCloseTo(0.5, 12);
    expect(s.channelMeanSquare![2]).toBeCloseTo(0.04, 12);
  });
});
