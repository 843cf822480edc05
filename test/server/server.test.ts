import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHandlers } from '../../src/lab/handlers/index';
import { createLab, type Lab } from '../../src/lab/lab';
import { spawnNodeEngine } from '../../src/lab/engine';
import { startServer, type RunningServer } from '../../src/server/server';
import { tempDir } from '../helpers/fixtures';

let lab: Lab;
let server: RunningServer;
let base: string;
const t = tempDir();

beforeAll(async () => {
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>FixRes Lab</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'secret.txt'), 'top secret');
  lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  server = await startServer({ handlers: createHandlers(lab), events: lab.events, rendererDir });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  lab.close();
  t.cleanup();
});

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('web mode server', () => {
  it('listens on loopback and prints a URL that carries the token', () => {
    expect(server.url).toBe(`${base}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 to the page without a token or with a wrong one', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/?token=${server.token}x`)).status).toBe(401);
  });

  it('serves the page with the token, sets an HttpOnly SameSite session cookie and a strict CSP', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('FixRes Lab');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
  });

  it('serves assets to the cookie, not to strangers', async () => {
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    const ok = await fetch(`${base}/assets/app.js`, { headers: { cookie: server.sessionCookie } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses paths that climb out of the renderer folder', async () => {
    const cookie = { cookie: server.sessionCookie };
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await fetch(`${base}${path}`, { headers: cookie });
      expect(res.status, path).toBe(404);
    }
  });

  it('needs the token header for API calls; the cookie alone is not enough', async () => {
    expect((await api('app.info', {})).status).toBe(401);
    expect((await api('app.info', {}, { cookie: `fixres_token=${server.token}` })).status).toBe(401);
    const res = await api('app.info', {}, { 'x-fixres-token': server.token });
    expect(await res.json()).toEqual({
      ok: true,
      value: { version: 'test', transport: 'web', canPickFolder: false, dataDir: ':memory:', notices: [] },
    });
  });

  it('refuses requests from another origin', async () => {
    const res = await api('app.info', {}, { 'x-fixres-token': server.token, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });

  it('validates requests and refuses unknown channels', async () => {
    const auth = { 'x-fixres-token': server.token };
    expect(await (await api('datasets.open', { root: '' }, auth)).json()).toMatchObject({
      ok: false,
      error: { name: 'ValidationError', field: 'root' },
    });
    expect(await (await api('system.exec', {}, auth)).json()).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
    const bad = await fetch(`${base}/api/app.info`, { method: 'POST', headers: auth, body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('accepts WebSocket event streams only with the token and our origin', async () => {
    const refused = (url: string, origin?: string) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('open', () => {
          ws.close();
          resolve(false);
        });
        ws.on('error', () => resolve(true));
      });
    const ws = `ws://127.0.0.1:${server.port}/events`;
    expect(await refused(ws)).toBe(true);
    expect(await refused(`${ws}?token=nope`)).toBe(true);
    expect(await refused(`${ws}?token=${server.token}`, 'http://evil.example')).toBe(true);

    const socket = new WebSocket(`${ws}?token=${server.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const received = new Promise<unknown>((resolve) => socket.on('message', (data) => resolve(JSON.parse(String(data)))));
    lab.events.emit('dataset.scanProgress', { datasetId: 1, filesSeen: 3, done: false });
    expect(await received).toEqual({ event: 'dataset.scanProgress', payload: { datasetId: 1, filesSeen: 3, done: false } });
    socket.close();
  });
});
