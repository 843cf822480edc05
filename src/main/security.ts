import { app, session, shell, type WebContents } from 'electron';
import { isExternalLink } from '../shared/external-links';

/**
 * Locks every window down: no navigation away from the app, no new windows (the app's own
 * external links, EXTERNAL_LINKS, open in the user's browser; nothing else does), no permission prompts.
 */
export function setupSecurity(isAppUrl: (url: string) => boolean): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
