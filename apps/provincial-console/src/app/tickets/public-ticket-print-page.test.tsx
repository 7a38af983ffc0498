import { fireEvent, screen } from '@testing-library/react';
import { formatDateTime } from '@kaowu/ui';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderScreen } from '../console-test-kit';
import { PublicTicketPrintPage } from './public-ticket-print-page';

afterEach(() => vi.unstubAllGlobals());

describe('网上打印准考证 (public page)', () => {
  it('says when printing opens and keeps the button off until then', async () => {
    fakeServer([['GET /api/v1/ticket-printing', () => json([{ sittingCode: 'ZJ2026', name: '2026年度中级会计资格', opensAt: '2026-08-20T02:00:00.000Z', open: false }])]]);
    renderScreen(<PublicTicketPrintPage />);
    expect(await screen.findByText(`准考证打印将于 ${formatDateTime('2026-08-20T02:00:00.000Z')}（北京时间）开放`)).toBeTruthy();
    expect((screen.getByRole('button', { name: '打印准考证' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for the ID number and name and shows the server’s refusal (too many lookups)', async () => {
    const calls = fakeServer([
      ['GET /api/v1/ticket-printing', () => json([{ sittingCode: 'ZJ2026', name: '2026年度中级会计资格', opensAt: '2026-08-20T02:00:00.000Z', open: true }])],
      ['GET /api/v1/sittings/ZJ2026/tickets', () => json({ code: 'RATE_LIMITED', message: '查询过于频繁，请 6 秒后再试', messageEn: 'too many lookups', details: { retryAfterSeconds: 6 } }, 429)],
    ]);
    vi.stubGlobal('open', vi.fn(() => null));
    renderScreen(<PublicTicketPrintPage />);
    fireEvent.click(await screen.findByRole('button', { name: '打印准考证' }));
    expect(await screen.findByText('请输入证件号码')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('证件号码'), { target: { value: '52010219900101001x' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: ' 考生1 ' } });
    fireEvent.click(screen.getByRole('button', { name: '打印准考证' }));
    expect((await screen.findByRole('alert')).textContent).toContain('查询过于频繁，请 6 秒后再试');
    expect(calls.map((c) => c.call)).toContain(`GET /api/v1/sittings/ZJ2026/tickets?idNo=52010219900101001X&name=${encodeURIComponent('考生1')}`);
  });
});
