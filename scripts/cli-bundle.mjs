// The `fixres` command runs built JavaScript: src/cli, the engine process and its data workers
// bundled by esbuild into out/cli/<build>/ (npm packages stay imports). Node then loads a few
// files instead of tsx compiling ~200 TypeScript sources on every start (docs: README, "Command
// line"). `bin/fixres.mjs` calls freshBundle() on every start: it reuses the bundle while every
// source it was built from is unchanged (one stat per source, a few ms) and rebuilds it otherwise
// (~1 s), so a fresh clone and an edited checkout both just work. `npm run build` makes it too.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Older builds stay this long: a `fixres serve` started from one still starts engines and workers from its files. */
const KEEP_OLD_MS = 24 * 3600 * 1000;

const ENTRIES = {
  fixres: 'src/cli/index.ts',
  engine: 'src/engine/main.ts',
  'sample-worker': 'src/engine/data/workers/sample-worker.ts',
};

/** The bundle's entry file when every source it was built from is unchanged, else null. */
export function currentBundle(root = ROOT) {
  const manifestFile = join(root, 'out', 'cli', 'current.json');
  if (!existsSync(manifestFile)) return null;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
  const entry = join(root, 'out', 'cli', manifest.dir, 'fixres.js');
  if (!existsSync(entry)) return null;
  for (const [file, mtimeMs] of Object.entries(manifest.inputs)) {
    const info = statOrNull(join(root, file));
    if (!info || info.mtimeMs !== mtimeMs) return null;
  }
  return entry;
}

/** Builds the bundle into a new folder and makes it current (a concurrent start keeps using the one it loaded). */
export async function buildBundle(root = ROOT) {
  const esbuild = createRequire(createRequire(join(root, 'package.json')).resolve('tsx'))('esbuild');
  const dir = `${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(root, 'out', 'cli', dir);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages stay imports (native addons, tfjs), except zod: bundled, it is one file instead of ~70 modules to resolve.
    external: externalPackages(root),
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outdir,
    metafile: true,
    logLevel: 'error',
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), 'package.json']) {
    const info = statOrNull(join(root, file));
    if (info) inputs[relative(root, join(root, file))] = info.mtimeMs;
  }
  const manifestFile = join(root, 'out', 'cli', 'current.json');
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir, builtAt: new Date().toISOString(), inputs }));
  renameSync(tmp, manifestFile);
  removeOldBuilds(join(root, 'out', 'cli'), dir);
  return join(outdir, 'fixres.js');
}

/** The current bundle, built first when it is missing or stale. */
export async function freshBundle(root = ROOT) {
  return currentBundle(root) ?? (await buildBundle(root));
}

/** Every package the project depends on but zod, with its sub-paths. */
function externalPackages(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies }).filter(
    (n) => n !== 'zod',
  );
  return names.flatMap((n) => [n, `${n}/*`]);
}

function removeOldBuilds(outRoot, keep) {
  for (const name of readdirSync(outRoot)) {
    const path = join(outRoot, name);
    const info = statOrNull(path);
    if (name !== keep && info?.isDirectory() && Date.now() - info.mtimeMs > KEEP_OLD_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

// `node scripts/cli-bundle.mjs` (npm run build): build now, whatever is there.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildBundle();
  console.log(`fixres bundle: ${relative(ROOT, entry)}`);
}
