import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES } from '../../src/cli/failure';
import { runFixres, runMain } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

const t = tempDir();
afterAll(() => t.cleanup());
const home = join(t.dir, 'home');

/** The one JSON document a failed `--json` command prints on stdout, with nothing on stderr. */
function jsonError(r: { stdout: string; stderr: string }): { code: string; message: string; field?: string } {
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; field?: string } };
  expect(CLI_ERROR_CODES).toContain(doc.error.code);
  return doc.error;
}

describe('fixres … --json when it fails', () => {
  it('prints a usage mistake as {"error": {code, message}} on stdout and exits 2', async () => {
    const r = await runMain(['runs', 'show', '--json'], home);
    expect(r.code).toBe(2);
    expect(jsonError(r)).toEqual({ code: 'Invalid', message: expect.stringMatching(/^usage: fixres runs list\|show <id>/) });
  });

  it('names the flag of a malformed value', async () => {
    const r = await runMain(['train', '--dataset', '1', '--lr', 'fast', '--json'], home);
    expect(r.code).toBe(2);
    expect(jsonError(r)).toMatchObject({ code: 'Invalid', message: expect.stringMatching(/--lr must be a number/) });
  });

  it('passes the lab’s validation on with its field', async () => {
    const r = await runMain(['crops', '--width', '0', '--height', '10', '--json'], home);
    expect(r.code).toBe(2);
    expect(jsonError(r)).toMatchObject({ code: 'Invalid', field: 'width' });
  });

  it('says NotFound, exit 1, for a dataset it cannot find, and lists what it knows', async () => {
    const r = await runMain(['dataset', 'show', 'no-such-set', '--json'], home);
    expect(r.code).toBe(1);
    expect(jsonError(r)).toEqual({
      code: 'NotFound',
      message: expect.stringMatching(/No dataset with the id, name or folder "no-such-set"/),
    });
  });

  it('answers an unknown command in JSON too', async () => {
    const r = await runMain(['frobnicate', '--json'], home);
    expect(r.code).toBe(2);
    expect(jsonError(r)).toMatchObject({ code: 'Invalid', message: expect.stringMatching(/unknown command "frobnicate"/) });
  });

  it('without --json, says the same on stderr and nothing on stdout', async () => {
    const r = await runMain(['dataset', 'show', 'no-such-set'], home);
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: No dataset with the id, name or folder/),
    });
  });

  it('does so from the installed binary', async () => {
    const r = await runFixres(['dataset', 'problems', '42', '--json'], home);
    expect(r.code).toBe(1);
    expect(jsonError(r)).toEqual({ code: 'NotFound', message: 'No dataset with id 42' });
  });
});
