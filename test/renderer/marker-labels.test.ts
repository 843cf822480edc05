import { describe, expect, it } from 'vitest';
import { layoutMarkerLabels, MARKER_ROW_PX, markerPadding } from '../../src/renderer/src/components/charts/marker-plugin';

const area = { left: 40, right: 600, top: 60 };
const boxes = (labels: { px: number; width: number }[]) =>
  layoutMarkerLabels(labels, area).map((p, i) => ({ left: p.x, right: p.x + labels[i]!.width, top: p.y, bottom: p.y + MARKER_ROW_PX }));

describe('marker labels (α, K_train, K_test* …)', () => {
  it('sit above the plot area, so they never cover a bar or a line', () => {
    for (const b of boxes([{ px: 300, width: 120 }, { px: 310, width: 120 }, { px: 320, width: 60 }])) {
      expect(b.bottom).toBeLessThanOrEqual(area.top);
      expect(b.top).toBeGreaterThanOrEqual(area.top - markerPadding(3));
    }
  });

  it('take separate rows when they would overlap, and share a row when they do not', () => {
    const crowded = boxes([{ px: 300, width: 120 }, { px: 310, width: 120 }, { px: 320, width: 60 }]);
    for (let i = 0; i < crowded.length; i++)
      for (let j = i + 1; j < crowded.length; j++) {
        const [a, b] = [crowded[i]!, crowded[j]!];
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart, `labels ${i} and ${j} overlap`).toBe(true);
      }
    const spread = boxes([{ px: 100, width: 60 }, { px: 400, width: 60 }]);
    expect(spread[0]!.top).toBe(spread[1]!.top);
  });

  it('flip left of their line near the right edge, and reserve no band without markers', () => {
    expect(boxes([{ px: 590, width: 80 }])[0]!.right).toBeLessThanOrEqual(area.right);
    expect(markerPadding(0)).toBe(4);
  });
});
