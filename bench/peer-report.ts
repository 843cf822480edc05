import { median } from './peer-workload';

/** One measurement, as the tfjs and PyTorch children print it. */
export interface PeerRow {
  engine: 'tfjs' | 'pytorch';
  backend: string;
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
    const key = [row.engine, row.backend, row.threads, row.k, row.batch].join('|');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const { repeat: _, ...first } = group[0]!;
    const merged: PeerRow = { ...first, repeats: group.length };
    for (const rate of RATES) merged[rate] = median(group.map((g) => g[rate]));
    return merged;
  });
}

const fmt = (n: number | undefined) => (n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** The table: img/s per engine, then tfjs/PyTorch ratios at equal threads and K. */
export function formatPeerTable(rows: PeerRow[]): string {
  const lines = ['engine   backend     thr    K  train img/s  eval img/s   (CPU-time: train  eval)  peak RSS MB'];
  for (const r of [...rows].sort((a, b) => a.k - b.k || a.threads - b.threads || a.engine.localeCompare(b.engine))) {
    lines.push(
      `${r.engine.padEnd(9)}${r.backend.padEnd(12)}${String(r.threads).padStart(3)}${String(r.k).padStart(5)}` +
        `${fmt(r.train_img_s).padStart(13)}${fmt(r.eval_img_s).padStart(12)}` +
        `${fmt(r.train_cpu_img_s).padStart(18)}${fmt(r.eval_cpu_img_s).padStart(7)}${fmt(r.peak_rss_mb).padStart(13)}`,
    );
  }
  const ratios = ['', 'tfjs wasm / PyTorch at equal threads (targets: train ≥ 0.20, eval ≥ 1.00 at 1 thread)'];
  for (const w of rows.filter((r) => r.engine === 'tfjs' && r.backend === 'wasm')) {
    const p = rows.find((r) => r.engine === 'pytorch' && r.threads === w.threads && r.k === w.k && r.batch === w.batch);
    if (!p) continue;
    ratios.push(
      `  K=${w.k} ${w.threads} thread${w.threads > 1 ? 's' : ''}: train ${(w.train_img_s / p.train_img_s).toFixed(2)}, eval ${(w.eval_img_s / p.eval_img_s).toFixed(2)}` +
        `   (CPU-time: train ${(w.train_cpu_img_s / p.train_cpu_img_s).toFixed(2)}, eval ${(w.eval_cpu_img_s / p.eval_cpu_img_s).toFixed(2)})`,
    );
  }
  return [...lines, ...ratios].join('\n');
}
