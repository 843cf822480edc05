import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder for web mode and the CLI: $FIXRES_HOME, else ~/.fixres-lab. Electron uses its userData folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIXRES_HOME?.trim() || join(homedir(), '.fixres-lab');
}
