import { describe, expect, it } from 'vitest';
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
    listener({ type: 'error', jobId: start.jobId, error: { name: 'AbortError', message: 'cancelled' } });
    await expect(job).rejects.toThrow('cancelled');
  });
});
