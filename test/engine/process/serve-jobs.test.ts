import { describe, expect, it } from 'vitest';
import type { JobHandlers } from '../../../src/engine/process/jobs';
import type { ParentPort } from '../../../src/engine/process/port';
import { serveJobs } from '../../../src/engine/process/serve-jobs';
import type { FromEngine } from '../../../src/shared/engine-protocol';

/** A port the test drives: `deliver` plays the lab, `sent` is what the engine answered. */
function fakePort() {
  const sent: FromEngine[] = [];
  let listener: (message: unknown) => void = () => undefined;
  const port: ParentPort = { send: (m) => sent.push(m), onMessage: (l) => (listener = l) };
  return { port, sent, deliver: (m: unknown) => listener(m) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Handlers for the kinds the tests use; the others must never be reached. */
function handlers(calls: unknown[]): JobHandlers {
  const never = () => Promise.reject(new Error('not used by this test'));
  return {
    scan: async (input, ctx) => {
      calls.push(input);
      ctx.progress({ kind: 'walk', filesSeen: 1 });
      return { layout: 'imagefolder', classNames: [], imageCount: 0, skippedCount: 0 };
    },
    thumbnail: (() => {
      throw new Error('thrown before any await');
    }) as never,
    inspect: (_input, ctx) =>
      new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))),
    crops: never,
    synth: never,
    import: never,
    train: never,
    evaluate: never,
    doctor: never,
    sweep: never,
    'speed-probe': never,
    'export-model': never,
    'import-weights': never,
    'adopt-model': never,
    predict: never,
    'export-weights': never,
  };
}

describe('serveJobs (the engine end of the protocol)', () => {
  it('says it is ready, runs a valid job and reports its progress and result', async () => {
    const { port, sent, deliver } = fakePort();
    const calls: unknown[] = [];
    serveJobs(port, handlers(calls));
    deliver({ type: 'start', jobId: 'a', kind: 'scan', input: { root: '/data' } });
    await settle();
    expect(sent).toEqual([
      { type: 'ready', pid: process.pid },
      { type: 'progress', jobId: 'a', progress: { kind: 'walk', filesSeen: 1 } },
      { type: 'result', jobId: 'a', result: { layout: 'imagefolder', classNames: [], imageCount: 0, skippedCount: 0 } },
    ]);
    expect(calls).toEqual([{ root: '/data' }]);
  });

  it('refuses messages it cannot read, without a job to answer, and keeps serving', async () => {
    const { port, sent, deliver } = fakePort();
    const calls: unknown[] = [];
    serveJobs(port, handlers(calls));
    for (const garbage of [null, 42, 'start', [], { type: 'launch' }, { type: 'cancel' }, { type: 'start', kind: 'scan' }])
      expect(() => deliver(garbage)).not.toThrow();
    deliver({ type: 'start', jobId: 'b', kind: 'scan', input: { root: '/ok' } });
    await settle();
    const refused = sent.filter((m) => m.type === 'refused');
    expect(refused).toHaveLength(7);
    expect(refused[0]).toMatchObject({ reason: expect.stringMatching(/^The engine refused a malformed message \(/) });
    expect(sent.at(-1)).toMatchObject({ type: 'result', jobId: 'b' });
    expect(calls).toEqual([{ root: '/ok' }]);
  });

  it('answers a malformed message that names a job with that job’s error', async () => {
    const { port, sent, deliver } = fakePort();
    serveJobs(port, handlers([]));
    deliver({ type: 'start', jobId: 'c', kind: 'mine-bitcoin', input: {} });
    expect(sent.at(-1)).toEqual({
      type: 'error',
      jobId: 'c',
      error: { name: 'InvalidEngineMessage', code: 'Invalid', message: expect.stringContaining('kind') },
    });
  });

  it('refuses a job whose input does not match its schema, naming the field, and never runs it', async () => {
    const { port, sent, deliver } = fakePort();
    const calls: unknown[] = [];
    serveJobs(port, handlers(calls));
    deliver({ type: 'start', jobId: 'd', kind: 'scan', input: { root: 7 } });
    deliver({ type: 'start', jobId: 'e', kind: 'scan', input: { root: '/x', extra: true } });
    await settle();
    expect(sent.slice(1)).toEqual([
      {
        type: 'error',
        jobId: 'd',
        error: {
          name: 'InvalidJobInput',
          code: 'Invalid',
          message: expect.stringMatching(/^The scan job's input is invalid \(root: /),
        },
      },
      {
        type: 'error',
        jobId: 'e',
        error: { name: 'InvalidJobInput', code: 'Invalid', message: expect.stringContaining('extra') },
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('fails a job whose handler throws before its first await, and not the process', async () => {
    const { port, sent, deliver } = fakePort();
    serveJobs(port, handlers([]));
    expect(() =>
      deliver({ type: 'start', jobId: 'f', kind: 'thumbnail', input: { root: '/r', relPath: 'a.png', maxSide: 8 } }),
    ).not.toThrow();
    await settle();
    expect(sent.at(-1)).toEqual({
      type: 'error',
      jobId: 'f',
      error: { name: 'Error', code: 'Internal', message: 'thrown before any await' },
    });
  });

  it('cancels a running job when asked', async () => {
    const { port, sent, deliver } = fakePort();
    serveJobs(port, handlers([]));
    deliver({ type: 'start', jobId: 'g', kind: 'inspect', input: { root: '/r', relPaths: [], thumbDir: '/t', thumbSide: 8 } });
    await settle();
    expect(sent).toHaveLength(1);
    deliver({ type: 'cancel', jobId: 'g' });
    await settle();
    expect(sent.at(-1)).toMatchObject({ type: 'error', jobId: 'g', error: { message: 'stopped' } });
  });
});
