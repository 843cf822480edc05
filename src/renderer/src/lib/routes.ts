/** Where the app is: one view, and for some views the run(s) it shows. Encoded in the URL hash. */
export type Route =
  | { view: 'datasets' }
  | { view: 'models' }
  | { view: 'crop-lab' }
  | { view: 'train'; runId?: number }
  | { view: 'runs'; runId?: number }
  | { view: 'compare'; runIds: number[] }
  | { view: 'resolution'; runId?: number }
  | { view: 'activations'; runId?: number }
  | { view: 'workflow'; workflowId?: number };

export type ViewId = Route['view'];

export const DEFAULT_ROUTE: Route = { view: 'datasets' };

const positiveId = (text: string | undefined): number | undefined => {
  if (!text || !/^\d{1,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
};

/** Reads a route from a hash such as `#/runs/12` or `#/runs/compare/3,5`; anything unknown is the default view. */
export function parseRoute(hash: string): Route {
  const [view, a, b] = hash.replace(/^#\/?/, '').split('/');
  switch (view) {
    case 'crop-lab':
      return { view: 'crop-lab' };
    case 'models':
      return { view: 'models' };
    case 'train':
    case 'resolution':
    case 'activations': {
      const runId = positiveId(a);
      return runId ? { view, runId } : { view };
    }
    case 'workflow': {
      const workflowId = positiveId(a);
      return workflowId ? { view, workflowId } : { view };
    }
    case 'runs': {
      if (a === 'compare') {
        const runIds = [...new Set((b ?? '').split(',').map(positiveId))].filter((id): id is number => id !== undefined);
        return { view: 'compare', runIds };
      }
      const runId = positiveId(a);
      return runId ? { view: 'runs', runId } : { view: 'runs' };
    }
    default:
      return DEFAULT_ROUTE;
  }
}

/** The hash for a route (the inverse of parseRoute). */
export function routeHash(route: Route): string {
  switch (route.view) {
    case 'train':
    case 'runs':
    case 'resolution':
    case 'activations':
      return route.runId ? `#/${route.view}/${route.runId}` : `#/${route.view}`;
    case 'compare':
      return `#/runs/compare/${route.runIds.join(',')}`;
    case 'workflow':
      return route.workflowId ? `#/workflow/${route.workflowId}` : '#/workflow';
    default:
      return `#/${route.view}`;
  }
}

/** The sidebar entry a route belongs to (comparing runs lives under Runs). */
export function navSection(route: Route): Exclude<ViewId, 'compare'> {
  return route.view === 'compare' ? 'runs' : route.view;
}
