import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

export function engineHandlers(lab: Lab): Pick<Handlers, 'engine.status'> {
  return {
    'engine.status': ({ refresh }) => lab.engineStatus.get({ refresh }),
  };
}
