import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningRateAt, type LrSchedule } from '../../../src/core/schedules';
import { torchrunRecipe } from '../../../src/lab/recipes/recipe-config';
import { TORCHRUN_TRAIN_PY } from '../../../src/lab/recipes/torchrun-script';
import type { RunConfigInput } from '../../../src/shared/api/runs';
import { frozenRunConfig } from '../../helpers/frozen-config';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';

const RUN = { id: 4, kind: 'train' as const, name: 'r', parentId: null };
const CLASSES = ['a', 'b', 'c'];

describe('torchrunRecipe', () => {
  it("carries the frozen config in train.py's terms: global batch, optimiser, schedule, transforms and classes", () => {
    const cfg = frozenRunConfig({ arch: 'resnet-mini', width: 0.5, blocks: [2, 1, 1], kTrain: 24, kTest: 32, batchSize: 16, nesterov: true });
    const recipe = torchrunRecipe(RUN, cfg, CLASSES, 'lab-1');
    expect(recipe).toMatchObject({
      run_id: 4,
      lab_id: 'lab-1',
      kind: 'train',
      arch: 'resnet-mini',
      width: 0.5,
      blocks: [2, 1, 1],
      classes: CLASSES,
      trainable: 'full',
      init: null,
      k_train: 24,
      k_test: 32,
      crop_pct: 0.875,
      batch_size: 16,
      optimizer: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 5e-4, label_smoothing: 0 },
      schedule: { kind: 'cosine', base_lr: 0.1, warmup_start_factor: 0.1, min_lr: 0 },
    });
    expect(torchrunRecipe({ ...RUN, kind: 'finetune', parentId: 2 }, cfg, CLASSES, 'x').init).toBe('init.safetensors');
  });

  it('refuses what the script does not reproduce, saying what to export instead', () => {
    const refuse = (input: Parameters<typeof frozenRunConfig>[0], kind: 'train' | 'import' = 'train') =>
      expect(() => torchrunRecipe({ ...RUN, kind }, frozenRunConfig(input), CLASSES, 'x'));
    refuse({ augment: 'da2' }).toThrow(/DA2.*export a run with RRC or DA1/);
    refuse({ arch: 'resnet18', width: 0.5 }).toThrow(/torchvision builds it only at width 1/);
    refuse({}, 'import').toThrow(/only training and fine-tune runs/);
    expect(() => torchrunRecipe(RUN, frozenRunConfig({}), ['a'], 'x')).toThrow(/two or more/);
  });
});

const haveReference = hasReferencePython();
if (!haveReference) console.warn(`recipe schedules: ${REFERENCE_MISSING}`);

describe.skipIf(!haveReference)("train.py's learning_rate_at", () => {
  it('gives the rates of src/core/schedules.ts at every step (warm-up, cosine, linear, step, constant)', () => {
    const cases: Partial<RunConfigInput>[] = [
      { schedule: 'cosine', warmupEpochs: 1.5, minLr: 0.001 },
      { schedule: 'linear', warmupEpochs: 0, minLr: 0.01 },
      { schedule: 'step', milestones: [2, 3], gamma: 0.5, warmupEpochs: 1 },
      { schedule: 'constant', warmupEpochs: 0.5 },
    ];
    const timing = { stepsPerEpoch: 3, epochs: 4 };
    const recipes = cases.map((c) => torchrunRecipe(RUN, frozenRunConfig({ epochs: 4, lr: 0.2, ...c }), CLASSES, 'x'));
    const dir = mkdtempSync(join(tmpdir(), 'fixres-recipe-rates-'));
    try {
      writeFileSync(join(dir, 'train.py'), TORCHRUN_TRAIN_PY);
      const { rates } = runReference<{ rates: number[][] }>('recipe_reference.py', {
        task: 'rates',
        script: join(dir, 'train.py'),
        schedules: recipes.map((r) => ({ schedule: r.schedule, steps_per_epoch: timing.stepsPerEpoch, epochs: timing.epochs })),
      });
      cases.forEach((c, i) => {
        const s = recipes[i]!.schedule;
        const ours: LrSchedule =
          s.kind === 'step'
            ? { kind: 'step', baseLr: 0.2, warmupEpochs: s.warmup_epochs, milestones: s.milestones, gamma: s.gamma }
            : { kind: s.kind, baseLr: 0.2, warmupEpochs: s.warmup_epochs, minLr: s.min_lr };
        const expected = rates[i]!.map((_, step) => learningRateAt(ours, step, timing));
        expect(rates[i]!.length, c.schedule).toBe(12);
        rates[i]!.forEach((rate, step) => expect(rate, `${c.schedule} step ${step}`).toBeCloseTo(expected[step]!, 12));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
