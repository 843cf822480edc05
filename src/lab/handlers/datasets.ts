import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

type DatasetChannels = Extract<keyof Handlers, `datasets.${string}`>;

export function datasetHandlers(lab: Lab): Pick<Handlers, DatasetChannels> {
  return {
    'datasets.list': () => lab.datasets.list(),
    'datasets.get': ({ id }) => lab.datasets.get(id),
    'datasets.open': async ({ root }) => (await lab.datasets.open(root)).dataset,
    'datasets.rescan': ({ id }) => lab.datasets.rescan(id).dataset,
    'datasets.cancelScan': ({ id }) => lab.datasets.cancelScan(id),
    'datasets.remove': async ({ id }) => ({ removed: await lab.datasets.remove(id) }),
    'datasets.setSplit': ({ id, valFraction, seed }) => lab.datasets.setSplit(id, valFraction, seed),
    'datasets.inspection': ({ id, k }) => lab.datasetImages.inspection(id, k),
    'datasets.problems': ({ id, k }) => lab.datasetImages.problems(id, k),
    'datasets.images': ({ id, ...page }) => lab.datasetImages.images(id, page),
    'datasets.thumbnails': ({ imageIds }) => lab.datasetImages.thumbnails(imageIds),
    'datasets.preview': ({ imageId, maxSide }) => lab.datasetImages.preview(imageId, maxSide),
    'datasets.trySample': ({ kind }) => lab.samples.trySample(kind),
    'datasets.cancelSample': ({ kind }) => ({ cancelled: lab.samples.cancel(kind) }),
  };
}
