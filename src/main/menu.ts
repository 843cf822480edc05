import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The application menu; "Open dataset…" runs the same path as the button in the Datasets view. */
export function setupMenu(actions: { openDataset(): void }): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open dataset…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDataset() },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
