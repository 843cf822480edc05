import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { thumbnailFile } from '../../shared/jobs/inspect';

/** The thumbnail cache's default bound (a 160 px WebP thumbnail is ~3–8 KB: some 100 000 images). */
export const DEFAULT_THUMBNAIL_CACHE_MB = 512;

/** The bound in bytes: the lab's option, else $FIXRES_THUMBNAIL_CACHE_MB, else the default. */
export function thumbnailCacheBytes(optionMb?: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.FIXRES_THUMBNAIL_CACHE_MB?.trim() || NaN);
  const mb = optionMb ?? (Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : DEFAULT_THUMBNAIL_CACHE_MB);
  return Math.round(mb * 2 ** 20);
}

/** Runs a database write; if the disk is full, gives up the thumbnails (they are optional) and tries once more. */
export async function withRoomFromThumbnails<T>(thumbnails: ThumbnailCache, write: () => T): Promise<T> {
  try {
    return write();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_FULL' || (await thumbnails.clear()) === 0) throw err;
    return write();
  }
}
/** A trim goes down to this share of the bound, so one new thumbnail does not trigger the next trim. */
const LOW_WATER = 0.9;

interface Entry {
  bytes: number;
  usedAt: number;
}

/**
 * The grid thumbnails on disk (`<hash>.webp`, written by the engine's scans and on demand), bounded
 * in size: past `maxBytes` the least recently used go. Thumbnails are optional — anything missing is
 * rendered again when shown — so every failure here (a full or read-only disk) is ignored, and the
 * cache is the first thing given up when the disk is full. The order of use is the files' mtime,
 * refreshed when a thumbnail is shown; an index of the folder is kept in memory and rebuilt before
 * each scan (another process on the same data folder may have added files).
 */
export class ThumbnailCache {
  readonly dir: string;
  readonly maxBytes: number;
  #index: Map<string, Entry> | null = null;
  /** The sum of the index's sizes. */
  #bytes = 0;
  /** Operations run one at a time, so a trim never works on an index another one is rebuilding. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { dir: string; maxBytes: number }) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes;
  }

  /** The file of content `hash`'s thumbnail. */
  fileOf(hash: string): string {
    return join(this.dir, thumbnailFile(hash));
  }

  /** Marks a thumbnail as just shown (it is evicted last). */
  used(hash: string): Promise<void> {
    return this.#serial(async () => {
      const now = new Date();
      await utimes(this.fileOf(hash), now, now).catch(() => undefined);
      const entry = (await this.#entries()).get(hash);
      if (entry) entry.usedAt = now.getTime();
    });
  }

  /** Records thumbnails the engine has just written, then trims the cache to its bound. */
  added(hashes: readonly string[]): Promise<void> {
    return this.#serial(async () => {
      await this.#entries();
      for (const hash of hashes) {
        const info = await stat(this.fileOf(hash)).catch(() => null);
        if (info) this.#set(hash, { bytes: info.size, usedAt: info.mtimeMs });
      }
      await this.#trimTo(this.maxBytes, LOW_WATER * this.maxBytes);
    });
  }

  /** Reads the folder again (before a scan: another process may have written to it). */
  refresh(): Promise<void> {
    return this.#serial(async () => {
      this.#index = await readIndex(this.dir);
      this.#bytes = total(this.#index);
    });
  }

  /** Deletes these thumbnails (a forgotten dataset's, that no other dataset shows). */
  remove(hashes: readonly string[]): Promise<void> {
    return this.#serial(async () => {
      await this.#entries();
      for (const hash of hashes) if (await removeFile(this.fileOf(hash))) this.#delete(hash);
    });
  }

  /** Deletes every thumbnail: room for the database on a full disk. Returns the bytes freed. */
  clear(): Promise<number> {
    return this.#serial(() => this.#trimTo(0, 0));
  }

  /** Bytes the cache holds, as far as its index knows. */
  bytes(): Promise<number> {
    return this.#serial(async () => {
      await this.#entries();
      return this.#bytes;
    });
  }

  async #trimTo(bound: number, target: number): Promise<number> {
    const index = await this.#entries();
    if (this.#bytes <= bound) return 0;
    const before = this.#bytes;
    for (const [hash] of [...index].sort((a, b) => a[1].usedAt - b[1].usedAt)) {
      if (this.#bytes <= target) break;
      if (await removeFile(this.fileOf(hash))) this.#delete(hash);
    }
    return before - this.#bytes;
  }

  async #entries(): Promise<Map<string, Entry>> {
    if (!this.#index) {
      this.#index = await readIndex(this.dir);
      this.#bytes = total(this.#index);
    }
    return this.#index;
  }

  #set(hash: string, entry: Entry): void {
    this.#bytes += entry.bytes - (this.#index!.get(hash)?.bytes ?? 0);
    this.#index!.set(hash, entry);
  }

  #delete(hash: string): void {
    this.#bytes -= this.#index!.get(hash)?.bytes ?? 0;
    this.#index!.delete(hash);
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(op, op);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

/** Every `<hash>.webp` under the cache folder's two-letter sub-folders, with size and last use. */
async function readIndex(dir: string): Promise<Map<string, Entry>> {
  const index = new Map<string, Entry>();
  for (const sub of await readdir(dir).catch(() => [])) {
    for (const name of await readdir(join(dir, sub)).catch(() => [])) {
      if (!name.endsWith('.webp')) continue;
      const info = await stat(join(dir, sub, name)).catch(() => null);
      if (info?.isFile()) index.set(name.slice(0, -'.webp'.length), { bytes: info.size, usedAt: info.mtimeMs });
    }
  }
  return index;
}

function total(index: Map<string, Entry>): number {
  let bytes = 0;
  for (const e of index.values()) bytes += e.bytes;
  return bytes;
}

/** Removes a file; false when it could not be (a read-only disk): the cache is optional, so that is no error. */
async function removeFile(file: string): Promise<boolean> {
  return rm(file, { force: true }).then(
    () => true,
    () => false,
  );
}
