import { describe, expect, it } from 'vitest';
import { assertResumable, failureOf, JobLifecycle, type JobWork } from '../../../src/lab/jobs/job-lifecycle';
import { JobQueue } from '../../../src/lab/jobs/job-queue';
import { LabError, userError } from '../../../src/shared/errors';
import type { Db } from '../../../src/store/db';

interface End {
  status: string;
  error?: string | null;
  seconds?: number;
}

/** A lifecycle over an in-memory "table" of rows; `events` records what it announced, in order. */
function harness(options: { queue?: JobQueue } = {}) {
  const db = { open: true } as Db;
  const rows = new Map<number, End>([
    [1, { status: 'queued' }],
    [2, { status: 'queued' }],
  ]);
  const events: string[] = [];
  let refuse: string | null = null;
  const life = new JobLifecycle<End>({
    db,
    queue: options.queue,
    writeEnd: (id, end) => {
      if (refuse) throw new Error(refuse);
      if (!rows.has(id)) return; // an UPDATE of a deleted row changes nothing
      rows.set(id, end);
      events.push(`stored ${id} ${end.status}`);
    },
    exists: (id) => rows.has(id),
    emitUpdated: (id) =>
      events.push(`updated ${id} ${life.ends.apply({ id, status: rows.get(id)!.status, error: null }).status}`),
  });
  return { db, rows, events, life, refuseWrites: (why: string | null) => (refuse = why) };
}

/** Work that ends when the test says so. */
function controlled(queue?: JobWork<End>['queue']) {
  let finish: (end: End) => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  let signal: AbortSignal | null = null;
  let ran = 0;
  const work: JobWork<End> = {
    queue,
    run: (job) => {
      ran++;
      signal = job.signal;
      return new Promise((resolve, reject) => ((finish = resolve), (fail = reject)));
    },
    failedEnd: (failure) => ({ ...failure, seconds: 0 }),
  };
  return { work, finish: (end: End) => finish(end), fail: (err: unknown) => fail(err), signal: () => signal, ran: () => ran };
}

describe('JobLifecycle', () => {
  it('stores a job’s end once, announces it, then releases whoever waits for it', async () => {
    const { life, events } = harness();
    const job = controlled();
    life.launch(1, job.work);
    expect(life.isActive(1)).toBe(true);
    const settled = life.settled(1).then(() => events.push('settled 1'));
    job.finish({ status: 'completed' });
    await settled;
    expect(events).toEqual(['stored 1 completed', 'updated 1 completed', 'settled 1']);
    expect(life.isActive(1)).toBe(false);
    await expect(life.settled(1)).resolves.toBeUndefined();
  });

  it('ends a job that threw by the error’s code: cancelled, interrupted (engine gone) or failed with the reason', async () => {
    const { life, rows } = harness();
    const abort = Object.assign(new Error('stopped'), { name: 'AbortError' });
    const gone = new LabError({ name: 'EngineExited', code: 'Interrupted', message: 'The compute engine stopped' });
    for (const [err, end] of [
      [abort, { status: 'cancelled', error: null }],
      [gone, { status: 'interrupted', error: 'The compute engine stopped' }],
      [userError('Only 3 images', 'batchSize'), { status: 'failed', error: 'Only 3 images' }],
      [
        new Error('EngineExited in the message is not enough'),
        { status: 'failed', error: 'EngineExited in the message is not enough' },
      ],
    ] as const) {
      const job = controlled();
      life.launch(1, job.work);
      job.fail(err);
      await life.settled(1);
      expect(rows.get(1)).toEqual({ ...end, seconds: 0 });
    }
    expect(failureOf('a string')).toEqual({ status: 'failed', error: 'a string' });
  });

  it('takes a queued job off the queue on cancel: it ends cancelled at once and its work never runs', async () => {
    const queue = new JobQueue();
    const { life, events } = harness({ queue });
    const first = controlled({ kind: 'train', label: 'first', runId: 1 });
    const second = controlled({ kind: 'train', label: 'second', runId: 2 });
    life.launch(1, first.work);
    life.launch(2, second.work);
    expect(queue.list().map((j) => [j.label, j.state])).toEqual([
      ['first', 'running'],
      ['second', 'queued'],
    ]);
    expect(life.cancel(2)).toBe('dequeued');
    expect(events).toEqual(['stored 2 cancelled', 'updated 2 cancelled']);
    expect(life.isActive(2)).toBe(false);
    expect(life.cancel(1)).toBe('signalled');
    expect(first.signal()?.aborted).toBe(true);
    first.finish({ status: 'cancelled' });
    await queue.idle();
    expect(second.ran()).toBe(0);
    expect(life.cancel(2)).toBeNull();
  });

  it('aborts the signal of a job that does not queue', () => {
    const { life } = harness();
    const job = controlled();
    life.launch(1, job.work);
    expect(job.signal()?.aborted).toBe(false);
    expect(life.cancel(1)).toBe('signalled');
    expect(job.signal()?.aborted).toBe(true);
    expect(() => life.launch(1, job.work)).toThrow('Job 1 is already active');
  });

  it('shows an end the database refused and writes it once the database takes writes again', async () => {
    const { life, rows, events, refuseWrites } = harness();
    const job = controlled();
    life.launch(1, job.work);
    refuseWrites('SQLITE_READONLY: attempt to write a readonly database');
    job.fail(new Error('disk on fire'));
    await life.settled(1);
    expect(rows.get(1)).toEqual({ status: 'queued' });
    expect(events).toEqual(['updated 1 failed']);
    expect(life.ends.apply({ id: 1, status: 'running', error: null })).toEqual({
      id: 1,
      status: 'failed',
      error: 'disk on fire (not saved: SQLITE_READONLY: attempt to write a readonly database)',
    });
    refuseWrites(null);
    life.ends.retry();
    expect(rows.get(1)?.status).toBe('failed');
  });

  it('stores and announces nothing once the lab has closed, and still releases its waiters', async () => {
    const { life, db, events } = harness();
    const job = controlled();
    life.launch(1, job.work);
    const settled = life.settled(1);
    (db as { open: boolean }).open = false;
    job.finish({ status: 'completed' });
    await settled;
    expect(events).toEqual([]);
  });

  it('announces nothing for a job whose row was deleted while it ran', async () => {
    const { life, rows, events } = harness();
    const job = controlled();
    life.launch(2, job.work);
    rows.delete(2);
    job.finish({ status: 'completed' });
    await life.settled(2);
    expect(events).toEqual([]);
  });

  it('throttles a job’s progress to one message per interval, except the ones that must show', () => {
    const { life } = harness();
    expect(life.progress.due(1)).toBe(true);
    expect(life.progress.due(1)).toBe(false);
    expect(life.progress.due(2)).toBe(true);
    expect(life.progress.due(1, true)).toBe(true);
  });

  it('refuses to resume a job that is active (Busy) or completed (Conflict), and lets any stopped one resume', () => {
    expect(() => assertResumable('Run 4', 'running')).toThrow(
      expect.objectContaining({ code: 'Busy', message: 'Run 4 is already running' }),
    );
    expect(() => assertResumable('Sweep 2', 'completed')).toThrow(
      expect.objectContaining({ code: 'Conflict', message: 'Sweep 2 has completed; there is nothing to resume', field: 'id' }),
    );
    for (const status of ['failed', 'cancelled', 'interrupted'])
      expect(() => assertResumable('Workflow 1', status)).not.toThrow();
  });
});
