import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED, layerViolation, SRC } from '../eslint/layers.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(name) ? [full] : [];
  });
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

// The rules live in eslint/layers.js (also the `fixres/layers` lint rule); this checks every file
// against them without ESLint, so `npm test` alone catches an upward import.
describe('layering (DESIGN.md §2)', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports only what its layer allows', (_name, file) => {
    const violations = importsOf(readFileSync(file, 'utf8'))
      .map((spec) => layerViolation(file, spec))
      .filter((why) => why !== null);
    expect(violations).toEqual([]);
  });

  it('catches an upward import, Node in core and a foreign package in shared', () => {
    expect(ALLOWED['core']).not.toContain('engine');
    expect(layerViolation(join(SRC, 'core/x.ts'), '../engine/y')).toBe('../engine/y (core → engine)');
    expect(layerViolation(join(SRC, 'core/x.ts'), 'node:fs')).toBe('node:fs (Node API in core)');
    expect(layerViolation(join(SRC, 'shared/x.ts'), 'lodash')).toBe('lodash (package not allowed in shared)');
    expect(layerViolation(join(SRC, 'lab/runs/x.ts'), '../../store/db')).toBeNull();
  });

  it('catches an import past the public entry of a src/lab folder', () => {
    expect(layerViolation(join(SRC, 'lab/runs/runs.ts'), '../jobs/unsaved-ends')).toBe(
      "../jobs/unsaved-ends (past a src/lab folder's index.ts)",
    );
    expect(layerViolation(join(SRC, 'lab/runs/runs.ts'), '../jobs')).toBeNull();
    expect(layerViolation(join(SRC, 'lab/runs/runs.ts'), './run-view')).toBeNull();
    expect(layerViolation(join(SRC, 'lab/lab.ts'), './runs')).toBeNull();
    expect(layerViolation(join(SRC, 'cli/index.ts'), '../lab/lab')).toBe("../lab/lab (past a src/lab folder's index.ts)");
    expect(layerViolation(join(SRC, 'cli/index.ts'), '../lab')).toBeNull();
    expect(importsOf(`import type { A } from "./a";\nexport * from './b';\nconst m = await import('../c');`)).toEqual([
      './a',
      './b',
      '../c',
    ]);
  });
});
