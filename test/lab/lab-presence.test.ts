import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('lists its queued and running work in its mark, and a survivor gets that work once the mark goes stale, even if the pid lives on', async () => {
    const dataDir = join(t.dir, 'claims');
    const live = otherProcess();
    // A lab that died without removing its mark, whose pid now belongs to another live process.
    const dead = registerLabPresence(dataDir, { pid: live.pid! });
    dead.claim('runs', 4, true);
    dead.claim('runs', 5, true);
    dead.claim('runs', 5, false);
    dead.claim('sweeps', 2, true);
    const mark = join(dataDir, 'open-labs', String(live.pid));
    expect(JSON.parse(readFileSync(mark, 'utf8'))).toMatchObject({ work: { runs: [4], sweeps: [2], workflows: [], scans: [] } });
    const old = new Date(Date.now() - 60_000);
    utimesSync(mark, old, old);

    const survivor = registerLabPresence(dataDir, { heartbeatMs: 20, staleMs: 30_000 });
    expect(survivor.othersOpen).toBe(false);
    expect(survivor.deadAtStart).toEqual([{ pid: live.pid, work: { runs: [4], sweeps: [2], workflows: [], scans: [] } }]);
    expect(existsSync(mark)).toBe(false);
    survivor.release();
  });

  it('keeps a fresh mark of another machine (shared folder) as live, and finds a lab dead at the next heartbeat once its process is gone', async () => {
    const dataDir = join(t.dir, 'heartbeat');
    mkdirSync(join(dataDir, 'open-labs'), { recursive: true });
    writeFileSync(join(dataDir, 'open-labs', '999999'), JSON.stringify({ pid: 999999, host: 'another-machine', work: {} }));
    const other = otherProcess();
    const otherLab = registerLabPresence(dataDir, { pid: other.pid! });
    otherLab.claim('workflows', 7, true);

    const survivor = registerLabPresence(dataDir, { heartbeatMs: 20 });
    expect(survivor.othersOpen).toBe(true);
    const found: unknown[] = [];
    survivor.watch((dead) => found.push(dead));
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    await expect.poll(() => found).toEqual([{ pid: other.pid, work: { runs: [], sweeps: [], workflows: [7], scans: [] } }]);
    expect(existsSync(join(dataDir, 'open-labs', '999999'))).toBe(true);
    survivor.release();
  });

  it('never throws when its mark cannot be written (a full or read-only disk), and writes it at the next heartbeat', async () => {
    const dataDir = join(t.dir, 'unwritable');
    const presence = registerLabPresence(dataDir, { heartbeatMs: 20 });
    const mark = join(dataDir, 'open-labs', String(process.pid));
    const blocker = join(dataDir, 'open-labs', `${process.pid}.tmp`);
    mkdirSync(blocker); // the temporary file cannot be written: as on a full disk
    expect(() => presence.claim('runs', 3, true)).not.toThrow();
    expect(JSON.parse(readFileSync(mark, 'utf8')).work.runs).toEqual([]);
    presence.watch(() => undefined);
    rmSync(blocker, { recursive: true });
    await expect.poll(() => JSON.parse(readFileSync(mark, 'utf8')).work.runs).toEqual([3]);
    presence.release();
  });
});
