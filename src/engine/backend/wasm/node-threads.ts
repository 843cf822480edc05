import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/**
 * tfjs-backend-wasm refuses threads under Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false
 * there), although its Emscripten build supports Node's worker_threads. Three things stand in the
 * way, each worked around for the duration of the backend's initialisation only:
 *
 * 1. The flag: set to true.
 * 2. The build hands its main script and pthread worker script to Emscripten as Blob URLs, which
 *    Node's `Worker` and `importScripts` shim cannot load: while initialising, Blobs holding those
 *    two scripts are also written to files (content-addressed, in the OS temp folder) and
 *    `URL.createObjectURL` returns the file path. The worker script gets a short prelude that
 *    defines the bundle-scope names the main script refers to and points its own
 *    createObjectURL at the main script file.
 * 3. XNNPACK's pool is capped at navigator.hardwareConcurrency / 2 (Emscripten reads
 *    `os.cpus().length` under Node), i.e. 1 on a 2-core machine: `os.cpus()` reports twice the
 *    cores while the module starts.
 *
 * Returns a function that restores everything.
 */
export function enableWasmThreadsForNode(tfEnv: { set(flag: string, value: boolean): void }, threads: number): () => void {
  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const paths = new WeakMap<Blob, string>();
  const dir = join(os.tmpdir(), 'fixres-wasm-threads');
  let mainScript: string | null = null;

  class ScriptBlob extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const [parts] = args;
      const text = parts.every((p) => typeof p === 'string') ? parts.join('') : null;
      if (text?.startsWith('var WasmBackendModuleThreadedSimd')) {
        mainScript = writeScript(dir, text);
        paths.set(this, mainScript);
      } else if (text?.includes('WasmBackendModuleThreadedSimd(Module)') && mainScript) {
        paths.set(this, writeScript(dir, workerPrelude(mainScript) + text));
      }
    }
  }

  tfEnv.set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  globalThis.Blob = ScriptBlob as typeof Blob;
  URL.createObjectURL = (blob: Blob) => paths.get(blob) ?? realCreateObjectURL(blob);
  os.cpus = () => Array.from({ length: Math.max(2 * threads, realCpus().length) }, () => realCpus()[0]!);
  return () => {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    os.cpus = realCpus;
  };
}

/** Names the bundled main script expects in scope (the bundle's `require$$N` and `commonjsGlobal`). */
function workerPrelude(mainScriptPath: string): string {
  return [
    `globalThis.require$$0 = require('fs');`,
    `globalThis.require$$1 = require('path');`,
    `globalThis.require$$3 = require('perf_hooks');`,
    `globalThis.require$$4 = require('os');`,
    `globalThis.commonjsGlobal = globalThis;`,
    `URL.createObjectURL = () => ${JSON.stringify(mainScriptPath)};`,
    '',
  ].join('\n');
}

function writeScript(dir: string, text: string): string {
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Write-then-rename so a concurrent engine never loads half a file.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
  return file;
}
