import { describe, expect, it, vi } from 'vitest';
import { api, channels } from '../../../src/shared/contract';
import { malformedVariants, VALID_REQUESTS } from '../helpers/malformed';
import { useBothAdapters } from '../helpers/both-adapters';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronModule);

const both = useBothAdapters();

const polluted = () => ({}) as Record<string, unknown>;

describe('every request of the contract is validated by its schema', () => {
  it('has a valid example for every channel, and each example passes its schema', () => {
    expect(Object.keys(VALID_REQUESTS).sort()).toEqual([...channels].sort());
    for (const channel of channels) expect(api[channel].request.safeParse(VALID_REQUESTS[channel]).success, channel).toBe(true);
  });

  it('refuses malformed payloads on every channel over HTTP with a ValidationError (never a 500), and nothing is polluted', async () => {
    let sent = 0;
    for (const channel of channels) {
      for (const variant of malformedVariants(VALID_REQUESTS[channel])) {
        const { status, reply } = await both.web.call(channel, variant.json);
        expect(status, `${channel} with ${variant.label}`).toBe(200);
        expect(reply.ok ? 'accepted' : reply.error.name, `${channel} with ${variant.label}`).toBe('ValidationError');
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(channels.length * 10);
    expect(polluted().polluted).toBeUndefined();
    expect(both.web.lab.datasets.list()).toEqual([]);
    expect(both.web.lab.runs.list()).toEqual([]);
    expect(await both.web.value('app.info')).toMatchObject({ transport: 'web' });
  });

  it('refuses the same payloads through the Electron IPC adapter, values JSON cannot carry included', async () => {
    for (const channel of channels) {
      const variants = malformedVariants(VALID_REQUESTS[channel]).map((v) => ({ ...v, value: JSON.parse(v.json) as unknown }));
      for (const [key, value] of Object.entries(VALID_REQUESTS[channel])) {
        if (typeof value !== 'number') continue;
        for (const bad of [NaN, Infinity, -Infinity, 2n ** 70n])
          variants.push({ label: `${key}: ${String(bad)}`, json: '', value: { ...VALID_REQUESTS[channel], [key]: bad } });
      }
      // A Map or a Date has no own keys: only a channel that needs some can refuse it.
      if (!api[channel].request.safeParse({}).success) {
        variants.push(
          { label: 'a Map', json: '', value: new Map([['id', 1]]) },
          { label: 'a Date', json: '', value: new Date() },
        );
      }
      for (const variant of variants) {
        const reply = await both.ipc(channel, variant.value);
        expect(reply.ok ? 'accepted' : reply.error.name, `${channel} with ${variant.label}`).toBe('ValidationError');
      }
    }
    expect(polluted().polluted).toBeUndefined();
    expect(both.web.lab.runs.list()).toEqual([]);
  });

  it('refuses unknown channels on both adapters, prototype names included', async () => {
    for (const channel of [
      'system.exec',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'runs.start.x',
      '..%2fapp.info',
      '',
    ]) {
      const { status, reply } = await both.web.call(channel, {});
      if (channel === '') expect(status).toBe(200);
      expect(reply, channel).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
      expect(await both.ipc(channel, {}), channel).toMatchObject({
        ok: false,
        error: { name: 'UnknownChannel' },
      });
    }
  });
});
