import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/shared/api/datasets';
import { tempDir } from '../../helpers/fixtures';
import { manyImages } from '../helpers/datasets';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';

const t = tempDir('fixres-faults-forget-');
const large = join(t.dir, 'large');
let serve: ServeProcess;
beforeAll(async () => {
  await manyImages(large, 3000);
  serve = await startServeProcess(join(t.dir, 'home'));
});
afterAll(async () => {
  await serve?.stop();
  t.cleanup();
});

const valueOf = <T>(reply: Awaited<ReturnType<ServeProcess['call']>>): T => {
  if (!reply.ok) throw new Error(`${reply.error.name}: ${reply.error.message}`);
  return reply.value as T;
};

describe('a dataset is forgotten while it scans', () => {
  it('cancels the scan and keeps web mode running: the dataset is gone and the same folder opens and scans again', async () => {
    const reading = serve.nextEvent<{ phase?: string }>('dataset.scanProgress', (p) => p.phase === 'reading');
    const opened = valueOf<Dataset>(await serve.call('datasets.open', { root: large }));
    expect(opened.status).toBe('scanning');
    await reading;
    expect(valueOf(await serve.call('datasets.remove', { id: opened.id }))).toEqual({ removed: true });
    expect(valueOf<Dataset[]>(await serve.call('datasets.list'))).toEqual([]);

    // The lab goes on: the folder opens again and scans to the end (web mode died here before).
    const ready = serve.nextEvent<Dataset>('dataset.updated', (d) => d.root === large && d.status !== 'scanning');
    valueOf(await serve.call('datasets.open', { root: large }));
    expect(await ready).toMatchObject({ status: 'ready', imageCount: 3000 });
    expect(serve.exited()).toBeNull();
    expect(valueOf(await serve.call('app.info'))).toMatchObject({ transport: 'web' });
    expect(serve.stderr()).not.toMatch(/unhandled|removed during its scan/i);
  });
});
