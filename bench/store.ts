/**
 * `npm run bench:store`: what the store's per-call work costs, on a file database holding 200
 * runs × 20 epochs (WAL, as the lab opens it). (a) One repository query with its statement
 * compiled on every call (the store before) against compiled once per connection (`prepared`);
 * (b) the run repository's reads as the lab calls them, each row's frozen config read through its
 * versioned schema. Each number is the median of REPEATS rounds of CALLS calls, in µs per call;
 * the machine may be shared, so read them as rough.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/store/db';
import { upsertDataset } from '../src/store/datasets';
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
