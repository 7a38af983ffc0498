import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderScreen } from '../console-test-kit';
import { StaffTokensPage } from './staff-tokens-page';

const token = (tokenId: string, label: string, status: string, extra: object = {}) => ({
  tokenId, label, role: 'auditor', regionCode: null, issuedAt: '2026-07-01T02:00:00.000Z', issuedBy: 'provincial-admin@localhost', revokedAt: null,
  expiresAt: '2026-07-31T02:00:00.000Z', status, ...extra,
});

afterEach(() => vi.unstubAllGlobals());

describe('账号与令牌', () => {
  it('issues a municipal admin token for a region and shows the secret once', async () => {
    let list: object[] = [token('st_1', '省审计 李四', 'expired')];
    const issued = { ...token('st_2', '贵阳市考办 张三', 'active'), role: 'municipal-admin', regionCode: '520100', token: 'kws_abc_SECRET' };
    const calls = fakeServer([
      ['GET /api/v1/regions', () => json([{ regionCode: '520100', name: '贵阳市' }])],
      ['GET /api/v1/staff-tokens', () => json(list)],
      ['POST /api/v1/staff-tokens', () => ((list = [...list, issued]), json(issued))],
    ]);
    renderScreen(<StaffTokensPage canIssue />);
    const expired = (await screen.findByText('省审计 李四')).closest('tr') as HTMLElement;
    expect(within(expired).getByText('已过期')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('使用人（姓名、单位）'), { target: { value: '贵阳市考办 张三' } });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '地区' }));
    fireEvent.click(await screen.findByText('贵阳市（520100）'));
    fireEvent.change(screen.getByLabelText('有效期（天）'), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: '签发令牌' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('issued-token').textContent).toContain('kws_abc_SECRET');
    expect(within(dialog).getByText(/令牌只显示这一次/)).toBeTruthy();
    expect(calls.find((c) => c.call === 'POST /api/v1/staff-tokens')?.body).toEqual({ label: '贵阳市考办 张三', role: 'municipal-admin', regionCode: '520100', validDays: 7 });
    fireEvent.click(within(dialog).getByRole('button', { name: '我已保存，关闭' }));
    await waitFor(() => expect(document.body.textContent).not.toContain('kws_abc_SECRET'));
    // the list has it, without its secret
    const row = (await screen.findByText('贵阳市考办 张三')).closest('tr') as HTMLElement;
    expect(within(row).getByText('有效')).toBeTruthy();
  });

  it('lets the auditor read the tokens but not issue or revoke', async () => {
    fakeServer([['GET /api/v1/regions', () => json([])], ['GET /api/v1/staff-tokens', () => json([token('st_1', '省审计 李四', 'active')])]]);
    renderScreen(<StaffTokensPage canIssue={false} />);
    expect(await screen.findByText('省审计 李四')).toBeTruthy();
    expect(screen.getByText('审计账号只能查看令牌，不能签发或吊销。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '签发令牌' })).toBeNull();
    expect(screen.queryByRole('button', { name: '吊销' })).toBeNull();
  });
});
