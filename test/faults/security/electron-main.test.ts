import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { setupIpc, INVOKE_CHANNEL, EVENT_CHANNEL } from '../../../src/main/ipc';
import { setupSecurity } from '../../../src/main/security';
import { appUrl, isAppUrl } from '../../../src/main/windows';
import { EXTERNAL_LINKS } from '../../../src/shared/external-links';
import { electronMock, resetElectronMock } from '../../helpers/electron-mock';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronModule);

const devUrl = process.env.ELECTRON_RENDERER_URL;
afterEach(() => {
  resetElectronMock();
  if (devUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = devUrl;
});

describe('Electron main: navigation, new windows, webviews and permissions', () => {
  beforeEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
    setupSecurity(isAppUrl);
  });

  it('lets the app page navigate within itself (query strings and hashes included) and nowhere else', () => {
    const page = electronMock.createWebContents();
    const base = appUrl();
    expect(base).toMatch(/^file:\/\/.*\/index\.html$/);
    for (const url of [base, `${base}#/runs/12`, `${base}?theme=dark`, `${base}?x=1#/datasets`])
      expect(page.navigate(url), url).toBe(true);
    const elsewhere = [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'file:///etc/passwd?index.html',
      `${base}.evil.html`,
      `${base}x`,
      base.replace('index.html', 'other.html'),
      base.replace('index.html', 'index.html/../../../../etc/passwd'),
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
    ];
    for (const url of elsewhere) expect(page.navigate(url), url).toBe(false);
  });

  it('never opens a new window; only the http(s) links the app makes go to the browser, nothing else goes anywhere', () => {
    const page = electronMock.createWebContents();
    for (const url of [EXTERNAL_LINKS.paper, 'HTTPS://ARXIV.org/abs/1906.06423']) expect(page.open(url), url).toBe('deny');
    expect(electronMock.openExternal.mock.calls.map((c) => c[0])).toEqual([
      EXTERNAL_LINKS.paper,
      'HTTPS://ARXIV.org/abs/1906.06423',
    ]);
    electronMock.openExternal.mockClear();
    const refused = [
      // http(s), but not a link the app makes: a URL a hostile file or dataset name could carry.
      'https://example.com/',
      'HTTP://example.com/x',
      'https://arxiv.org/abs/1906.06423.evil.com',
      'https://arxiv.org.evil.com/abs/1906.06423',
      'https://arxiv.org/abs/1906.06423?next=https://evil.com',
      'http://arxiv.org/abs/1906.06423@evil.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://attacker/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/etc/passwd',
      'data:text/html,hi',
      ' https://example.com',
      appUrl(),
    ];
    for (const url of refused) expect(page.open(url), url).toBe('deny');
    expect(electronMock.openExternal).not.toHaveBeenCalled();
  });

  it('refuses webviews and every permission request', () => {
    const page = electronMock.createWebContents();
    expect(page.attachWebview()).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(electronMock.requestPermission(p), p).toBe(false);
    }
  });

  it('in development, trusts only the dev server origin, not look-alike hosts or ports', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    const page = electronMock.createWebContents();
    for (const url of [
      'http://localhost:5173',
      'http://localhost:5173/',
      'http://localhost:5173/#/runs',
      'http://localhost:5173/?a=1',
    ])
      expect(page.navigate(url), url).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.com/',
      'http://localhost:5173@evil.com/',
      'http://localhost:51730/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
    ])
      expect(page.navigate(url), url).toBe(false);
  });
});

describe('Electron main: IPC', () => {
  const lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'electron', version: 'ipc-test' });
  let teardown = () => {};
  afterAll(() => lab.close());
  beforeEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
    teardown = setupIpc(createHandlers(lab), lab.events, isAppUrl);
  });
  afterEach(() => teardown());

  it('answers requests from the app page', async () => {
    expect(await electronMock.invoke(INVOKE_CHANNEL, `${appUrl()}#/runs`, 'app.info', {})).toMatchObject({
      ok: true,
      value: { version: 'ipc-test', transport: 'electron' },
    });
  });

  it('refuses requests from any other frame, or from a frame that is gone, before validating or running anything', async () => {
    const before = lab.datasets.list().length;
    for (const frame of ['https://example.com/', 'file:///tmp/evil.html', `${appUrl()}.evil`, 'about:blank', '', null]) {
      const reply = await electronMock.invoke(INVOKE_CHANNEL, frame, 'datasets.open', { root: '/' });
      expect(reply, String(frame)).toEqual({
        ok: false,
        error: { name: 'Forbidden', code: 'Invalid', message: 'Requests are only accepted from the app itself.' },
      });
    }
    expect(lab.datasets.list()).toHaveLength(before);
  });

  it('refuses unknown channels and malformed payloads from the app page with data, not exceptions', async () => {
    const app = appUrl();
    expect(await electronMock.invoke(INVOKE_CHANNEL, app, 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { name: 'UnknownChannel' },
    });
    expect(await electronMock.invoke(INVOKE_CHANNEL, app, 'runs.get', { id: 'x' })).toMatchObject({
      ok: false,
      error: { name: 'ValidationError', field: 'id' },
    });
  });

  it('broadcasts lab events to every window', () => {
    const [a, b] = [electronMock.addWindow(), electronMock.addWindow()];
    lab.events.emit('jobs.changed', []);
    expect(a.sent).toEqual([[EVENT_CHANNEL, 'jobs.changed', []]]);
    expect(b.sent).toEqual(a.sent);
  });
});
