import { copyFileSync, mkdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { imageSizes } from '../../../src/store/images';
import { makeImageFolder, tempDir, writePng } from '../../helpers/fixtures';
import { brokenImages, unusualImages } from '../../helpers/image-zoo';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(): { dir: string; lab: Lab } {
  const t = tempDir();
  const lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  cleanups.push(t.cleanup, () => lab.close());
  return { dir: t.dir, lab };
}

/** Paths the lab sent to `inspect` jobs (what a scan actually read). */
function spyInspected(lab: Lab): string[] {
  const read: string[] = [];
  const run = lab.engines.io.run.bind(lab.engines.io);
  vi.spyOn(lab.engines.io, 'run').mockImplementation(((kind: string, input: { relPaths?: string[] }, opts: unknown) => {
    if (kind === 'inspect') read.push(...input.relPaths!);
    return run(kind as never, input as never, opts as never);
  }) as never);
  return read;
}

describe('dataset scan and inspection', () => {
  it('loads every unusual image, reports every broken file with its reason and skips it', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'zoo');
    mkdirSync(join(root, 'ok'), { recursive: true });
    mkdirSync(join(root, 'bad'), { recursive: true });
    for (const [name, img] of Object.entries(await unusualImages()))
      writeFileSync(join(root, 'ok', `${name}${img.ext}`), img.bytes);
    const broken = await brokenImages();
    for (const [name, img] of Object.entries(broken)) writeFileSync(join(root, 'bad', `${name}${img.ext}`), img.bytes);
    writeFileSync(join(root, 'bad', 'notes.txt'), 'hello');

    const ds = await (await lab.datasets.open(root)).scanned;
    expect(ds.status).toBe('ready');
    expect(ds.classes).toEqual([{ name: 'ok', count: 11, train: expect.any(Number), val: expect.any(Number) }]);
    expect(ds.problems).toMatchObject({ unreadable: Object.keys(broken).length, skipped: 1 });
    const inspection = lab.datasetImages.inspection(ds.id);
    const reasons = Object.fromEntries(inspection.unreadable.items.map((u) => [u.relPath, u.reason]));
    for (const [name, { ext, reason }] of Object.entries(broken)) expect(reasons[`bad/${name}${ext}`], name).toMatch(reason);
    expect(inspection.skipped.items).toEqual([{ relPath: 'bad/notes.txt', reason: 'not an image file' }]);
    expect(inspection.formats.map((f) => f.format).sort()).toEqual(['avif', 'gif', 'jpeg', 'png', 'tiff', 'webp']);
    // All 6×4 or smaller: tiny against the K a run trains at, not against their own median shorter side.
    expect(inspection).toMatchObject({ tinyBasis: 'median', tiny: { total: 0 } });
    expect(lab.datasetImages.inspection(ds.id, 32)).toMatchObject({ tinySide: 32, tinyBasis: 'requested', tiny: { total: 11 } });
  });

  it('flags exact duplicates, leaking ones (across classes or splits) first', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'dups');
    await makeImageFolder(root, { cat: 2, dog: 1 }, 'train');
    await makeImageFolder(root, { cat: 1 }, 'val');
    copyFileSync(join(root, 'train', 'cat', 'img-0.png'), join(root, 'train', 'cat', 'copy.png'));
    copyFileSync(join(root, 'train', 'cat', 'img-1.png'), join(root, 'train', 'dog', 'same-as-cat.png'));
    const ds = await (await lab.datasets.open(root)).scanned;
    expect(ds.problems).toMatchObject({ duplicateGroups: 2, leakingGroups: 2 });
    const groups = lab.datasetImages.inspection(ds.id).duplicates.items;
    expect(groups.map((g) => [g.crossClass, g.crossSplit, g.images.map((i) => i.relPath)])).toEqual([
      [false, true, ['train/cat/copy.png', 'train/cat/img-0.png', 'val/cat/img-0.png']],
      [true, false, ['train/cat/img-1.png', 'train/dog/same-as-cat.png']],
    ]);
  });

  it('re-reads only new or changed files on a rescan and keeps image ids', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'pets');
    await makeImageFolder(root, { cat: 3, dog: 2 });
    const first = await (await lab.datasets.open(root)).scanned;
    const ids = lab.datasetImages.images(first.id, { offset: 0, limit: 50 }).images;
    const read = spyInspected(lab);
    await writePng(join(root, 'cat', 'img-1.png'), 40, 30);
    utimesSync(join(root, 'cat', 'img-1.png'), new Date(), new Date(Date.now() + 5000));
    await writePng(join(root, 'dog', 'new.png'));
    unlinkSync(join(root, 'cat', 'img-2.png'));
    const second = await lab.datasets.rescan(first.id).scanned;
    expect(read.sort()).toEqual(['cat/img-1.png', 'dog/new.png']);
    expect(second.classes.map((c) => [c.name, c.count])).toEqual([
      ['cat', 2],
      ['dog', 3],
    ]);
    const after = lab.datasetImages.images(first.id, { offset: 0, limit: 50 }).images;
    expect(after.find((i) => i.relPath === 'cat/img-0.png')!.id).toBe(ids.find((i) => i.relPath === 'cat/img-0.png')!.id);
    expect(after.find((i) => i.relPath === 'cat/img-1.png')).toMatchObject({ width: 40, height: 30 });
  });

  it('cancels a scan: a first scan fails with a clear message, a rescan keeps the previous results', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'many');
    await makeImageFolder(root, { a: 150, b: 150 });
    const opened = await lab.datasets.open(root);
    const cancelled = await lab.datasets.cancelScan(opened.dataset.id);
    expect(cancelled).toMatchObject({ status: 'failed', error: expect.stringMatching(/cancelled/) });
    const done = await lab.datasets.rescan(opened.dataset.id).scanned;
    expect(done.imageCount).toBe(300);
    rmSync(join(root, 'b'), { recursive: true });
    lab.datasets.rescan(done.id);
    const kept = await lab.datasets.cancelScan(done.id);
    expect(kept.status).toBe('ready');
    expect(kept.imageCount).toBe(300);
  });

  it('splits a dataset without val folders with a seeded stratified split that setSplit changes', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'nosplit');
    await makeImageFolder(root, { a: 10, b: 5 });
    const ds = await (await lab.datasets.open(root)).scanned;
    expect(ds.split).toEqual({ source: 'seeded', valFraction: 0.2, seed: 0 });
    expect(ds.classes.map((c) => [c.train, c.val])).toEqual([
      [8, 2],
      [4, 1],
    ]);
    const resplit = lab.datasets.setSplit(ds.id, 0.5, 3);
    expect(resplit.classes.map((c) => [c.train, c.val])).toEqual([
      [5, 5],
      [2, 3],
    ]);
    expect(imageSizes(lab.db, ds.id, 'val').reduce((n, s) => n + s.count, 0)).toBe(8);
    const rescanned = await lab.datasets.rescan(ds.id).scanned;
    expect(rescanned.classes).toEqual(resplit.classes);
  });

  it('reads a CSV manifest opened as a file', async () => {
    const { dir, lab } = setup();
    const root = join(dir, 'csvds');
    await makeImageFolder(root, { x: 3 });
    writeFileSync(
      join(root, 'labels.csv'),
      'path,label,split\nx/img-0.png,red,train\nx/img-1.png,blue,val\nx/img-2.png,red,val\n',
    );
    const ds = await (await lab.datasets.open(join(root, 'labels.csv'))).scanned;
    expect(ds).toMatchObject({ layout: 'manifest', root, split: { source: 'manifest' } });
    expect(ds.classes.map((c) => [c.name, c.train, c.val])).toEqual([
      ['blue', 0, 1],
      ['red', 1, 1],
    ]);
  });
});
