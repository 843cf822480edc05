import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_TESTS, isIntegrationTest } from './tiers';

const ROOT = resolve(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** What starts a process: the CLI runner, Python references, engine spawners, child_process, a lab with real engines. */
const STARTS_PROCESSES = /helpers\/(cli|python-reference)'|node-engine'|node:child_process'|spawnNodeEngine|createLab\(/;

describe('test tiers', () => {
  const unitFiles = testFiles('test').filter(
    (f) => !/^test\/(e2e|faults)\//.test(f) && !isIntegrationTest(f) && f !== 'test/tiers.test.ts', // this file names the signs
  );

  it('keeps every test that starts a process out of the unit tier', () => {
    const spawning = unitFiles.filter((f) => STARTS_PROCESSES.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(spawning).toEqual([]);
  });

  it('names only files and folders that exist', () => {
    expect(INTEGRATION_TESTS.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
