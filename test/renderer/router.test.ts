import { describe, expect, it } from 'vitest';
import { navSection, parseRoute, routeHash, type Route } from '../../src/renderer/src/lib/routes';
import { Router, type HashSource } from '../../src/renderer/src/state/router.svelte';

function memoryHash(initial = ''): HashSource & { set(hash: string): void } {
  let hash = initial;
  const listeners = new Set<() => void>();
  return {
    read: () => hash,
    write: (h) => (hash = h),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    set(h) {
      hash = h;
      for (const l of listeners) l();
    },
  };
}

describe('routes', () => {
  it.each<[string, Route]>([
    ['', { view: 'datasets' }],
    ['#/crop-lab', { view: 'crop-lab' }],
    ['#/train', { view: 'train' }],
    ['#/train/7', { view: 'train', runId: 7 }],
    ['#/runs/12', { view: 'runs', runId: 12 }],
    ['#/runs/compare/3,5', { view: 'compare', runIds: [3, 5] }],
    ['#/resolution/4', { view: 'resolution', runId: 4 }],
    ['#/activations', { view: 'activations' }],
    ['#/workflow/2', { view: 'workflow', workflowId: 2 }],
  ])('reads %s and writes it back the same', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    if (hash) expect(routeHash(route)).toBe(hash);
  });

  it('falls back to safe routes for unknown views, bad ids and duplicate compare ids', () => {
    expect(parseRoute('#/nowhere/1')).toEqual({ view: 'datasets' });
    expect(parseRoute('#/runs/abc')).toEqual({ view: 'runs' });
    expect(parseRoute('#/runs/0')).toEqual({ view: 'runs' });
    expect(parseRoute('#/runs/compare/4,x,4,9')).toEqual({ view: 'compare', runIds: [4, 9] });
  });

  it('puts the compare page under the Runs section', () => {
    expect(navSection({ view: 'compare', runIds: [1, 2] })).toBe('runs');
  });
});

describe('Router', () => {
  it('starts on the route in the hash, so a deep link survives a reload', () => {
    expect(new Router(memoryHash('#/runs/12')).route).toEqual({ view: 'runs', runId: 12 });
  });

  it('writes the hash when navigating and follows outside changes until unsubscribed', () => {
    const hash = memoryHash();
    const router = new Router(hash);
    router.go({ view: 'train', runId: 3 });
    expect(hash.read()).toBe('#/train/3');
    const stop = router.listen();
    hash.set('#/crop-lab');
    expect(router.route).toEqual({ view: 'crop-lab' });
    stop();
    hash.set('#/runs');
    expect(router.route).toEqual({ view: 'crop-lab' });
  });
});
