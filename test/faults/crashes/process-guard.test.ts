import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/fixtures';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';

const t = tempDir('fixres-faults-guard-');
let serve: ServeProcess;
beforeAll(async () => {
  serve = await startServeProcess(join(t.dir, 'home'), {
    nodeArgs: ['--import', join(import.meta.dirname, '../helpers/misbehave-on-signal.mjs')],
  });
});
afterAll(async () => {
  await serve?.stop();
  t.cleanup();
});

describe('an error escapes every handler in web mode', () => {
  it('logs an unhandled rejection and an uncaught exception, lists them in open pages, and keeps serving', async () => {
    const reported = await serve.collectEvents<{ source: string; message: string }>('app.error');
    serve.child.kill('SIGUSR2');
    await expect.poll(() => reported.payloads.length).toBe(2);
    reported.close();
    expect(reported.payloads).toEqual(
      expect.arrayContaining([
        { source: 'unhandledRejection', message: 'Error: injected rejection' },
        { source: 'uncaughtException', message: 'Error: injected exception' },
      ]),
    );
    expect(serve.stderr()).toMatch(/unexpected error \(unhandledRejection\), kept running: Error: injected rejection/);
    expect(serve.stderr()).toMatch(/unexpected error \(uncaughtException\), kept running: Error: injected exception/);
    expect(serve.exited()).toBeNull();
    expect(await serve.call('app.info')).toMatchObject({ ok: true, value: { transport: 'web' } });
  });
});
