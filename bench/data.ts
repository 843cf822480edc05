/**
 * `npm run bench:data`: images/s per core of the data pipeline — (a) decode + RandomResizedCrop +
 * resize to K from ~500×375 JPEGs, (b) the cached path — with peak memory, a torchvision + PIL
 * peer on the same files, and how well worker threads overlap loading with a training step.
 * Each number is the median of 3 runs; the machine may be shared, so read them as ±15 %.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImages } from './data-images';

const K = 128;
const REPEATS = 3;
const here = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(here, 'results');
const imageDir = join(tmpdir(), 'fixres-bench-data', 'jpeg-500x375');
const PYTHON = process.env.FIXRES_REFERENCE_PYTHON ?? '/usr/bin/python3';

type Row = Record<string, number | string>;

function runJson(cmd: string, args: string[]): Row[] {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 })
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
}

function median(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => Number(a.img_s_per_core) - Number(b.img_s_per_core));
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(4)) : v]));

await ensureBenchImages(imageDir);
const tsx = ['--import', 'tsx'];
const rows: Row[] = [];
for (const path of ['decode', 'cached']) {
  const runs = Array.from(
    { length: REPEATS },
    () => runJson(process.execPath, [...tsx, join(here, 'data-path.ts'), path, imageDir, String(K)])[0]!,
  );
  rows.push(round(median(runs)));
}

let peer: Row | null = null;
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, PIL']).status === 0;
if (hasTorch) {
  const runs = Array.from(
    { length: REPEATS },
    () => runJson(PYTHON, [join(here, 'reference', 'data_torchvision.py'), imageDir, String(K)])[0]!,
  );
  peer = round(median(runs));
} else {
  console.warn(
    `torchvision + PIL peer skipped: ${PYTHON} cannot import torch, torchvision and PIL (apt-get install -y python3-torchvision python3-pil)`,
  );
}

const pixels = hasTorch ? round(runJson(process.execPath, [...tsx, join(here, 'data-pixels.ts'), imageDir, '10'])[0]!) : null;
const scan = process.argv.includes('--scan')
  ? round(runJson(process.execPath, [...tsx, join(here, 'data-scan.ts'), join(tmpdir(), 'fixres-bench-data'), '20000'])[0]!)
  : null;
const overlap = runJson(process.execPath, [...tsx, join(here, 'data-overlap.ts'), imageDir, String(K), '60']).map(round);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'data.json'),
  `${JSON.stringify(
    rows.map(({ path, k, img_s_per_core, peak_rss_mb }) => ({ path, k, img_s_per_core, peak_rss_mb })),
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(resultsDir, 'data-details.json'),
  `${JSON.stringify({ rows, peer, pixels, scan, overlap, images: imageDir }, null, 2)}\n`,
);

const table = [
  '| path | K | img/s per core | img/s wall | peak RSS (MB) |',
  '| --- | --- | --- | --- | --- |',
  ...[...rows, ...(peer ? [peer] : [])].map(
    (r) => `| ${r.path} | ${r.k} | ${r.img_s_per_core} | ${r.img_s_wall} | ${r.peak_rss_mb} |`,
  ),
];
const decode = Number(rows[0]!.img_s_per_core);
const cached = Number(rows[1]!.img_s_per_core);
console.log(table.join('\n'));
console.log(
  `\ncached / decode: ${(cached / decode).toFixed(1)}×${peer ? `; decode / torchvision+PIL: ${(decode / Number(peer.img_s_per_core)).toFixed(2)}×` : ''}`,
);
if (pixels)
  console.log(
    `pixels vs torchvision + PIL (test transform and resized crops, K 128 and 224): ${pixels.differing} of ${pixels.values} values differ, max |diff| ${pixels.max_abs_diff}`,
  );
if (scan)
  console.log(
    `scan of ${scan.images} images: first ${scan.first_scan_s} s, unchanged rescan ${scan.unchanged_rescan_s} s; peak RSS lab ${scan.lab_peak_rss_mb} MB, engine ${scan.engine_peak_rss_mb} MB`,
  );
console.log('\n| sample workers | training step (ms/batch of 32) | wait for data (ms/batch) | share of time waiting | img/s |');
console.log('| --- | --- | --- | --- | --- |');
for (const o of overlap)
  console.log(
    `| ${o.workers} | ${o.step_ms} | ${o.wait_ms_per_batch} | ${(Number(o.wait_fraction) * 100).toFixed(1)} % | ${o.img_s} |`,
  );
