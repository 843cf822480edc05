import type { Db } from './db';
import type { SweepAdapter } from './analysis';
import { prepared } from './statements';

/** Which images one sweep point got right, and which of them form the selection half (both in item order). */
export interface PointImages {
  runId: number;
  kTest: number;
  adapter: SweepAdapter;
  /** imagesKey() of the evaluated image list. */
  imagesKey: string;
  correct: Uint8Array;
  selection: Uint8Array;
}

interface Row {
  run_id: number;
  k_test: number;
  adapter: SweepAdapter;
  images_key: string;
  n: number;
  correct: Buffer;
  selection: Buffer;
}

/** Stores (or replaces) the per-image results of a point. */
export function savePointImages(db: Db, p: PointImages): void {
  if (p.correct.length !== p.selection.length) throw new Error('correct and selection must cover the same images');
  prepared(
    db,
    `INSERT INTO sweep_point_images (run_id, k_test, adapter, images_key, n, correct, selection) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, k_test, adapter) DO UPDATE SET
         images_key = excluded.images_key, n = excluded.n, correct = excluded.correct, selection = excluded.selection`,
  ).run(p.runId, p.kTest, p.adapter, p.imagesKey, p.correct.length, packBits(p.correct), packBits(p.selection));
}

/** The per-image results of a run's points (all adapters). */
export function listPointImages(db: Db, runId: number): PointImages[] {
  const rows = prepared(db, `SELECT * FROM sweep_point_images WHERE run_id = ? ORDER BY adapter, k_test`).all(runId) as Row[];
  return rows.map((r) => ({
    runId: r.run_id,
    kTest: r.k_test,
    adapter: r.adapter,
    imagesKey: r.images_key,
    correct: unpackBits(new Uint8Array(r.correct), r.n),
    selection: unpackBits(new Uint8Array(r.selection), r.n),
  }));
}

/** Packs 0/1 flags into bits, LSB first (8 images a byte). */
export function packBits(flags: ArrayLike<number | boolean>): Uint8Array {
  const out = new Uint8Array(Math.ceil(flags.length / 8));
  for (let i = 0; i < flags.length; i++) if (flags[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The n flags packed by packBits. */
export function unpackBits(bits: Uint8Array, n: number): Uint8Array {
  if (bits.length * 8 < n) throw new RangeError(`${bits.length} bytes hold fewer than ${n} flags`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (bits[i >> 3]! >> (i & 7)) & 1;
  return out;
}
