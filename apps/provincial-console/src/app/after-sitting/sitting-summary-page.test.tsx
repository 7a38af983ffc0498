import { LanguageProvider } from '@kaowu/ui';
import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SittingSummaryPage } from './sitting-summary-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const counts = (expected: number, present: number, absent: number, voided: number, notReceived = 0) => ({ expected, present, absent, submitted: present, scored: present - voided, voided, notReceived });
const buckets = (counts: number[]) => counts.map((count, i) => ({ from: i * 10, to: (i + 1) * 10, count }));
const summary = {
  sittingCode: 'ZJ2026', generatedAt: '2026-09-08T02:00:00.000Z', regionCode: null,
  totals: counts(32, 27, 3, 2, 2),
  subjects: [
    { subjectCode: 'ZJSW', subjectName: '中级会计实务', sessions: [{ sessionId: 'B1-ZJSW', batchCode: 'B1', startsAt: '2026-09-05T00:30:00.000Z' }, { sessionId: 'B2-ZJSW', batchCode: 'B2', startsAt: '2026-09-06T00:30:00.000Z' }],
      ...counts(14, 12, 2, 2), fullMarks: 100, meanScore: 52.5, distribution: buckets([2, 0, 3, 0, 0, 2, 0, 3, 0, 0]) },
    { subjectCode: 'JJF', subjectName: '经济法', sessions: [{ sessionId: 'B1-JJF', batchCode: 'B1', startsAt: '2026-09-05T05:30:00.000Z' }],
      ...counts(18, 15, 1, 0, 2), fullMarks: 100, meanScore: 40, distribution: buckets([3, 0, 4, 0, 0, 4, 0, 2, 0, 2]) },
  ],
  venues: [{ venueCode: 'V01', venueName: '贵州财经大学考点', regionCode: '520100', ...counts(28, 24, 2, 2, 2) }],
};
const people = {
  total: 1, page: 1, pageSize: 20,
  candidates: [{ ticketNo: '2600000001', name: '考生1', subjects: [
    { subjectCode: 'ZJSW', sessionId: 'B1-ZJSW', venueCode: 'V01', roomCode: 'R01', status: 'voided', score: null },
    { subjectCode: 'JJF', sessionId: 'B1-JJF', venueCode: 'V01', roomCode: 'R01', status: 'scored', score: 75 },
  ] }],
};

afterEach(() => vi.unstubAllGlobals());

describe('成绩汇总', () => {
  it('shows the totals, each subject with its score distribution, the venues, and a voided subject as 成绩无效', async () => {
    const fetchMock = vi.fn(async (url: string) => json(url.includes('/summary') ? summary : people));
    vi.stubGlobal('fetch', fetchMock);
    render(
      <LanguageProvider>
        <SittingSummaryPage sittingCode="ZJ2026" />
      </LanguageProvider>,
    );
    const subjects = within(await screen.findByRole('table', { name: '各科目' }));
    expect(subjects.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['科目', '应考', '实考', '缺考', '交卷', '有效成绩', '成绩无效', '数据未到', '平均分', '满分']);
    expect(within(subjects.getAllByRole('row')[1]).getAllByRole('cell').map((td) => td.textContent)).toEqual(['中级会计实务（B1-ZJSW、B2-ZJSW）', '14', '12', '2', '12', '10', '2', '0', '52.5', '100']);

    const chart = screen.getByRole('img', { name: '经济法 客观题成绩分布' });
    expect(within(chart).getByTestId('bucket-9').textContent).toContain('2');
    expect(within(chart).getByTestId('bucket-9').querySelector('title')?.textContent).toBe('90–100：2 人');
    expect(within(screen.getByRole('table', { name: '各考点' })).getByText('贵州财经大学考点（V01）')).toBeTruthy();

    const result = await screen.findByTestId('result-2600000001-ZJSW');
    expect(result.textContent).toBe('中级会计实务：成绩无效');
    expect(screen.getByTestId('result-2600000001-JJF').textContent).toBe('经济法：75');
    expect(fetchMock.mock.calls.map((c) => c[0]).sort()).toEqual(['/api/v1/sittings/ZJ2026/candidate-results?page=1&pageSize=20', '/api/v1/sittings/ZJ2026/summary']);
  });
});
