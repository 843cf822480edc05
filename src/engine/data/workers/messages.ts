import type { ErrorInfo } from '../../../shared/errors';
import type { DataSpec } from '../../../shared/jobs/data-spec';
import type { CacheOptions } from '../cache/cache-options';

/** What a sample worker is started with. */
export interface WorkerInit {
  spec: DataSpec;
  cache: CacheOptions | null;
}

/** Render these (slot, item index) pairs of one batch into the shared buffer. */
export interface RenderRequest {
  id: number;
  epoch: number;
  /** Flattened pairs: slot in the batch, item index. */
  slots: Int32Array;
  buffer: SharedArrayBuffer;
  stride: number;
}

export type RenderReply = { id: number; ok: true } | { id: number; ok: false; error: ErrorInfo };
