import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../bin/fixres.mjs');
const t = tempDir();
const home = join(t.dir, 'home');
const data = join(t.dir, 'patterns');

beforeAll(() => writePatternFolder(data, { perClass: 6, size: 12 }));
afterAll(() => t.cleanup());

async function fixres(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const env = { ...process.env, FIXRES_HOME: home, FIXRES_BACKEND: 'cpu' };
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('fixres train / runs / eval', () => {
  it('trains on a folder, then lists, shows and evaluates the run', async () => {
    const flags = ['--width', '0.25', '--k-train', '8', '--epochs', '2', '--batch', '8', '--seed', '3', '--json'];
    flags.push('--crop-pct', '0.9', '--scale', '0.25,1', '--ratio', '0.8,1.25');
    const trained = await fixres(['train', '--dataset', data, ...flags]);
    expect(trained.code).toBe(0);
    const runJson = JSON.parse(trained.stdout);
    expect(runJson).toMatchObject({
      status: 'completed',
      backend: 'cpu',
      epochsDone: 2,
      config: { kTrain: 8, seed: 3, cropPct: 0.9, scale: [0.25, 1], ratio: [0.8, 1.25] },
    });
    expect(trained.stderr).toMatch(/epoch 2\/2 {2}train loss/);

    const listed = JSON.parse((await fixres(['runs', 'list', '--json'])).stdout);
    expect(listed.map((r: { id: number }) => r.id)).toEqual([runJson.id]);
    const shown = await fixres(['runs', 'show', String(runJson.id)]);
    expect(shown.stdout).toMatch(/K_train 8, K_test 8/);
    expect(shown.stdout.split('\n').filter((l) => /^\s+\d+\s+(train|val)\s+\d/.test(l))).toHaveLength(4);
    // Where the model is wrong: the last validation's per-class accuracy and mistakes, in text and in --json.
    expect(shown.stdout).toMatch(/K_test 8 \(last validation\): \d+\/4 right/);
    const json = JSON.parse((await fixres(['runs', 'show', String(runJson.id), '--json'])).stdout);
    expect(json.outcomes).toHaveLength(1);
    const [outcome] = json.outcomes;
    expect(outcome).toMatchObject({ runId: runJson.id, kTest: 8, adapter: 'none', source: 'training', n: 4 });
    expect(outcome.perClass.map((c: { n: number }) => c.n).reduce((a: number, b: number) => a + b, 0)).toBe(4);
    // The confusion matrix too: one row and column per class, its diagonal the right answers, rows the per-class counts.
    const confusion: number[][] = outcome.confusion;
    expect(confusion).toHaveLength(outcome.classNames.length);
    for (const row of confusion) expect(row).toHaveLength(outcome.classNames.length);
    expect(confusion.map((row, c) => row[c]!).reduce((a, b) => a + b, 0)).toBe(outcome.correct);
    expect(confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(outcome.perClass.map((c: { n: number }) => c.n));
    expect(outcome.mistakesTotal).toBe(4 - outcome.correct);
    expect(outcome.mistakes).toHaveLength(outcome.mistakesTotal);

    const evaluated = await fixres(['eval', String(runJson.id), '--k-test', '12', '--json']);
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ runId: runJson.id, k: 12, n: 4 });

    const again = await fixres(['resume', String(runJson.id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has completed; there is nothing to resume/);
  });

  it('refuses an invalid setting, naming the flag, and starts nothing', async () => {
    const r = await fixres(['train', '--dataset', data, '--k-train', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kTrain: .*\(--k-train\)/);
    const bad = await fixres(['train', '--dataset', data, '--lr', 'fast']);
    expect(bad.stderr).toMatch(/--lr must be a number, got "fast"/);
    const crop = await fixres(['train', '--dataset', data, '--crop-pct', '1.5']);
    expect(crop).toMatchObject({ code: 2, stderr: expect.stringMatching(/cropPct: .*\(--crop-pct\)/) });
    const inverted = await fixres(['train', '--dataset', data, '--scale', '1,0.5']);
    expect(inverted).toMatchObject({ code: 2, stderr: expect.stringMatching(/scale: .*\(--scale\)/) });
    const half = await fixres(['train', '--dataset', data, '--ratio', '0.5']);
    expect(half).toMatchObject({ code: 2, stderr: expect.stringMatching(/--ratio takes two numbers/) });
    expect(JSON.parse((await fixres(['runs', 'list', '--json'])).stdout)).toHaveLength(1);
  });
});
