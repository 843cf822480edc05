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

export const systemApi = {
  'app.info': endpoint(z.object({}).strict(), AppInfo),
  'dialog.pickFolder': endpoint(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
};

/** An error that escaped every handler in the lab process, which kept running (the status bar lists it). */
export const UnhandledErrorEvent = z.object({
  source: z.enum(['unhandledRejection', 'uncaughtException']),
  message: z.string(),
});

export const systemEvents = {
  'app.error': UnhandledErrorEvent,
};
