import { describe, expect, it, vi } from 'vitest';
import type { EngineChannel } from '../../../src/lab/engine/engine-channel';
import { EngineHost } from '../../../src/lab/engine/engine-host';
import type { FromEngine, ToEngine } from '../../../src/shared/engine-protocol';

/** An in-process fake engine that answers every job with its input. */
function echoEngine(sent: ToEngine[]): EngineChannel {
  let listener: (m: FromEngine) => void = () => undefined;
  return {
    send(m) {
      sent.push(m);
      if (m.type === 'start') queueMicrotask(() => listener({ type: 'result', jobId: m.jobId, result: m.input }));
    },
    onMessage: (l) => (listener = l),
    onExit: () => undefined,
    kill: () => undefined,
  };
}

describe('EngineHost', () => {
  it('removes its abort listener when a job ends, so one signal can serve many jobs', async () => {
    const sent: ToEngine[] = [];
    const host = new EngineHost(() => echoEngine(sent));
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await host.run('scan', { root: `/r${i}` } as never, { signal: controller.signal });
    controller.abort();
    expect(sent.filter((m) => m.type === 'cancel')).toEqual([]);
  });

  it('sends a cancel for a running job when its signal aborts', async () => {
    const sent: ToEngine[] = [];
    let listener: (m: FromEngine) => void = () => undefined;
    const host = new EngineHost(() => ({
      send: (m) => sent.push(m),
      onMessage: (l) => (listener = l),
      onExit: () => undefined,
      kill: () => undefined,
    }));
    const controller = new AbortController();
    const job = host.run('scan', { root: '/r' } as never, { signal: controller.signal });
    controller.abort();
    const start = sent[0] as Extract<ToEngine, { type: 'start' }>;
    expect(sent[1]).toEqual({ type: 'cancel', jobId: start.jobId });
    listener({ type: 'error', jobId: start.jobId, error: { name: 'AbortError', code: 'Cancelled', message: 'cancelled' } });
    await expect(job).rejects.toThrow('cancelled');
  });

  it('retires a process whose job ran out of memory or trapped: the next job goes to a fresh one, the old one stops when its other job ends', async () => {
    interface Fake {
      sent: ToEngine[];
      reply(m: FromEngine): void;
      killed: boolean;
    }
    const fakes: Fake[] = [];
    const host = new EngineHost(() => {
      const fake: Fake = { sent: [], reply: () => undefined, killed: false };
      fakes.push(fake);
      return {
        send: (m) => fake.sent.push(m),
        onMessage: (l) => (fake.reply = l),
        onExit: () => undefined,
        kill: () => (fake.killed = true),
      };
    });
    const jobIdOf = (fake: Fake, i: number) => (fake.sent[i] as Extract<ToEngine, { type: 'start' }>).jobId;
    for (const name of ['OutOfMemory', 'EngineTrapped']) {
      const failing = host.run('train', {} as never);
      const other = host.run('doctor', {});
      const before = fakes.length;
      const broken = fakes.at(-1)!;
      const first = broken.sent.length - 2;
      broken.reply({ type: 'error', jobId: jobIdOf(broken, first), error: { name, code: 'Environment', message: 'memory access out of bounds' } });
      await expect(failing).rejects.toThrow('memory access out of bounds');
      // Still running its other job: not killed yet, but no new job goes there.
      expect(broken.killed).toBe(false);
      const next = host.run('doctor', {});
      expect(fakes).toHaveLength(before + 1);
      broken.reply({ type: 'result', jobId: jobIdOf(broken, first + 1), result: 'old' });
      await expect(other).resolves.toBe('old');
      expect(broken.killed).toBe(true);
      const fresh = fakes.at(-1)!;
      fresh.reply({ type: 'result', jobId: jobIdOf(fresh, 0), result: 'new' });
      await expect(next).resolves.toBe('new');
      expect(fresh.killed).toBe(false);
    }
  });

  it('keeps the process after an ordinary job error', async () => {
    let spawned = 0;
    let reply: (m: FromEngine) => void = () => undefined;
    const sent: ToEngine[] = [];
    const host = new EngineHost(() => {
      spawned++;
      return { send: (m) => sent.push(m), onMessage: (l) => (reply = l), onExit: () => undefined, kill: () => undefined };
    });
    const job = host.run('scan', { root: '/r' } as never);
    reply({
      type: 'error',
      jobId: (sent[0] as Extract<ToEngine, { type: 'start' }>).jobId,
      error: { name: 'UserError', code: 'Invalid', message: 'no' },
    });
    await expect(job).rejects.toThrow('no');
    void host.run('scan', { root: '/r' } as never);
    expect(spawned).toBe(1);
  });

  it('fails a job at once when the engine sends a malformed message for it, and cancels it there', async () => {
    const sent: ToEngine[] = [];
    let listener: (m: unknown) => void = () => undefined;
    const host = new EngineHost(
      () => ({ send: (m) => sent.push(m), onMessage: (l) => (listener = l), onExit: () => undefined, kill: () => undefined }),
      'compute engine',
    );
    const broken = host.run('scan', { root: '/a' });
    const healthy = host.run('scan', { root: '/b' });
    const [a, b] = sent as Extract<ToEngine, { type: 'start' }>[];
    expect(() => listener({ type: 'result', jobId: a!.jobId, result: {}, surprise: 1 })).not.toThrow();
    await expect(broken).rejects.toMatchObject({
      name: 'InvalidEngineMessage',
      code: 'Internal',
      message: expect.stringMatching(/^The compute engine sent a malformed message \(.*surprise.*\); the job was stopped\.$/),
    });
    expect(sent.at(-1)).toEqual({ type: 'cancel', jobId: a!.jobId });
    listener({ type: 'result', jobId: b!.jobId, result: { ok: true } });
    await expect(healthy).resolves.toEqual({ ok: true });
  });

  it('ignores a malformed message that names no job it runs, without throwing into the message loop', async () => {
    let listener: (m: unknown) => void = () => undefined;
    const host = new EngineHost(() => ({
      send: () => undefined,
      onMessage: (l) => (listener = l),
      onExit: () => undefined,
      kill: () => undefined,
    }));
    const job = host.run('scan', { root: '/a' });
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    for (const garbage of [undefined, null, 'x', { type: 'progress' }, { type: 'error', jobId: 'nobody', error: 'boom' }])
      expect(() => listener(garbage)).not.toThrow();
    listener({ type: 'refused', reason: 'The engine refused a malformed message (type: invalid input)' });
    const logged = stderr.mock.calls.map(([text]) => String(text));
    stderr.mockRestore();
    expect(logged).toHaveLength(6);
    expect(logged[3]).toBe(
      'FixRes Lab: The engine sent a malformed message (jobId: Invalid input: expected string, received undefined); it was ignored.\n',
    );
    expect(logged[5]).toMatch(/^FixRes Lab: the engine refused a message: /);
    await expect(Promise.race([job, new Promise((r) => setTimeout(() => r('still running'), 20))])).resolves.toBe(
      'still running',
    );
  });
});
