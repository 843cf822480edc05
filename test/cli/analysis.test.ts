import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleGev } from '../../src/core/gev';
import { Rng } from '../../src/core/rng';
import { runFixres } from '../helpers/cli';
import { makeImageFolder, tempDir } from '../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function scratch(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('fixres analyze', () => {
  it('prints the closed-form and Monte Carlo α, both ratio means, the fallback rate and K_test* as JSON', async () => {
    const dir = scratch();
    const r = await runFixres(['analyze', '--k-train', '224', '--width', '500', '--height', '500', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.closedForm.alpha).toBeCloseTo(0.8094, 4);
    expect(out.closedForm.kTestStarRounded).toBe(280);
    expect(Math.abs(out.monteCarlo.alpha - 0.76)).toBeLessThan(0.01);
    expect(out.monteCarlo.meanTrainOverTest).toBeGreaterThan(1 / out.monteCarlo.alpha);
    expect(out.monteCarlo.fallbackRate).toBe(0);
    expect(out.kTestSizesMatch).toBe(296);
  });

  it('takes every setting from flags and labels the two ratio means in its text output', async () => {
    const args = ['analyze', '--k-train', '128', '--k-test', '160', '--crop-pct', '1', '--scale', '0.25,1', '--ratio', '1,1'];
    const r = await runFixres(
      [...args, '--width', '64', '--height', '48', '--samples', '5000', '--seed', '3', '--multiple', '16'],
      scratch(),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/K_train 128, K_test 160, crop_pct 1, scale 0.25–1, ratio 1–1/);
    // Closed form by hand: E[σ] = (2/3)(1 − 0.25^1.5)/0.75 = 0.77778, α = 0.77778 · (160/1)/128 = 0.97222.
    expect(r.stdout).toMatch(/closed form.*α = E\[r_test\/r_train\] = 0\.9722/);
    expect(r.stdout).toMatch(/E\[r_train\/r_test\] = /);
    expect(r.stdout).toMatch(/nearest multiple of 16/);
  });

  it('refuses bad flags with exit code 2 and names the flag', async () => {
    const dir = scratch();
    const bad = await runFixres(['analyze', '--k-train', '224', '--scale', '0.9,0.1', '--width', '5', '--height', '5'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--scale the minimum must not exceed the maximum/);
    expect((await runFixres(['analyze', '--k-train', 'big', '--width', '5', '--height', '5'], dir)).stderr).toMatch(
      /--k-train must be a number, got "big"/,
    );
  });

  it('finds a scanned dataset by name and analyses its real image sizes', async () => {
    const dir = scratch();
    await makeImageFolder(join(dir, 'pets'), { cat: 2 });
    expect((await runFixres(['dataset', 'scan', join(dir, 'pets')], join(dir, 'home'))).code).toBe(0);
    const r = await runFixres(['analyze', '--k-train', '224', '--dataset', 'pets', '--json'], join(dir, 'home'));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sizes).toEqual({ distinct: 2, images: 2 });
    expect(result.monteCarlo.alpha).toBeGreaterThan(0.5);
  });
});

describe('fixres fit-frechet', () => {
  it('fits a column of numbers and prints μ, σ, ξ, log-likelihood, KS, n and the zero fraction', async () => {
    const dir = scratch();
    const values = sampleGev({ mu: 0.3, sigma: 0.5, xi: 0.3 }, 4000, Rng.fromSeed(1)).map((v) => Math.max(0, v));
    writeFileSync(join(dir, 'values.txt'), `# pooled features\n${Array.from(values).join('\n')}\n`);
    const r = await runFixres(['fit-frechet', '--input', join(dir, 'values.txt'), '--json'], dir);
    expect(r.code).toBe(0);
    const fit = JSON.parse(r.stdout);
    expect(fit).toMatchObject({ n: 4000, xi: 0.3, zeros: 'censored', converged: true });
    expect(Math.abs(fit.mu - 0.3)).toBeLessThan(0.04);
    expect(Math.abs(fit.sigma - 0.5)).toBeLessThan(0.04);
    expect(fit.zeroFraction).toBeGreaterThan(0.1);
    expect(fit.ks).toBeLessThan(0.03);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    const free = await runFixres(['fit-frechet', '--input', join(dir, 'values.txt'), '--free-xi'], dir);
    expect(free.stdout).toMatch(/ξ = 0\.\d+ \(fitted\)/);
  });

  it('names the line of a non-number, refuses empty input and contradictory flags', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.txt'), '1\n2\n3,5\n');
    const bad = await runFixres(['fit-frechet', '--input', join(dir, 'bad.txt')], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Line 3 is not a finite number: "3,5"/);
    writeFileSync(join(dir, 'empty.txt'), '\n');
    expect((await runFixres(['fit-frechet', '--input', join(dir, 'empty.txt')], dir)).stderr).toMatch(/no numbers/);
    const both = await runFixres(['fit-frechet', '--input', join(dir, 'bad.txt'), '--xi', '0.2', '--free-xi'], dir);
    expect(both.code).toBe(2);
  });
});
