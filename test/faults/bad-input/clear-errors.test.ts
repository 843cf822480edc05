import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import type { Dataset, Inspection } from '../../../src/shared/api/datasets';
import { runFixres } from '../../helpers/cli';
import { tempDir, writePng } from '../../helpers/fixtures';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../helpers/tmpfs';
import { startWebLab, type WebLab } from '../helpers/web-lab';

const t = tempDir('fixres-faults-errors-');
let web: WebLab;
beforeAll(async () => {
  web = await startWebLab();
});
afterAll(async () => {
  await web.close();
  t.cleanup();
});

/** Opens a folder or manifest over HTTP and waits for its scan to end; returns the dataset and its inspection. */
async function scanned(root: string): Promise<{ dataset: Dataset; inspection: Inspection }> {
  const { id } = await web.value<Dataset>('datasets.open', { root });
  await expect
    .poll(async () => (await web.value<Dataset>('datasets.get', { id })).status, { timeout: 60_000 })
    .not.toBe('scanning');
  return {
    dataset: await web.value<Dataset>('datasets.get', { id }),
    inspection: await web.value<Inspection>('datasets.inspection', { id }),
  };
}

describe('bad input gets an error that says what is wrong and where', () => {
  it('refuses image files too large to be images by their size, unread: 3 GB and 1.9 GB files are listed with their size, not ERR_FS_FILE_TOO_LARGE', async () => {
    const root = join(t.dir, 'huge');
    for (const c of ['a', 'b']) {
      mkdirSync(join(root, c), { recursive: true });
      await writePng(join(root, c, 'fine.png'), 12, 12, [10, 20, 30]);
    }
    // Sparse files: the size a user's disk would hold, without the disk space.
    for (const [name, bytes] of [
      ['a/huge.png', 3 * 2 ** 30],
      ['b/big.png', 1.9 * 2 ** 30],
    ] as const) {
      writeFileSync(join(root, name), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      truncateSync(join(root, name), Math.round(bytes));
    }
    const { dataset, inspection } = await scanned(root);
    // The count is of usable images (issue 16, papercut 1): the two too large to read are problems, not images.
    expect(dataset).toMatchObject({ status: 'ready', imageCount: 2, problems: { unreadable: 2 } });
    expect(Object.fromEntries(inspection.unreadable.items.map((i) => [i.relPath, i.reason]))).toEqual({
      'a/huge.png': 'file too large (3.0 GB; image files over 1.0 GB are not read)',
      'b/big.png': 'file too large (1.9 GB; image files over 1.0 GB are not read)',
    });
  });

  it('numbers manifest problems by the line the user sees, past a header and blank lines, and an unterminated quote costs only its own line', async () => {
    const root = join(t.dir, 'manifest');
    mkdirSync(join(root, 'img'), { recursive: true });
    for (const name of ['a', 'b', 'c', 'd']) await writePng(join(root, 'img', `${name}.png`), 12, 12, [name.charCodeAt(0), 9, 9]);
    const lines = [
      'path,label,split', // 1
      '', // 2
      'img/a.png,cat,train', // 3
      'img/missing.png,cat,train', // 4
      '', // 5
      '"img/b.png,dog,train', // 6: the quote is never closed
      'img/c.png,dog,val', // 7
      'img/d.png,cat,holdout', // 8
      'img/d.png,cat,val', // 9
    ];
    writeFileSync(join(root, 'labels.csv'), lines.join('\n'));
    const { dataset, inspection } = await scanned(join(root, 'labels.csv'));
    expect(dataset).toMatchObject({ status: 'ready', imageCount: 3 });
    expect(dataset.classes.map((c) => [c.name, c.count])).toEqual([
      ['cat', 2],
      ['dog', 1],
    ]);
    const reasons = inspection.skipped.items.map((s) => s.reason);
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unterminated quote.*\(labels\.csv:6\)$/),
        expect.stringMatching(/^file not found.*\(labels\.csv:4\)$/),
        expect.stringMatching(/^unknown split "holdout".*\(labels\.csv:8\)$/),
      ]),
    );
  });

  describe.skipIf(tmpfsUnavailable)(`on a read-only disk${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`, () => {
    let disk: Tmpfs;
    beforeAll(() => {
      disk = mountTmpfs(join(t.dir, 'readonly'), 8);
      // A data folder made while the disk was writable, then the disk turns read-only.
      createLab({ dataDir: join(disk.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' }).close();
      disk.setReadOnly(true);
    });
    afterAll(() => {
      disk.setReadOnly(false);
      disk.unmount();
    });

    it('names the read-only data folder, why and what to do, for an existing one and one that would have to be created; nothing is changed', async () => {
      const existing = join(disk.dir, 'home');
      const before = readFileSync(join(existing, 'lab.sqlite'));
      for (const home of [existing, join(disk.dir, 'new', 'home')]) {
        const expected = new RegExp(
          `^Cannot open FixRes Lab's data folder ${home}: read-only file system\\. .*nothing was changed\\. Make the folder writable .*FIXRES_HOME`,
        );
        expect(() => createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' })).toThrow(
          expected,
        );
        const cli = await runFixres(['runs', 'list'], home);
        expect(cli.code).toBe(1);
        expect(cli.stderr.replace(/^error: /, '').trim()).toMatch(expected);
      }
      expect(readFileSync(join(existing, 'lab.sqlite')).equals(before)).toBe(true);
    });

    it('says "read-only file system", not ENOENT, when a sample dataset cannot be written there', async () => {
      const target = join(disk.dir, 'samples', 'shapes');
      const cli = await runFixres(['dataset', 'synth', target], join(t.dir, 'cli-home'));
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(new RegExp(`Cannot create ${target}: read-only file system`));
      expect(cli.stderr).not.toMatch(/ENOENT/);
    });
  });
});
