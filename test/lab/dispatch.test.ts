import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../src/lab/dispatch';
import { userError } from '../../src/shared/errors';

const handlers = {
  'datasets.get': ({ id }: { id: number }) => ({ id }),
  'datasets.list': () => {
    throw new Error('disk on fire');
  },
  'runs.get': ({ id }: { id: number }) => {
    throw userError(`No run with id ${id}`, 'id', 'NotFound');
  },
} as unknown as Handlers;

describe('dispatch', () => {
  it('refuses unknown channels, prototype keys included', async () => {
    for (const channel of ['nope', '__proto__', 'constructor', 42]) {
      const r = await dispatch(handlers, channel, {});
      expect(r).toMatchObject({ ok: false, error: { name: 'UnknownChannel', code: 'Invalid' } });
    }
  });

  it('names the field that failed validation', async () => {
    const r = await dispatch(handlers, 'datasets.get', { id: -3 });
    expect(r).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'Invalid', field: 'id' } });
    expect(r.ok || r.error.message).toMatch(/^id: /);
  });

  it('passes parsed requests to the handler and wraps its value', async () => {
    expect(await dispatch(handlers, 'datasets.get', { id: 7 })).toEqual({ ok: true, value: { id: 7 } });
  });

  it('turns a thrown error into data, an unexpected one coded Internal', async () => {
    expect(await dispatch(handlers, 'datasets.list', {})).toEqual({
      ok: false,
      error: { name: 'Error', code: 'Internal', message: 'disk on fire' },
    });
  });

  it('keeps the code a lab error was thrown with, so clients act on it instead of its message', async () => {
    expect(await dispatch(handlers, 'runs.get', { id: 9 })).toEqual({
      ok: false,
      error: { name: 'UserError', code: 'NotFound', message: 'No run with id 9', field: 'id' },
    });
  });
});
