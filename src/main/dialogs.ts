import { BrowserWindow, dialog } from 'electron';

/** The native "Open dataset…" folder picker; null when the user cancels. */
export async function pickFolder(title = 'Open dataset folder'): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = { title, properties: ['openDirectory'] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
