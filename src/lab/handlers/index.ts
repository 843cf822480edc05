import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';
import { analysisHandlers } from './analysis';
import { cropHandlers } from './crops';
import { datasetHandlers } from './datasets';
import { runHandlers } from './runs';
import { engineHandlers } from './engine';
import { fixresHandlers } from './fixres';
import { modelHandlers } from './models';
import { outcomeHandlers } from './outcomes';
import { systemHandlers } from './system';

/** Maps every contract channel onto a lab service. TypeScript fails the build if a channel has no handler. */
export function createHandlers(lab: Lab): Handlers {
  return {
    ...systemHandlers(lab),
    ...datasetHandlers(lab),
    ...analysisHandlers(lab),
    ...cropHandlers(lab),
    ...runHandlers(lab),
    ...engineHandlers(lab),
    ...fixresHandlers(lab),
    ...modelHandlers(lab),
    ...outcomeHandlers(lab),
  };
}
