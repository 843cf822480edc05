import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/api/engine';
import { EngineState } from '../../src/renderer/src/state/engine.svelte';
import { FakeClient } from './fake-client';

const status = (name: 'wasm' | 'webgpu'): EngineStatus => ({
  backend: { name, tfBackend: name, device: null, threads: 1, simd: null, forced: false, skipped: [], notes: [], kernels: [] },
  rungs: [
    { name, available: true, automatic: true, inUse: true, forwardOnly: false, device: null, reason: 'loaded', action: null },
  ],
  defaultBackend: name,
  versions: { tfjs: '4.22.0', node: '20', v8: '11', electron: null },
  platform: { os: 'linux', release: '6', arch: 'x64', cpuModel: 'cpu', cpuCores: 2, memoryGb: 24 },
  checkedAt: '2026-12-01T00:00:00.000Z',
});

describe('EngineState', () => {
  it('asks the engine once for every component, and again only when refreshed', async () => {
    let answer = status('wasm');
    const client = new FakeClient().handle('engine.status', () => answer);
    const engine = new EngineState(client);
    await Promise.all([engine.load(), engine.load()]);
    expect(engine.rungs?.map((r) => r.name)).toEqual(['wasm']);
    answer = status('webgpu');
    await engine.load();
    expect(client.callsTo('engine.status')).toEqual([{}]);
    await engine.refresh();
    expect(client.callsTo('engine.status')).toEqual([{}, { refresh: true }]);
    expect(engine.status?.backend.name).toBe('webgpu');
  });

  it('keeps no failed answer: the next load asks again', async () => {
    let fail = true;
    const client = new FakeClient().handle('engine.status', () => {
      if (fail) throw new Error('The compute engine stopped unexpectedly');
      return status('wasm');
    });
    const engine = new EngineState(client);
    await engine.load();
    expect(engine.error).toMatch(/^The compute engine stopped unexpectedly\. /); // with what to do next
    expect(engine.rungs).toBeNull();
    fail = false;
    await engine.load();
    expect(engine.error).toBeNull();
    expect(engine.rungs).toHaveLength(1);
  });
});
