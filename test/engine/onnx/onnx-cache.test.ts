import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointModel } from '../../../src/engine/checkpoint/checkpoint-model';
import { latestCheckpointFolder, saveCheckpoint } from '../../../src/engine/checkpoint/checkpoint';
import { fileSystemIO } from '../../../src/engine/checkpoint/fs-io-handler';
import { checkpointOnnx } from '../../../src/engine/onnx/onnx-cache';
import { createModel } from '../../../src/engine/models/create-model';
import { tempDir } from '../../helpers/fixtures';
import { saveSweepCheckpoint, sweepTestModel } from '../../helpers/sweep-checkpoint';
import { useTestBackend } from '../../helpers/tf-backend';

const t = tempDir();
beforeAll(async () => {
  await useTestBackend();
  await saveSweepCheckpoint(t.dir);
});
afterAll(() => t.cleanup());

describe('checkpointOnnx', () => {
  it('exports once per checkpoint, next to its weights, and exports again when the weights change', async () => {
    const model = await loadCheckpointModel(t.dir, 4);
    const first = await checkpointOnnx(t.dir, model);
    expect(first).toBeInstanceOf(Uint8Array);
    const folder = (await latestCheckpointFolder(t.dir))!;
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(['model.onnx', 'model.onnx.json']));
    const written = statSync(join(folder, 'model.onnx')).mtimeMs;
    expect(await checkpointOnnx(t.dir, model)).toBe(join(folder, 'model.onnx'));
    expect(statSync(join(folder, 'model.onnx')).mtimeMs).toBe(written);

    // New weights in the same folder (e.g. a checkpoint rewritten in place) must not reuse the old file.
    const changed = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 9 });
    await changed.save(fileSystemIO(folder));
    expect(await checkpointOnnx(t.dir, changed)).toBeInstanceOf(Uint8Array);
    model.dispose();
    changed.dispose();
  });

  it('writes the new checkpoint its own file when training moves on', async () => {
    const model = sweepTestModel();
    await saveCheckpoint(t.dir, {
      model,
      slots: {},
      state: { epoch: 2, batch: 0, partial: { lossSum: 0, correct: 0, seen: 0, seconds: 0 } },
      seed: 0,
      configKey: 'x',
    });
    const folder = (await latestCheckpointFolder(t.dir))!;
    expect(readdirSync(folder)).not.toContain('model.onnx');
    expect(await checkpointOnnx(t.dir, model)).toBeInstanceOf(Uint8Array);
    expect(readdirSync(folder)).toContain('model.onnx');
    model.dispose();
  });
});
