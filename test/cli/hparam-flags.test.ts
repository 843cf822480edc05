import { describe, expect, it } from 'vitest';
import { flagOfPath, hparamFlags, readHParamFlags } from '../../src/cli/hparam-flags';
import { flagHelp, flagTokens } from '../../src/cli/hparam-usage';
import { FlagError } from '../../src/cli/number-flags';
import { FinetuneRequest } from '../../src/shared/api/finetune';
import { RunConfig } from '../../src/shared/api/runs';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { WorkflowRequest } from '../../src/shared/api/workflows';
import { HParams } from '../../src/shared/hparams/train';

const TRAIN = hparamFlags(RunConfig);
const WORKFLOW = hparamFlags(WorkflowRequest);
const read = (specs: typeof TRAIN, values: Record<string, string | boolean>) => readHParamFlags(specs, values);

describe('flags generated from the hyperparameter schema', () => {
  it('gives every training hyperparameter a train flag, with the names users already type', () => {
    const flags = new Map(TRAIN.map((s) => [s.path, s.flag]));
    for (const key of Object.keys(HParams.shape)) expect(flags.has(key), key).toBe(true);
    expect(Object.fromEntries(['arch', 'batchSize', 'warmupEpochs', 'kTrain', 'cropPct', 'decodeCache', 'parentRunId'].map((k) => [k, flags.get(k)]))).toEqual({
      arch: 'model',
      batchSize: 'batch',
      warmupEpochs: 'warmup',
      kTrain: 'k-train',
      cropPct: 'crop-pct',
      decodeCache: 'no-decode-cache',
      parentRunId: 'parent',
    });
  });

  it.each([
    ['train', RunConfig],
    ['finetune', FinetuneRequest],
    ['workflow', WorkflowRequest],
    ['sweep', SweepRequest],
  ] as const)('names each %s flag once', (_name, schema) => {
    const flags = hparamFlags(schema).map((s) => s.flag);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('reads numbers, ranges, lists, choices and switches into the request, leaving absent flags to the defaults', () => {
    const body = read(TRAIN, { 'k-train': '24', scale: '0.25,1', blocks: '2,1,3', milestones: '3,6', model: 'resnet18', 'no-hflip': true, nesterov: true });
    expect(body).toEqual({ kTrain: 24, scale: [0.25, 1], blocks: [2, 1, 3], milestones: [3, 6], arch: 'resnet18', hflip: false, nesterov: true });
    expect(RunConfig.parse({ ...body, datasetId: 1 })).toMatchObject({ epochs: 10, kTrain: 24, hflip: false });
  });

  it('nests the workflow’s fine-tune flags under finetune, as the schema does', () => {
    expect(read(WORKFLOW, { 'finetune-epochs': '1', 'finetune-mode': 'full', 'k-test': '6,8', 'no-adapt': true })).toEqual({
      finetune: { epochs: 1, mode: 'full' },
      kTests: [6, 8],
      adapt: false,
    });
    expect(flagOfPath(WORKFLOW)).toMatchObject({ 'finetune.epochs': 'finetune-epochs', kTests: 'k-test', budgetMinutes: 'budget-minutes' });
  });

  it.each([
    [{ lr: 'fast' }, '--lr must be a number, got "fast"'],
    [{ ratio: '0.5' }, '--ratio takes two numbers separated by a comma, got "0.5"'],
    [{ blocks: '1,2' }, '--blocks takes three whole numbers separated by commas, got "1,2"'],
    [{ milestones: '3,x' }, '--milestones takes whole numbers separated by commas, got "3,x"'],
    [{ model: 'vgg' }, '--model takes resnet-mini, resnet18, resnet34, resnet50, resnet101 or resnet152, got "vgg"'],
  ])('refuses %j naming the flag', (values, message) => {
    expect(() => read(TRAIN, values)).toThrow(new FlagError(message));
  });

  it('writes usage with defaults and choices, required flags first, and a help line per flag', () => {
    const finetune = hparamFlags(FinetuneRequest);
    expect(flagTokens(finetune).slice(0, 3)).toEqual(['--k-test K', '[--mode last-bn+classifier|bn+classifier|classifier|full]', '[--augment da1|da2]']);
    expect(flagTokens(TRAIN)).toEqual(expect.arrayContaining(['[--k-train 32]', '[--scale 0.08,1]', '[--no-decode-cache]', '[--seed 0]']));
    const help = flagHelp(TRAIN);
    const flat = help.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--k-train 32 K_train \(px\): Side of the training crops \[1–1024; default 32\]/);
    expect(flat).toMatch(/--seed 0 Seed: [^[]*\[0–4294967295; default 0\]/);
    expect(flat).toMatch(/--model NAME Model: Architecture to build: resnet-mini, CIFAR-style .*resnet50, torchvision ResNet-50/);
    expect(flat).toMatch(/--schedule NAME LR schedule: [^[]*\[constant \| step \| cosine \| linear; default cosine\]/);
    expect(help).toMatch(/^ +last-bn\+classifier: last BN \+ classifier \(official FixRes\)\n +bn\+classifier\n +classifier\n +full: full network$/m);
    expect(help.split('\n').every((line) => line.length <= 100)).toBe(true);
    expect(flagHelp(WORKFLOW)).toMatch(/--finetune-epochs N +Fine-tune epochs: Passes over the training images \(default: enough for/);
  });
});
