import { describe, expect, it } from 'vitest';
import { formatPeerTable, summarise, type PeerRow } from '../../bench/peer-report';

const row = (engine: PeerRow['engine'], threads: number, train: number, evalRate: number, repeat: number): PeerRow => ({
  engine,
  backend: engine === 'tfjs' ? 'wasm' : 'cpu',
  threads,
  k: 32,
  batch: 32,
  train_img_s: train,
  eval_img_s: evalRate,
  train_cpu_img_s: train,
  eval_cpu_img_s: evalRate,
  peak_rss_mb: 300,
  repeat,
});

describe('peer benchmark report', () => {
  it('takes the median over repeats per engine, threads and K', () => {
    const rows = summarise([
      row('tfjs', 1, 100, 800, 0),
      row('tfjs', 1, 300, 900, 1),
      row('tfjs', 1, 200, 100, 2),
      row('pytorch', 1, 1000, 2000, 0),
    ]);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.engine === 'tfjs')).toMatchObject({ train_img_s: 200, eval_img_s: 800, repeats: 3 });
    expect(rows.find((r) => r.engine === 'tfjs')).not.toHaveProperty('repeat');
  });

  it('prints the tfjs/PyTorch ratio only between equal thread counts', () => {
    const table = formatPeerTable(
      summarise([row('tfjs', 1, 200, 900, 0), row('pytorch', 1, 1000, 1800, 0), row('tfjs', 2, 300, 1500, 0)]),
    );
    expect(table).toContain('resnet-mini K=32 1 thread: train 0.20, eval 0.50');
    expect(table).not.toContain('K=32 2 threads');
  });

  it('prints the ONNX Runtime/PyTorch evaluation ratio per network, never across networks', () => {
    const ortRow = (arch: string, evalRate: number): PeerRow => ({ ...row('onnxruntime', 1, 0, evalRate, 0), arch, k: 224 });
    const torchRow = (arch: string, evalRate: number): PeerRow => ({ ...row('pytorch', 1, 0, evalRate, 0), arch, k: 224 });
    const table = formatPeerTable(summarise([ortRow('resnet18', 40), torchRow('resnet18', 20), ortRow('resnet50', 12)]));
    expect(table).toContain('resnet18 K=224 1 thread: eval 2.00');
    expect(table).not.toContain('resnet50 K=224 1 thread: eval');
  });
});
