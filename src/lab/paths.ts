import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { userError } from '../shared/errors';

/** The data folder for web mode and the CLI: $FIXRES_HOME, else ~/.fixres-lab. Electron uses its userData folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIXRES_HOME?.trim() || join(homedir(), '.fixres-lab');
}

/** `~` and `~/…` as the home folder (a shell does this only for unquoted words at their start). */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

/** A path typed on the command line: `~` expanded, relative paths against the working directory. */
export function commandLinePath(path: string, cwd = process.cwd(), home = homedir()): string {
  return resolve(cwd, expandHome(path.trim(), home));
}

/**
 * A path typed in the app (desktop or web mode): `~` expanded; a relative path is refused, since
 * the lab's working directory (its install folder) means nothing to whoever typed it.
 */
export function appPath(path: string, field: string, home = homedir()): string {
  const expanded = expandHome(path.trim(), home);
  if (!isAbsolute(expanded))
    throw userError(`Give the full path of the folder (starting with / or ~/), not "${path}": it would be read relative to where the lab was started`, field);
  return resolve(expanded);
}
