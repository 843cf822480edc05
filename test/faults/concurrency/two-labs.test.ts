import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import type { Run } from '../../../src/shared/api/runs';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';
import { manyImages } from '../helpers/datasets';
import { setEnv } from '../helpers/training-lab';

const t = tempDir('fixres-faults-two-labs-');
const home = join(t.dir, 'home');
let undoEnv: () => void;
beforeAll(async () => {
  undoEnv = setEnv({ FIXRES_BACKEND: 'cpu' });
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 10, size: 12 });
  await manyImages(join(t.dir, 'large'), 3000);
});
afterAll(() => {
  undoEnv();
  t.cleanup();
});

/** Starts the busy lab in its own process; resolves with its pid and the ids it printed. */
async function startBusyLab(): Promise<{ pid: number; runId: number; queuedId: number; scanId: number; kill(): Promise<void> }> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const script = join(import.meta.dirname, '../helpers/busy-lab-child.ts');
  const child = spawn(process.execPath, ['--import', tsx, script, home, join(t.dir, 'patterns'), join(t.dir, 'large')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('running ') && resolve(l));
    void exited.then(() => reject(new Error(`The busy lab exited (${child.exitCode}) before it ran`)));
  });
  const [runId, queuedId, scanId] = line.slice('running '.length).split(' ').map(Number) as [number, number, number];
  return {
    pid: child.pid!,
    runId,
    queuedId,
    scanId,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('two labs share a data folder and one is killed', () => {
  it('the survivor marks the dead lab’s running and queued runs interrupted and its scan failed, tells its clients, and can resume the run', async () => {
    const survivor: Lab = createLab({
      dataDir: home,
      spawnEngine: spawnNodeEngine,
      transport: 'web',
      version: 'faults',
      presence: { heartbeatMs: 200 },
    });
    try {
      const busy = await startBusyLab();
      // While the other lab lives, its work is left alone.
      expect(survivor.runs.get(busy.runId).status).toBe('running');
      expect(survivor.runs.get(busy.queuedId).status).toBe('queued');
      expect(survivor.datasets.get(busy.scanId).status).toBe('scanning');

      const told: Run[] = [];
      survivor.events.subscribe((event, payload) => {
        if (event === 'run.updated') told.push(payload as Run);
      });
      await busy.kill();
      const reason = new RegExp(`process that ran this \\(pid ${busy.pid}\\) stopped unexpectedly`);
      await expect.poll(() => survivor.runs.get(busy.runId).status, { timeout: 10_000 }).toBe('interrupted');
      expect(survivor.runs.get(busy.runId).error).toMatch(reason);
      expect(survivor.runs.get(busy.queuedId)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(reason) });
      expect(survivor.datasets.get(busy.scanId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/Rescan/) });
      expect(told.map((r) => [r.id, r.status])).toEqual(
        expect.arrayContaining([
          [busy.runId, 'interrupted'],
          [busy.queuedId, 'interrupted'],
        ]),
      );

      // It resumes here: training goes on from its checkpoint (then this test stops it).
      const before = survivor.runs.get(busy.runId).epochsDone;
      survivor.runs.resume(busy.runId);
      await expect.poll(() => survivor.runs.get(busy.runId).epochsDone, { timeout: 60_000 }).toBeGreaterThan(before);
      expect(survivor.runs.cancel(busy.runId).id).toBe(busy.runId);
      await survivor.jobs.idle();
      expect(survivor.runs.get(busy.runId)).toMatchObject({ status: 'cancelled', error: null });
    } finally {
      survivor.close();
    }
  });
});
