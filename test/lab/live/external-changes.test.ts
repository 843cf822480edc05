import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { createLab } from '../../../src/lab/lab';
import { recordOutcome } from '../../../src/lab/outcomes/record-outcome';
import { WORKFLOW_STEPS, WorkflowRequest } from '../../../src/shared/api/workflows';
import { upsertDataset } from '../../../src/store/datasets';
import { insertRun, markRunning } from '../../../src/store/runs';
import { insertSweep } from '../../../src/store/sweeps';
import { insertWorkflow } from '../../../src/store/workflows';
import { frozenRunConfig } from '../../helpers/frozen-config';
import { tempDir } from '../../helpers/fixtures';
import { sweepSettings } from '../../helpers/sweep-settings';

const t = tempDir('fixres-live-');
afterAll(() => t.cleanup());

describe('live everywhere: what another process writes reaches an open lab’s clients', () => {
  it('announces runs and outcomes the CLI wrote to the same data folder, once each, and not the lab’s own writes', () => {
    const home = join(t.dir, 'home');
    const serving = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    const cli = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    try {
      const heard: [string, unknown][] = [];
      serving.events.subscribe((event, payload) => heard.push([event, payload]));
      serving.external.check();
      expect(heard).toEqual([]); // nothing written elsewhere yet

      const run = insertRun(cli.db, {
        kind: 'train',
        name: 'from the CLI',
        parentId: null,
        datasetId: null,
        config: frozenRunConfig(),
        checkpointDir: (id) => join(home, 'runs', String(id)),
      });
      serving.external.check();
      expect(heard.map(([e, p]) => [e, (p as { id: number }).id, (p as { status: string }).status])).toEqual([
        ['run.updated', run.id, 'queued'],
      ]);
      serving.external.check();
      expect(heard).toHaveLength(1); // no change, no event

      markRunning(cli.db, run.id);
      recordOutcome(cli.db, cli.events, {
        runId: run.id,
        kTest: 32,
        adapter: 'none',
        source: 'evaluation',
        classNames: ['a', 'b'],
        items: [{ relPath: 'a.png', label: 0 }],
        outcome: {
          confusion: [
            [1, 0],
            [0, 0],
          ],
          items: { predicted: Int32Array.from([0]), confidence: Float32Array.from([0.9]) },
        },
      });
      serving.external.check();
      expect(heard.slice(1).map(([e]) => e)).toEqual(['run.updated', 'outcome.saved']);
      expect(heard[1]![1]).toMatchObject({ id: run.id, status: 'running' });
      expect(heard[2]![1]).toEqual({ runId: run.id, kTest: 32, adapter: 'none' });

      // The serving lab's own write was announced by the lab itself: the watcher stays quiet.
      insertRun(serving.db, {
        kind: 'train',
        name: 'from the UI',
        parentId: null,
        datasetId: null,
        config: frozenRunConfig(),
        checkpointDir: (id) => join(home, 'runs', String(id)),
      });
      serving.external.check();
      expect(heard).toHaveLength(3);
    } finally {
      cli.close();
      serving.close();
    }
  });

  it('announces the datasets, sweeps and workflows the CLI started on the same data folder, by their own events', () => {
    const home = join(t.dir, 'home-sweeps');
    const serving = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    const cli = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    try {
      const heard: [string, { id: number }][] = [];
      serving.events.subscribe((event, payload) => heard.push([event, payload as { id: number }]));
      const dataset = upsertDataset(cli.db, join(t.dir, 'photos'), 'photos');
      serving.external.check();
      expect(heard).toEqual([['dataset.updated', expect.objectContaining({ id: dataset.id, name: 'photos' })]]);

      const run = insertRun(cli.db, {
        kind: 'train',
        name: 'from the CLI',
        parentId: null,
        datasetId: dataset.id,
        config: frozenRunConfig(),
        checkpointDir: (id) => join(home, 'runs', String(id)),
      });
      const sweep = insertSweep(cli.db, { runId: run.id, adapter: 'none', settings: sweepSettings() });
      const config = WorkflowRequest.parse({ datasetId: dataset.id });
      const workflow = insertWorkflow(cli.db, { name: 'from the CLI', datasetId: dataset.id, config, steps: WORKFLOW_STEPS });
      serving.external.check();
      expect(heard.slice(1).map(([event, p]) => [event, p.id])).toEqual([
        ['run.updated', run.id],
        ['sweep.updated', sweep.id],
        ['workflow.updated', workflow.id],
      ]);
    } finally {
      cli.close();
      serving.close();
    }
  });
});
