import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { runFixres as fixres } from '../helpers/cli';

const t = tempDir();
afterAll(() => t.cleanup());

describe('fixres dataset synth / import', () => {
  it('generates a synthetic ImageFolder and scans it', async () => {
    const dir = join(t.dir, 'shapes');
    const r = await fixres(
      ['dataset', 'synth', dir, '--classes', '4', '--per-class', '3', '--size', '24', '--seed', '2', '--json'],
      t.dir,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ images: 12, classNames: ['circle', 'square', 'triangle', 'star'] });
    const scan = await fixres(['dataset', 'scan', dir, '--json'], join(t.dir, 'home'));
    expect(JSON.parse(scan.stdout)).toMatchObject({ status: 'ready', imageCount: 12 });
  });

  it('imports MNIST with a per-class limit', async () => {
    const dir = join(t.dir, 'digits');
    const r = await fixres(['dataset', 'import', 'mnist', dir, '--per-class', '2'], t.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote 20 images in 10 classes/);
    expect(existsSync(join(dir, 'train', '7', '00000.png'))).toBe(true);
  });

  it('explains bad arguments', async () => {
    const r = await fixres(['dataset', 'synth', join(t.dir, 'x'), '--classes', '99'], t.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/classes must be from 2 to 20/);
    const unknown = await fixres(['dataset', 'import', 'cifar', join(t.dir, 'y')], t.dir);
    expect(unknown.stderr).toMatch(/Unknown dataset "cifar"/);
  });
});
