import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/** The rungs of the backend ladder, best first. */
export const BACKEND_LADDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_LADDER)[number];

export interface BackendReport {
  /** The rung in use. */
  name: BackendName;
  /** tfjs's own name for it (tf.getBackend()). */
  tfBackend: string;
  gpu: string | null;
  /** Why each higher rung was not used. */
  skipped: { name: BackendName; reason: string }[];
}

type Rung = () => Promise<{ tfBackend: string; gpu: string | null }>;

const rungs: Record<BackendName, Rung> = {
  'tensorflow-gpu': async () => {
    await importNative('@tensorflow/tfjs-node-gpu');
    return { tfBackend: 'tensorflow', gpu: null };
  },
  tensorflow: async () => {
    await importNative('@tensorflow/tfjs-node');
    return { tfBackend: 'tensorflow', gpu: null };
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    return { tfBackend: 'wasm', gpu: null };
  },
  cpu: async () => ({ tfBackend: 'cpu', gpu: null }),
};

/**
 * Chooses the backend once per engine process: the forced one, or the best rung that loads.
 * Every skipped rung says why, so `fixres doctor` and the status bar can explain it.
 */
export async function selectBackend(force?: BackendName): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  const order = force ? [force] : BACKEND_LADDER;
  for (const name of order) {
    try {
      const { tfBackend, gpu } = await rungs[name]();
      if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs could not initialise the ${tfBackend} backend`);
      await tf.ready();
      return { name, tfBackend, gpu, skipped };
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0]!;
      if (force) throw new Error(`The forced backend "${force}" is not available: ${reason}`);
      skipped.push({ name, reason });
    }
  }
  throw new Error(`No tfjs backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

async function importNative(pkg: string): Promise<void> {
  try {
    await import(pkg);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') {
      if (e.message.includes(pkg)) throw new Error(`${pkg} is not installed`);
    }
    throw new Error(`${pkg} failed to load: ${e.message.split('\n')[0]}`);
  }
}

let chosen: Promise<BackendReport> | null = null;

/**
 * The backend of this engine process, chosen on first call and kept (tfjs has one global
 * backend). FIXRES_BACKEND forces a rung, e.g. FIXRES_BACKEND=wasm.
 */
export function ensureBackend(force: BackendName | undefined = envBackend()): Promise<BackendReport> {
  chosen ??= selectBackend(force).catch((err: unknown) => {
    chosen = null;
    throw err;
  });
  return chosen;
}

function envBackend(): BackendName | undefined {
  const value = process.env.FIXRES_BACKEND?.trim();
  if (!value) return undefined;
  if (!(BACKEND_LADDER as readonly string[]).includes(value)) {
    throw new Error(`FIXRES_BACKEND must be one of ${BACKEND_LADDER.join(', ')}; got "${value}"`);
  }
  return value as BackendName;
}
