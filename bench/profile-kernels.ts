import * as tf from '@tensorflow/tfjs-core';

export interface KernelTime {
  name: string;
  calls: number;
  /** Process CPU time (all threads), robust to other load on the machine. */
  cpuMs: number;
  wallMs: number;
}

/**
 * Wraps every kernel registered for `backend` with a timer, counting only outermost calls (a
 * composite kernel's inner kernels are inside its time). CPU time comes from process.cpuUsage(),
 * so a busy machine inflates it far less than wall time. Returns the table and an `undo`.
 */
export function timeKernels(backend: string): { table: Map<string, KernelTime>; undo(): void } {
  const table = new Map<string, KernelTime>();
  const originals = tf.getKernelsForBackend(backend);
  let depth = 0;
  for (const config of originals) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      setupFunc: undefined,
      kernelFunc: (args) => {
        if (depth > 0) return inner(args);
        depth++;
        const cpu0 = process.cpuUsage();
        const wall0 = performance.now();
        try {
          return inner(args);
        } finally {
          const cpu = process.cpuUsage(cpu0);
          const entry = table.get(config.kernelName) ?? { name: config.kernelName, calls: 0, cpuMs: 0, wallMs: 0 };
          entry.calls++;
          entry.cpuMs += (cpu.user + cpu.system) / 1000;
          entry.wallMs += performance.now() - wall0;
          table.set(config.kernelName, entry);
          depth--;
        }
      },
    });
  }
  return {
    table,
    undo() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backend);
        tf.registerKernel(config);
      }
    },
  };
}
