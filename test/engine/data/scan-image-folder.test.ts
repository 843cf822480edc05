import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanImageFolder } from '../../../src/engine/data/scan-image-folder';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function fresh(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });

describe('scanImageFolder', () => {
  it('lists root/<class>/* images with their class, nested folders included', async () => {
    const root = fresh();
    await makeImageFolder(root, { cat: 2, dog: 1 });
    mkdirSync(join(root, 'dog', 'more'));
    writeFileSync(join(root, 'dog', 'more', 'x.JPG'), 'not decoded by the walk');
    const result = await scanImageFolder(root, ctx());
    expect(result.layout).toBe('imagefolder');
    expect(result.classNames).toEqual(['cat', 'dog']);
    expect(result.images.map((i) => [i.relPath, i.className, i.split])).toEqual([
      ['cat/img-0.png', 'cat', null],
      ['cat/img-1.png', 'cat', null],
      ['dog/img-0.png', 'dog', null],
      ['dog/more/x.JPG', 'dog', null],
    ]);
  });

  it('recognises root/train|val/<class> and labels each image with its split', async () => {
    const root = fresh();
    await makeImageFolder(root, { a: 2, b: 1 }, 'train');
    await makeImageFolder(root, { a: 1 }, 'val');
    const result = await scanImageFolder(root, ctx());
    expect(result.layout).toBe('imagefolder-split');
    expect(result.images.filter((i) => i.split === 'val').map((i) => i.relPath)).toEqual(['val/a/img-0.png']);
    expect(result.images.filter((i) => i.split === 'train')).toHaveLength(3);
  });

  it('records non-images and loose files as skipped, with a reason', async () => {
    const root = fresh();
    await makeImageFolder(root, { a: 1 });
    writeFileSync(join(root, 'README.txt'), 'hi');
    writeFileSync(join(root, 'a', 'labels.csv'), 'x');
    const { skipped } = await scanImageFolder(root, ctx());
    expect(skipped).toEqual([
      { relPath: 'README.txt', reason: 'file outside any class folder' },
      { relPath: 'a/labels.csv', reason: 'not an image file' },
    ]);
  });

  it('survives a symlink loop', async () => {
    const root = fresh();
    await makeImageFolder(root, { a: 1 });
    symlinkSync(join(root, 'a'), join(root, 'a', 'loop'));
    const result = await scanImageFolder(root, ctx());
    expect(result.images).toHaveLength(1);
    expect(result.skipped).toContainEqual({ relPath: 'a/loop', reason: 'folder link loop' });
  });

  it('refuses files and folders that link outside the dataset', async () => {
    const root = fresh();
    const outside = fresh();
    await makeImageFolder(root, { a: 1 });
    await makeImageFolder(outside, { b: 1 });
    symlinkSync(join(outside, 'b', 'img-0.png'), join(root, 'a', 'escape.png'));
    symlinkSync(join(outside, 'b'), join(root, 'a', 'elsewhere'));
    symlinkSync(join(root, 'a', 'img-0.png'), join(root, 'a', 'inside.png'));
    const result = await scanImageFolder(root, ctx());
    expect(result.images.map((i) => i.relPath)).toEqual(['a/img-0.png', 'a/inside.png']);
    expect(result.skipped).toEqual([
      { relPath: 'a/elsewhere', reason: 'folder links outside the dataset (refused)' },
      { relPath: 'a/escape.png', reason: 'links outside the dataset (refused)' },
    ]);
  });

  it('handles unicode and spaces in names', async () => {
    const root = fresh();
    await makeImageFolder(root, { 'chat noir é': 1, 猫: 1 });
    expect((await scanImageFolder(root, ctx())).classNames).toEqual(['chat noir é', '猫']);
  });

  it('explains a missing folder, a file and a folder without images', async () => {
    const root = fresh();
    await expect(scanImageFolder(join(root, 'nope'), ctx())).rejects.toThrow(/Folder not found/);
    writeFileSync(join(root, 'file.png'), '');
    await expect(scanImageFolder(join(root, 'file.png'), ctx())).rejects.toThrow(/Not a folder/);
    mkdirSync(join(root, 'empty', 'cls'), { recursive: true });
    await expect(scanImageFolder(join(root, 'empty'), ctx())).rejects.toThrow(/No images found/);
  });

  it('stops when cancelled', async () => {
    const root = fresh();
    await makeImageFolder(root, { a: 3 });
    const controller = new AbortController();
    controller.abort();
    await expect(scanImageFolder(root, { signal: controller.signal, progress: () => undefined })).rejects.toThrow(/cancelled/);
  });
});
