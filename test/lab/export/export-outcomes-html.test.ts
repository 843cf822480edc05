import { describe, expect, it } from 'vitest';
import { keyOutcomes, outcomesHtml, shownMistakeImageIds } from '../../../src/lab/export/export-outcomes-html';
import { perClassAccuracy, type OutcomeWithMistakes } from '../../../src/lab/outcomes/outcome-views';

const classNames = ['cat', '<dog>'];
function point(runId: number, kTest: number, source: 'training' | 'sweep', confusion: number[][]): OutcomeWithMistakes {
  const n = confusion.flat().reduce((a, b) => a + b, 0);
  const correct = confusion[0]![0]! + confusion[1]![1]!;
  return {
    runId,
    kTest,
    adapter: 'none',
    source,
    series: 'baseline',
    label: `#${runId} trained at 24`,
    n,
    correct,
    top1: correct / n,
    createdAt: '2026-12-07T00:00:00Z',
    classNames,
    confusion,
    perClass: perClassAccuracy(classNames, confusion),
    mistakes: [{ imageId: 3, relPath: 'val/cat/a<1>.png', trueClass: 0, predictedClass: 1, confidence: 0.875 }],
    mistakesTotal: confusion[0]![1]! + confusion[1]![0]!,
  };
}

describe('the HTML report’s “where the models are wrong”', () => {
  const training = point(1, 24, 'training', [
    [3, 1],
    [2, 4],
  ]);
  const worse = point(1, 16, 'sweep', [
    [1, 3],
    [3, 3],
  ]);
  const best = point(1, 32, 'sweep', [
    [4, 0],
    [1, 5],
  ]);

  it('shows a matrix for each run’s last validation and each series’ best K_test, not for every swept point', () => {
    expect(keyOutcomes([worse, training, best])).toEqual([training, best]);
  });

  it('puts per-class accuracy side by side, each matrix with its totals, and the mistakes, escaping names and paths', () => {
    const html = outcomesHtml([worse, training, best]);
    expect(html).toContain('<caption>Per-class top-1 accuracy</caption>');
    expect(html).toContain('<tr><th>cat</th><td>75.0%</td><td>100.0%</td></tr>');
    expect(html).toContain('<th>&lt;dog&gt;</th>');
    expect(html).toContain('#1 trained at 24 at K_test 24 (last validation), 7 of 10 right (70.0%)');
    expect(html).toContain('<tr><th>cat</th><td class="diag">3</td><td>1</td></tr>');
    expect(html).toContain('<td>val/cat/a&lt;1&gt;.png</td><td>cat</td><td>&lt;dog&gt;</td><td>87.5%</td>');
    expect(html).not.toContain('K_test 16');
  });

  it('shows a thumbnail of each mistake it lists, fetched for the shown images only, and never a URL that is not image data', () => {
    const many = {
      ...best,
      mistakes: Array.from({ length: 20 }, (_, i) => ({
        imageId: i === 1 ? 3 : i < 19 ? 100 + i : null,
        relPath: `val/cat/${i}.png`,
        trueClass: 0,
        predictedClass: 1,
        confidence: 0.9,
      })),
    };
    // The key points' listed mistakes (12 each), each image once: the swept-over point's are not shown.
    const ids = shownMistakeImageIds([worse, training, many]);
    expect(ids).toEqual([3, 100, ...Array.from({ length: 10 }, (_, i) => 102 + i)]);
    const webp = 'data:image/webp;base64,UklGRhoAAABXRUJQVlA4=';
    const html = outcomesHtml(
      [worse, training, many],
      new Map([
        [3, webp],
        [100, webp],
        [102, 'https://example.com/x.png'],
        [103, 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='],
      ]),
    );
    // Each image's data once, used by every row that shows it (image 3 is a mistake at two points).
    expect(html.match(/<image id="thumb-\d+" href="data:image\/webp;base64,[^"]+"/g)).toEqual([
      `<image id="thumb-3" href="${webp}"`,
      `<image id="thumb-100" href="${webp}"`,
    ]);
    const thumb = (id: number, path: string) =>
      `<td><svg class="thumb" viewBox="0 0 64 64" role="img" aria-label="${path}"><use href="#thumb-${id}"/></svg> ${path}</td>`;
    expect(html).toContain(thumb(3, 'val/cat/a&lt;1&gt;.png'));
    expect(html).toContain(thumb(100, 'val/cat/0.png'));
    expect(html.match(/<use href="#thumb-3"\/>/g)).toHaveLength(2);
    expect(html.match(/<use /g)).toHaveLength(3);
    // No thumbnail where none was given, nor where it was not image data.
    expect(html).toContain(thumb(3, 'val/cat/1.png'));
    expect(html).toContain('<td>val/cat/2.png</td>');
    expect(html).toContain('<td>val/cat/3.png</td>');
    expect(html).toContain('<td>val/cat/4.png</td>');
    expect(html).not.toContain('example.com');
    expect(html).not.toContain('svg+xml');
  });

  it('says how to get a matrix when none was stored', () => {
    expect(outcomesHtml([])).toMatch(/No confusion matrix was stored \(run a sweep/);
  });
});
