import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseRoots, listFolder } from '../../../src/lab/folders/folder-browser';
import { tempDir } from '../../helpers/fixtures';

const t = tempDir('fixres-browse-');
const root = join(t.dir, 'home');
const outside = join(t.dir, 'elsewhere');

beforeAll(() => {
  mkdirSync(join(root, 'photos', 'cats'), { recursive: true });
  mkdirSync(join(root, '.hidden'), { recursive: true });
  mkdirSync(join(outside, 'secret'), { recursive: true });
  writeFileSync(join(root, 'labels.csv'), 'path,label\n');
  writeFileSync(join(root, 'photo.jpg'), 'x');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(root, 'photos'), join(root, 'shortcut'));
});
afterAll(() => t.cleanup());

describe('the web mode folder browser', () => {
  it('lists sub-folders and CSV manifests, not files or hidden entries, with the folder above', async () => {
    const listing = await listFolder(root, [root]);
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['labels.csv', 'manifest'],
      ['photos', 'folder'],
      ['shortcut', 'folder'],
    ]);
    expect(listing.parent).toBeNull(); // a root has nothing above it to browse
    expect((await listFolder(join(root, 'photos'), [root])).parent).toBe(root);
  });

  it('lists the roots without a path, and follows the app’s path rules (~ expanded, relative refused)', async () => {
    expect((await listFolder(undefined, [root])).entries.map((e) => e.path)).toEqual([root]);
    await expect(listFolder('photos', [root])).rejects.toThrow(/Give the full path/);
    expect(browseRoots('/data', {}, '/home/u')).toEqual(['/home/u', '/data']);
    expect(browseRoots('/data', { FIXRES_BROWSE_ROOTS: `~/images:/srv/sets` }, '/home/u')).toEqual([
      '/home/u/images',
      '/srv/sets',
    ]);
  });

  it('refuses folders outside the roots, also through a symbolic link, saying how to allow them', async () => {
    await expect(listFolder(outside, [root])).rejects.toThrow(
      /outside the folders this lab lets a browser see .* FIXRES_BROWSE_ROOTS/,
    );
    await expect(listFolder(join(root, 'escape', 'secret'), [root])).rejects.toThrow(/outside the folders/);
    await expect(listFolder(join(root, '..'), [root])).rejects.toThrow(/outside the folders/);
    await expect(listFolder(join(root, 'nope'), [root])).rejects.toThrow(/There is no folder/);
    await expect(listFolder(join(root, 'photo.jpg'), [root])).rejects.toThrow(/is a file, not a folder/);
  });
});
