/**
 * One measurement in its own process (so peak RSS belongs to it): render every bench image
 * through the data pipeline on one thread and print a JSON line.
 *   tsx bench/data-path.ts decode|cached <imageDir> <k>
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { openBatchSource } from '../src/engine/data/open-batch-source';
import { benchSpec, ensureBenchImages } from './data-images';

const [path, dir, kArg] = process.argv.slice(2) as ['decode' | 'cached', string, string];
const k = Number(kArg);
sharp.concurrency(1);

const names = await ensureBenchImages(dir);
const spec = benchSpec(dir, names, k, path === 'cached' ? { cache: { memoryMb: 2048 } } : {});
// No worker threads: JS runs on this thread, sharp decodes on libuv's pool (libvips limited to one
// thread); images per CPU-second of the whole process is images per core.
const source = await openBatchSource(spec, { workers: 0, prefetch: 1 });
const epoch = async (e: number) => {
  for await (const _ of source.epoch(e, { batchSize: 32 })) void _;
};
if (path === 'cached') await epoch(0); // fill the cache; the timed epochs below only crop and resize
const epochs = path === 'cached' ? 3 : 1;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let e = 1; e <= epochs; e++) await epoch(e);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const images = names.length * epochs;
await source.close();
process.stdout.write(
  `${JSON.stringify({
    path,
    k,
    img_s_per_core: images / cpuSeconds,
    img_s_wall: images / wall,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    cores: availableParallelism(),
  })}\n`,
);
