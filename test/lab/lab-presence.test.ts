import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLab } from '../../src/lab/lab';
import { registerLabPresence } from '../../src/lab/lab-presence';
import { spawnNodeEngine } from '../../src/lab/engine';
import { openDatabase } from '../../src/store/db';
import * as datasets from '../../src/store/datasets';
import * as runs from '../../src/store/runs';
import { tempDir } from '../helpers/fixtures';
import { frozenRunConfig } from '../helpers/frozen-config';

const t = tempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
  t.cleanup();
});

/** A process that stays alive until killed: stands in for `fixres workflow` running in another terminal. */
function otherProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function markOpen(dataDir: string, pid: number): string {
  mkdirSync(join(dataDir, 'open-labs'), { recursive: true });
  const mark = join(dataDir, 'open-labs', String(pid));
  writeFileSync(mark, '');
  return mark;
}

function runningRun(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true });
  const { db } = openDatabase(join(dataDir, 'lab.sqlite'));
  const dataset = datasets.upsertDataset(db, '/data/pets', 'pets');
  const run = runs.insertRun(db, {
    kind: 'train',
    name: 'live',
    parentId: null,
    datasetId: dataset.id,
    config: frozenRunConfig({ datasetId: dataset.id }),
    checkpointDir: (id) => `/runs/${id}`,
  });
  runs.markRunning(db, run.id);
  db.close();
  return run.id;
}

const open = (dataDir: string) => createLab({ dataDir, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });

describe('several processes on one data folder', () => {
  it('leaves another live process’s running work alone, and interrupts it once that process is gone', async () => {
    const dataDir = join(t.dir, 'shared');
    const id = runningRun(dataDir);
    const other = otherProcess();
    const mark = markOpen(dataDir, other.pid!);

    const second = open(dataDir);
    expect(second.runs.get(id).status).toBe('running');
    second.close();

    other.kill();
    await new Promise((resolve) => other.once('exit', resolve));
    const third = open(dataDir);
    expect(third.runs.get(id)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/closed while this run/) });
    expect(existsSync(mark)).toBe(false);
    third.close();
  });

  it('removes its own mark on release and ignores marks that are not process ids', () => {
    const dataDir = join(t.dir, 'marks');
    markOpen(dataDir, 0);
    writeFileSync(join(dataDir, 'open-labs', 'notes.txt'), '');
    const presence = registerLabPresence(dataDir);
    expect(presence.othersOpen).toBe(false);
    expect(existsSync(join(dataDir, 'open-labs', String(process.pid)))).toBe(true);
    presence.release();
    expect(existsSync(join(dataDir, 'open-labs', String(process.pid)))).toBe(false);
  });
});
