import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportModelRequest, Model, ModelExportFormat, ModelRef } from '../../shared/api/models';
import { openLab } from '../lab-context';
import { FlagError, numberFlag } from '../number-flags';
import { printJson } from '../output';
import { request } from '../request';
import { followRun } from '../run-follow';
import { resolveDataset } from '../dataset-ref';

export const modelUsage = `fixres model import FILE [--arch resnet50] [--num-classes N] [--classes FILE] [--k-train 224]
                    [--test-size K] [--crop-pct 0.875] [--mean r,g,b] [--std r,g,b] [--interpolation bilinear]
                    [--name X] [--json]
                 bring in PyTorch weights (.safetensors, or a torch.save .pth/.pt, read without running it);
                 architecture and preprocessing from the flags, else a timm config.json next to the file
                 (a recipe's OUT/config.json also names the run it reproduced), else the architecture's defaults
  fixres model list | show ID | remove ID [--json]
  fixres model use ID --dataset <id|dir> [--epochs N] [--batch B] [--lr X] [--seed S] [--json]
                 put it to work on a dataset (a run: its classifier kept if it fits, else a linear probe)
  fixres model export ID|--run RUN [--format safetensors|onnx] [--k-test K] DIR [--force] [--json]
                 torchvision-named model.safetensors (or model.onnx, any input size) + timm config.json`;

const FLAGS_OF_FIELDS = {
  file: 'FILE',
  arch: 'arch',
  numClasses: 'num-classes',
  classesFile: 'classes',
  kTrain: 'k-train',
  testInputSize: 'test-size',
  cropPct: 'crop-pct',
  mean: 'mean',
  std: 'std',
  interpolation: 'interpolation',
  name: 'name',
  dir: 'DIR',
  kTest: 'k-test',
  datasetId: 'dataset',
  epochs: 'epochs',
  batchSize: 'batch',
  lr: 'lr',
  seed: 'seed',
};

/** `fixres model …`: imported PyTorch models. */
export async function modelCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const run = SUBCOMMANDS[sub ?? ''];
  if (!run) {
    process.stderr.write(`usage: ${modelUsage}\n`);
    return 2;
  }
  return run(rest);
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  async import(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        arch: { type: 'string' },
        'num-classes': { type: 'string' },
        classes: { type: 'string' },
        'k-train': { type: 'string' },
        'test-size': { type: 'string' },
        'crop-pct': { type: 'string' },
        mean: { type: 'string' },
        std: { type: 'string' },
        interpolation: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new FlagError(`give one weights file\nusage: ${modelUsage}`);
    const body: Record<string, unknown> = { file: resolve(positionals[0]!) };
    if (values.arch) body.arch = values.arch;
    const numbers = { 'num-classes': 'numClasses', 'k-train': 'kTrain', 'test-size': 'testInputSize', 'crop-pct': 'cropPct' };
    for (const [flag, field] of Object.entries(numbers)) {
      const value = numberFlag(flag, values[flag as keyof typeof values] as string | undefined);
      if (value !== undefined) body[field] = value;
    }
    if (values.classes) body.classesFile = resolve(values.classes);
    if (values.mean) body.mean = tripleFlag('mean', values.mean);
    if (values.std) body.std = tripleFlag('std', values.std);
    if (values.interpolation) body.interpolation = values.interpolation;
    if (values.name) body.name = values.name;
    const lab = openLab();
    try {
      const model = await request(lab, 'models.import', body as ImportModelRequest, FLAGS_OF_FIELDS);
      if (values.json) printJson(model);
      else process.stdout.write(`${describe(model)}\n`);
      return 0;
    } finally {
      lab.close();
    }
  },

  async list(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const lab = openLab();
    try {
      const models = await request(lab, 'models.list', {});
      if (values.json) printJson(models);
      else if (!models.length) process.stdout.write('no imported models (fixres model import FILE --arch …)\n');
      else for (const m of models) process.stdout.write(`${summaryLine(m)}\n`);
      return 0;
    } finally {
      lab.close();
    }
  },

  async show(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const id = idOf(positionals[0]);
    const lab = openLab();
    try {
      const model = await request(lab, 'models.get', { id });
      if (values.json) printJson(model);
      else process.stdout.write(`${describe(model)}\n`);
      return 0;
    } finally {
      lab.close();
    }
  },

  async remove(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const id = idOf(positionals[0]);
    const lab = openLab();
    try {
      const result = await request(lab, 'models.remove', { id });
      if (values.json) printJson(result);
      else process.stdout.write(result.removed ? `removed model #${id}\n` : `no model #${id}\n`);
      return result.removed ? 0 : 1;
    } finally {
      lab.close();
    }
  },

  async use(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const modelId = idOf(positionals[0]);
    if (!values.dataset) throw new FlagError(`give --dataset\nusage: ${modelUsage}`);
    const lab = openLab();
    try {
      const body = {
        modelId,
        datasetId: await resolveDataset(lab, values.dataset),
        ...optionalNumbers(values, { epochs: 'epochs', batch: 'batchSize', lr: 'lr', seed: 'seed' }),
        ...(values.name ? { name: values.name } : {}),
      };
      const run = await request(lab, 'models.use', body, FLAGS_OF_FIELDS);
      process.stderr.write(`run #${run.id} "${run.name}" started\n`);
      return await followRun(lab, run.id, { json: Boolean(values.json) });
    } finally {
      lab.close();
    }
  },

  async export(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        run: { type: 'string' },
        format: { type: 'string' },
        'k-test': { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    const model: ModelRef = values.run ? { runId: idOf(values.run) } : { modelId: idOf(positionals.shift()) };
    if (positionals.length !== 1) throw new FlagError(`give the folder to export into\nusage: ${modelUsage}`);
    const kTest = numberFlag('k-test', values['k-test']);
    const lab = openLab();
    try {
      const result = await request(
        lab,
        'models.export',
        {
          model,
          // The channel's schema refuses any other value, naming --format.
          format: (values.format ?? 'safetensors') as ModelExportFormat,
          dir: resolve(positionals[0]!),
          force: Boolean(values.force),
          ...(kTest !== undefined ? { kTest } : {}),
        },
        { ...FLAGS_OF_FIELDS, format: 'format' },
      );
      if (values.json) printJson(result);
      else for (const f of result.files) process.stdout.write(`${resolve(result.dir, f)}\n`);
      return 0;
    } finally {
      lab.close();
    }
  },
};

