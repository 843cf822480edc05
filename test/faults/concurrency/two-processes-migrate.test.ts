import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db';
import { migrations } from '../../../src/store/migrations/index';
import { tempDir } from '../../helpers/fixtures';

/**
 * Two processes (the app and a `fixres` command, say) open a database at the same moment: each
 * migration must run once, inside `BEGIN IMMEDIATE` with the version read again under the lock;
 * before, the second failed with "table datasets already exists".
 */
const t = tempDir('fixres-faults-migrate-');
afterAll(() => t.cleanup());

describe('two processes migrating one database', () => {
  it('lets two processes open an empty database at once: each migration is applied once, and neither fails', async () => {
    const file = join(t.dir, 'lab.sqlite');
    const children = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../helpers/migrating-child.ts'), file, '150'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
    for (const l of lines) expect((await l.next()).value).toBe('ready');
    for (const c of children) c.stdin!.write('go\n');
    const results = await Promise.all(
      lines.map(async (l) => JSON.parse((await l.next()).value as string) as { applied?: number[]; error?: string }),
    );
    const codes = await Promise.all(children.map((c) => exited(c)));
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(codes).toEqual([0, 0]);
    expect(results.flatMap((r) => r.applied!).sort((a, b) => a - b)).toEqual(migrations.map((m) => m.version));
    const { db } = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM lab_meta`).get()).toEqual({ n: 1 });
    db.close();
  });
});

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}
