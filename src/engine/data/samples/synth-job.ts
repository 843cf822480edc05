import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { stratifiedSplit } from '../../../core/stratified-split';
import { MAX_SYNTH_CLASSES, sampleScene, synthClassNames } from '../../../core/synthetic-scene';
import { sceneSvg } from '../../../core/synthetic-svg';
import { userError } from '../../../shared/errors';
import type { SampleWriteProgress, SampleWriteResult, SynthInput } from '../../../shared/jobs/synth';
import type { JobContext } from '../../process/jobs';
import { prepareEmptyDir, writeSample, type WriteTask } from './sample-writer';

/** The `synth` job: render the seeded shapes dataset, with every image's latent variables in `.fixres-synth.csv`. */
export async function runSynthJob(input: SynthInput, ctx: JobContext<SampleWriteProgress>): Promise<SampleWriteResult> {
  if (!Number.isInteger(input.classes) || input.classes < 2 || input.classes > MAX_SYNTH_CLASSES) {
    throw userError(`classes must be from 2 to ${MAX_SYNTH_CLASSES}`, 'classes');
  }
  if (!Number.isInteger(input.perClass) || input.perClass < 1 || input.perClass > 100_000)
    throw userError('per-class must be from 1 to 100000', 'perClass');
  if (!Number.isInteger(input.size) || input.size < 8 || input.size > 2048)
    throw userError('size must be from 8 to 2048 pixels', 'size');
  const [lo, hi] = input.objectScale;
  if (!(lo > 0 && lo <= hi && hi <= 1)) throw userError('object scale must satisfy 0 < min ≤ max ≤ 1', 'objectScale');
  await prepareEmptyDir(input.dir);

  const names = synthClassNames(input.classes);
  const settings = { classes: input.classes, size: input.size, objectScale: input.objectScale, seed: input.seed };
  const items = names.flatMap((name, c) =>
    Array.from({ length: input.perClass }, (_, i) => ({ c, i, name, key: `${name}/${i}` })),
  );
  const splits = stratifiedSplit(
    items.map((it) => ({ key: it.key, group: it.name })),
    input.valFraction,
    input.seed,
  );
  const rows = ['path,class,width,height,object_px,object_frac,cx,cy,rotation_deg'];
  const tasks: WriteTask[] = items.map((it, n) => {
    const scene = sampleScene(settings, it.c, it.i);
    const relPath = `${splits[n]}/${it.name}/${String(it.i).padStart(5, '0')}.png`;
    rows.push(
      [
        relPath,
        it.name,
        scene.width,
        scene.height,
        scene.objectPx.toFixed(2),
        scene.objectFrac.toFixed(4),
        scene.cx.toFixed(2),
        scene.cy.toFixed(2),
        scene.rotationDeg.toFixed(1),
      ].join(','),
    );
    return {
      relPath,
      render: () =>
        sharp(Buffer.from(sceneSvg(scene, input.seed + n)))
          .removeAlpha()
          .png()
          .toBuffer(),
    };
  });
  await writeFile(join(input.dir, '.fixres-synth.csv'), `${rows.join('\n')}\n`);
  await writeSample(input.dir, tasks, ctx);
  return { dir: input.dir, classNames: names, images: tasks.length };
}
