import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';
import { speedTable } from '../runs';
import { activationsView, resolutionChart } from '../sweeps';

type FixresChannels =
  | 'runs.finetune'
  | 'runs.speed'
  | 'runs.export'
  | 'sweeps.plan'
  | 'sweeps.start'
  | 'sweeps.cancel'
  | 'sweeps.resume'
  | 'sweeps.list'
  | 'sweeps.get'
  | 'sweeps.resolution'
  | 'sweeps.activations'
  | 'workflows.suggest'
  | 'workflows.start'
  | 'workflows.resume'
  | 'workflows.cancel'
  | 'workflows.list'
  | 'workflows.get'
  | 'workflows.export';

export function fixresHandlers(lab: Lab): Pick<Handlers, FixresChannels> {
  return {
    'runs.finetune': (request) => lab.finetunes.start(request),
    'runs.speed': (request) => speedTable(lab.db, request),
    'runs.export': (request) => lab.exports.exportRun(request),
    'sweeps.plan': ({ runId, step }) => lab.sweeps.plan(runId, step),
    'sweeps.start': (request) => lab.sweeps.start(request),
    'sweeps.cancel': ({ id }) => lab.sweeps.cancel(id),
    'sweeps.resume': ({ id }) => lab.sweeps.resume(id),
    'sweeps.list': ({ runId }) => lab.sweeps.list(runId),
    'sweeps.get': ({ id }) => lab.sweeps.get(id),
    'sweeps.resolution': ({ runId }) => resolutionChart(lab.db, runId),
    'sweeps.activations': ({ runId, bins }) => activationsView(lab.db, runId, { bins }),
    'workflows.suggest': (request) => lab.workflows.suggest(request),
    'workflows.start': (config) => lab.workflows.start(config),
    'workflows.resume': ({ id, backend }) => lab.workflows.resume(id, backend ? { backend } : {}),
    'workflows.cancel': ({ id }) => lab.workflows.cancel(id),
    'workflows.list': () => lab.workflows.list(),
    'workflows.get': ({ id }) => lab.workflows.get(id),
    'workflows.export': (request) => lab.exports.exportWorkflow(request),
  };
}
