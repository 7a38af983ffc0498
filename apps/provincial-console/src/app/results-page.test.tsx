import { LanguageProvider } from '@kaowu/ui';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResultsPage } from './results-page';

const intake = [
  { venueCode: 'BJ01', roomCode: 'R01', sessionId: 'S1', packageId: 'pkg-BJ01-R01-S1', receivedAt: '2026-05-16T04:05:06.000Z', attempts: 30, answers: 1520 },
];
const scores = [
  { ticketNo: '202605160001', name: '张三', sessionId: 'S1', objectiveScore: 42.5, answered: 48, voided: false },
  { ticketNo: '202605160002', name: '李四', sessionId: 'S1', objectiveScore: 37, answered: 50, voided: false },
  { ticketNo: '202605160003', name: '王五', sessionId: 'S1', objectiveScore: 45, answered: 50, voided: true },
];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderPage() {
  render(
    <LanguageProvider>
      <ResultsPage />
    </LanguageProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('成绩与回收状态', () => {
  it('shows intake and score tables, reports a failed refresh in Chinese and recovers', async () => {
    const fetchMock = vi.fn(async (url: string) => json(url.endsWith('/intake') ? intake : scores));
    vi.stubGlobal('fetch', fetchMock);
    renderPage();

    const intakeTable = within(await screen.findByRole('table', { name: '考场数据回收' }));
    expect(intakeTable.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['考点', '考场', '场次', '包号', '接收时间', '考生数', '作答数']);
    const intakeRow = intakeTable.getAllByRole('row')[1];
    expect(within(intakeRow).getAllByRole('cell').map((td) => td.textContent)).toEqual(['BJ01', 'R01', 'S1', 'pkg-BJ01-R01-S1', '2026/05/16 12:05:06', '30', '1520']);

    const scoreTable = within(screen.getByRole('table', { name: '客观题成绩' }));
    expect(scoreTable.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['准考证号', '姓名', '场次', '客观题得分', '作答题数']);
    expect(scoreTable.getAllByRole('row')).toHaveLength(4);
    expect(within(scoreTable.getAllByRole('row')[1]).getAllByRole('cell').map((td) => td.textContent)).toEqual(['202605160001', '张三', 'S1', '42.5', '48']);
    // 成绩无效 by an incident decision: the raw score is kept for the record, not shown as the score
    expect(within(scoreTable.getAllByRole('row')[3]).getAllByRole('cell').map((td) => td.textContent)).toEqual(['202605160003', '王五', 'S1', '成绩无效（原始分 45）', '50']);
    expect(fetchMock.mock.calls.map((c) => c[0]).sort()).toEqual(['/api/v1/intake', '/api/v1/scores']);

    fetchMock.mockImplementation(async () => json({ code: 'INTERNAL', message: '服务器内部错误', messageEn: 'Internal error' }, 500));
    fireEvent.click(screen.getByRole('button', { name: '刷新' }));
    expect((await screen.findByRole('alert')).textContent).toBe('加载失败：服务器内部错误');
    // the last good data stays visible
    expect(screen.getByText('张三')).toBeTruthy();

    fetchMock.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
    fireEvent.click(await screen.findByRole('button', { name: '刷新' }));
    await screen.findByText('加载失败：无法连接省级服务器，请检查网络后重试');

    fetchMock.mockImplementation(async (url: string) => json(url.endsWith('/intake') ? [] : [{ ...scores[1], objectiveScore: 38 }]));
    fireEvent.click(await screen.findByRole('button', { name: '刷新' }));
    expect(await screen.findByText('尚未收到考场数据包')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText('张三')).toBeNull();
    expect(screen.getByText('38')).toBeTruthy();
  });

  it('rejects data that does not match the contract', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json([{ ticketNo: 'x' }])));
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toBe('加载失败：服务器返回的数据格式不正确');
  });
});
