import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { abandonExport, prepareExportDir } from '../../../src/lab/export/export-paths';
import { tempDir } from '../../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('prepareExportDir', () => {
  it('removes the staging folder an export of a killed process left behind, and keeps a live one', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const abandoned = join(t.dir, '.fixres-export-999999999-abc123'); // above Linux's pid_max: never a live process
    const live = join(t.dir, `.fixres-export-${process.pid}-def456`);
    for (const d of [abandoned, live]) {
      mkdirSync(d);
      writeFileSync(join(d, 'results.json'), '{"half":');
    }
    const target = await prepareExportDir(t.dir, ['results.json'], { overwrite: false, dataDir: ':memory:' });
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(target.staging)).toBe(true);
    await abandonExport(target);
    expect(readdirSync(t.dir)).toEqual([`.fixres-export-${process.pid}-def456`]);
  });
});
