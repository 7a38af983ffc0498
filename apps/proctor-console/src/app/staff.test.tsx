import type { EnvironmentReport, ExtensionRequest, StaffSession, ChiefOverview } from '@kaowu/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProctorRoom } from './proctor-room';
import { bootConsole, roomPush, seat } from './test-support';

let room: ProctorRoom | undefined;
afterEach(() => {
  room?.stop();
  vi.unstubAllGlobals();
});

const session = (role: StaffSession['role']): StaffSession => ({ token: 't'.repeat(43), staffNo: role === 'chief' ? 'V001-ZK01' : 'V001-JS01', role, name: role === 'chief' ? '王明' : '李强', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
const request: ExtensionRequest = {
  requestId: 'X1',
  attemptId: 'A1',
  roomCode: 'R01',
  seatNo: 3,
  candidateName: '张三',
  ticketNo: '202605160001',
  minutes: 20,
  reason: '考点停电',
  requestedBy: 'proctor:R01',
  requestedAt: new Date().toISOString(),
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
};
const overview: ChiefOverview = {
  venueName: '第一考点',
  sessionId: 'S1',
  phase: 'in_progress',
  serverTime: new Date().toISOString(),
  rooms: [{ roomCode: 'R01', name: '第一考场', expected: 30, loggedIn: 28, answering: 27, submitted: 1, absent: 2, machinesOnline: 28, incidents: 1, pendingExtensions: 1 }],
  extensionRequests: [request],
};

/** The venue's REST API as the console sees it: one answer per path. */
function stubApi(routes: Record<string, (init?: RequestInit) => { status?: number; body: unknown }>) {
  const calls: { path: string; init?: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const path = url.replace('/api/v1', '');
    calls.push({ path, init });
    const route = routes[path];
    const answer = route ? route(init) : { status: 404, body: { code: 'NOT_FOUND', message: '无此接口', messageEn: 'not found' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

async function signInAs(role: '主考' | '技术负责人', staffNo: string) {
  await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
  fireEvent.click(screen.getByRole('radio', { name: role }));
  fireEvent.change(screen.getByLabelText('工号'), { target: { value: staffNo } });
  fireEvent.change(screen.getByLabelText('登录口令'), { target: { value: 'abcdef123456' } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('sign-in by role', () => {
  it('主考: the venue overview live, a 补时 request approved with an opinion, then any room opened', async () => {
    const calls = stubApi({ '/staff/sign-in': () => ({ status: 201, body: session('chief') }) });
    const booted = bootConsole(null);
    room = booted.room;
    booted.socket.handlers['chief:join'] = () => ({ ok: true, data: overview });
    booted.socket.handlers['chief:decide-extension'] = (d) => ({ ok: true, data: { ...request, status: 'approved', decidedBy: 'chief:V001-ZK01', decisionNote: (d as { note: string }).note } });
    booted.socket.handlers['chief:open-room'] = () => ({ ok: true, data: roomPush([seat(1, 1, 1, {}), seat(2, 1, 2, {})]) });
    await signInAs('主考', 'V001-ZK01');

    const approvals = within(await screen.findByTestId('approvals'));
    expect(calls[0]).toMatchObject({ path: '/staff/sign-in' });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ staffNo: 'V001-ZK01', accessCode: 'abcdef123456' });
    expect(booted.socket.sentOf('chief:join')).toEqual([{ token: session('chief').token }]);
    expect(screen.getByTestId('signed-in').textContent).toBe('主考 王明（V001-ZK01）');
    expect(approvals.getByText('R01 考场 3 号座位 张三：申请补时 20 分钟')).toBeTruthy();

    fireEvent.click(approvals.getByRole('button', { name: '批准' }));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: '确认' }));
    expect(await dialog.findByText('请填写审批意见（至少 2 个字）')).toBeTruthy();
    expect(booted.socket.sentOf('chief:decide-extension')).toEqual([]);
    fireEvent.change(dialog.getByLabelText('审批意见'), { target: { value: '情况属实' } });
    fireEvent.click(dialog.getByRole('button', { name: '确认' }));
    await waitFor(() => expect(booted.socket.sentOf('chief:decide-extension')).toEqual([{ requestId: 'X1', approve: true, note: '情况属实' }]));
    expect(await screen.findByText('已批准：张三 补时 20 分钟，已通知考试机')).toBeTruthy();

    // the next overview push shows it decided
    act(() => booted.socket.push('chief:overview', { ...overview, rooms: [{ ...overview.rooms[0], pendingExtensions: 0 }], extensionRequests: [{ ...request, status: 'approved', decisionNote: '情况属实' }] }));
    expect(await screen.findByText('暂无待审批的补时申请')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '进入 R01' }));
    await screen.findByTestId('seat-1');
    expect(booted.socket.sentOf('chief:open-room')).toEqual([{ roomCode: 'R01' }]);
    booted.socket.handlers['chief:leave-room'] = () => ({ ok: true, data: overview });
    fireEvent.click(screen.getByRole('button', { name: '返回考点总览' }));
    expect(await screen.findByTestId('approvals')).toBeTruthy();
  });

  it('a 工号 signed in under the wrong role is refused with what to do', async () => {
    stubApi({ '/staff/sign-in': () => ({ status: 201, body: session('chief') }) });
    const booted = bootConsole(null);
    room = booted.room;
    await signInAs('技术负责人', 'V001-ZK01');
    expect((await screen.findByRole('alert')).textContent).toBe('该工号不是技术负责人，请选择正确的身份');
    expect(screen.queryByText('考点技术管理')).toBeNull();
  });

  it('技术负责人: the environment report with pass/fail, and 封场 kept disabled while a check fails', async () => {
    const report: EnvironmentReport = {
      venueCode: 'V001',
      checkedAt: new Date().toISOString(),
      passed: false,
      checks: [
        { code: 'database', label: '数据库', ok: true, detail: 'PostgreSQL 可写' },
        { code: 'backup', label: '答题备份盘', ok: false, detail: '备份目录与数据盘在同一设备上' },
      ],
      machines: [{ machineId: 'M-R01-001', roomCode: 'R01', seatNo: 1, attested: true, clockSkewMs: 12, ok: true }],
      sealed: null,
    };
    const calls = stubApi({
      '/staff/sign-in': () => ({ status: 201, body: session('technician') }),
      '/technician/environment': () => ({ body: report }),
      '/technician/packages': () => ({ body: [] }),
      '/technician/stress-tests/latest': () => ({ body: null }),
    });
    const booted = bootConsole(null);
    room = booted.room;
    await signInAs('技术负责人', 'V001-JS01');
    expect(await screen.findByText('有检查项未通过，请按说明处理后重新检查')).toBeTruthy();
    expect(screen.getByText('备份目录与数据盘在同一设备上')).toBeTruthy();
    expect(screen.getByText('M-R01-001')).toBeTruthy();
    expect(calls.find((c) => c.path === '/technician/environment')?.init?.headers).toMatchObject({ authorization: `Bearer ${session('technician').token}` });

    fireEvent.click(screen.getByRole('tab', { name: '封场' }));
    const checklist = within(await screen.findByTestId('seal-checklist'));
    expect(checklist.getAllByText('未通过')).toHaveLength(1);
    expect((screen.getByRole('button', { name: '确认封场' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
