import { rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function labAt(dataDir: string): Lab {
  const lab = createLab({ dataDir, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  cleanups.unshift(() => lab.close());
  return lab;
}

describe('DatasetService (with a real engine process)', () => {
  it('opens a folder, scans it in the engine and lists its classes', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'pets'), { cat: 3, dog: 2 });
    const lab = labAt(join(t.dir, 'home'));
    const seen: string[] = [];
    lab.events.subscribe((event) => seen.push(event));
    const { dataset, scanned } = await lab.datasets.open(join(t.dir, 'pets'));
    expect(dataset.status).toBe('scanning');
    const done = await scanned;
    expect(done).toMatchObject({ status: 'ready', imageCount: 5, name: 'pets' });
    expect(done.classes.map((c) => [c.name, c.count])).toEqual([
      ['cat', 3],
      ['dog', 2],
    ]);
    expect(seen).toContain('dataset.updated');
  });

  it('remembers opened datasets across restarts', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'pets'), { cat: 1 });
    const first = labAt(join(t.dir, 'home'));
    await (
      await first.datasets.open(join(t.dir, 'pets'))
    ).scanned;
    first.close();
    const second = labAt(join(t.dir, 'home'));
    expect(second.datasets.list().map((d) => [d.name, d.imageCount])).toEqual([['pets', 1]]);
  });

  it('refuses a folder that does not exist and writes nothing', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const lab = labAt(':memory:');
    await expect(lab.datasets.open(join(t.dir, 'missing'))).rejects.toThrow(/Folder not found/);
    expect(lab.datasets.list()).toEqual([]);
  });

  it('keeps nothing of a folder without images: the scan fails with the reason and the clients hear it left', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const lab = labAt(':memory:');
    const removed: unknown[] = [];
    lab.events.subscribe((event, payload) => event === 'dataset.removed' && removed.push(payload));
    const opened = await lab.datasets.open(t.dir);
    await expect(opened.scanned).rejects.toThrow(/No images found/);
    expect(lab.datasets.list()).toEqual([]);
    expect(removed).toEqual([{ id: opened.dataset.id, root: t.dir, reason: expect.stringMatching(/No images found/) }]);
  });

  it('keeps a dataset whose rescan finds its folder emptied, as failed with the reason (its runs refer to it)', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'pets'), { cat: 2 });
    const lab = labAt(':memory:');
    const first = await (await lab.datasets.open(join(t.dir, 'pets'))).scanned;
    rmSync(join(t.dir, 'pets', 'cat'), { recursive: true });
    const again = await lab.datasets.rescan(first.id).scanned;
    expect(again).toMatchObject({ id: first.id, status: 'failed', error: expect.stringMatching(/No images found/) });
  });

  it('counts usable images only, so the classes add up to the image count; unreadable files are problems', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'pets'), { cat: 3, dog: 2 });
    writeFileSync(join(t.dir, 'pets', 'cat', 'broken.jpg'), 'not a jpeg');
    const lab = labAt(':memory:');
    const done = await (await lab.datasets.open(join(t.dir, 'pets'))).scanned;
    expect(done.problems.unreadable).toBe(1);
    expect(done.imageCount).toBe(5);
    expect(done.classes.reduce((n, c) => n + c.count, 0)).toBe(done.imageCount);
    expect(done.classes.reduce((n, c) => n + c.train + c.val, 0)).toBe(done.imageCount);
    // The Sizes tab's formats too (the papercut: a folder showed 317 images while formats summed to 313).
    const { formats } = lab.datasetImages.inspection(done.id);
    expect(formats.reduce((n, f) => n + f.count, 0)).toBe(done.imageCount);
  });

  it('takes ~ as the home folder and refuses a relative path, which would be read from where the lab started', async () => {
    const lab = labAt(':memory:');
    await expect(lab.datasets.open('pets')).rejects.toThrow(/full path of the folder/);
    await expect(lab.datasets.open(`~/${'no-such-folder-'}${process.pid}`)).rejects.toThrow(
      new RegExp(`Folder not found: ${homedir()}/no-such-folder-`),
    );
  });

  it('keeps working after the engine process is killed', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'pets'), { cat: 2 });
    const lab = labAt(':memory:');
    const opened = await lab.datasets.open(join(t.dir, 'pets'));
    lab.engines.io.stop();
    const failed = await opened.scanned;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/engine stopped unexpectedly/);
    const retried = await lab.datasets.rescan(failed.id).scanned;
    expect(retried.status).toBe('ready');
  });
});
