import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../src/lab/export/export-csv';
import { legendColumns, lineChartSvg, markerRows, niceTicks, sequentialColor } from '../../../src/lab/export/export-svg';

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

  it('draws dots at the radius a series asks for, and the x axis over a given range', () => {
    const svg = lineChartSvg({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ label: 'big', points: [{ x: 5, y: 0.5, lo: 0.4, hi: 0.6 }], color: '#000000', line: false, dotRadius: 8.5 }],
      xRange: [0, 10],
    });
    expect(svg).toMatch(/<circle [^>]*r="8\.5" fill="#000000" fill-opacity="0\.75">/);
    // 0 … 10 over the 602-px plot from x = 60: the point sits in the middle, and 0 is a tick.
    expect(svg).toContain('<circle cx="361.0"');
    expect(svg).toMatch(/<text x="60\.0" y="\d+" text-anchor="middle">0<\/text>/);
    expect(svg).not.toContain('<polyline');
  });

  it('uses fewer legend columns when labels are long, so legend entries never overlap', () => {
    expect(legendColumns(['#4 trained at 24', '#4 + Fréchet adaptation', '#5 fine-tuned'], 602)).toBe(3);
    const long = ['#9 fine-tuned (bn+classifier, DA1) at 28', '#10 fine-tuned (bn+classifier, DA1) at 24', 'x'];
    expect(legendColumns(long, 602)).toBe(2);
    expect(legendColumns(['a'.repeat(200)], 602)).toBe(1);
    const svg = lineChartSvg({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: long.map((label) => ({ label, points: [{ x: 1, y: 1 }], color: '#000000' })),
    });
    const xs = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+">#(9|10) fine-tuned/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(2);
    expect(Math.abs(xs[1]! - xs[0]!)).toBeGreaterThanOrEqual(28 + long[0]!.length * 6.2);
  });

  it('moves a marker label down a row when it would run into the previous one', () => {
    expect(
      markerRows([
        { px: 100, label: 'K_train 24' },
        { px: 130, label: 'K_test* 28' },
        { px: 400, label: 'K_test 48' },
      ]),
    ).toEqual([0, 1, 0]);
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
