import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/lab/export-csv';
import { lineChartSvg, niceTicks, sequentialColor } from '../../src/lab/export-svg';

describe('report charts and CSV', () => {
  it('picks round ticks of 1, 2 or 5 × 10^k covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(11.3, 48.7, 8)).toEqual([15, 20, 25, 30, 35, 40, 45]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('draws every series with escaped labels, markers and a legend, and nothing executable', () => {
    const svg = lineChartSvg({
      title: 'a <b> & "c"',
      xLabel: 'K_test',
      yLabel: 'top-1',
      series: [
        {
          label: 'x<script>',
          points: [
            { x: 8, y: 0.5 },
            { x: 16, y: 0.7 },
          ],
          color: '#000000',
        },
        { label: 'y', points: [{ x: 8, y: 0.4 }], color: '#ff0000', dashed: true },
      ],
      markers: [{ x: 12, label: 'K_train 12' }],
      integerX: true,
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<script');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('K_train 12');
  });

  it('quotes CSV fields holding commas, quotes or line breaks, and leaves nulls empty', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [null, 3],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n,3\r\n');
  });

  it('spreads ordered series along viridis', () => {
    expect(sequentialColor(0, 5)).toBe('#440154');
    expect(new Set([0, 1, 2, 3, 4].map((i) => sequentialColor(i, 5))).size).toBe(5);
  });
});
