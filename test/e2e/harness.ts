import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHandlers } from '../../src/lab/handlers/index';
import { createLab, type Lab } from '../../src/lab/lab';
import { spawnNodeEngine } from '../../src/lab/engine';
import { startServer, type RunningServer } from '../../src/server/server';

// import.meta.url rather than __dirname, so bench scripts run through tsx (ESM) can use the harness too.
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Web mode over a real lab (engine process included), as `fixres serve` runs it. */
export async function startApp(dataDir: string): Promise<{ lab: Lab; server: RunningServer; stop(): Promise<void> }> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('Build the renderer first: npm run build');
  const lab = createLab({ dataDir, spawnEngine: spawnNodeEngine, transport: 'web', version: 'e2e' });
  const server = await startServer({ handlers: createHandlers(lab), events: lab.events, rendererDir: RENDERER_DIR });
  return {
    lab,
    server,
    async stop() {
      await server.close();
      lab.close();
    },
  };
}

/** Engines started from now on train on the pure-JS backend (tiny runs work everywhere); returns the undo. */
export function forceCpuBackend(): () => void {
  const previous = process.env.FIXRES_BACKEND;
  process.env.FIXRES_BACKEND = 'cpu';
  return () => {
    if (previous === undefined) delete process.env.FIXRES_BACKEND;
    else process.env.FIXRES_BACKEND = previous;
  };
}

/** Debian's Chromium, headless, with a fresh temporary profile and no background network. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that fails the test on any console error or uncaught exception. */
export async function openPage(
  browser: Browser,
  url: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(url);
  return { page, errors };
}

/**
 * Saves a screenshot under test-results/. With `wholeView`, the viewport first grows to the height of
 * the scrolled view (the app scrolls inside <main>, so a full-page shot would stop at the window).
 */
export async function screenshot(page: Page, name: string, options: { wholeView?: boolean } = {}): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const viewport = page.viewportSize();
  if (options.wholeView) {
    // Page-side scripts are strings: this file is type-checked for Node, without the DOM library.
    const height = await page.evaluate<number>(
      `(() => { const m = document.querySelector('main'); return m ? m.scrollHeight + innerHeight - m.clientHeight : document.body.scrollHeight; })()`,
    );
    const width = page.viewportSize()?.width ?? 1280;
    await page.setViewportSize({ width, height: Math.min(4000, Math.max(700, Math.ceil(height))) });
    // Two frames: chart.js redraws after its ResizeObserver fires.
    await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))`);
  }
  const file = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (options.wholeView && viewport) await page.setViewportSize(viewport);
  return file;
}

/**
 * Page script: how many pixels of the canvas at `selector` are close to the colour `hex` (`#rrggbb`),
 * counting from `fromX` (a fraction of the width) to the right edge. Charts draw on canvas: this is how a
 * test sees that a series or a theme colour was drawn.
 */
export function canvasColourCount(selector: string, hex: string, fromX = 0): string {
  return `(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(${JSON.stringify(hex)}.slice(i, i + 2), 16));
    const x0 = Math.floor(canvas.width * ${fromX});
    const data = canvas.getContext('2d').getImageData(x0, 0, canvas.width - x0, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60) n++;
    }
    return n;
  })()`;
}

/** Page script: how far the window and the scrolling <main> are pushed wider than they are. */
export const HORIZONTAL_OVERFLOW = `(() => {
  const main = document.querySelector('main');
  return Math.max(document.documentElement.scrollWidth - innerWidth, main.scrollWidth - main.clientWidth);
})()`;
