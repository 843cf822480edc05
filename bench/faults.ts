/**
 * `npm run bench:faults`: does the app stay responsive under load? Against a real `fixres serve`
 * process (engine included), a client measures API latency (a) idle and while the lab scans
 * 20 000 images, and (b) listing and opening runs with a history of 200 runs × 100 epochs.
 * Each number is the median over REPEATS runs; the machine may be shared, so read them as rough.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openDatabase } from '../src/store/db';
import { upsertDataset } from '../src/store/datasets';
import { insertRun, saveEpoch, endSession } from '../src/store/runs';
import { frozenRunConfig } from '../test/helpers/frozen-config';

const REPEATS = 3;
const SCAN_IMAGES = 20_000;
const HISTORY = { runs: 200, epochs: 100 };
const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(tmpdir(), 'fixres-bench-faults');
const scanRoot = join(work, `scan-${SCAN_IMAGES}`);
const rendererDir = join(work, 'renderer');

interface Server {
  base: string;
  token: string;
  child: ChildProcess;
  readyMs: number;
}

/** Starts `fixres serve` on a data folder; resolves when it prints its URL. */
async function serve(home: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(here, '../bin/fixres.mjs'), 'serve', '--renderer-dir', rendererDir], {
    env: { ...process.env, FIXRES_HOME: home, FIXRES_BACKEND: 'cpu' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(line);
    if (m) return { base: m[1]!, token: m[2]!, child, readyMs: performance.now() - started };
  }
  throw new Error('fixres serve exited before printing its URL');
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGINT');
  await exited;
}

/** One API call; returns its latency in ms, the reply and its size. */
async function call(server: Server, channel: string, body: unknown = {}): Promise<{ ms: number; value: unknown; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(`${server.base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fixres-token': server.token },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  const reply = JSON.parse(text) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`${channel}: ${reply.error!.message}`);
  return { ms, value: reply.value, bytes: text.length };
}

const ROUND = ['app.info', 'datasets.list', 'runs.list', 'jobs.list'];

/** Sequential calls round-robin over cheap channels until `until()` is true (or `count` calls). */
async function latencies(server: Server, options: { count?: number; until?: () => Promise<boolean> }): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; options.count === undefined || i < options.count; i++) {
    out.push((await call(server, ROUND[i % ROUND.length]!)).ms);
    if (options.until && i % 20 === 0 && (await options.until())) break;
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (values: number[]) => percentile(values, 50);
const round = (v: number) => Number(v.toPrecision(3));

async function ensureScanImages(): Promise<void> {
  if (existsSync(scanRoot) && readdirSync(scanRoot).length === 100) return;
  for (let c = 0; c < 100; c++) mkdirSync(join(scanRoot, `class-${c}`), { recursive: true });
  for (let i = 0; i < SCAN_IMAGES; i++) {
    const color = { r: i % 251, g: (i * 7) % 253, b: (i * 13) % 255 };
    await sharp({ create: { width: 64 + (i % 23), height: 48 + (i % 19), channels: 3, background: color } })
      .png()
      .toFile(join(scanRoot, `class-${i % 100}`, `${i}.png`));
  }
}

/** A data folder holding 200 finished runs of 100 epochs (train + val rows each). */
function historyFolder(): string {
  const home = join(work, `history-${HISTORY.runs}x${HISTORY.epochs}`);
  if (existsSync(join(home, 'lab.sqlite'))) return home;
  mkdirSync(home, { recursive: true });
  const { db } = openDatabase(join(home, 'lab.sqlite'));
  const dataset = upsertDataset(db, scanRoot, 'bench');
  const config = frozenRunConfig({ datasetId: dataset.id, epochs: HISTORY.epochs });
  const phase = (e: number, phase: 'train' | 'val') => ({
    epoch: e,
    phase,
    loss: 2 / (1 + e),
    acc: 1 - 1 / (2 + e),
    top5: null,
    lr: 0.1,
    img_per_sec: 1000,
    seconds: 10,
  });
  for (let r = 0; r < HISTORY.runs; r++) {
    const run = insertRun(db, {
      kind: 'train',
      name: `run ${r}`,
      parentId: null,
      datasetId: dataset.id,
      config,
      checkpointDir: (id) => join(home, 'runs', String(id)),
    });
    for (let e = 0; e < HISTORY.epochs; e++) saveEpoch(db, run.id, [phase(e, 'train'), phase(e, 'val')]);
    endSession(db, run.id, { status: 'completed', wallSeconds: 1000 });
  }
  db.close();
  return home;
}

async function scanUnderLoad(): Promise<Record<string, number>> {
  const home = join(work, `home-scan-${Date.now()}`);
  const server = await serve(home);
  try {
    await latencies(server, { count: 40 });
    const idle = await latencies(server, { count: 400 });
    const t0 = performance.now();
    const { value } = await call(server, 'datasets.open', { root: scanRoot });
    const id = (value as { id: number }).id;
    const scanning = await latencies(server, {
      until: async () => ((await call(server, 'datasets.get', { id })).value as { status: string }).status !== 'scanning',
    });
    return {
      idle_p50_ms: median(idle),
      idle_p99_ms: percentile(idle, 99),
      scan_s: (performance.now() - t0) / 1000,
      scanning_calls: scanning.length,
      scanning_p50_ms: median(scanning),
      scanning_p95_ms: percentile(scanning, 95),
      scanning_p99_ms: percentile(scanning, 99),
      scanning_max_ms: Math.max(...scanning),
    };
  } finally {
    await stop(server);
    rmSync(home, { recursive: true, force: true });
  }
}

async function history(home: string): Promise<Record<string, number>> {
  const server = await serve(home);
  try {
    const first = await call(server, 'runs.list');
    const ids = (first.value as { id: number }[]).map((r) => r.id);
    const listMs: number[] = [];
    const getMs: number[] = [];
    let getBytes = 0;
    for (let i = 0; i < 20; i++) {
      listMs.push((await call(server, 'runs.list')).ms);
      const got = await call(server, 'runs.get', { id: ids[i * 7]! });
      getMs.push(got.ms);
      getBytes = got.bytes;
    }
    return {
      serve_ready_s: server.readyMs / 1000,
      runs: ids.length,
      first_list_ms: first.ms,
      list_p50_ms: median(listMs),
      list_max_ms: Math.max(...listMs),
      list_kb: first.bytes / 1024,
      get_p50_ms: median(getMs),
      get_max_ms: Math.max(...getMs),
      get_kb: getBytes / 1024,
    };
  } finally {
    await stop(server);
  }
}

/** The median of each field over the repeats. */
function medianRow(rows: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, round(median(rows.map((r) => r[k]!)))]));
}

mkdirSync(rendererDir, { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>');
await ensureScanImages();
const historyHome = historyFolder();
const scanRows: Record<string, number>[] = [];
const historyRows: Record<string, number>[] = [];
for (let r = 0; r < REPEATS; r++) {
  scanRows.push(await scanUnderLoad());
  historyRows.push(await history(historyHome));
  process.stderr.write(`repeat ${r + 1}/${REPEATS} done\n`);
}
const result = { scan: medianRow(scanRows), history: medianRow(historyRows), repeats: { scan: scanRows, history: historyRows } };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'faults.json'), JSON.stringify(result, null, 2));
process.stdout.write(`${JSON.stringify({ scan: result.scan, history: result.history }, null, 2)}\n`);
