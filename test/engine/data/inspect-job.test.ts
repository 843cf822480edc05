import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runInspectJob } from '../../../src/engine/data/inspect-job';
import type { InspectProgress } from '../../../src/shared/jobs/inspect';
import { tempDir, writePng } from '../../helpers/fixtures';

const t = tempDir();
afterAll(() => t.cleanup());

describe('runInspectJob', () => {
  it('streams every result exactly once, even when chunks are flushed while images are being read', async () => {
    const root = join(t.dir, 'ds');
    mkdirSync(join(root, 'a'), { recursive: true });
    const relPaths: string[] = [];
    for (let i = 0; i < 40; i++) {
      await writePng(join(root, 'a', `${i}.png`), 8 + i, 8);
      relPaths.push(`a/${i}.png`);
    }
    // A clock that jumps 300 ms per call makes every check flush, the race that once lost results;
    // chunks are copied as the engine serialises them when sending.
    let now = 0;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => (now += 300));
    const chunks: InspectProgress[] = [];
    try {
      const result = await runInspectJob(
        { root, relPaths, thumbDir: join(t.dir, 'thumbs'), thumbSide: 16 },
        { signal: new AbortController().signal, progress: (p) => chunks.push(structuredClone(p)) },
      );
      expect(result.done).toBe(40);
    } finally {
      spy.mockRestore();
    }
    const seen = chunks.flatMap((c) => c.images.map((i) => i.relPath));
    expect(seen.sort()).toEqual([...relPaths].sort());
  });
});
