import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

export function cropHandlers(lab: Lab): Pick<Handlers, 'crops.sample'> {
  return {
    'crops.sample': (request) => lab.crops.sample(request),
  };
}
