import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, Inspection } from '../../../src/shared/api/datasets';
import type { Run } from '../../../src/shared/api/runs';
import { tempDir, writePng } from '../../helpers/fixtures';
import { brokenImages, unusualImages } from '../../helpers/image-zoo';
import { setEnv } from '../helpers/training-lab';
import { engineWritableDir, shareNewFoldersWithEngine, unprivilegedEngine } from '../helpers/unprivileged';
import { startWebLab, type WebLab } from '../helpers/web-lab';

const t = tempDir('fixres-faults-input-');
let web: WebLab;
let undoEnv: () => void;
const root = (name: string) => join(t.dir, 'data', name);

/** `count` real PNGs in `dir`, named by `name(i)`. */
async function pngs(dir: string, count: number, name = (i: number) => `${i}.png`): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writePng(join(dir, name(i)), 12, 12, [(i * 37) % 256, 90, 200 - i]);
}

beforeAll(async () => {
  undoEnv = setEnv({ FIXRES_BACKEND: 'cpu' });
  engineWritableDir(t.dir, join(t.dir, 'data'));
  mkdirSync(root('empty'));
  writeFileSync(root('notes.txt'), 'not a dataset');
  await pngs(root('locked'), 2);
  await pngs(join(root('single'), 'only'), 10);

  const messy = root('messy');
  await pngs(join(messy, 'cats'), 3);
  writeFileSync(join(messy, 'cats', 'readme.md'), '# cats');
  for (const [name, img] of Object.entries(await brokenImages()))
    writeFileSync(join(messy, 'cats', `${name}${img.ext}`), img.bytes);
  mkdirSync(join(messy, 'dogs'));
  for (const [name, img] of Object.entries(await unusualImages()))
    writeFileSync(join(messy, 'dogs', `${name}${img.ext}`), img.bytes);
  await pngs(join(messy, 'dogs'), 1, () => 'locked.png');
  mkdirSync(join(messy, 'empty class'));
  await pngs(join(messy, 'locked class'), 1);
  mkdirSync(join(messy, 'loop'));
  await pngs(join(messy, 'loop'), 1);
  symlinkSync('..', join(messy, 'loop', 'again'));

  const odd = root('ünïcode dätä 🐱 with spaces');
  const longName = (i: number) => `${'very long file name '.repeat(11)}${i}.png`;
  await pngs(join(odd, '猫 cats'), 10, longName);
  let deep = join(odd, 'dogs and more dogs');
  for (let level = 0; level < 12; level++) deep = join(deep, `nested folder number ${level} ${'x'.repeat(80)}`);
  await pngs(deep, 10);

  shareNewFoldersWithEngine();
  web = await startWebLab({ spawnEngine: unprivilegedEngine, dataDir: engineWritableDir(t.dir, join(t.dir, 'home')) });
  chmodSync(root('locked'), 0o000);
  chmodSync(join(messy, 'locked class'), 0o000);
  chmodSync(join(messy, 'dogs', 'locked.png'), 0o000);
}, 120_000);

afterAll(async () => {
  await web.close();
  undoEnv();
  t.cleanup();
});

/** Opens a folder through the API and waits for its scan to end. */
async function openAndScan(path: string): Promise<Dataset> {
  const opened = await web.value<Dataset>('datasets.open', { root: path });
  await web.lab.datasets.rescan(opened.id).scanned;
  return web.value<Dataset>('datasets.get', { id: opened.id });
}

