/**
 * Scanning a large folder: 20 000 small PNGs in 100 classes, opened through the lab (engine
 * process included), then rescanned unchanged. Reports seconds and the peak RSS of this process
 * and of the engine. Run by `npm run bench:data -- --scan`.
 *   tsx bench/data-scan.ts <workDir> <images>
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLab } from '../src/lab/lab';
import { spawnNodeEngine } from '../src/lab/engine';

const [workDir, countArg] = process.argv.slice(2) as [string, string];
const count = Number(countArg);
const root = join(workDir, `scan-${count}`);
const classes = 100;
if (!existsSync(root) || readdirSync(root).length !== classes) {
  for (let c = 0; c < classes; c++) mkdirSync(join(root, `class-${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const [w, h] = [48 + (i % 17), 36 + (i % 11)];
    await sharp({ create: { width: w, height: h, channels: 3, background: { r: i % 256, g: (i >> 8) % 256, b: 90 } } })
      .png()
      .toFile(join(root, `class-${i % classes}`, `${i}.png`));
  }
}

let childPeakKb = 0;
const sampler = setInterval(() => {
  try {
    const out = execSync(`ps -o rss= --ppid ${process.pid}`, { encoding: 'utf8' });
    for (const line of out.trim().split('\n')) childPeakKb = Math.max(childPeakKb, Number(line.trim()) || 0);
  } catch {
    // no children at this instant
  }
}, 200);

const lab = createLab({
  dataDir: join(workDir, `home-${Date.now()}`),
  spawnEngine: spawnNodeEngine,
  transport: 'web',
  version: 'bench',
});
const t0 = performance.now();
const first = await (await lab.datasets.open(root)).scanned;
const t1 = performance.now();
const again = await lab.datasets.rescan(first.id).scanned;
const t2 = performance.now();
clearInterval(sampler);
lab.close();
process.stdout.write(
  `${JSON.stringify({
    images: first.imageCount,
    status: [first.status, again.status],
    first_scan_s: (t1 - t0) / 1000,
    unchanged_rescan_s: (t2 - t1) / 1000,
    lab_peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    engine_peak_rss_mb: childPeakKb / 1024,
  })}\n`,
);
