import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/lab/handlers/index';
import type { Lab } from '../../src/lab/lab';
import { api, channels, events, isChannel, isEventName } from '../../src/shared/contract';

describe('the API contract', () => {
  it('has a lab handler for every request channel, and no handler without a channel', () => {
    const handlers = createHandlers({} as Lab);
    expect(Object.keys(handlers).sort()).toEqual([...channels].sort());
  });

  it('knows its channels and events and nothing else', () => {
    expect(isChannel('datasets.open')).toBe(true);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel('toString')).toBe(false);
    expect(isEventName('dataset.updated')).toBe(true);
    expect(isEventName('constructor')).toBe(false);
    expect(Object.keys(events)).toEqual(expect.arrayContaining(['dataset.updated', 'run.progress', 'run.updated', 'jobs.changed']));
  });

  it('rejects a dataset path that is empty, NUL-bearing or absurdly long', () => {
    const schema = api['datasets.open'].request;
    expect(schema.safeParse({ root: '/data/pets' }).success).toBe(true);
    expect(schema.safeParse({ root: '   ' }).success).toBe(false);
    expect(schema.safeParse({ root: 'a\0b' }).success).toBe(false);
    expect(schema.safeParse({ root: 'x'.repeat(5000) }).success).toBe(false);
    expect(schema.safeParse({ root: '/a', extra: 1 }).success).toBe(false);
  });
});
