import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimRunFolder, foreignFoldersNotice, foreignRunFolders, OWNER_FILE } from '../../../src/lab/runs/run-folders';
import { tempDir } from '../../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function runsRoot(): string {
  const t = tempDir('fixres-run-folders-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'runs');
}

describe('run folders', () => {
  it('makes <runs>/<id> for a new run, marked with the database and run it belongs to', () => {
    const root = runsRoot();
    const dir = claimRunFolder(root, 7, 'db-a');
    expect(dir).toBe(join(root, '7'));
    expect(JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8'))).toMatchObject({ databaseId: 'db-a', runId: 7 });
  });

  it('never writes into a folder that exists already: the run gets the next free name', () => {
    const root = runsRoot();
    mkdirSync(join(root, '1'), { recursive: true });
    writeFileSync(join(root, '1', 'latest.json'), '{"name":"ckpt-old"}');
    mkdirSync(join(root, '1-2'));
    const dir = claimRunFolder(root, 1, 'db-b');
    expect(dir).toBe(join(root, '1-3'));
    expect(readdirSync(join(root, '1'))).toEqual(['latest.json']);
  });

  it('finds folders this database did not make, in numeric order, and leaves out its own', () => {
    const root = runsRoot();
    const ours = claimRunFolder(root, 3, 'db-a');
    for (const name of ['10', '2', '1']) mkdirSync(join(root, name), { recursive: true });
    claimRunFolder(root, 4, 'db-other');
    // A folder of ours from before folders were marked: a run of this database points there.
    mkdirSync(join(root, '5'));
    writeFileSync(join(root, 'stray-file'), '');
    expect(foreignRunFolders(root, 'db-a', [join(root, '5')])).toEqual(['1', '2', '4', '10']);
    expect(foreignRunFolders(root, 'db-a', [])).toContain('5');
    expect(foreignRunFolders(root, 'db-a', [ours])).not.toContain('3');
    expect(foreignRunFolders(join(root, 'missing'), 'db-a', [])).toEqual([]);
  });

  it('says how many foreign folders were found, where they are kept, and names the first few', () => {
    expect(foreignFoldersNotice('/home/u/.fixres-lab/runs', [])).toBeNull();
    expect(foreignFoldersNotice('/home/u/.fixres-lab/runs', ['1', '2', '3', '4', '5', '6', '7'])).toBe(
      'Found 7 run folders from another database: kept in /home/u/.fixres-lab/runs (1, 2, 3, 4, 5, …). ' +
        'This database never writes into them; its runs get folders of their own.',
    );
  });

  it('says why a run folder cannot be made, and that nothing was started', () => {
    const root = runsRoot();
    mkdirSync(join(root, '..'), { recursive: true });
    writeFileSync(root, 'a file where the runs folder should be');
    expect(() => claimRunFolder(join(root, 'deeper'), 1, 'db-a')).toThrow(
      /^Cannot make the run's folder in .*: a part of the path is a file\. Nothing was started; fix the disk and start it again\.$/,
    );
  });
});