describe('bad dataset folders, through the web API', () => {
  it('refuses a folder that does not exist or a file that is not a folder, naming the field, and stores nothing', async () => {
    for (const [path, message] of [
      [root('missing'), /Folder not found: .*missing/],
      [root('notes.txt'), /Not a folder or a \.csv manifest: .*notes\.txt/],
    ] as const) {
      const { status, reply } = await web.call('datasets.open', { root: path });
      expect(status).toBe(200);
      expect(reply).toMatchObject({
        ok: false,
        error: { name: 'UserError', field: 'root', message: expect.stringMatching(message) },
      });
    }
    expect(await web.value('datasets.list')).toEqual([]);
  });

  it('drops an empty folder and an unreadable one at their first scan, telling the clients why with the folder named', async () => {
    for (const [name, reason] of [
      ['empty', /No images found in .*empty/],
      ['locked', /Cannot read folder .*locked: permission denied/],
    ] as const) {
      const removed = new Promise<unknown>((done) => {
        const stop = web.lab.events.subscribe((event, payload) => {
          if (event === 'dataset.removed' && (payload as { root: string | null }).root === root(name)) {
            stop();
            done(payload);
          }
        });
      });
      const opened = await web.value<Dataset>('datasets.open', { root: root(name) });
      expect(await removed).toEqual({ id: opened.id, root: root(name), reason: expect.stringMatching(reason) });
      expect((await web.value<Dataset[]>('datasets.list')).map((d) => d.id)).not.toContain(opened.id);
    }
  });

  it('lists every problem of a messy folder with its reason, and loads every unusual image at its true size', async () => {
    const ds = await openAndScan(root('messy'));
    expect(ds.status).toBe('ready');
    const inspection = await web.value<Inspection>('datasets.inspection', { id: ds.id });
    const skipped = Object.fromEntries(inspection.skipped.items.map((s) => [s.relPath, s.reason]));
    expect(skipped).toMatchObject({
      'cats/readme.md': 'not an image file',
      'empty class': 'class folder with no images',
      'locked class': 'unreadable folder (permission denied)',
      'loop/again': 'folder link loop',
    });
    const unreadable = Object.fromEntries(inspection.unreadable.items.map((u) => [u.relPath, u.reason]));
    for (const [name, { ext, reason }] of Object.entries(await brokenImages()))
      expect(unreadable[`cats/${name}${ext}`], name).toMatch(reason);
    expect(unreadable['dogs/locked.png']).toBe('permission denied');

    const { images } = await web.value<{ images: { id: number; relPath: string; status: string }[] }>('datasets.images', {
      id: ds.id,
      className: 'dogs',
      limit: 200,
    });
    for (const [name, img] of Object.entries(await unusualImages())) {
      const row = images.find((i) => i.relPath === `dogs/${name}${img.ext}`)!;
      expect(row.status, name).toBe('ok');
      const preview = await web.value<{ dataUrl: string; width: number; height: number }>('datasets.preview', {
        imageId: row.id,
      });
      expect([preview.width, preview.height], name).toEqual([img.width, img.height]);
      const meta = await sharp(Buffer.from(preview.dataUrl.split(',')[1]!, 'base64')).metadata();
      expect([meta.width, meta.height], name).toEqual([img.width, img.height]);
    }
  });

  it('reads files and folders again on a rescan once their permissions are fixed', async () => {
    chmodSync(join(root('messy'), 'dogs', 'locked.png'), 0o644);
    chmodSync(join(root('messy'), 'locked class'), 0o755);
    const ds = web.lab.datasets.list().find((d) => d.root === root('messy'))!;
    await web.lab.datasets.rescan(ds.id).scanned;
    const inspection = await web.value<Inspection>('datasets.inspection', { id: ds.id });
    expect(inspection.unreadable.items.map((u) => u.relPath)).not.toContain('dogs/locked.png');
    expect(inspection.skipped.items.map((s) => s.relPath)).not.toContain('locked class');
    expect((await web.value<Dataset>('datasets.get', { id: ds.id })).classes.map((c) => c.name)).toContain('locked class');
  });

  it('refuses to train on a single class, naming the field, and stores no run', async () => {
    const ds = await openAndScan(root('single'));
    const { reply } = await web.call('runs.start', { datasetId: ds.id, kTrain: 8, batchSize: 4 });
    expect(reply).toMatchObject({
      ok: false,
      error: { name: 'UserError', field: 'datasetId', message: expect.stringMatching(/needs at least two classes/) },
    });
    expect(await web.value('runs.list')).toEqual([]);
  });

  it('scans, previews and trains on a folder with unicode, spaces and very long paths', async () => {
    const ds = await openAndScan(root('ünïcode dätä 🐱 with spaces'));
    expect(ds).toMatchObject({ status: 'ready', imageCount: 20, problems: { unreadable: 0, skipped: 0 } });
    expect(ds.classes.map((c) => c.name)).toEqual(['dogs and more dogs', '猫 cats']);
    const { images } = await web.value<{ images: { id: number; relPath: string }[] }>('datasets.images', {
      id: ds.id,
      limit: 200,
    });
    expect(Math.max(...images.map((i) => Buffer.byteLength(join(ds.root, i.relPath))))).toBeGreaterThan(1000);
    const thumbs = await web.value<{ dataUrl: string | null }[]>('datasets.thumbnails', { imageIds: images.map((i) => i.id) });
    expect(thumbs.every((th) => th.dataUrl?.startsWith('data:image/webp'))).toBe(true);
    const run = await web.value<Run>('runs.start', { datasetId: ds.id, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8 });
    await web.lab.jobs.idle();
    expect(await web.value<Run>('runs.get', { id: run.id })).toMatchObject({ status: 'completed', epochsDone: 1 });
  });
});
