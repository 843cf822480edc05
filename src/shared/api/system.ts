import { z } from 'zod';
import { endpoint } from './endpoint';

export const AppInfo = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'web']),
  /** True where a native folder picker exists (Electron). */
  canPickFolder: z.boolean(),
  dataDir: z.string(),
  /** What the lab found at start that the user should know (e.g. run folders another database left). */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** One folder of the lab's disk as the web page's folder browser shows it (path null: the roots). */
export const FolderListing = z.object({
  path: z.string().nullable(),
  /** The folder above, or null at a root. */
  parent: z.string().nullable(),
  roots: z.array(z.string()),
  entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'manifest']) })),
  /** More entries than a listing shows. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const systemApi = {
  'app.info': endpoint(z.object({}).strict(), AppInfo),
  'dialog.pickFolder': endpoint(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
  /** Web mode's folder browser: a folder's sub-folders and CSV manifests, inside the allowed roots (FIXRES_BROWSE_ROOTS). */
  'folders.list': endpoint(z.object({ path: z.string().max(4096).optional() }).strict(), FolderListing),
};

/** An error that escaped every handler in the lab process, which kept running (the status bar lists it). */
export const UnhandledErrorEvent = z.object({
  source: z.enum(['unhandledRejection', 'uncaughtException']),
  message: z.string(),
});

export const systemEvents = {
  'app.error': UnhandledErrorEvent,
};
