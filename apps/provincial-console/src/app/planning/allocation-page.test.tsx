import { LanguageProvider } from '@kaowu/ui';
import { ConfigProvider } from 'antd';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AllocationPage } from './allocation-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const room = (roomCode: string, placed: number, fillRate: number) => ({
  batchCode: 'B1', venueCode: 'V01', roomCode, region: '520100', seats: 20, spares: 1, capacity: 19, placed: { ZJSW: placed }, fillRate,
  proctorsRequired: { min: 2, max: 2 }, proctorsAssigned: 2, staffing: 'ok',
});
const report = {
  sittingCode: 'ZJ2026', runAt: '2026-07-01T02:00:00.000Z', candidates: 40, placements: 38, kept: 0, moved: 0, splitAcrossVenues: 0,
  unplaced: [{ idNo: '520102199001010011', name: '考生9', region: '520100', subjectCode: 'ZJSW', reason: 'REGION_FULL' }],
  rooms: [room('R01', 19, 1), room('R02', 19, 1)],
};

afterEach(() => vi.unstubAllGlobals());

describe('考场编排', () => {
  it('runs the allocation and shows fill rates and the unplaced with their reason', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push(`${init?.method ?? 'GET'} ${url}`);
        return init?.method === 'POST' ? json(report) : json({ code: 'NOT_FOUND', message: '考试计划 ZJ2026 尚未编排考场', messageEn: 'not allocated' }, 404);
      }),
    );
    render(
      <LanguageProvider>
        {/* as in the console: no space inserted between two Chinese characters of a button */}
        <ConfigProvider button={{ autoInsertSpace: false }}>
          <AllocationPage sittingCode="ZJ2026" canRun />
        </ConfigProvider>
      </LanguageProvider>,
    );
    expect(await screen.findByText('尚未编排考场')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '运行编排' }));

    const chart = await screen.findByRole('img', { name: '考场使用率' });
    expect(within(chart).getByTestId('fill-B1-V01-R01').textContent).toContain('100.0%');
    const unplaced = screen.getByRole('cell', { name: '考生9' }).closest('tr') as HTMLElement;
    expect(within(unplaced).getAllByRole('cell').map((c) => c.textContent)).toEqual(['520102199001010011', '考生9', '520100', 'ZJSW', '本地区考场已满']);
    expect(calls).toEqual(['GET /api/v1/sittings/ZJ2026/allocation', 'POST /api/v1/sittings/ZJ2026/allocation']);
  });
});
