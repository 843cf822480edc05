import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../src/lab/dispatch';

const handlers = {
  'datasets.get': ({ id }: { id: number }) => ({ id }),
  'datasets.list': () => {
    throw new Error('disk on fire');
  },
} as unknown as Handlers;

describe('dispatch', () => {
  it('refuses unknown channels, prototype keys included', async () => {
    for (const channel of ['nope', '__proto__', 'constructor', 42]) {
      const r = await dispatch(handlers, channel, {});
      expect(r).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
    }
  });

  it('names the field that failed validation', async () => {
    const r = await dispatch(handlers, 'datasets.get', { id: -3 });
    expect(r).toMatchObject({ ok: false, error: { name: 'ValidationError', field: 'id' } });
    expect(r.ok || r.error.message).toMatch(/^id: /);
  });

  it('passes parsed requests to the handler and wraps its value', async () => {
    expect(await dispatch(handlers, 'datasets.get', { id: 7 })).toEqual({ ok: true, value: { id: 7 } });
  });

  it('turns a thrown error into data', async () => {
    expect(await dispatch(handlers, 'datasets.list', {})).toEqual({
      ok: false,
      error: { name: 'Error', message: 'disk on fire' },
    });
  });
});
