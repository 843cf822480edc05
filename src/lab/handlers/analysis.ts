import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

export function analysisHandlers(lab: Lab): Pick<Handlers, 'analysis.apparentSize'> {
  return {
    'analysis.apparentSize': (request) => lab.analysis.apparentSize(request),
  };
}
