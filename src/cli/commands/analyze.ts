import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { apparentSize, type ParsedApparentSizeRequest } from '../../lab';
import { ApparentSizeRequest, SizeSource, type ApparentSizeResult } from '../../shared/api/analysis';
import { resolveDataset } from '../dataset-ref';
import { openLab } from '../lab-context';
import { FlagError, numberFlag, pairFlag } from '../number-flags';
import { printJson } from '../output';

export const analyzeUsage = `fixres analyze --k-train K [--k-test K] [--crop-pct 0.875] [--scale 0.08,1] [--ratio 0.75,1.333]
                 (--width W --height H | --dataset ID|NAME|DIR [--split train|val]) [--samples N] [--seed S]
                 [--multiple 8] [--bins 40] [--json]
                                       apparent object size: α closed form and Monte Carlo, K_test*`;

const Settings = ApparentSizeRequest.omit({ source: true });

/** Request fields → the flags that set them, for error messages. */
const FLAG_OF: Record<string, string> = { kTrain: 'k-train', kTest: 'k-test', cropPct: 'crop-pct' };

const VALUE_FLAGS = [
  'k-train',
  'k-test',
  'crop-pct',
  'scale',
  'ratio',
  'width',
  'height',
  'dataset',
  'split',
  'samples',
  'seed',
  'multiple',
  'bins',
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export async function analyzeCommand(args: string[]): Promise<number> {
  const valueOptions = Object.fromEntries(VALUE_FLAGS.map((name) => [name, { type: 'string' }])) as Record<
    ValueFlag,
    { type: 'string' }
  >;
  const { values } = parseArgs({ args, options: { ...valueOptions, json: { type: 'boolean' } } });
  const flag = (name: ValueFlag) => values[name];
  let settings: z.output<typeof Settings>;
  let size: SizeSource | null = null;
  try {
    if (flag('k-train') === undefined) throw new FlagError('--k-train is required');
    const bySize = flag('width') !== undefined || flag('height') !== undefined;
    if (bySize === (flag('dataset') !== undefined)) throw new FlagError('give either --width and --height, or --dataset');
    if (bySize && (flag('width') === undefined || flag('height') === undefined))
      throw new FlagError('give both --width and --height');
    settings = valid(Settings, {
      kTrain: numberFlag('k-train', flag('k-train')),
      kTest: numberFlag('k-test', flag('k-test')),
      cropPct: numberFlag('crop-pct', flag('crop-pct')),
      scale: pairFlag('scale', flag('scale')),
      ratio: pairFlag('ratio', flag('ratio')),
      samples: numberFlag('samples', flag('samples')),
      seed: numberFlag('seed', flag('seed')),
      multiple: numberFlag('multiple', flag('multiple')),
      bins: numberFlag('bins', flag('bins')),
    });
    if (bySize)
      size = valid(SizeSource, {
        kind: 'size',
        width: numberFlag('width', flag('width') ?? ''),
        height: numberFlag('height', flag('height') ?? ''),
      });
    if (flag('split') !== undefined && !['train', 'val'].includes(flag('split')!))
      throw new FlagError('--split must be train or val');
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    throw new FlagError(`${err.message}\n\nusage: ${analyzeUsage}`);
  }
  const result = size
    ? apparentSize({ ...settings, source: size }, () => [])
    : await analyzeDataset(settings, flag('dataset')!, flag('split') as 'train' | 'val' | undefined);
  if (values.json) printJson(result);
  else process.stdout.write(humanReport(result, flag('dataset')));
  return 0;
}

/** Parses with a contract schema, turning the first issue into a FlagError that names the flag. */
function valid<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  throw new FlagError(`--${FLAG_OF[field] ?? field} ${issue.message}`);
}

async function analyzeDataset(
  settings: z.output<typeof Settings>,
  ref: string,
  split?: 'train' | 'val',
): Promise<ApparentSizeResult> {
  const lab = openLab();
  try {
    const datasetId = await resolveDataset(lab, ref, { open: false });
    const request: ParsedApparentSizeRequest = { ...settings, source: { kind: 'dataset', datasetId, split } };
    return lab.analysis.apparentSize(request);
  } finally {
    lab.close();
  }
}

function humanReport(r: ApparentSizeResult, dataset: string | undefined): string {
  const s = r.settings;
  const mc = r.monteCarlo;
  const from = dataset ? `dataset ${dataset}: ${r.sizes.images} images, ${r.sizes.distinct} sizes` : 'one image size';
  return [
    `Apparent object size: K_train ${s.kTrain}, K_test ${s.kTest}, crop_pct ${s.cropPct}, ` +
      `scale ${s.scale.join('–')}, ratio ${s.ratio.map((v) => +v.toFixed(4)).join('–')}`,
    `  closed form (square image, aspect 1):  α = E[r_test/r_train] = ${r.closedForm.alpha.toFixed(4)}` +
      `   K_test* = ${r.closedForm.kTestStar.toFixed(1)} → ${r.closedForm.kTestStarRounded}`,
    `  Monte Carlo (${from}, ${mc.samples} crops):`,
    `    α = E[r_test/r_train] = ${mc.alpha.toFixed(4)}   E[r_train/r_test] = ${mc.meanTrainOverTest.toFixed(4)}` +
      `   centre fallbacks ${(100 * mc.fallbackRate).toFixed(1)} %   K_test* = ${mc.kTestStar.toFixed(1)} → ${mc.kTestStarRounded}`,
    `  K_test* (apparent sizes match): ${r.kTestSizesMatch} (Monte Carlo, nearest multiple of ${r.multiple}, crop_pct kept at ${s.cropPct}; the best K_test comes from a sweep)`,
    '',
  ].join('\n');
}
