import sharp from 'sharp';
import { stratifiedSplit } from '../../../core/stratified-split';
import { userError } from '../../../shared/errors';
import type { ImportInput } from '../../../shared/jobs/import';
import type { SampleWriteProgress, SampleWriteResult } from '../../../shared/jobs/synth';
import type { JobContext } from '../../process/jobs';
import { loadClass, SIDE, SOURCES } from './packaged-pixels';
import { prepareEmptyDir, writeSample, type WriteTask } from './sample-writer';

/** The `import` job: the package's pixels as grey PNGs in `dir/{train,val}/<class>/`, with a seeded stratified split. */
export async function runImportJob(input: ImportInput, ctx: JobContext<SampleWriteProgress>): Promise<SampleWriteResult> {
  const source = SOURCES[input.source];
  if (!source) throw userError(`Unknown dataset "${String(input.source)}" (use fashion-mnist or mnist)`, 'source');
  await prepareEmptyDir(input.dir);
  const tasks: WriteTask[] = [];
  for (const [label, name] of source.classNames.entries()) {
    const images = (await loadClass(input.source, label)).slice(0, input.perClass ?? Infinity);
    const splits = stratifiedSplit(
      images.map((_, i) => ({ key: `${name}/${i}`, group: name })),
      input.valFraction,
      input.seed,
    );
    images.forEach((pixels, i) => {
      tasks.push({
        relPath: `${splits[i]}/${name}/${String(i).padStart(5, '0')}.png`,
        render: () =>
          sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } })
            .png()
            .toBuffer(),
      });
    });
  }
  await writeSample(input.dir, tasks, ctx, 8);
  return { dir: input.dir, classNames: source.classNames, images: tasks.length };
}
