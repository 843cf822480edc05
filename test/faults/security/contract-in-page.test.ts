import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../../../src/lab/handlers/index';
import { setupIpc } from '../../../src/main/ipc';
import { appUrl, isAppUrl } from '../../../src/main/windows';
import type { Dataset } from '../../../src/shared/api/datasets';
import { launchBrowser } from '../../e2e/harness';
import { electronMock, resetElectronMock } from '../../helpers/electron-mock';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';
import { buildContractProbe } from '../helpers/contract-page/build-probe';
import { decodeIpcValues } from '../helpers/contract-page/ipc-values';
import { startWebLab, type WebLab } from '../helpers/web-lab';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronModule);

/**
 * The contract tests, from a real Chromium page, through the renderer's own clients: the web client
 * (web mode's transport) and the bridge client over the app's real preload, whose Electron half is
 * played by main's real IPC handler (src/main/ipc.ts) behind the mocked `electron`. Electron itself is
 * not installed here: its structured-clone IPC, context isolation and sandbox are not what runs.
 */
const t = tempDir('fixres-faults-page-');
let web: WebLab;
let browser: Browser;
let page: Page;
let teardownIpc: () => void;

beforeAll(async () => {
  const probeDir = join(t.dir, 'probe');
  await buildContractProbe(probeDir);
  web = await startWebLab({ rendererDir: probeDir });
  teardownIpc = setupIpc(createHandlers(web.lab), web.lab.events, isAppUrl);
  browser = await launchBrowser();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page's ipcRenderer.invoke arrives here, as a renderer's would in main, from the app's own page.
  await page.exposeFunction('__ipcInvoke', (channel: string, encodedArgs: string) =>
    electronMock.invoke(channel, appUrl(), ...decodeIpcValues(encodedArgs)),
  );
  // main's webContents.send broadcasts (lab events) go to the page's ipcRenderer.on listeners.
  const mainWindow = electronMock.addWindow();
  mainWindow.send = (...args: unknown[]) =>
    void page.evaluate(`window.__ipcDeliver(...${JSON.stringify(args)})`).catch(() => undefined);
  await page.goto(web.server.url);
  await page.waitForFunction('window.contractProbe !== undefined');
  expect(errors).toEqual([]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  teardownIpc?.();
  resetElectronMock();
  await web?.close();
  t.cleanup();
});

/** Calls the page's probe (contract-page/probe.ts) with JSON arguments. */
const probe = <T>(method: string, ...args: unknown[]) =>
  page.evaluate(`window.contractProbe.${method}(...${JSON.stringify(args)})`) as Promise<T>;

describe.each(['web', 'ipc'] as const)('the contract from a page, through the %s client', (transport) => {
  it('refuses every malformed request with a ValidationError, and nothing is created or polluted', async () => {
    const { sent, notRefused } = await probe<{ sent: number; notRefused: string[] }>('malformed', transport);
    expect(notRefused).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    expect(await probe('polluted')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(web.lab.datasets.list()).toEqual([]);
    expect(web.lab.runs.list()).toEqual([]);
  });

  it('refuses channels that are not in the contract, prototype names included', async () => {
    const answers = await probe<[string, string][]>('unknownChannels', transport);
    expect(answers).toEqual(answers.map(([name]) => [name, 'UnknownChannel']));
    expect(answers).toHaveLength(6);
  });

  it('answers a valid request and delivers the events it causes to the page', async () => {
    const root = join(t.dir, `pets-${transport}`);
    await makeImageFolder(root, { cat: 2, dog: 2 });
    await page.evaluate(`window.received = window.contractProbe.listen(${JSON.stringify(transport)}, 'dataset.updated')`);
    const opened = await probe<Dataset>('invoke', transport, 'datasets.open', { root });
    expect(opened).toMatchObject({ root, status: 'scanning' });
    await expect.poll(() => page.evaluate('window.received.map((d) => d.status)'), { timeout: 30_000 }).toContain('ready');
    expect(await web.value('datasets.remove', { id: opened.id })).toEqual({ removed: true });
  });
});
