import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PairedGain } from '../../src/shared/api/sweeps';
import { gainInterval } from '../../src/shared/gain-interval';
import { runFixres } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

const t = tempDir();
const home = join(t.dir, 'home');
const previousBackend = process.env.FIXRES_BACKEND;
process.env.FIXRES_BACKEND = 'cpu';
afterAll(() => {
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

const fixres = (args: string[]) => runFixres(args, home);

/** A gain in `--json`: its 95 % interval next to its p-value, the one the UI and the report write. */
function expectGainWithInterval(g: PairedGain): void {
  expect(g.ci95).toEqual(gainInterval(g));
  expect(g.ci95[0]).toBeLessThanOrEqual(g.gain);
  expect(g.ci95[1]).toBeGreaterThanOrEqual(g.gain);
  // The interval holds 0 exactly when McNemar's test says "within noise".
  expect(g.ci95[0] <= 0 && g.ci95[1] >= 0).toBe(g.withinNoise);
}
let trainRun: number;

describe('fixres workflow / sweep / runs export / speed', () => {
  it('runs the workflow, sweeps with the Fréchet series, exports and prints the speed table', async () => {
    const data = join(t.dir, 'shapes');
    expect((await fixres(['dataset', 'synth', data, '--classes', '4', '--per-class', '10', '--size', '20'])).code).toBe(0);
    const flags = [
      '--k-train',
      '8',
      '--epochs',
      '1',
      '--width',
      '0.25',
      '--batch',
      '8',
      '--k-test',
      '6,8',
      '--finetune-epochs',
      '1',
      '--finetune-candidates',
      '1',
      '--crop-pct',
      '0.9',
      '--ratio',
      '0.8,1.25',
    ];
    const badCrop = await fixres(['workflow', '--dataset', data, ...flags, '--crop-pct', '0']);
    expect(badCrop).toMatchObject({ code: 2, stderr: expect.stringMatching(/cropPct: .*\(--crop-pct\)/) });
    const done = await fixres(['workflow', '--dataset', data, ...flags, '--json']);
    expect(done.code).toBe(0);
    const workflow = JSON.parse(done.stdout);
    expect(workflow).toMatchObject({
      status: 'completed',
      summary: { kTrain: 8, images: { pickedOn: 'selection', reportedOn: 'held-out' } },
    });
    // --json carries every gain's McNemar p-value and 95 % interval, and every score's interval.
    for (const gain of Object.values(workflow.summary.gains as Record<string, PairedGain | null>))
      if (gain) expectGainWithInterval(gain);
    expect(workflow.summary.gains.total).toMatchObject({ pValue: expect.any(Number), withinNoise: expect.any(Boolean) });
    expect(workflow.summary.atKTrain.reported.ci95).toHaveLength(2);
    expect(done.stderr).toMatch(/✓ sweep-finetuned/);
    expect(done.stderr).toMatch(/✓ analyze .*K_test\* \d+\.\d → \d+ \(nearest multiple of 2\)/);
    trainRun = workflow.summary.trainRunId;
    const trained = JSON.parse((await fixres(['runs', 'show', String(trainRun), '--json'])).stdout);
    expect(trained.config).toMatchObject({ kTrain: 8, cropPct: 0.9, ratio: [0.8, 1.25] });

    const swept = await fixres(['sweep', String(trainRun), '--k-test', '8,10', '--adapt', 'frechet']);
    expect(swept.code).toBe(0);
    expect(swept.stdout).toMatch(/reference \(train-augment, K 8, \d+ images\)/);
    expect(swept.stdout.split('\n').filter((l) => /^\s+(8\*|10)\s+\d/.test(l))).toHaveLength(2);
    const bad = await fixres(['sweep', String(trainRun), '--k-test', '8,x']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--k-test takes whole numbers/) });

    const out = join(t.dir, 'export');
    const exported = await fixres(['runs', 'export', String(trainRun), '--format', 'csv,html', '--out', out]);
    expect(exported.code).toBe(0);
    expect(existsSync(join(out, 'report.html')) && existsSync(join(out, 'sweep-points.csv'))).toBe(true);
    expect(existsSync(join(out, 'model'))).toBe(false);
    const refused = await fixres(['runs', 'export', String(trainRun), '--format', 'html', '--out', out]);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/already holds report\.html.*\(--out\)/) });

    const speed = JSON.parse((await fixres(['speed', '--best', '--json'])).stdout);
    expect(speed.map((r: { series: string }) => r.series).sort()).toEqual(['baseline', 'finetuned', 'frechet']);
    const shown = await fixres(['workflow', 'show', String(workflow.id)]);
    expect(shown.stdout).toMatch(/K_test picked on \d+ images \(the selection half/);
    expect(shown.stdout).toMatch(/tested at K_train: +\d+\.\d % \[\d+\.\d, \d+\.\d\] at K_test 8/);
  }, 240_000);

  it('refuses a budget too small to learn anything, saying the budget that would fit, and starts nothing', async () => {
    const data = join(t.dir, 'shapes-refused');
    expect((await fixres(['dataset', 'synth', data, '--classes', '4', '--per-class', '10', '--size', '20'])).code).toBe(0);
    const before = JSON.parse((await fixres(['workflow', 'list', '--json'])).stdout) as unknown[];
    const refused = await fixres(['workflow', '--dataset', data, '--budget-minutes', '0.01', '--json']);
    expect(refused.code).not.toBe(0);
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('Invalid');
    expect(error.message).toMatch(/needs at least \d+ minutes at K_train 12 \(\d+ epochs\)\. Raise the budget, or give the epochs or K_train yourself/);
    expect(JSON.parse((await fixres(['workflow', 'list', '--json'])).stdout)).toHaveLength(before.length);
  });

  it('fine-tunes a run in a chosen mode and augmentation as its child, sweeps the child and compares it with the parent', async () => {
    const bad = await fixres(['finetune', String(trainRun), '--k-test', '10', '--mode', 'bn-only']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--mode/) });
    const done = await fixres([
      'finetune',
      String(trainRun),
      '--k-test',
      '10',
      '--mode',
      'classifier',
      '--augment',
      'da2',
      '--epochs',
      '1',
      '--sweep-k-test',
      '8,10',
      '--json',
    ]);
    expect(done.code).toBe(0);
    const { run, sweep, comparison } = JSON.parse(done.stdout);
    expect(run).toMatchObject({
      kind: 'finetune',
      parentId: trainRun,
      status: 'completed',
      config: { kTrain: 10, trainable: 'classifier', augment: 'da2', jitter: 0.05, momentum: 0.9, schedule: 'constant' },
    });
    expect(sweep).toMatchObject({ runId: run.id, status: 'completed', settings: { kTests: [8, 10] } });
    expect(comparison.map((c: { kTest: number }) => c.kTest)).toEqual([8, 10]);
    // The parent was swept at 8 and 10 above (plain and Fréchet), so every cell of the comparison is filled.
    for (const c of comparison) for (const v of [c.parent, c.parentFrechet, c.finetuned]) expect(v).toBeGreaterThanOrEqual(0);
    // …and the child is compared with its parent on the held-out half, with McNemar's test.
    for (const c of comparison) expect(c.heldOut).toMatchObject({ images: 'held-out', gain: { pValue: expect.any(Number) } });
    for (const c of comparison) expectGainWithInterval(c.heldOut.gain);
  }, 120_000);
});
