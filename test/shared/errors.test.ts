import { describe, expect, it } from 'vitest';
import { errorCodeOf, ErrorInfo, LabError, toErrorInfo, userError } from '../../src/shared/errors';

/** An Error as Node and better-sqlite3 make them: a name and a string `code` of their own. */
function systemError(code: string, name = 'Error'): Error {
  return Object.assign(new Error(`${code}: it failed`), { code, name });
}

describe('error codes', () => {
  it('keeps the code a lab error was made with, and Invalid for a user error by default', () => {
    expect(errorCodeOf(userError('Batch too large', 'batchSize'))).toBe('Invalid');
    expect(errorCodeOf(userError('No run with id 3', 'id', 'NotFound'))).toBe('NotFound');
    expect(errorCodeOf(new LabError({ name: 'EngineExited', code: 'Interrupted', message: 'gone' }))).toBe('Interrupted');
  });

  it('reads what the platform’s errors mean: a cancel, a missing file, a machine that refuses', () => {
    const abort = new Error('stopped');
    abort.name = 'AbortError';
    expect(errorCodeOf(abort)).toBe('Cancelled');
    expect(errorCodeOf(systemError('ENOENT'))).toBe('NotFound');
    expect(errorCodeOf(systemError('ENOSPC'))).toBe('Environment');
    expect(errorCodeOf(systemError('EROFS'))).toBe('Environment');
    expect(errorCodeOf(systemError('SQLITE_FULL', 'SqliteError'))).toBe('Environment');
    expect(errorCodeOf(systemError('SQLITE_READONLY_DBMOVED', 'SqliteError'))).toBe('Environment');
    expect(errorCodeOf(systemError('SQLITE_BUSY', 'SqliteError'))).toBe('Busy');
  });

  it('calls anything else Internal, thrown non-errors included', () => {
    expect(errorCodeOf(new TypeError('x is undefined'))).toBe('Internal');
    expect(errorCodeOf(systemError('EWHATEVER'))).toBe('Internal');
    expect(errorCodeOf('a string')).toBe('Internal');
    expect(toErrorInfo(42)).toEqual({ name: 'Error', code: 'Internal', message: '42' });
  });

  it('travels as data that its schema accepts and LabError rebuilds, field included', () => {
    const info = toErrorInfo(userError('Run 4 is already running', 'id', 'Busy'));
    expect(info).toEqual({ name: 'UserError', code: 'Busy', message: 'Run 4 is already running', field: 'id' });
    expect(ErrorInfo.parse(JSON.parse(JSON.stringify(info)))).toEqual(info);
    const rebuilt = new LabError(info);
    expect([rebuilt.name, rebuilt.code, rebuilt.message, rebuilt.field]).toEqual(['UserError', 'Busy', info.message, 'id']);
    expect(ErrorInfo.safeParse({ name: 'X', message: 'm', code: 'Oops' }).success).toBe(false);
  });
});
