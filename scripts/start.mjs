#!/usr/bin/env node
// `npm start`: build, then open the desktop app. Where the Electron binary is absent (a headless
// GPU box, a locked-down network), start web mode instead and say why. `npm run serve` (--web)
// goes straight to web mode. `--no-build` reuses the last build (a quick restart; the e2e test,
// which must not rebuild out/ under other running tests).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronSqlite } from './electron-sqlite.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const skipBuild = args.includes('--no-build');
const passThrough = args.filter((a) => a !== '--web' && a !== '--no-build');

function build() {
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron executable if it is installed (downloading it once if allowed), else the reason it is not. */
function findElectron() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const installed = () => {
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  };
  if (installed()) return { exe: installed() };
  if (process.env.FIXRES_NO_ELECTRON_DOWNLOAD)
    return { reason: 'the Electron binary is not installed (FIXRES_NO_ELECTRON_DOWNLOAD is set)' };
  console.log('Electron binary not installed yet; fetching it once…');
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  const exe = installed();
  if (exe) return { exe };
  const why =
    String(r.stderr ?? '')
      .split('\n')
      .find((l) => l.trim()) ?? `exit code ${r.status}`;
  return { reason: `the Electron binary could not be downloaded (${why.trim().slice(0, 160)})` };
}

function startWeb() {
  const child = spawn(process.execPath, [join(root, 'bin', 'fixres.mjs'), 'serve', ...passThrough], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (!skipBuild) build();
if (webOnly) startWeb();
else {
  const electron = findElectron();
  if (!electron.exe) {
    console.log(`\nStarting web mode instead of the desktop window: ${electron.reason}.\n`);
    startWeb();
  } else {
    const env = { ...process.env };
    const binding = ensureElectronSqlite();
    if (binding) env.FIXRES_SQLITE_BINDING = binding;
    const child = spawn(electron.exe, [root, ...passThrough], { stdio: 'inherit', env });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
