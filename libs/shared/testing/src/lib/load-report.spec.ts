import { loadChartHtml, percentile, sortedSample } from './load-report';

describe('load report', () => {
  it('takes nearest-rank percentiles', () => {
    const s = sortedSample(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile(new Float64Array(), 99)).toBe(0);
  });
  it('draws one chart per measure with the summary table', () => {
    const html = loadChartHtml('压力测试', [{ second: 0, saves: 10, errors: 0, p50: 1, p99: 3, cpuPercent: 50, rssMb: 100 }], { candidates: 5 });
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('<th>candidates</th><td>5</td>');
  });
});
