import type { Handlers } from './dispatch';
import type { Lab } from './lab';

/** Maps every contract channel onto a lab service. TypeScript fails the build if a channel has no handler. */
export function createHandlers(lab: Lab): Handlers {
  return {
    'app.info': () => ({
      version: lab.version,
      transport: lab.transport,
      canPickFolder: lab.transport === 'electron',
      dataDir: lab.dataDir,
    }),
    'dialog.pickFolder': () => {
      throw new Error('Folder dialogs exist only in the desktop app; type the folder path instead.');
    },
    'datasets.list': () => lab.datasets.list(),
    'datasets.get': ({ id }) => lab.datasets.get(id),
    'datasets.open': async ({ root }) => (await lab.datasets.open(root)).dataset,
    'datasets.rescan': ({ id }) => lab.datasets.rescan(id).dataset,
    'datasets.remove': ({ id }) => ({ removed: lab.datasets.remove(id) }),
  };
}
