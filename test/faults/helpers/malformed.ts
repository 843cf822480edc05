import type { Channel } from '../../../src/shared/contract';

/**
 * One schema-valid request per channel. The fuzz tests check each example parses (so a refusal of
 * a mutation is due to the mutation) and that every channel of the contract has one: a new
 * channel fails the suite until it is listed here.
 */
export const VALID_REQUESTS: Record<Channel, Record<string, unknown>> = {
  'app.info': {},
  'dialog.pickFolder': { title: 'Pick' },
  'folders.list': { path: '/tmp' },
  'datasets.list': {},
  'datasets.get': { id: 1 },
  'datasets.open': { root: '/tmp/some-folder' },
  'datasets.rescan': { id: 1 },
  'datasets.cancelScan': { id: 1 },
  'datasets.remove': { id: 1 },
  'datasets.setSplit': { id: 1, valFraction: 0.2, seed: 0 },
  'datasets.inspection': { id: 1, k: 32 },
  'datasets.problems': { id: 1, k: 28 },
  'outcomes.points': { runId: 1 },
  'outcomes.get': { runId: 1, kTest: 32, adapter: 'none' },
  'outcomes.mistakes': { runId: 1, kTest: 32, adapter: 'frechet', trueClass: 0, predictedClass: 2, offset: 0, limit: 20 },
  'datasets.images': { id: 1, className: 'cat', split: 'train', offset: 0, limit: 10 },
  'datasets.thumbnails': { imageIds: [1, 2] },
  'datasets.preview': { imageId: 1, maxSide: 256 },
  'datasets.trySample': { kind: 'synthetic' },
  'datasets.cancelSample': { kind: 'synthetic' },
  'analysis.apparentSize': { kTrain: 224, source: { kind: 'size', width: 500, height: 375 } },
  'crops.sample': { kTrain: 224, width: 500, height: 375, n: 2 },
  'runs.start': { datasetId: 1, name: 'run', kTrain: 32, epochs: 1, batchSize: 8, lr: 0.1, scale: [0.08, 1] },
  'runs.cancel': { id: 1 },
  'runs.resume': { id: 1 },
  'runs.list': {},
  'runs.get': { id: 1 },
  'runs.delete': { id: 1 },
  'runs.exportRecipe': { id: 1, format: 'torchrun', dir: '/tmp/recipe' },
  'jobs.list': {},
  'engine.status': { refresh: false },
  'models.import': { file: '/tmp/w.safetensors', arch: 'resnet50', kTrain: 224, cropPct: 0.875 },
  'models.list': {},
  'models.get': { id: 1 },
  'models.remove': { id: 1 },
  'models.predict': { model: { modelId: 1 }, kTest: 288, files: ['/tmp/a.jpg'] },
  'models.export': { model: { runId: 1 }, format: 'safetensors', dir: '/tmp/export' },
  'models.use': { modelId: 1, datasetId: 1, epochs: 2 },
  'runs.finetune': { parentRunId: 1, kTest: 48, mode: 'bn+classifier', augment: 'da1', epochs: 1 },
  'runs.speed': { datasetId: 1, bestOnly: true },
  'runs.export': { id: 1, formats: ['csv', 'json'], dir: '/tmp/export', overwrite: false },
  'sweeps.plan': { runId: 1, step: 8 },
  'sweeps.start': { runId: 1, kTests: [24, 32, 48], adapter: 'frechet', referenceImages: 100 },
  'sweeps.cancel': { id: 1 },
  'sweeps.resume': { id: 1 },
  'sweeps.list': { runId: 1 },
  'sweeps.get': { id: 1 },
  'sweeps.resolution': { runId: 1 },
  'sweeps.activations': { runId: 1, bins: 40 },
  'workflows.suggest': { datasetId: 1, budgetMinutes: 10 },
  'workflows.start': { datasetId: 1, name: 'wf', kTrain: 32, budgetMinutes: 10, epochs: 2 },
  'workflows.resume': { id: 1 },
  'workflows.cancel': { id: 1 },
  'workflows.list': {},
  'workflows.get': { id: 1 },
  'workflows.export': { id: 1, formats: ['html'], dir: '/tmp/export' },
};

/** A request body as JSON text (so `__proto__` can be an own key, as JSON.parse makes it) and a label. */
export interface Malformed {
  label: string;
  json: string;
}

const HUGE = 'A'.repeat(300_000);

/** A value of the wrong JSON type for `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'string') return 12345;
  if (typeof value === 'boolean') return 'yes';
  return 'x';
}

/** Every malformed variant of a valid request: wrong body types, extra and prototype keys, and per-field garbage. */
export function malformedVariants(valid: Record<string, unknown>): Malformed[] {
  const withKey = (rawKeyValue: string) => {
    const rest = JSON.stringify(valid).slice(1, -1);
    return `{${rawKeyValue}${rest ? `,${rest}` : ''}}`;
  };
  const variants: Malformed[] = [
    { label: 'an array body', json: '[]' },
    { label: 'a string body', json: '"hello"' },
    { label: 'a number body', json: '42' },
    { label: 'a boolean body', json: 'true' },
    { label: 'an extra key', json: JSON.stringify({ ...valid, unexpected: 1 }) },
    { label: 'a __proto__ key', json: withKey('"__proto__":{"polluted":true}') },
    { label: 'a constructor key', json: withKey('"constructor":{"prototype":{"polluted":true}}') },
    { label: 'a prototype key', json: withKey('"prototype":{"polluted":true}') },
    { label: 'a huge extra string', json: JSON.stringify({ ...valid, [HUGE.slice(0, 1000)]: HUGE }) },
  ];
  for (const [key, value] of Object.entries(valid)) {
    const set = (v: unknown) => JSON.stringify({ ...valid, [key]: v });
    variants.push(
      { label: `${key}: wrong type`, json: set(wrongType(value)) },
      { label: `${key}: null`, json: set(null) },
      { label: `${key}: a huge string`, json: set(HUGE) },
      { label: `${key}: an operator object`, json: set({ $gt: 0 }) },
      { label: `${key}: nested junk`, json: set([[[{ a: [1, '2', null] }]]]) },
    );
    if (typeof value === 'number') variants.push({ label: `${key}: 1e308 × 10`, json: set(1e308).replace('1e+308', '1e309') });
  }
  return variants;
}
