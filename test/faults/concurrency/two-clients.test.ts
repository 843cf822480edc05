import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Dataset } from '../../../src/shared/api/datasets';
import type { JobInfo, Run } from '../../../src/shared/api/runs';
import { writePatternFolder } from '../../helpers/pattern-images';
import { setEnv } from '../helpers/training-lab';
import { startWebLab, type WebLab } from '../helpers/web-lab';

interface Client {
  /** Every event this client's WebSocket received, in order. */
  events: { event: string; payload: unknown }[];
  socket: WebSocket;
}

let web: WebLab;
let undoEnv: () => void;
let clients: [Client, Client];
/** What the lab emitted, as the clients must receive it. */
const emitted: Client['events'] = [];

async function connect(): Promise<Client> {
  const socket = new WebSocket(`ws://127.0.0.1:${web.server.port}/events?token=${web.server.token}`);
  const client: Client = { events: [], socket };
  socket.on('message', (data) => client.events.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.once('open', resolve));
  return client;
}

beforeAll(async () => {
  undoEnv = setEnv({ FIXRES_BACKEND: 'cpu' });
  web = await startWebLab();
  await writePatternFolder(join(web.dir, 'patterns'), { perClass: 10, size: 12 });
  clients = [await connect(), await connect()];
  web.lab.events.subscribe((event, payload) => emitted.push(JSON.parse(JSON.stringify({ event, payload }))));
});
afterAll(async () => {
  for (const c of clients) c.socket.close();
  await web.close();
  undoEnv();
});

/** Forgets the events so far. */
function clearEvents(): void {
  for (const list of [emitted, ...clients.map((c) => c.events)]) list.length = 0;
}

/** Waits until both clients have received every event the lab emitted, checks they match it in order, and returns them. */
async function settled(): Promise<Client['events']> {
  for (const client of clients) {
    await expect.poll(() => client.events.length, { timeout: 20_000 }).toBe(emitted.length);
    expect(client.events).toEqual(emitted);
  }
  return emitted;
}

describe('two web clients at once', () => {
  it('both receive every event in the same order, so a dataset one opens appears for the other', async () => {
    const opened = await web.value<Dataset>('datasets.open', { root: join(web.dir, 'patterns') });
    await web.lab.datasets.rescan(opened.id).scanned;
    const events = await settled();
    const last = events.filter((e) => e.event === 'dataset.updated').at(-1)!.payload as Dataset;
    expect(last).toMatchObject({ id: opened.id, status: 'ready', imageCount: 40 });
    expect(await web.value<Dataset[]>('datasets.list')).toEqual([last]);
  });

  it('queues runs both clients start at the same moment: one trains at a time, in order, and both see the same queue', async () => {
    const datasetId = web.lab.datasets.list()[0]!.id;
    const config = { datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8 };
    clearEvents();
    const started = await Promise.all([0, 1, 2, 3].map(() => web.value<Run>('runs.start', config)));
    const ids = started.map((r) => r.id).sort((a, b) => a - b);
    expect((await web.value<JobInfo[]>('jobs.list')).map((j) => j.state)).toEqual(['running', 'queued', 'queued', 'queued']);
    await web.lab.jobs.idle();
    const events = await settled();
    const queues = events.filter((e) => e.event === 'jobs.changed').map((e) => e.payload as JobInfo[]);
    expect(Math.max(...queues.map((q) => q.filter((j) => j.state === 'running').length))).toBe(1);
    const runningOrder = queues
      .map((q) => q.find((j) => j.state === 'running')?.runId)
      .filter((id, i, all) => id && id !== all[i - 1]);
    expect(runningOrder).toEqual(ids);
    const runs = await web.value<Run[]>('runs.list');
    expect(runs.filter((r) => ids.includes(r.id)).every((r) => r.status === 'completed')).toBe(true);
  });

  it('shows a run cancelled by one client as cancelled to the other', async () => {
    const datasetId = web.lab.datasets.list()[0]!.id;
    clearEvents();
    const running = await web.value<Run>('runs.start', { datasetId, width: 0.25, kTrain: 8, epochs: 50, batchSize: 8 });
    const queued = await web.value<Run>('runs.start', { datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8 });
    await expect.poll(() => clients[1].events.some((e) => e.event === 'run.progress'), { timeout: 20_000 }).toBe(true);
    await web.value('runs.cancel', { id: queued.id });
    await web.value('runs.cancel', { id: running.id });
    await web.lab.jobs.idle();
    const events = await settled();
    const finalState = (id: number) =>
      (events.filter((e) => e.event === 'run.updated' && (e.payload as Run).id === id).at(-1)!.payload as Run).status;
    expect([finalState(running.id), finalState(queued.id)]).toEqual(['cancelled', 'cancelled']);
  });
});
