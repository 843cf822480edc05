import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ThumbnailCache, thumbnailCacheBytes, withRoomFromThumbnails } from '../../../src/lab/datasets/thumbnail-cache';
import { tempDir } from '../../helpers/fixtures';

const t = tempDir();
afterAll(() => t.cleanup());

/** A cache folder holding `hashes` as 1000-byte files, used in the given order (oldest first). */
function cacheWith(name: string, hashes: string[], maxBytes: number): ThumbnailCache {
  const cache = new ThumbnailCache({ dir: `${t.dir}/${name}`, maxBytes });
  hashes.forEach((hash, i) => {
    const file = cache.fileOf(hash);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(1000));
    utimesSync(file, new Date(2026, 0, 1, 0, i), new Date(2026, 0, 1, 0, i));
  });
  return cache;
}

const present = (cache: ThumbnailCache, hashes: string[]) => hashes.filter((h) => existsSync(cache.fileOf(h)));

describe('ThumbnailCache', () => {
  it('evicts the least recently used thumbnails down to 90 % of its bound once it is over it', async () => {
    const hashes = ['aa01', 'aa02', 'bb03', 'bb04', 'cc05'];
    const cache = cacheWith('lru', hashes, 4000);
    await cache.used('aa01');
    expect(await cache.bytes()).toBe(5000);
    await cache.added([]);
    // Over 4000: down to ≤ 3600, oldest use first; aa01 was just shown.
    expect(present(cache, hashes)).toEqual(['aa01', 'bb04', 'cc05']);
    expect(await cache.bytes()).toBe(3000);
  });

  it('deletes the given thumbnails, or all of them for room, and never fails on a missing file', async () => {
    const hashes = ['dd01', 'dd02', 'ee03'];
    const cache = cacheWith('remove', hashes, 1e9);
    await cache.remove(['dd02', 'ff99']);
    expect(present(cache, hashes)).toEqual(['dd01', 'ee03']);
    expect(await cache.clear()).toBe(2000);
    expect(present(cache, hashes)).toEqual([]);
  });

  it('gives up its thumbnails and retries a database write that found the disk full, once', async () => {
    const cache = cacheWith('room', ['ab01'], 1e9);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    let calls = 0;
    expect(
      await withRoomFromThumbnails(cache, () => {
        if (calls++ === 0) throw full;
        return 'saved';
      }),
    ).toBe('saved');
    expect(present(cache, ['ab01'])).toEqual([]);
    // Nothing left to give: the error stands.
    await expect(
      withRoomFromThumbnails(cache, () => {
        throw full;
      }),
    ).rejects.toThrow('database or disk is full');
  });

  it('takes its bound from the lab option, then $FIXRES_THUMBNAIL_CACHE_MB, then 512 MB', () => {
    expect(thumbnailCacheBytes(2, { FIXRES_THUMBNAIL_CACHE_MB: '64' })).toBe(2 * 2 ** 20);
    expect(thumbnailCacheBytes(undefined, { FIXRES_THUMBNAIL_CACHE_MB: '64' })).toBe(64 * 2 ** 20);
    expect(thumbnailCacheBytes(undefined, { FIXRES_THUMBNAIL_CACHE_MB: 'lots' })).toBe(512 * 2 ** 20);
    expect(thumbnailCacheBytes(undefined, {})).toBe(512 * 2 ** 20);
  });
});
