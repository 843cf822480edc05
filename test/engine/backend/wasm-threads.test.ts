import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend/select-backend';
import { relativeError } from '../kernels/compare-backends';

const run = promisify(execFile);

describe('wasm with XNNPACK threads under Node', () => {
  it('starts with two threads and computes what the cpu backend computes', async () => {
    const report = await selectBackend({ force: 'wasm', wasmThreads: 2 });
    expect(report).toMatchObject({ name: 'wasm', threads: 2, simd: true, notes: [] });
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([4, 16, 16, 8], 0, 1, 'float32', 1) as tf.Tensor4D;
        const w = tf.randomNormal([3, 3, 8, 12], 0, 1, 'float32', 2) as tf.Tensor4D;
        const y = tf.conv2d(x, w, 2, 'same');
        return Float32Array.from(
          tf.matMul(tf.reshape(y, [-1, 12]), tf.reshape(w, [-1, 12]), false, true).dataSync() as Float32Array,
        );
      });
    const threaded = run();
    await tf.setBackend('cpu');
    expect(relativeError(threaded, run())).toBeLessThan(1e-5);
  });
});

describe('a process using threaded wasm', () => {
  it('exits on its own when its work is done (the pool threads do not hold it open)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixres-wasm-exit-'));
    try {
      const file = join(dir, 'script.mts');
      writeFileSync(
        file,
        [
          `import * as tf from ${JSON.stringify(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core'))};`,
          `import { selectBackend } from ${JSON.stringify(resolve(__dirname, '../../../src/engine/backend/select-backend.ts'))};`,
          `const r = await selectBackend({ force: 'wasm', wasmThreads: 2 });`,
          `tf.conv2d(tf.ones([2, 8, 8, 3]) as tf.Tensor4D, tf.ones([3, 3, 3, 4]) as tf.Tensor4D, 1, 'same').dataSync();`,
          `console.log('threads', r.threads);`,
        ].join('\n'),
      );
      const tsx = createRequire(import.meta.url).resolve('tsx');
      const result = await run(process.execPath, ['--import', tsx, file], {
        timeout: 30_000,
        cwd: resolve(__dirname, '../../..'),
      }).catch((err: { code?: number | null; killed?: boolean; stdout?: string }) => ({
        stdout: `failed: code ${err.code}, killed ${err.killed}`,
        stderr: '',
      }));
      expect(result.stdout.trim()).toBe('threads 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
