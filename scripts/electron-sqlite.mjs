// better-sqlite3 is a V8 addon, not N-API: the copy npm built for Node cannot load inside
// Electron. Keep a second copy built for Electron's ABI in node_modules/.cache and hand its
// path to the main process (better-sqlite3's `nativeBinding` option). The Node copy stays
// untouched, so the CLI, web mode and the tests keep working.
// Why not @electron/rebuild: it rebuilds node_modules in place for one runtime, and this project
// needs both builds side by side (the desktop app and the Node CLI on one install); its current
// major (4) also requires Node 22, and we support Node 20.19. What it would add over this file
// (prebuild-install first, node-gyp against Electron's headers second) is the same two steps.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Returns the path of an Electron-ABI better_sqlite3.node, building it on first use; null if that failed. */
export function ensureElectronSqlite() {
  const { version } = require('electron/package.json');
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const target = join(source, '..', '.cache', 'fixres-electron', `better-sqlite3-electron-${version}-${process.arch}`);
  const binding = join(target, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;

  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
  const prebuild = require.resolve('prebuild-install/bin.js', { paths: [source] });
  const fetched = spawnSync(process.execPath, [prebuild, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`], {
    cwd: target,
    stdio: 'inherit',
  });
  if (fetched.status !== 0 || !existsSync(binding)) {
    const gyp = spawnSync(
      'npx',
      [
        '--yes',
        'node-gyp',
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      {
        cwd: target,
        stdio: 'inherit',
      },
    );
    if (gyp.status !== 0 || !existsSync(binding)) {
      console.error('Could not build better-sqlite3 for Electron; the desktop app will not be able to open its database.');
      return null;
    }
  }
  return binding;
}
