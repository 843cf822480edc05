import type { Handlers } from '../dispatch';
import type { Lab } from '../lab';

type ModelChannels =
  'models.import' | 'models.list' | 'models.get' | 'models.remove' | 'models.predict' | 'models.export' | 'models.use';

export function modelHandlers(lab: Lab): Pick<Handlers, ModelChannels> {
  return {
    'models.import': (request) => lab.models.import(request),
    'models.list': () => lab.models.list(),
    'models.get': ({ id }) => lab.models.get(id),
    'models.remove': ({ id }) => lab.models.remove(id),
    'models.predict': (request) => lab.models.predict(request),
    'models.export': (request) => lab.models.export(request),
    'models.use': (request) => lab.models.use(request),
  };
}
