import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ScannedImage, ScanResult } from '../../shared/jobs/scan';
import { userError } from '../../shared/errors';
import { parseCsv } from './csv';
import { isImageFile, SPLIT_FOLDERS } from './image-files';
import { describeFsError, resolveInsideRoot } from './safe-path';
import { scanCancelled, type ScanContext } from './scan-image-folder';

const HEADER_NAMES = new Set(['path', 'file', 'filename', 'image']);
const PROGRESS_EVERY = 500;

/**
 * Reads a CSV manifest `path,label[,split]` (paths relative to the dataset root, optional
 * header row). Rows that cannot be used are recorded in `skipped` with the line number.
 */
export async function scanManifest(root: string, manifest: string, ctx: ScanContext): Promise<ScanResult> {
  if (isAbsolute(manifest) || manifest.split(/[\\/]/).includes('..'))
    throw userError(`Manifest must be inside the dataset folder: ${manifest}`, 'manifest');
  const text = await readManifest(join(root, manifest), manifest);
  const { rows, problems } = parseCsv(text);
  if (rows.length && HEADER_NAMES.has(rows[0]!.fields[0]!.trim().toLowerCase())) rows.shift();
  const result: ScanResult = { layout: 'manifest', classNames: [], images: [], skipped: [] };
  for (const p of problems)
    result.skipped.push({ relPath: `${manifest}:${p.line}`, reason: `${p.reason} (${manifest}:${p.line})` });
  const seen = new Set<string>();
  const rootReal = await realpath(root);
  for (const [i, row] of rows.entries()) {
    if (ctx.signal.aborted) throw scanCancelled();
    if ((i + 1) % PROGRESS_EVERY === 0) ctx.progress({ filesSeen: i + 1 });
    const line = `${manifest}:${row.line}`;
    const [rawPath = '', rawLabel = '', rawSplit = ''] = row.fields.map((f) => f.trim());
    const relPath = rawPath.replace(/\\/g, '/').replace(/^\.\//, '');
    const problem = await checkRow({ root, rootReal, seen }, relPath, rawLabel, rawSplit);
    if (typeof problem === 'string') {
      result.skipped.push({ relPath: relPath || line, reason: `${problem} (${line})` });
      continue;
    }
    seen.add(relPath);
    result.images.push({ relPath, className: rawLabel, split: problem.split, bytes: problem.bytes, mtimeMs: problem.mtimeMs });
  }
  ctx.progress({ filesSeen: rows.length });
  result.classNames = [...new Set(result.images.map((img) => img.className))].sort();
  if (result.images.length === 0)
    throw userError(`No usable rows in ${manifest}. Expected lines like: images/cat1.jpg,cat,train`, 'manifest');
  return result;
}

/** A manifest is text: one far beyond any real list of images is refused by its size, unread. */
const MAX_MANIFEST_BYTES = 256 * 2 ** 20;

async function readManifest(file: string, manifest: string): Promise<string> {
  const fail = (err: NodeJS.ErrnoException): never => {
    throw userError(`Cannot read manifest ${manifest}: ${describeFsError(err)}`, 'manifest', 'Environment');
  };
  const info = await stat(file).catch(fail);
  if (info.size > MAX_MANIFEST_BYTES)
    throw userError(`Manifest ${manifest} is too large (${Math.round(info.size / 2 ** 20)} MB; the limit is 256 MB)`, 'manifest');
  return readFile(file, 'utf8').catch(fail);
}

async function checkRow(
  where: { root: string; rootReal: string; seen: Set<string> },
  relPath: string,
  label: string,
  split: string,
): Promise<string | Pick<ScannedImage, 'split' | 'bytes' | 'mtimeMs'>> {
  if (!relPath) return 'missing path';
  if (!label) return 'missing label';
  if (where.seen.has(relPath)) return 'listed twice';
  if (!isImageFile(relPath)) return 'not an image file';
  const splitName = split ? SPLIT_FOLDERS[split.toLowerCase()] : null;
  if (split && !splitName) return `unknown split "${split}" (use train or val)`;
  let file: string;
  try {
    file = await resolveInsideRoot(where.root, relPath, where.rootReal);
  } catch (err) {
    return (err as Error).message.replace(/^Cannot open [^:]*: /, '');
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return 'not a file';
  return { split: splitName ?? null, bytes: info.size, mtimeMs: info.mtimeMs };
}
