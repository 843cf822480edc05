import { median } from './peer-workload';

/** One measurement, as the tfjs and PyTorch children print it. */
export interface PeerRow {
  engine: 'tfjs' | 'pytorch' | 'onnxruntime';
  backend: string;
  /** The network (absent in rows of older runs: resnet-mini). */
  arch?: string;
  threads: number;
  k: number;
  batch: number;
  train_img_s: number;
  eval_img_s: number;
  train_cpu_img_s: number;
  eval_cpu_img_s: number;
  peak_rss_mb: number;
  repeat?: number;
  repeats?: number;
}

const RATES = ['train_img_s', 'eval_img_s', 'train_cpu_img_s', 'eval_cpu_img_s', 'peak_rss_mb'] as const;

/** Median over repeats of each rate, per (engine, backend, threads, k, batch). */
export function summarise(rows: PeerRow[]): PeerRow[] {
  const groups = new Map<string, PeerRow[]>();
  for (const row of rows) {
    const key = [row.engine, row.backend, archOf(row), row.threads, row.k, row.batch].join('|');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const { repeat: _, ...first } = group[0]!;
    const merged: PeerRow = { ...first, repeats: group.length };
    for (const rate of RATES) merged[rate] = median(group.map((g) => g[rate]));
    return merged;
  });
}

const archOf = (r: PeerRow) => r.arch ?? 'resnet-mini';

const fmt = (n: number | undefined) => (n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** The table: img/s per engine, then tfjs wasm/PyTorch and ONNX Runtime/PyTorch ratios at equal network, threads and K. */
export function formatPeerTable(rows: PeerRow[]): string {
  const lines = ['engine       backend  arch          thr    K  train img/s  eval img/s   (CPU-time: train  eval)  peak RSS MB'];
  const order = (a: PeerRow, b: PeerRow) =>
    archOf(a).localeCompare(archOf(b)) || a.k - b.k || a.threads - b.threads || a.engine.localeCompare(b.engine);
  for (const r of [...rows].sort(order)) {
    lines.push(
      `${r.engine.padEnd(13)}${r.backend.padEnd(9)}${archOf(r).padEnd(12)}${String(r.threads).padStart(5)}${String(r.k).padStart(5)}` +
        `${(r.train_img_s ? fmt(r.train_img_s) : '—').padStart(13)}${fmt(r.eval_img_s).padStart(12)}` +
        `${(r.train_cpu_img_s ? fmt(r.train_cpu_img_s) : '—').padStart(18)}${fmt(r.eval_cpu_img_s).padStart(7)}${fmt(r.peak_rss_mb).padStart(13)}`,
    );
  }
  const peerOf = (w: PeerRow) =>
    rows.find(
      (r) => r.engine === 'pytorch' && archOf(r) === archOf(w) && r.threads === w.threads && r.k === w.k && r.batch === w.batch,
    );
  const plural = (t: number) => `${t} thread${t > 1 ? 's' : ''}`;
  const wasm = ['', 'tfjs wasm / PyTorch at equal threads (targets: train ≥ 0.20, eval ≥ 1.00 at 1 thread)'];
  for (const w of rows.filter((r) => r.engine === 'tfjs' && r.backend === 'wasm').sort(order)) {
    const p = peerOf(w);
    if (!p) continue;
    wasm.push(
      `  ${archOf(w)} K=${w.k} ${plural(w.threads)}: train ${(w.train_img_s / p.train_img_s).toFixed(2)}, eval ${(w.eval_img_s / p.eval_img_s).toFixed(2)}` +
        `   (CPU-time: train ${(w.train_cpu_img_s / p.train_cpu_img_s).toFixed(2)}, eval ${(w.eval_cpu_img_s / p.eval_cpu_img_s).toFixed(2)})`,
    );
  }
  const ort = ['', 'ONNX Runtime / PyTorch evaluation at equal threads (target: ≥ 1.00 at 1 thread, resnet18 K=224)'];
  for (const o of rows.filter((r) => r.engine === 'onnxruntime').sort(order)) {
    const p = peerOf(o);
    if (!p) continue;
    ort.push(
      `  ${archOf(o)} K=${o.k} ${plural(o.threads)}: eval ${(o.eval_img_s / p.eval_img_s).toFixed(2)}` +
        `   (CPU-time: eval ${(o.eval_cpu_img_s / p.eval_cpu_img_s).toFixed(2)})`,
    );
  }
  return [...lines, ...(wasm.length > 2 ? wasm : []), ...(ort.length > 2 ? ort : [])].join('\n');
}
