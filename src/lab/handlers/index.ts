import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';
import { datasetHandlers } from './datasets';
import { engineHandlers } from './engine';
import { systemHandlers } from './system';

/** Maps every contract channel onto a lab service. TypeScript fails the build if a channel has no handler. */
export function createHandlers(lab: Lab): Handlers {
  return {
    ...systemHandlers(lab),
    ...datasetHandlers(lab),
    ...engineHandlers(lab),
  };
}
