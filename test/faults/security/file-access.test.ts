import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/shared/api/datasets';
import { makeImageFolder, writePng } from '../../helpers/fixtures';
import { rawExchange, statusOf } from '../helpers/raw-http';
import { startWebLab, type WebLab } from '../helpers/web-lab';

let web: WebLab;
let a: Dataset;
let b: Dataset;
let secretPng: string;

/** The ids of a dataset's images by relative path. */
async function imageIds(ds: Dataset): Promise<Record<string, number>> {
  const { images } = await web.value<{ images: { id: number; relPath: string }[] }>('datasets.images', { id: ds.id, limit: 200 });
  return Object.fromEntries(images.map((i) => [i.relPath, i.id]));
}

/** What the API answers for a large preview and a grid thumbnail of `imageId`. */
async function read(imageId: number): Promise<{ preview: string; thumbnail: string }> {
  const preview = await web.call('datasets.preview', { imageId });
  const [thumb] = await web.value<{ dataUrl: string | null; error: string | null }[]>('datasets.thumbnails', {
    imageIds: [imageId],
  });
  return {
    preview: preview.reply.ok ? 'served' : preview.reply.error.message,
    thumbnail: thumb!.dataUrl ? 'served' : thumb!.error!,
  };
}

beforeAll(async () => {
  web = await startWebLab();
  secretPng = join(web.dir, 'private', 'secret.png');
  mkdirSync(join(web.dir, 'private'));
  await writePng(secretPng, 20, 20, [255, 0, 0]);
  writeFileSync(join(web.dir, 'private', 'passwords.txt'), 'hunter2');
  await makeImageFolder(join(web.dir, 'a'), { cats: 3, dogs: 3 });
  await makeImageFolder(join(web.dir, 'b'), { x: 2, y: 2 });
  a = await web.value<Dataset>('datasets.open', { root: join(web.dir, 'a') });
  b = await web.value<Dataset>('datasets.open', { root: join(web.dir, 'b') });
  await web.lab.datasets.rescan(a.id).scanned;
  await web.lab.datasets.rescan(b.id).scanned;
});
afterAll(() => web.close());

describe('the page reads images only by id, only inside the folders the user opened', () => {
  it('refuses ids that do not exist and ids of a dataset that was removed', async () => {
    const removed = Object.values(await imageIds(b));
    expect(await web.value('datasets.remove', { id: b.id })).toEqual({ removed: true });
    for (const id of [...removed, 999_999]) {
      expect(await read(id), String(id)).toEqual({ preview: `No image with id ${id}`, thumbnail: `No image with id ${id}` });
      const crop = await web.call('crops.sample', { imageId: id, patches: true });
      expect(crop.reply).toMatchObject({ ok: false, error: { field: 'imageId' } });
    }
  });

  it('refuses an image whose file was swapped after the scan for a link pointing outside the dataset', async () => {
    const ids = await imageIds(a);
    const victim = join(web.dir, 'a', 'cats', 'img-0.png');
    rmSync(victim);
    symlinkSync(secretPng, victim);
    rmSync(join(web.lab.dataDir, 'cache', 'thumbs'), { recursive: true, force: true });
    const refused = /links outside the dataset folder/;
    const outcome = await read(ids['cats/img-0.png']!);
    expect(outcome.preview).toMatch(refused);
    expect(outcome.thumbnail).toMatch(refused);
    const crop = await web.call('crops.sample', { imageId: ids['cats/img-0.png'], patches: true });
    expect(crop.reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(refused) } });
    // A link that stays inside the dataset is still an image of the dataset.
    rmSync(victim);
    symlinkSync(join(web.dir, 'a', 'dogs', 'img-0.png'), victim);
    expect(await read(ids['cats/img-0.png']!)).toEqual({ preview: 'served', thumbnail: 'served' });
  });

  it('refuses stored paths that climb out of the dataset (a tampered database or manifest), encoded or not', async () => {
    const ids = await imageIds(a);
    const id = ids['dogs/img-1.png']!;
    const cases: [string, RegExp][] = [
      ['../private/secret.png', /Refused path outside the dataset/],
      ['dogs/../../private/secret.png', /Refused path outside the dataset/],
      [secretPng, /Refused path outside the dataset/],
      ['dogs\0/../../private/secret.png', /Refused path outside the dataset/],
      ['..%2fprivate%2fsecret.png', /file not found/],
      ['%2e%2e/private/secret.png', /file not found/],
    ];
    for (const [relPath, reason] of cases) {
      web.lab.db.prepare('UPDATE images SET rel_path = ?, hash = NULL WHERE id = ?').run(relPath, id);
      const outcome = await read(id);
      expect(outcome.preview, relPath).toMatch(reason);
      expect(outcome.thumbnail, relPath).toMatch(reason);
    }
  });

  it('serves the built page only from its own folder: no traversal, encoded, doubled, backslashed or through a link', async () => {
    symlinkSync(join(web.dir, 'private'), join(web.dir, 'renderer', 'linked'));
    const cookie = `Cookie: ${web.server.sessionCookie}`;
    const get = async (target: string) =>
      statusOf(
        (
          await rawExchange(
            web.server.port,
            `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${cookie}\r\nConnection: close\r\n\r\n`,
          )
        ).reply,
      );
    expect(await get('/')).toBe(200);
    for (const target of [
      '/../private/passwords.txt',
      '/..%2fprivate%2fpasswords.txt',
      '/%2e%2e/private/passwords.txt',
      '/%252e%252e/private/passwords.txt',
      '/..\\private\\passwords.txt',
      '/..%5cprivate%5cpasswords.txt',
      `/${join(web.dir, 'private', 'passwords.txt')}`,
      `//${join(web.dir, 'private', 'passwords.txt')}`,
      '/linked/passwords.txt',
      '/linked/secret.png',
      '/index.html%00.png',
    ]) {
      expect(await get(target), target).toBe(404);
    }
  });
});
