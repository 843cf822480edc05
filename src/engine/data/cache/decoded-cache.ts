import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '../pixels/rgb-image';

/** A decoded, downscaled copy of an image and the original size its crops are drawn on. */
export interface CachedImage {
  image: RgbImage;
  originalWidth: number;
  originalHeight: number;
}

const HEADER_BYTES = 16;

/**
 * Decoded copies in memory up to a byte budget (least recently used evicted first); with a
 * folder, evicted copies live on disk as raw RGB and are read back instead of decoded again.
 */
export class DecodedCache {
  #memory = new Map<string, CachedImage>();
  #bytes = 0;
  readonly #budget: number;
  readonly #dir: string | null;
  #dirReady: Promise<unknown> | null = null;

  constructor(options: { budgetBytes: number; dir?: string | null }) {
    this.#budget = options.budgetBytes;
    this.#dir = options.dir ?? null;
  }

  get bytesInMemory(): number {
    return this.#bytes;
  }

  /** A cached copy from memory or disk, else null. */
  async get(key: string): Promise<CachedImage | null> {
    const hit = this.#memory.get(key);
    if (hit) {
      this.#memory.delete(key);
      this.#memory.set(key, hit);
      return hit;
    }
    if (!this.#dir) return null;
    const bytes = await readFile(this.#file(key)).catch(() => null);
    if (!bytes || bytes.length < HEADER_BYTES) return null;
    const [w, h, ow, oh] = [0, 4, 8, 12].map((o) => bytes.readUInt32LE(o));
    if (bytes.length !== HEADER_BYTES + w! * h! * 3) return null;
    const entry = {
      image: { data: new Uint8Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, w! * h! * 3), width: w!, height: h! },
      originalWidth: ow!,
      originalHeight: oh!,
    };
    this.#remember(key, entry);
    return entry;
  }

  /**
   * Stores a copy in memory, and on disk when a folder is set (written once, atomically). The disk
   * copy is a saving, not a need: when it cannot be written (full disk, folder gone) the temp file
   * goes and this cache stops spilling (copies already on disk are still read), so images are
   * decoded again later instead of failing.
   */
  async put(key: string, entry: CachedImage): Promise<void> {
    this.#remember(key, entry);
    if (!this.#dir || this.spillError) return;
    const header = Buffer.alloc(HEADER_BYTES);
    [entry.image.width, entry.image.height, entry.originalWidth, entry.originalHeight].forEach((v, i) =>
      header.writeUInt32LE(v, i * 4),
    );
    const file = this.#file(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.#dirReady ??= mkdir(this.#dir, { recursive: true });
      await this.#dirReady;
      await writeFile(temp, Buffer.concat([header, entry.image.data]));
      await rename(temp, file);
    } catch (err) {
      this.spillError ??= (err as Error).message;
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Why this cache stopped writing copies to disk, if it did. */
  spillError: string | null = null;

  #remember(key: string, entry: CachedImage): void {
    const size = entry.image.data.byteLength;
    if (size > this.#budget) return;
    this.#memory.set(key, entry);
    this.#bytes += size;
    for (const [k, old] of this.#memory) {
      if (this.#bytes <= this.#budget) break;
      this.#memory.delete(k);
      this.#bytes -= old.image.data.byteLength;
    }
  }

  #file(key: string): string {
    return join(this.#dir!, `${createHash('sha1').update(key).digest('hex')}.rgb`);
  }
}
