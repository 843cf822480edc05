import { timingSafeEqual } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokensEqual } from '../../../src/server/auth';
import { rawExchange, statusOf, upgradeRequest } from '../helpers/raw-http';
import { startWebLab, type WebLab } from '../helpers/web-lab';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

let web: WebLab;
beforeAll(async () => {
  web = await startWebLab();
});
afterAll(() => web.close());

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const post = (path: string, headers: Record<string, string>) =>
  fetch(`${web.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('web mode access control', () => {
  it('listens on 127.0.0.1 only: the machine’s other addresses refuse the connection', async () => {
    expect(web.server.url.startsWith('http://127.0.0.1:')).toBe(true);
    expect(await accepts('127.0.0.1', web.server.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) expect(await accepts(address, web.server.port), address).toBe(false);
  });

  it('answers 401 to API calls without the token, with a wrong one, or with it anywhere but its header', async () => {
    const token = web.server.token;
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const attempts: [string, Record<string, string>][] = [
      ['/api/app.info', {}],
      ['/api/app.info', { 'x-fixres-token': '' }],
      ['/api/app.info', { 'x-fixres-token': wrong }],
      ['/api/app.info', { 'x-fixres-token': `${token}x` }],
      ['/api/app.info', { 'x-fixres-token': token.slice(0, 8) }],
      ['/api/app.info', { 'x-fixres-token': token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase() }],
      ['/api/app.info', { authorization: `Bearer ${token}` }],
      ['/api/app.info', { cookie: `fixres_token=${token}` }],
      [`/api/app.info?token=${token}`, {}],
    ];
    for (const [path, headers] of attempts) expect((await post(path, headers)).status, JSON.stringify(headers)).toBe(401);
    expect((await post('/api/app.info', { 'x-fixres-token': token })).status).toBe(200);
  });

  it('answers 401 to the page and to WebSocket upgrades without the token or with a wrong one', async () => {
    const token = web.server.token;
    for (const query of ['', '?token=', `?token=${token.slice(1)}`, `?token=${token}%00`, `?tok=${token}`]) {
      expect((await fetch(`${web.base}/${query}`)).status, query).toBe(401);
      const upgrade = await rawExchange(web.server.port, upgradeRequest(`/events${query}`));
      expect(statusOf(upgrade.reply), `upgrade ${query}`).toBe(401);
    }
    const cookieOnly = await rawExchange(web.server.port, upgradeRequest('/events', { Cookie: `fixres_token=${token}` }));
    expect(statusOf(cookieOnly.reply)).toBe(401);
    expect(
      statusOf(
        (await rawExchange(web.server.port, upgradeRequest(`/events?token=${token}`), undefined, { untilHeaders: true })).reply,
      ),
    ).toBe(101);
  });

  it('keeps the page’s session in a cookie of its own, bound to this server and port: never the API token, useless to other ports and servers', async () => {
    const token = web.server.token;
    const res = await fetch(web.server.url);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const [pair = '', ...attributes] = setCookie.split(';').map((p) => p.trim());
    const [name = '', value = ''] = pair.split('=');
    expect(name).toBe(`fixres_session_${web.server.port}`);
    expect(value.length).toBeGreaterThanOrEqual(32);
    expect(value).not.toBe(token);
    expect(setCookie).not.toContain(token);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));

    const page = (cookie: string) => fetch(`${web.base}/`, { headers: { cookie } });
    // A reload (the token already dropped from the address bar) is served on the session cookie.
    expect((await page(pair)).status).toBe(200);
    // The session is not the API token: no API call, no event stream.
    expect((await post('/api/app.info', { cookie: pair })).status).toBe(401);
    expect((await post('/api/app.info', { 'x-fixres-token': value })).status).toBe(401);
    const upgrade = await rawExchange(web.server.port, upgradeRequest(`/events?token=${value}`));
    expect(statusOf(upgrade.reply)).toBe(401);
    // The old cookie (the API token itself), the session under another port's name, or a guess: refused.
    for (const cookie of [`fixres_token=${token}`, `fixres_session_${web.server.port + 1}=${value}`, `${name}=${token}`]) {
      expect((await page(cookie)).status, cookie).toBe(401);
    }
    // Another server on this machine (another port) has its own session: this one's cookie opens nothing there.
    const other = await startWebLab();
    try {
      const otherRes = await fetch(other.server.url);
      const otherPair = (otherRes.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(otherPair.split('=')[1]).not.toBe(value);
      const otherPage = (cookie: string) => fetch(`${other.base}/`, { headers: { cookie } });
      expect((await otherPage(`fixres_session_${other.server.port}=${value}`)).status).toBe(401);
      expect((await otherPage(otherPair)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('compares tokens in constant time with timingSafeEqual, and never throws on odd input', async () => {
    const spy = vi.mocked(timingSafeEqual);
    spy.mockClear();
    expect(tokensEqual('abcdef', 'abcdef')).toBe(true);
    expect(tokensEqual('abcdef', 'abcdeg')).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const given of ['abc', '', 'abcdefg', 'abcdé', 'ab\u0000def', null, undefined, 42 as unknown as string]) {
      expect(tokensEqual('abcdef', given), String(given)).toBe(false);
    }
    spy.mockClear();
    const token = web.server.token;
    await post('/api/app.info', { 'x-fixres-token': token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) });
    expect(spy).toHaveBeenCalled();
  });
});
