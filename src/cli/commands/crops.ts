import { parseArgs } from 'node:util';
import type { CropSample } from '../../shared/api/crops';
import { numberOption, pairOption } from '../args';
import { openLab } from '../lab-context';
import { printJson } from '../output';
import { request } from '../request';
import type { RequestOf } from '../../shared/contract';

export const cropsUsage = `fixres crops --width W --height H [--n N] [--seed S] [--scale a,b] [--ratio a,b]
                [--k-train K] [--k-test K] [--crop-pct P] [--image-id ID] [--json]
                                       sample RandomResizedCrop boxes (x, y, w, h) and the test crop`;

/** The flag of each request field, so a refused value names what the user typed. */
const FLAGS = { kTrain: 'k-train', kTest: 'k-test', cropPct: 'crop-pct', imageId: 'image-id' };

/** `fixres crops`: the same sampler the app and the training pipeline use, for comparison with torchvision. */
export async function cropsCommand(args: string[]): Promise<number> {
  const options = {
    width: { type: 'string' },
    height: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    ratio: { type: 'string' },
    'k-train': { type: 'string' },
    'k-test': { type: 'string' },
    'crop-pct': { type: 'string' },
    'image-id': { type: 'string' },
    json: { type: 'boolean' },
  } as const;
  const { values } = parseArgs({ args, options });
  const body = Object.fromEntries(
    Object.entries({
      width: numberOption(values, 'width'),
      height: numberOption(values, 'height'),
      imageId: numberOption(values, 'image-id'),
      n: numberOption(values, 'n'),
      seed: numberOption(values, 'seed'),
      scale: pairOption(values, 'scale'),
      ratio: pairOption(values, 'ratio'),
      kTrain: numberOption(values, 'k-train'),
      kTest: numberOption(values, 'k-test'),
      cropPct: numberOption(values, 'crop-pct'),
    }).filter(([, v]) => v !== undefined),
  );
  const lab = openLab();
  try {
    const sample: CropSample = await request(lab, 'crops.sample', body as RequestOf<'crops.sample'>, FLAGS);
    if (values.json) printJson(sample);
    else printTable(sample);
    return 0;
  } finally {
    lab.close();
  }
}

function printTable(sample: CropSample): void {
  const out = [`image ${sample.width}×${sample.height}`, '   #      x      y      w      h  s_train  fallback'];
  sample.train.forEach((b, i) => {
    const cells = [i, b.x, b.y, b.w, b.h].map((v) => String(v).padStart(6));
    out.push(`${cells.join(' ')}  ${b.scale.toFixed(4).padStart(7)}  ${b.fallback ? 'yes' : ''}`);
  });
  const t = sample.test;
  out.push(
    `test: resize to ${t.resizedWidth}×${t.resizedHeight}, crop x=${t.box.x.toFixed(2)} y=${t.box.y.toFixed(2)} w=${t.box.w.toFixed(2)} h=${t.box.h.toFixed(2)} (image pixels), s_test ${t.scale.toFixed(4)}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
