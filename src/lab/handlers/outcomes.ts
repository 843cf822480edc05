import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';
import { outcomeDetail, outcomeMistakes, outcomePoints } from '../outcomes';

export function outcomeHandlers(lab: Lab): Pick<Handlers, 'outcomes.points' | 'outcomes.get' | 'outcomes.mistakes'> {
  return {
    'outcomes.points': ({ runId }) => outcomePoints(lab.db, runId),
    'outcomes.get': (key) => outcomeDetail(lab.db, key),
    'outcomes.mistakes': (request) => outcomeMistakes(lab.db, request),
  };
}
