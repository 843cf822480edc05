import { userError } from '../../shared/errors';
import type { Handlers } from '../dispatch';
import { browseRoots, listFolder } from '../folders';
import type { Lab } from '../lab';

export function systemHandlers(lab: Lab): Pick<Handlers, 'app.info' | 'dialog.pickFolder' | 'folders.list'> {
  return {
    'app.info': () => ({
      version: lab.version,
      transport: lab.transport,
      canPickFolder: lab.transport === 'electron',
      dataDir: lab.dataDir,
      notices: [...lab.notices],
    }),
    // The desktop adapter replaces this with the native dialog.
    'dialog.pickFolder': () => {
      throw userError('Folder dialogs exist only in the desktop app; type the folder path instead.', undefined, 'Environment');
    },
    'folders.list': ({ path }) => listFolder(path, browseRoots(lab.dataDir)),
  };
}
