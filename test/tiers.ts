/**
 * The test tiers, defined once (vitest.config.ts builds its projects from this list and
 * test/tiers.test.ts checks it). `unit`: pure and in-process tests — `npm run test:unit` runs in
 * under a minute on 2 cores. `integration`: tests that start processes (the `fixres` CLI, engine
 * processes, Python references), run WebGPU on SwiftShader or train networks, each costing seconds. A folder ends with '/'.
 */
export const INTEGRATION_TESTS = [
  // Spawn the CLI.
  'test/cli/',
  // Start engine processes (a lab with real engines) or other child processes.
  'test/lab/datasets/',
  'test/lab/engine/engine-status.test.ts',
  'test/lab/lab-presence.test.ts',
  'test/lab/live/external-changes.test.ts',
  'test/lab/models/',
  'test/lab/recipes/',
  'test/lab/runs/runs.test.ts',
  'test/lab/sweeps/sweeps.test.ts',
  'test/lab/workflows/workflow.test.ts',
  'test/server/server.test.ts',
  'test/store/recover/recover.test.ts',
  'test/engine/backend/wasm-threads.test.ts',
  // Compare with the Python references (torch, torchvision, Pillow, scipy).
  'test/core/crops-torchvision.test.ts',
  'test/core/frechet-scipy.test.ts',
  'test/core/stats.test.ts',
  'test/engine/train/official-recipe.test.ts',
  'test/engine/data/pixels/resample.test.ts',
  'test/engine/data/pixels/resample-wasm.test.ts',
  'test/engine/data/torchvision-pixels.test.ts',
  'test/engine/models/registry-models.test.ts',
  'test/engine/models/torchvision-parity.test.ts',
  // WebGPU on SwiftShader (Vulkan in software: correct, slow).
  'test/engine/webgpu/',
  'test/engine/models/backend-parity.test.ts',
  // Train networks or render many samples in process (5–40 s each).
  'test/engine/train/run-training.test.ts',
  'test/engine/train/run-training-wasm.test.ts',
  'test/engine/kernels/training-step.test.ts',
  'test/engine/data/pixels/render-sample.test.ts',
  'test/engine/data/open-batch-source.test.ts',
  'test/engine/models/create-model.test.ts',
  'test/store/old-databases.test.ts',
];

/** The tier's entries as vitest globs. */
export const integrationGlobs = (): string[] => INTEGRATION_TESTS.map((p) => (p.endsWith('/') ? `${p}**/*.test.ts` : p));

/** Whether a test file (path relative to the repository) belongs to the integration tier. */
export const isIntegrationTest = (file: string): boolean =>
  INTEGRATION_TESTS.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
