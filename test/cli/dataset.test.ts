import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetProblem } from '../../src/shared/api/datasets';
import { runFixres, runMain } from '../helpers/cli';
import { makeImageFolder, tempDir, writePng } from '../helpers/fixtures';

const t = tempDir();
const home = join(t.dir, 'lab-home');
const user = join(t.dir, 'user');
const flowers = join(user, 'flowers');
let scanned: { id: number; name: string; problemFiles: DatasetProblem[] };

beforeAll(async () => {
  await makeImageFolder(flowers, { rose: 3, tulip: 2 });
  // A copy of a rose filed as a tulip (label noise), a broken file and a note that is no image.
  copyFileSync(join(flowers, 'rose', 'img-0.png'), join(flowers, 'tulip', 'copy.png'));
  writeFileSync(join(flowers, 'rose', 'broken.png'), 'not a png');
  writeFileSync(join(flowers, 'tulip', 'notes.txt'), 'hello');
  mkdirSync(join(user, 'elsewhere'));
  await writePng(join(user, 'big.png'), 64, 64);
  const r = await runMain(['dataset', 'scan', flowers, '--json'], home);
  expect(r.code).toBe(0);
  scanned = JSON.parse(r.stdout);
});
afterAll(() => t.cleanup());

describe('fixres dataset scan|show|problems', () => {
  it('lists every problem file with its reason, and one group for the copies of a duplicate', () => {
    const byKind = (kind: string) => scanned.problemFiles.filter((p) => p.kind === kind);
    expect(byKind('unreadable')).toEqual([expect.objectContaining({ file: 'rose/broken.png', className: 'rose' })]);
    expect(byKind('skipped')).toEqual([expect.objectContaining({ file: 'tulip/notes.txt', reason: 'not an image file' })]);
    const copies = byKind('duplicate');
    expect(copies.map((p) => p.file).sort()).toEqual(['rose/img-0.png', 'tulip/copy.png']);
    expect(copies[0]!.group).toMatch(/^[0-9a-f]{16,}$/);
    expect(copies[1]!.group).toBe(copies[0]!.group);
    expect(copies[0]!.leak).toContain('across-classes');
    expect(copies[0]!.reason).toBe('same content as 1 other file (across classes)');
  });

  it('prints them again for the scanned dataset, named by id, name or folder', async () => {
    const byId = await runMain(['dataset', 'problems', String(scanned.id), '--json'], home);
    expect(JSON.parse(byId.stdout)).toEqual(scanned.problemFiles);
    const byName = await runMain(['dataset', 'show', 'flowers', '--json'], home);
    expect(JSON.parse(byName.stdout)).toMatchObject({ id: scanned.id, problemFiles: scanned.problemFiles });
    const human = await runMain(['dataset', 'show', flowers], home);
    expect(human.stdout).toMatch(/^flowers: 6 images in 2 classes \(ready\)/);
    expect(human.stdout).toMatch(/duplicate +tulip\/copy\.png +same content as 1 other file/);
  });

  it('takes ~ as the home folder and a relative folder from the working directory', async () => {
    const tilde = await runFixres(['dataset', 'show', '~/flowers', '--json'], home, { env: { HOME: user } });
    expect(JSON.parse(tilde.stdout)).toMatchObject({ id: scanned.id });
    const relative = await runFixres(['dataset', 'problems', '../flowers', '--json'], home, { cwd: join(user, 'elsewhere') });
    expect(JSON.parse(relative.stdout)).toEqual(scanned.problemFiles);
  });

  it('resolves a dataset name for every command that takes --dataset (workflow, speed, analyze)', async () => {
    const speed = await runMain(['speed', '--dataset', 'flowers', '--json'], home);
    expect(speed).toMatchObject({ code: 0, stdout: '[]\n' });
    const analyze = await runMain(['analyze', '--k-train', '16', '--dataset', 'flowers', '--samples', '200', '--json'], home);
    expect(JSON.parse(analyze.stdout)).toMatchObject({ sizes: { images: 6 } });
    // The dataset is found; what stops this workflow is its budget, not its name.
    const workflow = await runMain(['workflow', '--dataset', 'flowers', '--budget-minutes', '-1', '--json'], home);
    expect(JSON.parse(workflow.stdout).error).toMatchObject({ code: 'Invalid', message: expect.stringMatching(/budget/i) });
  });
});
