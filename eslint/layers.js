// DESIGN.md §2: folder = runtime, arrows point down. The one definition of which layer may import
// what; the ESLint rule below and test/architecture.test.ts both use it.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Which layers each layer may import. */
export const ALLOWED = {
  shared: ['shared'],
  core: ['core', 'shared'],
  engine: ['engine', 'core', 'shared'],
  store: ['store', 'shared'],
  lab: ['lab', 'store', 'core', 'shared'],
  main: ['main', 'lab', 'shared'],
  server: ['server', 'lab', 'shared'],
  cli: ['cli', 'server', 'lab', 'shared'],
  preload: ['preload', 'shared'],
  renderer: ['renderer', 'core', 'shared'],
};

/** Packages a layer may use beyond its own code (shared: zod only; core: nothing; renderer/preload: no Node). */
const PACKAGES = {
  shared: (s) => s === 'zod',
  core: () => false,
  preload: (s) => s === 'electron',
  renderer: (s) => s === 'svelte' || s.startsWith('svelte/') || s === 'chart.js' || s.startsWith('chart.js/'),
};

const NO_NODE = new Set(['shared', 'core', 'renderer', 'preload']);

/** The layer (top folder under src/) a file belongs to, or null outside src. */
export function layerOf(file) {
  const rel = relative(SRC, file);
  return rel.startsWith('..') || rel === '' ? null : rel.split(sep)[0];
}

/**
 * `src/lab` is grouped by feature (engine, datasets, runs, …): code outside a feature folder goes
 * through its `index.ts`, and code outside `src/lab` through `src/lab/index.ts`.
 */
export function throughLabEntry(file, target) {
  const lab = resolve(SRC, 'lab');
  const inside = (dir, path) => path === dir || path.startsWith(dir + sep);
  if (!inside(lab, target)) return true;
  if (!inside(lab, file)) return target === lab || target === resolve(lab, 'index');
  const [folder, ...rest] = relative(lab, target).split(sep);
  if (!rest.length) return true; // a root module of src/lab, or a folder's entry
  if (inside(resolve(lab, folder), file)) return true;
  return rest.length === 1 && rest[0] === 'index';
}

/** Why `file` may not import `spec`, or null when it may. */
export function layerViolation(file, spec) {
  const layer = layerOf(file);
  if (!layer || !ALLOWED[layer]) return null;
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    const to = layerOf(target);
    if (!to) return `${spec} (outside src)`;
    if (!ALLOWED[layer].includes(to)) return `${spec} (${layer} → ${to})`;
    return throughLabEntry(file, target) ? null : `${spec} (past a src/lab folder's index.ts)`;
  }
  if (spec.startsWith('node:')) return NO_NODE.has(layer) ? `${spec} (Node API in ${layer})` : null;
  const allowed = PACKAGES[layer];
  return allowed && !allowed(spec) ? `${spec} (package not allowed in ${layer})` : null;
}

/** ESLint rule `fixres/layers`: reports imports, re-exports and dynamic imports that point up. */
export const layersRule = {
  meta: { type: 'problem', docs: { description: 'imports point down the layers of DESIGN.md §2' }, schema: [] },
  create(context) {
    const check = (node, source) => {
      if (typeof source?.value !== 'string') return;
      const why = layerViolation(context.filename, source.value);
      if (why) context.report({ node: source, message: `Upward or foreign import: ${why}` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
