import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * What the backend ladder asks of the machine. Injected so the ladder's decisions (CUDA libraries
 * missing, CUDA 12 instead of 11, addon failing) are testable on a machine without a GPU.
 */
export interface SystemProbes {
  platform: NodeJS.Platform;
  /** Whether a package resolves from the engine, without loading it. */
  isInstalled(pkg: string): boolean;
  /** Loads a package, native addon included; throws what the loader threw. */
  load(pkg: string): Promise<unknown>;
  /** `ldconfig -p` output ('' when ldconfig is missing). */
  ldconfig(): string;
  env(name: string): string | undefined;
  /** Entry names of a directory ([] when it does not exist). */
  listDir(dir: string): string[];
  /** GPU names from nvidia-smi; null when nvidia-smi is missing or fails. */
  nvidiaGpus(): string[] | null;
}

const require = createRequire(import.meta.url);

function run(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The real machine. */
export const nodeSystemProbes: SystemProbes = {
  platform: process.platform,
  isInstalled(pkg) {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  },
  load: (pkg) => import(pkg),
  ldconfig: () => run('ldconfig', ['-p']) ?? run('/sbin/ldconfig', ['-p']) ?? '',
  env: (name) => process.env[name],
  listDir(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  nvidiaGpus() {
    const out = run('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader']);
    return out === null
      ? null
      : out
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
  },
};
