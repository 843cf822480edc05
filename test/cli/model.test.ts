import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFixres } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { logitGap, top1, writePhotoImages } from '../helpers/photo-images';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../helpers/python-reference';

/**
 * The command line of issue 12 end to end on a PyTorch-made ResNet-18 (FixRes-style checkpoint):
 * `fixres model import`, `list`, `show`, `predict --json` against PyTorch's logits, `export`,
 * `remove`, and the refusals a user meets first. (All formats and ResNet-50 at 224 and 288:
 * test/lab/models/pytorch-parity.test.ts, through the same services.)
 */
const haveReference = hasReferencePython();
if (!haveReference) console.warn(`fixres model CLI: ${REFERENCE_MISSING}`);
const t = tempDir('fixres-cli-model-');
const home = join(t.dir, 'home');
const previousBackend = process.env.FIXRES_BACKEND;
let images: string[] = [];
let reference: { files: Record<string, string>; logits: Record<string, number[][]> };

beforeAll(async () => {
  if (!haveReference) return;
  process.env.FIXRES_BACKEND = 'wasm';
  images = await writePhotoImages(t.dir);
  const input = {
    dir: t.dir,
    arch: 'resnet18',
    seed: 5,
    numClasses: 4,
    images,
    sizes: [224],
    cropPct: 0.875,
    formats: ['fixres'],
  };
  reference = runReference('torchvision_resnet.py', input);
}, 300_000);

afterAll(() => {
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

describe.skipIf(!haveReference)('fixres model / fixres predict', () => {
  it('imports, lists, shows, predicts as PyTorch does, exports and removes a model', async () => {
    const classes = join(t.dir, 'classes.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(classes, 'cat\ndog\nfox\nowl\n'));
    const imported = await runFixres(
      ['model', 'import', reference.files['fixres']!, '--arch', 'resnet18', '--classes', classes, '--json'],
      home,
    );
    expect(imported.stderr).toBe('');
    const model = JSON.parse(imported.stdout);
    expect(model).toMatchObject({
      arch: 'resnet18',
      numClasses: 4,
      format: 'torch-zip',
      weightsAt: 'model',
      strippedPrefix: 'module.',
    });

    const listed = await runFixres(['model', 'list'], home);
    expect(listed.stdout).toMatch(new RegExp(`^#${model.id}  resnet18-fixres  resnet18  4 classes  K_train 224`));
    const shown = await runFixres(['model', 'show', String(model.id)], home);
    expect(shown.stdout).toContain('weights under "model", "module." removed');

    const predicted = await runFixres(['predict', '--model', String(model.id), '--k-test', '224', ...images, '--json'], home);
    expect(predicted.code).toBe(0);
    const result = JSON.parse(predicted.stdout);
    const ours = result.predictions.map((p: { logits: number[] }) => p.logits);
    const theirs = reference.logits['224']!;
    expect(top1(ours)).toEqual(top1(theirs));
    const { worst, scale } = logitGap(ours, theirs);
    expect(worst).toBeLessThanOrEqual(1e-3 * scale);
    expect(result.predictions[0].path).toBe(images[0]);
    expect(result.predictions[0].top[0]).toEqual({
      index: top1(theirs)[0],
      className: ['cat', 'dog', 'fox', 'owl'][top1(theirs)[0]!],
      probability: expect.any(Number),
    });

    const out = join(t.dir, 'export');
    const exported = await runFixres(['model', 'export', String(model.id), '--k-test', '288', out], home);
    expect(exported.stdout.trim().split('\n')).toEqual([join(out, 'model.safetensors'), join(out, 'config.json')]);
    const onnxOut = join(t.dir, 'export-onnx');
    const onnx = await runFixres(['model', 'export', String(model.id), '--format', 'onnx', onnxOut], home);
    expect(onnx.stdout.trim().split('\n')).toEqual([join(onnxOut, 'model.onnx'), join(onnxOut, 'config.json')]);
    expect((await runFixres(['model', 'remove', String(model.id)], home)).stdout).toBe(`removed model #${model.id}\n`);
    expect((await runFixres(['model', 'list', '--json'], home)).stdout.trim()).toBe('[]');
  }, 180_000);

  it('refuses a missing --arch, an unknown file and a pickle that would run a command, with exit codes and reasons', async () => {
    const noArch = await runFixres(['model', 'import', reference.files['fixres']!], home);
    expect(noArch).toMatchObject({ code: 2 });
    expect(noArch.stderr).toMatch(/Which architecture are these weights\? no config\.json next to it names one: give --arch/);
    const missing = await runFixres(['model', 'import', join(t.dir, 'nope.pth'), '--arch', 'resnet18'], home);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.pth: file not found/);
    const evil = new URL('../fixtures/weights/forbidden-global.pth', import.meta.url).pathname;
    const refused = await runFixres(['model', 'import', evil, '--arch', 'resnet18'], home);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/refusing to load: the file asks for (posix|os)\.system/);
  });
});
