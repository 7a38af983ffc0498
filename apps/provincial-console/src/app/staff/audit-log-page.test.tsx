import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderScreen } from '../console-test-kit';
import { AuditLogPage } from './audit-log-page';

const event = (id: number, action: string, actor = 'provincial-admin@localhost') => ({ id, at: '2026-07-01T02:00:00.000Z', actor, action, subject: 'ZJ2026', reason: null, details: { placements: 3 } });

afterEach(() => vi.unstubAllGlobals());

describe('操作日志', () => {
  it('pages the log from the server and filters by actor, action and time (Beijing)', async () => {
    const calls = fakeServer([
      ['GET /api/v1/audit-log/actions', () => json(['allocation.run', 'venue.planning_set'])],
      ['GET /api/v1/audit-log?', (_, url) => json({ total: 41, page: 1, pageSize: 20, events: url?.includes('actor=') ? [event(7, 'venue.planning_set', '贵阳市考办 张三')] : [event(9, 'allocation.run')] })],
    ]);
    renderScreen(<AuditLogPage />);
    const row = (await screen.findByText('allocation.run')).closest('tr') as HTMLElement;
    expect(within(row).getByText('provincial-admin@localhost')).toBeTruthy();
    expect(screen.getByText('共 41 条')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('操作人'), { target: { value: '张三' } });
    fireEvent.change(screen.getByLabelText('开始时间'), { target: { value: '2026-07-01 08:00' } });
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    expect(await screen.findByText('贵阳市考办 张三')).toBeTruthy();
    await waitFor(() => expect(calls.map((c) => c.call)).toContain(`GET /api/v1/audit-log?page=1&pageSize=20&actor=${encodeURIComponent('张三')}&from=${encodeURIComponent('2026-07-01T00:00:00.000Z')}`));
  });
});
