import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SpawnEngine, spawnNodeEngine } from '../../../src/lab/engine';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { startServer, type RunningServer } from '../../../src/server/server';
import type { Envelope } from '../../../src/shared/envelope';
import { tempDir } from '../../helpers/fixtures';

export interface WebLab {
  lab: Lab;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  /** A folder for the test's own files, removed on close. */
  dir: string;
  /** POSTs a request as the web client does (token header); returns the HTTP status and the parsed reply. */
  call(channel: string, body: unknown): Promise<{ status: number; reply: Envelope<unknown> }>;
  /** Like call, but returns the value and throws the error of a refused request. */
  value<T = unknown>(channel: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface WebLabOptions {
  /** The lab's data folder; default a fresh one inside `dir`. */
  dataDir?: string;
  spawnEngine?: SpawnEngine;
  /** The folder the server serves; default a one-page stand-in for the built renderer. */
  rendererDir?: string;
}

/** Web mode over a real lab, as `fixres serve` runs it, in a temporary folder. */
export async function startWebLab(options: WebLabOptions = {}): Promise<WebLab> {
  const t = tempDir('fixres-faults-');
  const rendererDir = options.rendererDir ?? join(t.dir, 'renderer');
  if (!options.rendererDir) {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>FixRes Lab</title>');
  }
  const lab = createLab({
    dataDir: options.dataDir ?? join(t.dir, 'home'),
    spawnEngine: options.spawnEngine ?? spawnNodeEngine,
    transport: 'web',
    version: 'faults',
  });
  const server = await startServer({ handlers: createHandlers(lab), events: lab.events, rendererDir });
  const base = `http://127.0.0.1:${server.port}`;
  const call = async (channel: string, body: unknown) => {
    const res = await fetch(`${base}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fixres-token': server.token },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let reply: Envelope<unknown>;
    try {
      reply = JSON.parse(text) as Envelope<unknown>;
    } catch {
      reply = { ok: false, error: { name: `HTTP ${res.status}`, code: 'Internal', message: text } };
    }
    return { status: res.status, reply };
  };
  return {
    lab,
    server,
    base,
    dir: t.dir,
    call,
    async value<T>(channel: string, body: unknown = {}) {
      const { reply } = await call(channel, body);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), { name: reply.error.name, field: reply.error.field });
      return reply.value as T;
    },
    async close() {
      await server.close();
      lab.close();
      t.cleanup();
    },
  };
}
