import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

type RunChannels = 'runs.start' | 'runs.cancel' | 'runs.resume' | 'runs.list' | 'runs.get' | 'runs.delete' | 'runs.exportRecipe' | 'jobs.list';

export function runHandlers(lab: Lab): Pick<Handlers, RunChannels> {
  return {
    'runs.start': (cfg) => lab.runs.start(cfg),
    'runs.cancel': ({ id }) => lab.runs.cancel(id),
    'runs.resume': ({ id, backend }) => lab.runs.resume(id, backend ? { backend } : {}),
    'runs.list': () => lab.runs.list(),
    'runs.get': ({ id }) => lab.runs.get(id),
    'runs.delete': ({ id }) => lab.runs.delete(id),
    'runs.exportRecipe': (request) => lab.recipes.export(request),
    'jobs.list': () => lab.jobs.list(),
  };
}
