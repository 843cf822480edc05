/**
 * Timings of the pure science functions the renderer and the engine call (`npm run bench:science`).
 * Median of repeated runs after a warm-up; the machine may be shared, so read them as rough.
 */
import { ActivationAccumulator } from '../src/core/activation-stats';
import { analyzeApparentSize, DEFAULT_APPARENT_SIZE } from '../src/core/apparent-size';
import { fitFrechet } from '../src/core/frechet';
import { adaptFeatures } from '../src/core/frechet-adapt';
import { sampleGev } from '../src/core/gev';
import { Rng } from '../src/core/rng';

function median(fn: () => unknown, repeats: number): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(repeats / 2)]!;
}

const settings = { kTrain: 224, kTest: 224, ...DEFAULT_APPARENT_SIZE };
const oneSize = [{ width: 500, height: 375, count: 1 }];
const manySizes = Array.from({ length: 2000 }, (_, i) => ({
  width: 200 + (i % 50) * 10,
  height: 150 + (i % 37) * 10,
  count: 1 + (i % 7),
}));
const features = sampleGev({ mu: 0.3, sigma: 0.5, xi: 0.3 }, 1_000_000, Rng.fromSeed(1)).map((v) => Math.max(0, v));
const features32 = Float32Array.from(features);
const sample = features.subarray(0, 20_000);
const fit = fitFrechet(sample);
const ref = { ...fit, mu: fit.mu + 0.2 };

const rows: [string, number][] = [
  [
    'analyzeApparentSize, 20 000 samples, one size',
    median(() => analyzeApparentSize(settings, oneSize, { samples: 20_000, seed: 1, bins: 40, multiple: 8 }), 31),
  ],
  [
    'analyzeApparentSize, 20 000 samples, 2 000 sizes',
    median(() => analyzeApparentSize(settings, manySizes, { samples: 20_000, seed: 1, bins: 40, multiple: 8 }), 31),
  ],
  ['fitFrechet, 20 000 values, ξ fixed (censored zeros)', median(() => fitFrechet(sample), 7)],
  ['fitFrechet, 20 000 values, ξ free', median(() => fitFrechet(sample, { freeXi: true }), 5)],
  ['adaptFeatures, 1 000 000 features', median(() => adaptFeatures(features32, fit, ref), 7)],
  [
    'ActivationAccumulator.add, 1 000 000 features in batches of 4 096 (+ 20 000 reservoir)',
    median(() => {
      const acc = new ActivationAccumulator({ reservoir: { size: 20_000, seed: 1 } });
      for (let i = 0; i < features32.length; i += 4096) acc.add(features32.subarray(i, i + 4096));
      return acc.summary();
    }, 7),
  ],
];
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const [name, ms] of rows) console.log(`${ms.toFixed(2).padStart(9)} ms  ${name}`);
