import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../../src/lab/jobs/job-queue';
import type { JobInfo } from '../../../src/shared/api/runs';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('JobQueue', () => {
  it('runs one job at a time in order and reports every change', async () => {
    const changes: JobInfo[][] = [];
    const queue = new JobQueue((jobs) => changes.push(jobs));
    const order: string[] = [];
    const gate = deferred();
    queue.enqueue({
      kind: 'train',
      label: 'a',
      runId: 1,
      execute: async () => {
        order.push('a start');
        await gate.promise;
        order.push('a end');
      },
    });
    queue.enqueue({ kind: 'train', label: 'b', runId: 2, execute: async () => void order.push('b') });
    expect(queue.list().map((j) => [j.label, j.state])).toEqual([
      ['a', 'running'],
      ['b', 'queued'],
    ]);
    gate.resolve();
    await queue.idle();
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(queue.list()).toEqual([]);
    expect(changes.at(-1)).toEqual([]);
  });

  it('removes a queued job and signals a running one', async () => {
    const queue = new JobQueue();
    const gate = deferred();
    let signal: AbortSignal | null = null;
    const ran: string[] = [];
    const a = queue.enqueue({ kind: 'train', label: 'a', runId: 1, execute: async (s) => ((signal = s), await gate.promise) });
    const b = queue.enqueue({ kind: 'train', label: 'b', runId: 2, execute: async () => void ran.push('b') });
    expect(queue.cancel(b)).toBe('dequeued');
    expect(queue.cancel(a)).toBe('signalled');
    expect(signal!.aborted).toBe(true);
    expect(queue.findByRun(1)?.state).toBe('running');
    gate.resolve();
    await queue.idle();
    expect(ran).toEqual([]);
    expect(queue.cancel('nope')).toBeNull();
  });

  it('keeps going after a job throws', async () => {
    const queue = new JobQueue();
    const ran: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    queue.enqueue({ kind: 'x', label: 'bad', runId: null, execute: async () => Promise.reject(new Error('boom')) });
    queue.enqueue({ kind: 'x', label: 'good', runId: null, execute: async () => void ran.push('good') });
    await queue.idle();
    process.stderr.write = stderr;
    expect(ran).toEqual(['good']);
  });
});
