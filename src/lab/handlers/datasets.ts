import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

type DatasetChannels = 'datasets.list' | 'datasets.get' | 'datasets.open' | 'datasets.rescan' | 'datasets.remove';

export function datasetHandlers(lab: Lab): Pick<Handlers, DatasetChannels> {
  return {
    'datasets.list': () => lab.datasets.list(),
    'datasets.get': ({ id }) => lab.datasets.get(id),
    'datasets.open': async ({ root }) => (await lab.datasets.open(root)).dataset,
    'datasets.rescan': ({ id }) => lab.datasets.rescan(id).dataset,
    'datasets.remove': ({ id }) => ({ removed: lab.datasets.remove(id) }),
  };
}
