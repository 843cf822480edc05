import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/shared/api/runs';
import { ErrorLog } from '../../src/renderer/src/state/error-log.svelte';
import { JobsState } from '../../src/renderer/src/state/jobs.svelte';
import { FakeClient } from './fake-client';

const job = (id: string, state: JobInfo['state'], runId: number | null = null): JobInfo => ({
  id,
  kind: 'train',
  label: `job ${id}`,
  runId,
  state,
  queuedAt: '2026-11-20T10:00:00.000Z',
  startedAt: state === 'running' ? '2026-11-20T10:00:01.000Z' : null,
});

describe('JobsState', () => {
  it('loads the queue, then follows jobs.changed until unsubscribed', async () => {
    const client = new FakeClient().handle('jobs.list', () => [job('a', 'running', 3), job('b', 'queued')]);
    const jobs = new JobsState(client);
    await jobs.load();
    expect(jobs.running?.runId).toBe(3);
    expect(jobs.queuedCount).toBe(1);

    const stop = jobs.listen();
    client.emit('jobs.changed', [job('b', 'running')]);
    expect(jobs.running?.id).toBe('b');
    expect(jobs.queuedCount).toBe(0);
    stop();
    expect(client.listenerCount('jobs.changed')).toBe(0);
    client.emit('jobs.changed', []);
    expect(jobs.running?.id).toBe('b');
  });

  it('reports how far the running training run is from its progress events', async () => {
    const client = new FakeClient().handle('jobs.list', () => [job('a', 'running', 3)]);
    const jobs = new JobsState(client);
    await jobs.load();
    const stop = jobs.listen();
    expect(jobs.runningFraction).toBeNull();
    const progress = {
      epoch: 1,
      epochs: 4,
      batch: 5,
      batchesPerEpoch: 10,
      loss: 1,
      acc: 0.5,
      lr: 0.1,
      imgPerSec: 10,
      etaSeconds: 5,
    };
    client.emit('run.progress', { runId: 9, ...progress });
    expect(jobs.runningFraction).toBeNull();
    client.emit('run.progress', { runId: 3, ...progress });
    expect(jobs.runningFraction).toBe(0.375);
    stop();
    expect(client.listenerCount('run.progress')).toBe(0);
  });

  it('keeps the error when the queue cannot be read', async () => {
    const client = new FakeClient().handle('jobs.list', () => {
      throw new Error('The FixRes Lab server is not reachable');
    });
    const jobs = new JobsState(client);
    await jobs.load();
    expect(jobs.error).toMatch(/not reachable/);
    jobs.reset();
    expect(jobs.error).toBeNull();
  });
});

describe('ErrorLog', () => {
  it('lists errors newest first, keeps the last twenty and dismisses one by id', () => {
    const log = new ErrorLog();
    for (let i = 0; i < 25; i++) log.report('Runs', `error ${i}`);
    expect(log.items).toHaveLength(20);
    expect(log.latest?.message).toBe('error 24');
    log.dismiss(log.latest!.id);
    expect(log.latest?.message).toBe('error 23');
  });

  it('shows a sample being prepared and a dataset being scanned as work in progress, until they end', () => {
    const client = new FakeClient();
    const jobs = new JobsState(client, (id) => (id === 4 ? 'pets' : `#${id}`));
    const stop = jobs.listen();
    client.emit('dataset.sampleProgress', { kind: 'mnist', done: 0, total: 0, finished: false });
    expect(jobs.background).toEqual([{ key: 'sample:mnist', label: 'Preparing MNIST digits', fraction: null }]);
    client.emit('dataset.sampleProgress', { kind: 'mnist', done: 250, total: 1000, finished: false });
    client.emit('dataset.scanProgress', { datasetId: 4, filesSeen: 10, done: false, phase: 'reading', processed: 5, total: 10 });
    expect(jobs.background).toEqual([
      { key: 'sample:mnist', label: 'Preparing MNIST digits', fraction: 0.25 },
      { key: 'scan:4', label: 'Scanning pets', fraction: 0.5 },
    ]);
    client.emit('dataset.sampleProgress', { kind: 'mnist', done: 1000, total: 1000, finished: true });
    client.emit('dataset.scanProgress', { datasetId: 4, filesSeen: 10, done: true });
    expect(jobs.background).toEqual([]);
    stop();
  });

  it('remembers the run last seen training, so the Train view keeps showing it once it ends', async () => {
    const client = new FakeClient().handle('jobs.list', () => [{ ...job('s', 'running', 8), kind: 'sweep' }]);
    const jobs = new JobsState(client);
    await jobs.load();
    expect(jobs.trainingRunId).toBeNull();
    const stop = jobs.listen();
    client.emit('jobs.changed', [job('a', 'running', 3)]);
    expect(jobs.trainingRunId).toBe(3);
    client.emit('jobs.changed', []);
    expect(jobs.trainingRunId).toBe(3);
    stop();
  });

  it('lists the errors the lab process reports (it kept running) until unsubscribed', () => {
    const client = new FakeClient();
    const log = new ErrorLog();
    const stop = log.listen(client);
    client.emit('app.error', { source: 'unhandledRejection', message: 'Error: boom' });
    expect(log.latest).toMatchObject({ source: 'FixRes Lab (kept running)', message: 'Error: boom' });
    stop();
    client.emit('app.error', { source: 'uncaughtException', message: 'Error: later' });
    expect(log.items).toHaveLength(1);
  });
});
