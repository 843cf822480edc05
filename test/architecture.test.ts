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
