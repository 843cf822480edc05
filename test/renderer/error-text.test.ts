import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, NEXT_STEP } from '../../src/renderer/src/lib/errors';
import { LabError } from '../../src/shared/errors';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('errorText: what a view shows for an error', () => {
  it('adds what to do next when the message does not say it', () => {
    expect(errorText(named('UserError', 'No run with id 12'))).toBe(`No run with id 12. ${NEXT_STEP.Invalid}`);
    expect(errorText(named('EngineExited', 'The compute engine stopped unexpectedly (exit code 1)'))).toBe(
      `The compute engine stopped unexpectedly (exit code 1). ${NEXT_STEP.Interrupted}`,
    );
    expect(errorText(new Error('Something odd happened.'))).toBe(`Something odd happened. ${NEXT_STEP.Internal}`);
    expect(errorText('boom')).toBe(`boom. ${NEXT_STEP.Internal}`);
  });

  it('follows the error code when there is one', () => {
    for (const code of Object.keys(NEXT_STEP) as (keyof typeof NEXT_STEP)[])
      expect(errorText(Object.assign(new Error('It failed'), { code }))).toBe(`It failed. ${NEXT_STEP[code]}`);
  });

  it('leaves a message that already says what to do as it is', () => {
    for (const message of [
      '/tmp/out already holds report.html. Choose another folder, or allow overwriting.',
      'No pixel statistics yet: rescan the dataset',
      'Dataset pets is scanning; wait for its scan',
      'Access token missing or wrong: open the URL the server printed.',
    ])
      expect(errorText(new LabError({ name: 'UserError', message }))).toBe(message);
  });

  it('tells how to get a lost web server back', () => {
    expect(errorText(new LabError({ name: 'Offline', message: 'The FixRes Lab server is not reachable' }))).toMatch(
      /not reachable\. Start it again \(`npm run serve` or `fixres serve`\), then reload this page\.$/,
    );
  });
});

describe('every error a view shows goes through errorText', () => {
  const root = join(__dirname, '../../src/renderer/src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : [],
    );

  it('reads no caught error’s message directly (only to recognise a missing row, or a form field’s own message)', () => {
    const offenders = files(root).flatMap((file) => {
      const name = relative(root, file);
      if (name === 'lib/errors.ts' || name === 'state/train-form.svelte.ts') return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/missingRow\(messageOf\(/g, ''), at: `${name}:${i + 1}` }))
        .filter(({ line }) => /\(err(or)? as Error\)\.message|messageOf\(|\berr\.message\b/.test(line))
        .map(({ at }) => at);
    });
    expect(offenders).toEqual([]);
  });
});
