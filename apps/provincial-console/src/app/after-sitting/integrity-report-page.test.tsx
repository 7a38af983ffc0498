import { LanguageProvider } from '@kaowu/ui';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntegrityReportPage } from './integrity-report-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const room = (roomCode: string, state: string, problems: string[]) => ({
  sessionId: 'B1-ZJSW', venueCode: 'V01', roomCode, state, packageId: state === 'missing' ? null : `V01-B1-ZJSW-${roomCode}`, expectedCandidates: 5,
  manifestAttempts: state === 'missing' ? null : 5, importedAttempts: state === 'missing' ? null : 5, manifestAnswers: state === 'missing' ? null : 25, importedAnswers: state === 'missing' ? null : 25,
  chainsVerified: state === 'missing' ? null : true, problems,
});
const report = {
  body: {
    format: 'kaowu.integrity-report', version: 1, sittingCode: 'ZJ2026', provinceKeyId: 'province-ab12', generatedAt: '2026-09-08T02:00:00.000Z', passed: false,
    checks: [
      { code: 'packages', passed: false, message: '1 个考场场次缺少数据包：B1-ZJSW V01/R02', messageEn: '1 room session has no verified package' },
      { code: 'counts', passed: true, message: '各数据包清单的考生数、作答数与入库记录一致', messageEn: 'ok' },
      { code: 'chains', passed: true, message: '全部作答记录的哈希链与最终答案摘要复核一致', messageEn: 'ok' },
      { code: 'roster', passed: false, message: '名册中 5 人次没有考试数据（数据包未到）', messageEn: '5 without data' },
      { code: 'incidents', passed: true, message: '考场记录 0 条，均已作出处理决定', messageEn: 'ok' },
    ],
    rooms: [room('R01', 'verified', []), room('R02', 'missing', ['未收到考场数据包'])],
    roster: { expected: 10, present: 4, absent: 1, unaccounted: 5, unaccountedTickets: ['2600000006'] },
    incidents: { total: 0, decided: 0, open: 0 },
  },
  signature: { alg: 'ed25519', keyId: 'province-ab12', value: 'c2lnbmF0dXJl' },
};

afterEach(() => vi.unstubAllGlobals());

describe('完整性报告', () => {
  it('says it failed, which checks failed and why, and lists the missing room first', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(report)));
    render(
      <LanguageProvider>
        <IntegrityReportPage sittingCode="ZJ2026" />
      </LanguageProvider>,
    );
    expect((await screen.findByTestId('integrity-verdict')).textContent).toBe('完整性检查未通过');
    expect(screen.getByText('省级签名：密钥 province-ab12，生成于 2026/09/08 10:00:00')).toBeTruthy();
    expect(screen.getByTestId('check-packages').textContent).toBe('✗ 未通过考场数据包1 个考场场次缺少数据包：B1-ZJSW V01/R02');
    expect(screen.getByTestId('check-chains').textContent).toContain('✓ 通过');
    expect(screen.getByText('名册 10 人次：实到 4，缺考 1，无数据 5')).toBeTruthy();
    const rows = within(screen.getByRole('table', { name: '考场场次（有问题的排在前面）' })).getAllByRole('row');
    expect(within(rows[1]).getAllByRole('cell').map((td) => td.textContent)).toEqual(['B1-ZJSW', 'V01', 'R02', '缺失', '—', '—', '—', '未收到考场数据包']);
    expect(within(rows[2]).getAllByRole('cell').map((td) => td.textContent)).toEqual(['B1-ZJSW', 'V01', 'R01', '已校验', '5 / 5', '25 / 25', '✓', '—']);
  });

  it('exports a session for the ministry, and says why when the account may not', async () => {
    const fetchMock = vi.fn(async (url: string) =>
      url.includes('/ministry-export') ? json({ code: 'ROLE_FORBIDDEN', message: '此操作只允许省级考办执行', messageEn: 'provincial admin only' }, 403) : json(report),
    );
    vi.stubGlobal('fetch', fetchMock);
    render(
      <LanguageProvider>
        <IntegrityReportPage sittingCode="ZJ2026" />
      </LanguageProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: '导出 B1-ZJSW' }));
    expect(await screen.findByText('此操作只允许省级考办执行')).toBeTruthy();
    expect(fetchMock.mock.calls.map((c) => c[0])).toContain('/api/v1/sessions/B1-ZJSW/ministry-export');
  });
});
