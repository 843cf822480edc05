import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';
import { manyImages } from '../helpers/datasets';
import { isAlive } from '../helpers/processes';
import { setEnv } from '../helpers/training-lab';

const t = tempDir('fixres-faults-kill-');
const home = join(t.dir, 'home');
const LARGE = 2000;
beforeAll(async () => {
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 10, size: 12 });
  await manyImages(join(t.dir, 'large'), LARGE, 3);
});
afterAll(() => t.cleanup());

interface LabChild {
  engines: number[];
  /** Resolves at the child's next output line equal to `line`. */
  next(line: string): Promise<void>;
  kill(): Promise<void>;
}

/** Starts the writing lab in its own process; resolves once it trains, with its engines' pids. */
async function startChild(order: 'run-first' | 'sweep-first'): Promise<LabChild> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const script = join(import.meta.dirname, '../helpers/lab-child.ts');
  const child = spawn(process.execPath, ['--import', tsx, script, home, join(t.dir, 'patterns'), join(t.dir, 'large'), order], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const next = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      const onLine = (line: string) => {
        if (line !== expected) return;
        lines.off('line', onLine);
        resolve();
      };
      lines.on('line', onLine);
      void exited.then(() => reject(new Error(`The lab child exited (${child.exitCode}) before printing "${expected}"`)));
    });
  let engines: number[] = [];
  lines.on('line', (line) => {
    if (line.startsWith('engines ')) engines = line.slice(8).split(' ').map(Number);
  });
  await next('ready');
  return {
    engines,
    next,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** What must hold in the database whatever moment the lab died at. */
function checkDatabase(): void {
  const db = new Database(join(home, 'lab.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const runs = db.prepare('SELECT id, epochs_done, checkpoint_dir, config FROM runs').all() as {
      id: number;
      epochs_done: number;
      checkpoint_dir: string | null;
      config: string;
    }[];
    for (const run of runs) {
      expect(run.checkpoint_dir, `run ${run.id}`).not.toBeNull();
      expect(() => JSON.parse(run.config)).not.toThrow();
      const rows = db.prepare('SELECT epoch, phase FROM epochs WHERE run_id = ? ORDER BY epoch, phase').all(run.id) as {
        epoch: number;
        phase: string;
      }[];
      // One transaction per epoch: both phases or neither, epochs 0..n-1 with no gap, epochs_done = n.
      const expected = Array.from({ length: run.epochs_done }, (_, e) => [`${e}train`, `${e}val`]).flat();
      expect(
        rows.map((r) => `${r.epoch}${r.phase}`),
        `run ${run.id}`,
      ).toEqual(expected);
    }
    const datasets = db.prepare(`SELECT id, root, status FROM datasets`).all() as { id: number; root: string; status: string }[];
    for (const ds of datasets) {
      const images = (db.prepare('SELECT COUNT(*) AS n FROM images WHERE dataset_id = ?').get(ds.id) as { n: number }).n;
      // A scan is saved in one transaction: all of the folder or (first scan cut short) nothing.
      expect([0, ds.root.endsWith('large') ? LARGE : 40], ds.root).toContain(images);
    }
    const orphans = db.prepare('SELECT COUNT(*) AS n FROM sweep_points WHERE run_id NOT IN (SELECT id FROM runs)').get() as {
      n: number;
    };
    expect(orphans.n).toBe(0);
    // A K_test is stored in one transaction: its point with its activation statistics, or neither.
    const halfWritten = db
      .prepare(
        `SELECT p.sweep_id, p.k_test FROM sweep_points p
          WHERE p.sweep_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activation_stats a WHERE a.run_id = p.run_id AND a.k_test = p.k_test)`,
      )
      .all();
    expect(halfWritten).toEqual([]);
    const sweeps = db.prepare('SELECT id, settings FROM sweeps').all() as { id: number; settings: string }[];
    for (const sweep of sweeps) expect(() => JSON.parse(sweep.settings), `sweep ${sweep.id}`).not.toThrow();
  } finally {
    db.close();
  }
}

/** Every checkpoint latest.json names is complete, and at least as new as what the database says. */
function checkCheckpoints(): void {
  const db = new Database(join(home, 'lab.sqlite'), { readonly: true });
  const runs = db.prepare('SELECT id, checkpoint_dir, checkpoint_epoch, checkpoint_batch FROM runs').all() as {
    id: number;
    checkpoint_dir: string;
    checkpoint_epoch: number | null;
    checkpoint_batch: number | null;
  }[];
  db.close();
  for (const run of runs) {
    const latest = join(run.checkpoint_dir, 'latest.json');
    if (!existsSync(latest)) {
      expect(run.checkpoint_epoch, `run ${run.id} has a checkpoint in the database but none on disk`).toBeNull();
      continue;
    }
    const folder = join(run.checkpoint_dir, (JSON.parse(readFileSync(latest, 'utf8')) as { name: string }).name);
    const state = JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8')) as { epoch: number; batch: number };
    const model = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as {
      weightsManifest: { weights: { shape: number[] }[] }[];
    };
    const floats = model.weightsManifest[0]!.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(statSync(join(folder, 'weights.bin')).size, `run ${run.id} weights`).toBe(floats * 4);
    if (run.checkpoint_epoch !== null) {
      expect(state.epoch * 1e6 + state.batch).toBeGreaterThanOrEqual(run.checkpoint_epoch * 1e6 + (run.checkpoint_batch ?? 0));
    }
  }
}

describe('the whole app is killed (kill -9) while it writes', () => {
  // Three lab processes, each scanning and starting engines: 37 s alone at load 11, so twice the project's timeout.
  it('leaves a database that opens cleanly with no half-written rows, whole checkpoints, and no engine left running', async () => {
    // Two moments by the clock while it trains (epochs, checkpoints, a rescan), one right after a K_test was stored (mid-sweep).
    for (const moment of [300, 1100, 'sweep-point'] as const) {
      const child = await startChild(moment === 'sweep-point' ? 'sweep-first' : 'run-first');
      expect(child.engines.length).toBeGreaterThanOrEqual(2);
      if (moment === 'sweep-point') await child.next('sweep-point');
      else await new Promise((resolve) => setTimeout(resolve, moment));
      await child.kill();
      checkDatabase();
      // The engines notice the lab is gone and stop instead of training on for nobody.
      await expect.poll(() => child.engines.filter(isAlive), { timeout: 10_000 }).toEqual([]);
      checkCheckpoints();
    }
  }, 240_000);

  it('reopens with every run and sweep left running marked interrupted, no dataset stuck scanning, and resumes a run and a sweep to completion', async () => {
    const undo = setEnv({ FIXRES_BACKEND: 'cpu' });
    const lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });
    try {
      expect(lab.runs.list().filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
      expect(lab.datasets.list().filter((d) => d.status === 'scanning')).toEqual([]);
      const interrupted = lab.runs.list().find((r) => r.status === 'interrupted')!;
      expect(interrupted.error).toMatch(/closed while this run was queued or running/);
      lab.runs.resume(interrupted.id);
      await lab.jobs.idle();
      expect(lab.runs.get(interrupted.id)).toMatchObject({ status: 'completed', epochsDone: 8 });
      expect(readdirSync(interrupted.checkpointDir!).filter((f) => f.startsWith('ckpt-'))).toHaveLength(1);

      expect(lab.sweeps.list().filter((s) => s.status === 'running' || s.status === 'queued')).toEqual([]);
      const sweep = lab.sweeps.list().find((s) => s.status === 'interrupted')!;
      expect(sweep.error).toMatch(/closed during this sweep/);
      lab.sweeps.resume(sweep.id);
      expect(await lab.sweeps.settled(sweep.id)).toMatchObject({ status: 'completed', done: sweep.settings.kTests.length });
    } finally {
      lab.close();
      undo();
    }
  });
});
