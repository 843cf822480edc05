import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { RunConfig, type RunConfigInput } from '../../../src/shared/api/runs';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';
import { enginePids } from '../helpers/processes';
import { setEnv } from '../helpers/training-lab';

/**
 * The WebAssembly backend's heap cannot grow past 4 GB, and tfjs-backend-wasm does not check its
 * allocations: past the limit a kernel writes through a null pointer, the module traps ("memory access
 * out of bounds") and stays corrupt, so every later job in that process failed the same way.
 */
const t = tempDir('fixres-faults-oom-');
let lab: Lab;
let undoEnv: () => void;
let datasetId: number;
beforeAll(async () => {
  // Sweeps run their forward passes in tfjs here: on the CPU they would otherwise run in ONNX Runtime,
  // whose native heap has no 4 GB limit (the K 1024 sweep below then ran for minutes instead of trapping).
  // FIXRES_MEMORY_CHECK=off lets that sweep run: the forward-pass estimate would refuse it before it traps.
  undoEnv = setEnv({ FIXRES_BACKEND: 'wasm', FIXRES_WASM_THREADS: '1', FIXRES_FORWARD: 'tfjs', FIXRES_MEMORY_CHECK: 'off' });
  // 256 training images (one batch of the 256), 64 for validation.
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 80, size: 12 });
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });
  datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
});
afterAll(() => {
  lab?.close();
  undoEnv();
  t.cleanup();
});

const config = (extra: Partial<RunConfigInput> = {}) =>
  RunConfig.parse({ datasetId, width: 1, kTrain: 8, epochs: 1, batchSize: 16, lr: 0.05, scale: [0.5, 1], ...extra });

describe('the compute engine runs out of memory on WebAssembly', () => {
  it('refuses a run whose estimated memory exceeds the 4 GB heap, with its size, the limit and what to lower; nothing is stored', () => {
    const cases: [Partial<RunConfigInput>, RegExp][] = [
      [
        { kTrain: 1024, batchSize: 256 },
        /^K 1024 × batch 256 needs ~\d+\.\d GB; the WebAssembly backend has 4 GB: even one image is too large: lower K to ≤ \d+$/,
      ],
      [
        { arch: 'resnet18', kTrain: 224, batchSize: 128 },
        /^K 224 × batch 128 needs ~1\d\.\d GB; the WebAssembly backend has 4 GB: lower the batch to ≤ \d+$/,
      ],
    ];
    for (const [extra, refusal] of cases) {
      expect(() => lab.runs.start(config({ ...extra, datasetId })), JSON.stringify(extra)).toThrow(refusal);
    }
    expect(lab.runs.list()).toEqual([]);
  });

  it('replaces the engine after its heap runs out: that sweep fails saying so, and the next sweep, checkpoint read and run work', async () => {
    const run = lab.runs.start(config());
    await lab.jobs.idle();
    expect(lab.runs.get(run.id).status).toBe('completed');
    const wedged = enginePids().at(-1);

    // At K 1024 a batch of 40's first convolution output (2.7 GB) still fits the heap and the next layer's
    // does not: tfjs writes through the null pointer of the failed allocation, which is what wedged the engine.
    const huge = await lab.sweeps.settled(
      lab.sweeps.start(SweepRequest.parse({ runId: run.id, kTests: [1024], batchSize: 40 })).id,
    );
    expect(huge.status).toBe('failed');

    // The same run's good checkpoint, read by the next sweep (before: "cannot be read: memory access out of bounds").
    const after = await lab.sweeps.settled(lab.sweeps.start(SweepRequest.parse({ runId: run.id, kTests: [8, 12] })).id);
    expect(after).toMatchObject({ status: 'completed', done: 2, error: null });
    expect(huge.error).toMatch(/^The engine ran out of memory \(.*memory access out of bounds\).*the engine was restarted\.$/);
    expect(enginePids()).not.toContain(wedged);
    const next = lab.runs.start(config());
    await lab.jobs.idle();
    expect(lab.runs.get(next.id)).toMatchObject({ status: 'completed', error: null });
  });
});