function idOf(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new FlagError(`give a model id (a positive whole number), got "${value ?? ''}"`);
  return id;
}

function tripleFlag(flag: string, value: string): [number, number, number] {
  const parts = value.split(',');
  if (parts.length !== 3) throw new FlagError(`--${flag} takes three numbers separated by commas, got "${value}"`);
  return parts.map((p) => numberFlag(flag, p)!) as [number, number, number];
}

function optionalNumbers(values: Record<string, unknown>, fields: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [flag, field] of Object.entries(fields)) {
    const value = numberFlag(flag, values[flag] as string | undefined);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function summaryLine(m: Model): string {
  const p = m.preprocessing;
  return `#${m.id}  ${m.name}  ${m.arch}  ${m.numClasses} classes  K_train ${p.inputSize}  crop_pct ${p.cropPct}  ${m.format}`;
}

/** "trained elsewhere from the recipe of run #3 (…)": the link config → external training → this model. */
function trainedElsewhere(m: Model): string {
  const t = m.externalTraining!;
  const run = t.runId === null ? 'the run form' : m.recipeRunId !== null ? `run #${m.recipeRunId}` : `run #${t.runId} of another lab`;
  const how = [t.epochs && `${t.epochs} epochs`, t.worldSize && `${t.worldSize} processes`, t.torch && `PyTorch ${t.torch}`];
  return `trained elsewhere from the ${t.kind} recipe of ${run} (${how.filter(Boolean).join(', ')})`;
}

function describe(m: Model): string {
  const p = m.preprocessing;
  const classes = m.classNames ? `${m.classNames.slice(0, 5).join(', ')}${m.classNames.length > 5 ? ', …' : ''}` : 'unnamed';
  return [
    `model #${m.id} "${m.name}": ${m.arch}${m.width !== 1 ? ` ×${m.width}` : ''}, ${m.numClasses} classes (${classes}), ${(m.params / 1e6).toFixed(2)} M parameters`,
    `  from ${m.file} (${m.format}, ${(m.bytes / 2 ** 20).toFixed(1)} MB, sha256 ${m.sha256.slice(0, 16)}…${m.weightsAt ? `, weights under "${m.weightsAt}"` : ''}${m.strippedPrefix ? `, "${m.strippedPrefix}" removed` : ''}), read in ${m.importSeconds.toFixed(1)} s`,
    `  preprocessing (${p.source}): K_train ${p.inputSize}, test ${p.testInputSize}, crop_pct ${p.cropPct}, ${p.interpolation}, mean ${p.mean.join('/')}, std ${p.std.join('/')}`,
    ...(m.externalTraining ? [`  ${trainedElsewhere(m)}`] : []),
  ].join('\n');
}
