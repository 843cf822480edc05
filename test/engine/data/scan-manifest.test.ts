import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanManifest } from '../../../src/engine/data/scan-manifest';
import { tempDir, writePng } from '../../helpers/fixtures';

const t = tempDir();
afterAll(() => t.cleanup());
const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });

describe('scanManifest', () => {
  it('reads path,label[,split] rows and records every unusable row with its line', async () => {
    const root = join(t.dir, 'ds');
    mkdirSync(join(root, 'img', 'sub'), { recursive: true });
    await writePng(join(root, 'img', 'a.png'));
    await writePng(join(root, 'img', 'sub', 'b.png'));
    await writePng(join(root, 'img', 'c d.png'));
    writeFileSync(join(t.dir, 'secret.png'), 'x');
    symlinkSync(join(t.dir, 'secret.png'), join(root, 'img', 'link.png'));
    writeFileSync(
      join(root, 'labels.csv'),
      [
        'path,label,split',
        'img/a.png,cat,train',
        './img/sub/b.png,dog,val',
        '"img/c d.png",cat,',
        'img/missing.png,cat,train',
        'img/a.png,dog,train',
        '../secret.png,cat,train',
        'img/link.png,cat,train',
        'img/a.txt,cat,train',
        'img/sub/b.png,,train',
        'img/e.png,cat,holdout',
      ].join('\n'),
    );
    const result = await scanManifest(root, 'labels.csv', ctx());
    expect(result.layout).toBe('manifest');
    expect(result.classNames).toEqual(['cat', 'dog']);
    expect(result.images.map((i) => [i.relPath, i.className, i.split])).toEqual([
      ['img/a.png', 'cat', 'train'],
      ['img/sub/b.png', 'dog', 'val'],
      ['img/c d.png', 'cat', null],
    ]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/not found.*labels\.csv:5\)$/),
      expect.stringMatching(/listed twice.*:6\)$/),
      expect.stringMatching(/outside the dataset.*:7\)$/),
      expect.stringMatching(/links outside the dataset.*:8\)$/),
      expect.stringMatching(/not an image file.*:9\)$/),
      expect.stringMatching(/missing label.*:10\)$/),
      expect.stringMatching(/unknown split "holdout".*:11\)$/),
    ]);
  });

  it('explains a missing manifest, one outside the folder, and one without usable rows', async () => {
    const root = join(t.dir, 'empty');
    mkdirSync(root);
    await expect(scanManifest(root, 'nope.csv', ctx())).rejects.toThrow(/Cannot read manifest nope\.csv/);
    await expect(scanManifest(root, '../x.csv', ctx())).rejects.toThrow(/inside the dataset folder/);
    writeFileSync(join(root, 'm.csv'), 'path,label\nx.png,a\n');
    await expect(scanManifest(root, 'm.csv', ctx())).rejects.toThrow(/No usable rows/);
  });
});
