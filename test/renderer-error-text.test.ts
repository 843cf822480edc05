import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer's own tests are type-checked for the browser; this one reads the renderer's sources from disk.
describe('every error a view shows goes through errorText', () => {
  const root = join(__dirname, '../src/renderer/src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : [],
    );

  it('reads no caught error’s message directly (only to recognise a missing row, or a form field’s own message)', () => {
    const offenders = files(root).flatMap((file) => {
      const name = relative(root, file);
      if (name === 'lib/errors.ts' || name === 'state/train-form.svelte.ts') return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/missingRow\(messageOf\(/g, ''), at: `${name}:${i + 1}` }))
        .filter(({ line }) => /\(err(or)? as Error\)\.message|messageOf\(|\berr\.message\b/.test(line))
        .map(({ at }) => at);
    });
    expect(offenders).toEqual([]);
  });
});
