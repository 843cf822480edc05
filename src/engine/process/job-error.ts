import { toErrorInfo, type ErrorInfo } from '../../shared/errors';

/** What V8, tfjs and the wasm runtime throw when an allocation fails. */
const ALLOCATION_FAILED =
  /array buffer allocation failed|invalid typed array length|invalid array buffer length|memory\.grow|out of memory|\bOOM\b|cannot enlarge memory/i;
/**
 * What a trapped or aborted WebAssembly module says. tfjs-backend-wasm does not check malloc: when its
 * 4 GB heap cannot grow, a kernel writes through a null pointer and traps "memory access out of bounds".
 */
const WASM_MEMORY_TRAP = /memory access out of bounds|Aborted\(OOM\)/i;

/** Whether an error is a WebAssembly trap or abort: the module that raised it cannot be trusted again. */
export function isWasmTrap(err: unknown): boolean {
  // WebAssembly.RuntimeError's name; the global is not in the Node typings this project builds with.
  const { name, message } = toErrorInfo(err);
  // Wrapped errors ("The checkpoint … cannot be read: memory access out of bounds") keep the trap's words.
  return name === 'RuntimeError' || WASM_MEMORY_TRAP.test(message) || /\bAborted\(/.test(message);
}

/** Whether an error means memory ran out: a failed allocation, or a wasm trap of the kind a full heap causes. */
export function isOutOfMemory(err: unknown): boolean {
  const { message } = toErrorInfo(err);
  return ALLOCATION_FAILED.test(message) || WASM_MEMORY_TRAP.test(message);
}

/**
 * A job's failure as data. Running out of memory is named OutOfMemory with what to do; any other
 * WebAssembly trap is EngineTrapped. After either the lab replaces the engine process
 * (ENGINE_BROKEN_ERRORS), which the message says.
 */
export function jobErrorInfo(err: unknown): ErrorInfo {
  const info = toErrorInfo(err);
  if (info.name === 'OutOfMemory') return { ...info, code: 'Environment' };
  if (isOutOfMemory(err)) {
    return {
      name: 'OutOfMemory',
      code: 'Environment',
      message: `The engine ran out of memory (${info.message}). Lower the batch size or K, or free memory; the engine was restarted.`,
    };
  }
  if (isWasmTrap(err)) {
    return {
      name: 'EngineTrapped',
      code: 'Internal',
      message: `The engine's WebAssembly runtime failed (${info.message}); the engine was restarted. Try again, or report it if it repeats.`,
    };
  }
  return info;
}
