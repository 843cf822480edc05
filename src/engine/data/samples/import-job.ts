import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { stratifiedSplit } from '../../../core/stratified-split';
import { userError } from '../../../shared/errors';
import type { ImportInput, ImportSource } from '../../../shared/jobs/import';
import type { SampleWriteProgress, SampleWriteResult } from '../../../shared/jobs/synth';
import type { JobContext } from '../../process/jobs';
import { prepareEmptyDir, writeSample, type WriteTask } from './sample-writer';

const SIDE = 28;

/** Where each package keeps its per-class JSON, how pixels are stored there, and the class names. */
const SOURCES: Record<ImportSource, { folder: string; classNames: string[] }> = {
  // {"data": [[784 ints 0..255], …]} per class (Zalando's label order).
  'fashion-mnist': {
    folder: 'src/clothes',
    classNames: ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'],
  },
  // {"data": [n·784 floats 0..1]} per digit.
  mnist: { folder: 'src/digits', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
};

/** The grey 28 × 28 images of one class as byte arrays, whichever of the two layouts the package uses. */
async function loadClass(source: ImportSource, label: number): Promise<Uint8Array[]> {
  const pkg = dirname(createRequire(import.meta.url).resolve(`${source}/package.json`));
  const { data } = JSON.parse(await readFile(join(pkg, SOURCES[source].folder, `${label}.json`), 'utf8')) as {
    data: number[] | number[][];
  };
  return packagedImages(data);
}

/**
 * Decodes one class file's `data`. Rows that are not a full 28 × 28 image are dropped: fashion-mnist's
 * class 0 file holds two empty rows (indices 1000 and 7001), which sharp refuses to encode.
 */
export function packagedImages(data: number[] | number[][]): Uint8Array[] {
  if (Array.isArray(data[0]))
    return (data as number[][]).filter((row) => row.length === SIDE * SIDE).map((row) => Uint8Array.from(row));
  const flat = data as number[];
  const n = Math.floor(flat.length / (SIDE * SIDE));
  return Array.from({ length: n }, (_, i) =>
    Uint8Array.from(flat.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), (v) => Math.round(v * 255)),
  );
}

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
