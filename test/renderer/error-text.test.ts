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
      expect(errorText(new LabError({ name: 'UserError', message, code: 'Invalid' }))).toBe(message);
  });

  it('tells how to get a lost web server back', () => {
    expect(
      errorText(new LabError({ name: 'Offline', message: 'The FixRes Lab server is not reachable', code: 'Environment' })),
    ).toMatch(/not reachable\. Start it again \(`npm run serve` or `fixres serve`\), then reload this page\.$/);
  });
});
