/**
 * `npm run bench:store`: what the store's per-call work costs, on a file database holding 200
 * runs × 20 epochs (WAL, as the lab opens it). (a) One repository query with its statement
 * compiled on every call (the store before) against compiled once per connection (`prepared`);
 * (b) the run repository's reads as the lab calls them, each row's frozen config read through its
 * versioned schema. Each number is the median of REPEATS rounds of CALLS calls, in µs per call;
 * (c) what the integrity check at start (`PRAGMA quick_check`) costs on a database of
 * 200 000 images, in ms. The machine may be shared, so read them as rough.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/store/db';
import { upsertDataset } from '../src/store/datasets';
import { replaceImages } from '../src/store/images';
import { getRun, insertRun, listEpochs, listRuns, saveEpoch } from '../src/store/runs';
import { prepared } from '../src/store/statements';
import { frozenRunConfig } from '../test/helpers/frozen-config';

const REPEATS = 7;
const CALLS = 5_000;
const HISTORY = { runs: 200, epochs: 20 };

/** The SQL getRun runs (a run with its last accuracy), as the store has it. */
const SELECT_RUN = `
  SELECT r.*, (SELECT e.acc FROM epochs e WHERE e.run_id = r.id
                ORDER BY e.epoch DESC, e.phase = 'val' DESC LIMIT 1) AS last_acc
    FROM runs r`;
const RUN_SQL = `${SELECT_RUN} WHERE r.id = ?`;

function history(db: Db): void {
  const dataset = upsertDataset(db, '/data/bench', 'bench');
  for (let r = 0; r < HISTORY.runs; r++) {
    const run = insertRun(db, {
      kind: 'train',
      name: `run ${r}`,
      parentId: null,
      datasetId: dataset.id,
      config: frozenRunConfig({ datasetId: dataset.id, epochs: HISTORY.epochs }),
      checkpointDir: (id) => `/runs/${id}`,
    });
    for (let e = 0; e < HISTORY.epochs; e++) {
      saveEpoch(db, run.id, [
        { epoch: e, phase: 'train', loss: 1, acc: 0.5, top5: null, lr: 0.1, img_per_sec: 100, seconds: 1 },
        { epoch: e, phase: 'val', loss: 1, acc: 0.6, top5: null, lr: 0.1, img_per_sec: 400, seconds: 1 },
      ]);
    }
  }
}

/** Median µs per call of `call` over REPEATS rounds of `calls` calls. */
function perCall(call: (i: number) => void, calls = CALLS): number {
  const rounds: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) call(i);
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}

/** A database of `datasets` × 40 000 inspected images: the size a large lab reaches. */
function largeDatabase(file: string, datasets = 5): void {
  const { db } = openDatabase(file);
  for (let d = 0; d < datasets; d++) {
    const ds = upsertDataset(db, `/data/large-${d}`, `large ${d}`);
    const images = Array.from({ length: 40_000 }, (_, i) => ({
      relPath: `class-${i % 10}/img-${i}.png`,
      className: `class-${i % 10}`,
      split: 'train' as const,
      bytes: 100_000,
      mtimeMs: 1,
      status: 'ok' as const,
      width: 500,
      height: 375,
      format: 'png',
      hash: `${d}-${i}-0123456789abcdef`,
      channelMean: [0.4, 0.4, 0.4] as [number, number, number],
      channelMeanSquare: [0.2, 0.2, 0.2] as [number, number, number],
    }));
    db.transaction(() => replaceImages(db, ds.id, images))();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Median ms of `quick_check` alone and of the whole open (quick_check, pragmas, migrations: none pending). */
function startCost(file: string): { quickCheckMs: number; openMs: number } {
  const check: number[] = [];
  const open: number[] = [];
  for (let r = 0; r < 3; r++) {
    const db = new Database(file, { readonly: true });
    let start = performance.now();
    db.pragma('quick_check');
    check.push(performance.now() - start);
    db.close();
    start = performance.now();
    openDatabase(file).db.close();
    open.push(performance.now() - start);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  return { quickCheckMs: Math.round(median(check)), openMs: Math.round(median(open)) };
}

const dir = mkdtempSync(join(tmpdir(), 'fixres-bench-store-'));
try {
  const { db } = openDatabase(join(dir, 'lab.sqlite'));
  history(db);
  const id = (i: number) => 1 + (i % HISTORY.runs);
  const rows = [
    { case: 'run row: statement compiled per call', us: perCall((i) => db.prepare(RUN_SQL).get(id(i))) },
    { case: 'run row: statement compiled once (prepared)', us: perCall((i) => prepared(db, RUN_SQL).get(id(i))) },
    { case: 'getRun (row + frozen config read through its schema)', us: perCall((i) => getRun(db, id(i))) },
    { case: `listEpochs (${HISTORY.epochs * 2} rows)`, us: perCall((i) => listEpochs(db, id(i))) },
    {
      case: `${HISTORY.runs} run rows, JSON left unread`,
      us: perCall(() => prepared(db, `${SELECT_RUN} ORDER BY r.id DESC`).all(), 50),
    },
    { case: `listRuns (${HISTORY.runs} runs, configs read through their schema)`, us: perCall(() => listRuns(db), 50) },
  ];
  db.close();
  for (const row of rows) console.log(JSON.stringify({ ...row, us: Math.round(row.us * 10) / 10 }));
  const large = join(dir, 'large.sqlite');
  largeDatabase(large);
  console.log(
    JSON.stringify({
      case: 'open with quick_check, 200 000 images',
      mb: Math.round(statSync(large).size / 2 ** 20),
      ...startCost(large),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
