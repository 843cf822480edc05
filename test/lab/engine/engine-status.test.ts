import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';

let lab: Lab;
const saved = process.env.FIXRES_BACKEND;

beforeEach(() => {
  // The engine process inherits the environment: force the quick cpu backend.
  process.env.FIXRES_BACKEND = 'cpu';
  lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
});
afterEach(() => {
  lab.close();
  if (saved === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = saved;
});

describe('engine.status (the compute engine’s backend for the status bar)', () => {
  it('asks the compute engine once and answers from the cache after that', async () => {
    const handlers = createHandlers(lab);
    const first = await dispatch(handlers, 'engine.status', {});
    expect(first).toMatchObject({
      ok: true,
      value: { backend: { name: 'cpu', forced: true, threads: 1 }, versions: { tfjs: '4.22.0' } },
    });
    const second = await dispatch(handlers, 'engine.status', {});
    expect(second).toEqual(first);
  });

  it('asks again on refresh', async () => {
    // Only the clock is faked (the engine's IPC keeps its real timers): a later ask has a later time.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
      const first = await lab.engineStatus.get();
      vi.setSystemTime(new Date('2026-01-01T00:00:05Z'));
      const cached = await lab.engineStatus.get();
      const refreshed = await lab.engineStatus.get({ refresh: true });
      expect(cached.checkedAt).toBe('2026-01-01T00:00:00.000Z');
      expect(refreshed.checkedAt).toBe('2026-01-01T00:00:05.000Z');
      expect(refreshed.backend).toEqual(first.backend);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a malformed request with the field named', async () => {
    const result = await dispatch(createHandlers(lab), 'engine.status', { refresh: 'yes' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationError', field: 'refresh' } });
  });

  it('does not cache a failure: a bad forced backend fails now and the next ask tries again', async () => {
    process.env.FIXRES_BACKEND = 'nonsense';
    const broken = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    try {
      await expect(broken.engineStatus.get()).rejects.toThrow(/FIXRES_BACKEND must be one of/);
      await expect(broken.engineStatus.get()).rejects.toThrow(/FIXRES_BACKEND must be one of/);
    } finally {
      broken.close();
    }
  });
});
