import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodedCache } from '../../../../src/engine/data/cache/decoded-cache';
import { tempDir } from '../../../helpers/fixtures';

const t = tempDir('fixres-decoded-cache-');
afterAll(() => t.cleanup());

const entry = (v: number) => ({
  image: { data: new Uint8Array(12).fill(v), width: 2, height: 2 },
  originalWidth: 4,
  originalHeight: 4,
});

describe('DecodedCache', () => {
  it('evicts the least recently used copy beyond its memory budget and reads spilled ones back', async () => {
    const dir = join(t.dir, 'spill');
    const cache = new DecodedCache({ budgetBytes: 24, dir });
    await cache.put('a', entry(1));
    await cache.put('b', entry(2));
    await cache.get('a');
    await cache.put('c', entry(3));
    expect(cache.bytesInMemory).toBe(24);
    expect(readdirSync(dir).filter((f) => f.endsWith('.rgb'))).toHaveLength(3);
    expect((await cache.get('b'))!.image.data).toEqual(new Uint8Array(12).fill(2));
  });

  it('keeps working in memory when its copies cannot be written to disk, and says why', async () => {
    // A folder under a regular file cannot be made, even by root (as a full disk cannot be written).
    const blocker = join(t.dir, 'blocker');
    writeFileSync(blocker, '');
    const cache = new DecodedCache({ budgetBytes: 12, dir: join(blocker, 'spill') });
    await expect(cache.put('a', entry(1))).resolves.toBeUndefined();
    expect(cache.spillError).toMatch(/ENOTDIR|EEXIST/);
    expect((await cache.get('a'))!.image.data).toEqual(new Uint8Array(12).fill(1));
    await cache.put('b', entry(2));
    // Evicted from memory and never on disk: a miss, so the caller decodes the image again.
    expect(await cache.get('a')).toBeNull();
  });
});
