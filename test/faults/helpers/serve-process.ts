import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { Envelope } from '../../../src/shared/envelope';

const BIN = resolve(import.meta.dirname, '../../../bin/fixres.mjs');

/** `fixres serve` in its own process, as a user starts web mode: what an unhandled error would end. */
export interface ServeProcess {
  child: ChildProcess;
  base: string;
  token: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Whether the process has exited (with its code or signal). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** POSTs a request as the web client does; throws when the server does not answer. */
  call<T = unknown>(channel: string, body?: unknown): Promise<Envelope<T>>;
  /** Resolves with the first event payload of `event` that `match` accepts, from the server's WebSocket (connected before it resolves). */
  nextEvent<T = unknown>(event: string, match?: (payload: T) => boolean): Promise<T>;
  /** Collects every payload of `event` from now on; resolves once the WebSocket is open. */
  collectEvents<T = unknown>(event: string): Promise<{ payloads: T[]; close(): void }>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. `--import` of a file that misbehaves on cue). */
  nodeArgs?: string[];
}

/** Starts `bin/fixres.mjs serve` on a free port with FIXRES_HOME = `home` and a stand-in renderer. */
export async function startServeProcess(home: string, options: ServeOptions = {}): Promise<ServeProcess> {
  const rendererDir = join(home, '..', 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>FixRes Lab</title>');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'serve', '--renderer-dir', rendererDir], {
    env: { ...process.env, FIXRES_HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitedPromise = new Promise<void>((resolveExit) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolveExit();
    }),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    void exitedPromise.then(() => reject(new Error(`fixres serve exited before printing its URL:\n${stderr}`)));
  });
  const parsed = new URL(url);
  const base = parsed.origin;
  const token = parsed.searchParams.get('token')!;
  return {
    child,
    base,
    token,
    stderr: () => stderr,
    exited: () => exit,
    async call<T>(channel: string, body: unknown = {}) {
      const res = await fetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fixres-token': token },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Envelope<T>;
    },
    nextEvent<T>(event: string, match: (payload: T) => boolean = () => true) {
      return new Promise<T>((resolveEvent, reject) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/events?token=${token}`);
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { event: string; payload: T };
          if (frame.event === event && match(frame.payload)) {
            ws.close();
            resolveEvent(frame.payload);
          }
        });
        ws.on('error', reject);
        ws.on('close', () => reject(new Error(`The event stream closed before "${event}" arrived`)));
      });
    },
    collectEvents<T>(event: string) {
      return new Promise<{ payloads: T[]; close(): void }>((resolveOpen, reject) => {
        const payloads: T[] = [];
        const ws = new WebSocket(`${base.replace('http', 'ws')}/events?token=${token}`);
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { event: string; payload: T };
          if (frame.event === event) payloads.push(frame.payload);
        });
        ws.once('open', () => resolveOpen({ payloads, close: () => ws.close() }));
        ws.once('error', reject);
      });
    },
    async stop() {
      if (!exit) {
        child.kill('SIGTERM');
        await exitedPromise;
      }
    },
  };
}
