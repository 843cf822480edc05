import { toErrorInfo, type ErrorInfo } from '../../shared/errors';

/** What V8, tfjs and the wasm runtime throw when an allocation fails. */
const ALLOCATION_FAILED =
  /array buffer allocation failed|invalid typed array length|invalid array buffer length|memory\.grow|out of memory|\bOOM\b/i;

/** A job's failure as data; a failed allocation is named as running out of memory, with what to do about it. */
export function jobErrorInfo(err: unknown): ErrorInfo {
  const info = toErrorInfo(err);
  if (!ALLOCATION_FAILED.test(info.message)) return info;
  return {
    name: 'OutOfMemory',
    code: 'Environment',
    message: `The engine ran out of memory (${info.message}). Lower the batch size or K, or free memory.`,
  };
}
