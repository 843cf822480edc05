import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/engine/checkpoint/atomic-write';
import { loadLatestCheckpoint, saveCheckpoint } from '../../../src/engine/checkpoint/checkpoint';
import { createModel } from '../../../src/engine/models/create-model';
import { emptyTotals } from '../../../src/engine/train/loop-state';
import { tempDir } from '../../helpers/fixtures';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const model = () => createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 9 });
const state = (epoch: number, batch = 0) => ({ epoch, batch, partial: { ...emptyTotals(), lossSum: 1.25, seen: 8 } });
const values = (m: ReturnType<typeof model>) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('checkpoints', () => {
  it('round-trips weights, momentum buffers, position and seed bit for bit', async () => {
    const dir = folder();
    const m = model();
    const slots = { 'classifier/kernel': tf.randomNormal([16, 3], 0, 1, 'float32', 1) };
    await saveCheckpoint(dir, { model: m, slots, state: state(2, 5), seed: 42, configKey: 'abc' });
    const before = liveTensors();
    const loaded = (await loadLatestCheckpoint(dir))!;
    expect(values(loaded.model)).toEqual(values(m));
    expect(Array.from(loaded.slots['classifier/kernel']!.dataSync())).toEqual(Array.from(slots['classifier/kernel'].dataSync()));
    expect(loaded.state).toMatchObject({ epoch: 2, batch: 5, seed: 42, configKey: 'abc', partial: { lossSum: 1.25, seen: 8 } });
    loaded.model.dispose();
    tf.dispose(Object.values(loaded.slots));
    expect(liveTensors()).toBe(before);
  });

  it('keeps the previous checkpoint whole when a save fails half-way, leaving no temporary folder', async () => {
    const dir = folder();
    const m = model();
    await saveCheckpoint(dir, { model: m, slots: {}, state: state(1), seed: 1, configKey: 'k' });
    const broken = tf.zeros([2]);
    broken.dispose();
    await expect(
      saveCheckpoint(dir, { model: m, slots: { bad: broken }, state: state(2), seed: 1, configKey: 'k' }),
    ).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    const loaded = (await loadLatestCheckpoint(dir))!;
    expect(loaded.state.epoch).toBe(1);
    expect(values(loaded.model)).toEqual(values(m));
  });

  it('ignores what a crash left behind (a temp folder, an unpublished checkpoint) and cleans it on the next save', async () => {
    const dir = folder();
    const m = model();
    await saveCheckpoint(dir, { model: m, slots: {}, state: state(1), seed: 1, configKey: 'k' });
    mkdirSync(join(dir, '.tmp-ckpt-e0002-b0000-aaaaaa'));
    writeFileSync(join(dir, '.tmp-ckpt-e0002-b0000-aaaaaa', 'weights.bin'), 'torn');
    mkdirSync(join(dir, 'ckpt-e0002-b0000-bbbbbb'));
    expect((await loadLatestCheckpoint(dir))!.state.epoch).toBe(1);
    await saveCheckpoint(dir, { model: m, slots: {}, state: state(3), seed: 1, configKey: 'k' });
    expect(readdirSync(dir).sort()).toEqual([expect.stringMatching(/^ckpt-e0003-b0000-/), 'latest.json']);
  });

  it('returns null for a folder without checkpoints and names the folder of an unreadable one', async () => {
    const dir = folder();
    expect(await loadLatestCheckpoint(dir)).toBeNull();
    await saveCheckpoint(dir, { model: model(), slots: {}, state: state(1), seed: 1, configKey: 'k' });
    const name = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')).name as string;
    writeFileSync(join(dir, name, 'state.json'), '{ torn');
    await expect(loadLatestCheckpoint(dir)).rejects.toThrow(new RegExp(`checkpoint in .*${name} cannot be read`));
  });
});

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file', async () => {
    const dir = folder();
    await writeFileAtomic(join(dir, 'a.json'), 'old');
    await writeFileAtomic(join(dir, 'a.json'), new Uint8Array([110, 101, 119]));
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(folder(), 'missing', 'a.json'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
