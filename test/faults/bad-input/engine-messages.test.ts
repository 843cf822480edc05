import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost, spawnNodeEngine, type EngineChannel } from '../../../src/lab/engine';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';

/**
 * The real engine process fed messages the protocol forbids: it refuses each with a clear
 * error (for the job it names, or as a refusal) and goes on serving; nothing restarts it.
 */
const tmp = tempDir('fixres-engine-messages-');
const root = join(tmp.dir, 'images');
const received: unknown[] = [];
let channel: EngineChannel | null = null;
let spawned = 0;
const host = new EngineHost(() => {
  spawned++;
  channel = spawnNodeEngine();
  channel.onMessage((m) => received.push(m));
  return channel;
}, 'image engine');

beforeAll(async () => {
  await makeImageFolder(root, { cat: 2, dog: 2 });
});
afterAll(() => {
  host.stop();
  tmp.cleanup();
});

describe('the engine process and malformed messages', () => {
  it('runs a job, refuses garbage without a job to answer, and runs the next job in the same process', async () => {
    await expect(host.run('scan', { root })).resolves.toMatchObject({ imageCount: 4 });
    for (const garbage of [null, 'start', { type: 'start', kind: 'scan' }, { type: 'launch', jobId: 7 }])
      channel!.send(garbage as never);
    await expect.poll(() => received.filter((m) => (m as { type: string }).type === 'refused').length).toBe(4);
    expect(received.find((m) => (m as { type: string }).type === 'refused')).toEqual({
      type: 'refused',
      reason: expect.stringMatching(/^The engine refused a malformed message \(/),
    });
    await expect(host.run('scan', { root })).resolves.toMatchObject({ imageCount: 4 });
    expect(received.filter((m) => (m as { type: string }).type === 'ready')).toHaveLength(1);
    expect(spawned).toBe(1);
  });

  it('fails a job whose input breaks its schema with the field to fix, and keeps running', async () => {
    const bad = { model: { arch: 'resnet-mini', width: 1 }, init: { kind: 'scratch' }, trainable: 'everything' };
    await expect(host.run('train', bad as never)).rejects.toMatchObject({
      name: 'InvalidJobInput',
      code: 'Invalid',
      message: expect.stringMatching(/^The train job's input is invalid \(trainable: /),
    });
    await expect(host.run('scan', { root, extra: 1 } as never)).rejects.toMatchObject({
      message: expect.stringContaining('extra'),
    });
    await expect(host.run('scan', { root })).resolves.toMatchObject({ imageCount: 4 });
    expect(spawned).toBe(1);
  });
});
