import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');
type Layer = 'shared' | 'core' | 'engine' | 'store' | 'lab' | 'main' | 'preload' | 'renderer' | 'server' | 'cli';

/** DESIGN.md §2: which layers each layer may import. Arrows point down. */
const ALLOWED: Record<Layer, Layer[]> = {
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
const PACKAGES: Partial<Record<Layer, (spec: string) => boolean>> = {
  shared: (s) => s === 'zod',
  core: () => false,
  preload: (s) => s === 'electron',
  renderer: (s) => s === 'svelte' || s.startsWith('svelte/') || s === 'chart.js' || s.startsWith('chart.js/'),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(name) ? [full] : [];
  });
}

function layerOf(file: string): Layer {
  return relative(SRC, file).split(sep)[0] as Layer;
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

/**
 * `src/lab` is grouped by feature (engine, datasets, runs, …): code outside a feature folder uses
 * its `index.ts`, and code outside `src/lab` uses `src/lab/index.ts`.
 */
function throughLabEntry(file: string, target: string): boolean {
  const lab = join(SRC, 'lab');
  const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);
  if (!inside(lab, target)) return true;
  if (!inside(lab, file)) return target === lab || target === join(lab, 'index');
  const [targetFolder, ...rest] = relative(lab, target).split(sep);
  if (!rest.length) return true; // a root module of src/lab, or a folder's entry
  if (inside(join(lab, targetFolder!), file)) return true;
  return rest.length === 1 && rest[0] === 'index';
}

describe('layering (DESIGN.md §2)', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports only what its layer allows', (_name, file) => {
    const layer = layerOf(file);
    const violations: string[] = [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(SRC + sep)) {
          violations.push(`${spec} (outside src)`);
          continue;
        }
        const to = layerOf(target);
        if (!ALLOWED[layer].includes(to)) violations.push(`${spec} (${layer} → ${to})`);
      } else if (spec.startsWith('node:')) {
        if (layer === 'shared' || layer === 'core' || layer === 'renderer' || layer === 'preload')
          violations.push(`${spec} (Node API in ${layer})`);
      } else {
        const allowed = PACKAGES[layer];
        if (allowed && !allowed(spec)) violations.push(`${spec} (package not allowed in ${layer})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))(
    '%s reaches src/lab folders only through their public entry',
    (_name, file) => {
      const violations = importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .filter((spec) => !throughLabEntry(file, resolve(dirname(file), spec)));
      expect(violations).toEqual([]);
    },
  );

  it('catches an import past a folder entry', () => {
    const lab = join(SRC, 'lab');
    expect(throughLabEntry(join(lab, 'runs/runs.ts'), join(lab, 'jobs/unsaved-ends'))).toBe(false);
    expect(throughLabEntry(join(lab, 'runs/runs.ts'), join(lab, 'jobs'))).toBe(true);
    expect(throughLabEntry(join(lab, 'runs/runs.ts'), join(lab, 'runs/run-view'))).toBe(true);
    expect(throughLabEntry(join(SRC, 'cli/index.ts'), join(lab, 'lab'))).toBe(false);
    expect(throughLabEntry(join(SRC, 'cli/index.ts'), lab)).toBe(true);
  });

  it('catches an upward import', () => {
    expect(ALLOWED.core.includes('engine')).toBe(false);
    expect(importsOf(`import { x } from '../engine/y';`)).toEqual(['../engine/y']);
    expect(importsOf(`import type { A } from "./a";\nexport * from './b';\nconst m = await import('../c');`)).toEqual([
      './a',
      './b',
      '../c',
    ]);
  });
});
