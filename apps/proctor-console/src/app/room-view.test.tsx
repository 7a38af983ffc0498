import type { AttemptTimePush, MoveSeatAck, SeatStatus } from '@kaowu/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProctorRoom } from './proctor-room';
import { bootInRoom, roomPush, seat } from './test-support';

const zhang = { name: '张三', ticketNo: '202605160001' };
const seats: SeatStatus[] = [
  seat(1, 1, 1, { status: 'in_progress', attemptId: 'A1', answered: 12, candidate: zhang }),
  seat(2, 1, 2, {}),
  seat(3, 1, 3, { status: 'in_progress', attemptId: 'A3', machineOnline: false, candidate: { name: '李四', ticketNo: '202605160003' } }),
  seat(4, 2, 1, { status: 'submitted', attemptId: 'A4', answered: 40 }),
  seat(5, 2, 2, { status: 'in_progress', attemptId: 'A5', paused: true, candidate: { name: '王五', ticketNo: '202605160005' } }),
  seat(6, 2, 3, { status: 'in_progress', attemptId: 'A6', focusLosses: 3, movedFromSeatNo: 9, creditedMinutes: 4 }),
  seat(7, 3, 1, { status: 'absent', machineOnline: false }),
  seat(8, 3, 2, { candidate: null }),
  seat(9, 3, 3, { candidate: null, machineOnline: false }),
];

let room: ProctorRoom | undefined;
afterEach(() => room?.stop());

async function boot() {
  const booted = await bootInRoom(roomPush(seats));
  room = booted.room;
  return booted.socket;
}

const counter = (label: string) => screen.getByLabelText(label, { exact: true }).textContent;
const tile = (no: number) => within(screen.getByTestId(`seat-${no}`));
const refusal = (code: string, message: string) => () => ({ ok: false, error: { code, message, messageEn: 'refused' } });

function openSeat(no: number) {
  fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${no} 号座位：`) }));
  return within(screen.getByRole('dialog'));
}

function giveReason(form: ReturnType<typeof within>, reason: string) {
  fireEvent.change(form.getByLabelText('原因'), { target: { value: reason } });
}

async function confirm(expected: string) {
  expect(await screen.findByText(expected)).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: '确认' }));
}

/** Open the seat, 暂停 / 恢复 tab, a reason, the button, and the confirmation (checked by its text). */
async function pauseOrResume(no: number, button: string, reason: string, confirmation: string) {
  const drawer = openSeat(no);
  fireEvent.click(drawer.getByRole('tab', { name: '暂停 / 恢复' }));
  giveReason(drawer, reason);
  fireEvent.click(drawer.getByRole('button', { name: button }));
  await confirm(confirmation);
  return drawer;
}

const timePush = (change: AttemptTimePush['change'], rest: Partial<AttemptTimePush> = {}): AttemptTimePush => ({
  attemptId: 'A1',
  change,
  minutes: 0,
  creditedMinutes: 0,
  endsAt: '2026-05-16T03:10:00.000Z',
  pausedAt: null,
  reason: 'r',
  ...rest,
});

describe('seat map', () => {
  it('sums the room up: expected, logged in, answering, paused, handed in, absent, flagged', async () => {
    await boot();
    expect(counter('应到')).toBe('7');
    expect(counter('已登录')).toBe('5');
    expect(counter('答题中')).toBe('4');
    expect(counter('暂停')).toBe('1');
    expect(counter('已交卷')).toBe('1');
    expect(counter('缺考')).toBe('1');
    expect(counter('有异常')).toBe('3');
    expect(counter('在线考试机')).toBe('6');
  });

  it('shows per seat the pause, the 换机 origin, the credited minutes and the focus losses', async () => {
    await boot();
    expect(tile(5).getByText('暂停')).toBeTruthy();
    expect(tile(6).getByText('由 9 号换机')).toBeTruthy();
    expect(tile(6).getByText('已补时 4 分钟')).toBeTruthy();
    expect(tile(6).getByText('离开界面 3 次')).toBeTruthy();
    expect(tile(1).queryByText(/离开界面/)).toBeNull();
  });

  it('filters: 未登录, 离线 and 有异常 keep the other seats in place but blank', async () => {
    await boot();
    const shown = () => seats.filter((s) => screen.getByTestId(`seat-${s.seatNo}`).getAttribute('aria-hidden') === null).map((s) => s.seatNo);
    fireEvent.click(screen.getByRole('radio', { name: '未登录 1' }));
    expect(shown()).toEqual([2]);
    expect(tile(1).queryByText('张三')).toBeNull();
    expect(tile(1).getByText('1 号')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '离线 2' }));
    expect(shown()).toEqual([3, 7]);
    fireEvent.click(screen.getByRole('radio', { name: '有异常 3' }));
    expect(shown()).toEqual([3, 5, 6]);
    fireEvent.click(screen.getByRole('radio', { name: '全部' }));
    expect(shown()).toHaveLength(seats.length);
    expect(tile(1).getByText('张三')).toBeTruthy();
  });
});

describe('seat actions', () => {
  it('补时: minutes and a required reason, confirmed by name, sent as proctor:extend', async () => {
    const socket = await boot();
    socket.handlers['proctor:extend'] = () => ({ ok: true, data: { status: 'applied', time: timePush('extended', { minutes: 10, creditedMinutes: 17 }) } });
    const drawer = openSeat(1);
    expect(drawer.getByText('1 号座位 · 张三')).toBeTruthy();
    fireEvent.change(drawer.getByLabelText('补时（分钟）'), { target: { value: '10' } });
    fireEvent.click(drawer.getByRole('button', { name: '补时…' }));
    expect(await drawer.findByText('请填写原因')).toBeTruthy();
    expect(socket.sentOf('proctor:extend')).toEqual([]);

    giveReason(drawer, '考试机故障延误');
    fireEvent.click(drawer.getByRole('button', { name: '补时…' }));
    await confirm('为张三（准考证号 202605160001，1 号座位）补时 10 分钟');
    await waitFor(() => expect(socket.sentOf('proctor:extend')).toEqual([{ attemptId: 'A1', minutes: 10, reason: '考试机故障延误' }]));
    expect(await screen.findByText('已为张三补时 10 分钟，累计补时 17 分钟，结束时间 11:10:00')).toBeTruthy();
  });

  it('补时 above the threshold: the confirmation says it needs the 主考, and the answer says it was sent', async () => {
    const socket = await boot();
    socket.handlers['proctor:extend'] = (body) => ({
      ok: true,
      data: {
        status: 'pending',
        request: {
          requestId: 'X1', attemptId: 'A1', roomCode: 'R01', seatNo: 1, candidateName: '张三', ticketNo: '202605160001', minutes: (body as { minutes: number }).minutes,
          reason: '考点停电', requestedBy: 'proctor:R01', requestedAt: new Date().toISOString(), status: 'pending', decidedBy: null, decidedAt: null, decisionNote: null,
        },
      },
    });
    const drawer = openSeat(1);
    expect(drawer.getByText('超过 10 分钟须经主考批准')).toBeTruthy();
    fireEvent.change(drawer.getByLabelText('补时（分钟）'), { target: { value: '20' } });
    giveReason(drawer, '考点停电');
    fireEvent.click(drawer.getByRole('button', { name: '补时…' }));
    await confirm('为张三（准考证号 202605160001，1 号座位）申请补时 20 分钟（超过限额，须经主考批准后生效）');
    expect(await screen.findByText('已提交主考审批：张三 补时 20 分钟')).toBeTruthy();
    // the room's next push carries the request: the proctors see it waiting
    act(() => socket.push('room:seats', { ...roomPush(seats), extensionRequests: [{ requestId: 'X1', attemptId: 'A1', roomCode: 'R01', seatNo: 1, candidateName: '张三', ticketNo: '202605160001', minutes: 20, reason: '考点停电', requestedBy: 'proctor:R01', requestedAt: new Date().toISOString(), status: 'pending', decidedBy: null, decidedAt: null, decisionNote: null }] }));
    expect(within(screen.getByTestId('extension-requests')).getByText('待主考审批')).toBeTruthy();
  });

  it('补时 refused by the server: its message stays in the drawer', async () => {
    const socket = await boot();
    socket.handlers['proctor:extend'] = refusal('ATTEMPT_ENDED', '该考生已交卷或考试已结束');
    const drawer = openSeat(1);
    fireEvent.change(drawer.getByLabelText('补时（分钟）'), { target: { value: '5' } });
    giveReason(drawer, '网络中断');
    fireEvent.click(drawer.getByRole('button', { name: '补时…' }));
    await confirm('为张三（准考证号 202605160001，1 号座位）补时 5 分钟');
    expect((await drawer.findByRole('alert')).textContent).toBe('该考生已交卷或考试已结束');
  });

  it('换机: only free spare seats are offered; the result names the seat and the credit at login', async () => {
    const socket = await boot();
    const ack: MoveSeatAck = { attemptId: 'A1', fromSeatNo: 1, toSeatNo: 8, lastSeenAt: '2026-05-16T01:20:00.000Z', creditIfLoggedInNow: 6 };
    socket.handlers['proctor:move-seat'] = () => ({ ok: true, data: ack });
    const drawer = openSeat(1);
    fireEvent.click(drawer.getByRole('tab', { name: '换机' }));
    expect(drawer.getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual(['8 号', '9 号 · 考试机离线']);
    fireEvent.click(drawer.getByRole('radio', { name: '8 号' }));
    giveReason(drawer, '考试机黑屏');
    fireEvent.click(drawer.getByRole('button', { name: '换机…' }));
    await confirm('将张三（准考证号 202605160001，1 号座位）换至 8 号备用机');
    await waitFor(() => expect(socket.sentOf('proctor:move-seat')).toEqual([{ attemptId: 'A1', toSeatNo: 8, reason: '考试机黑屏' }]));
    const result = await drawer.findByTestId('move-result');
    expect(result.textContent).toContain('请考生在 8 号备用机登录，登录时自动补时 6 分钟');
    expect(result.textContent).toContain('原考试机最后在线 09:20:00');
  });

  it('换机 refused: the server says why', async () => {
    const socket = await boot();
    socket.handlers['proctor:move-seat'] = refusal('SEAT_TAKEN', '8 号座位已安排考生（202605169999），请选择备用座位');
    const drawer = openSeat(1);
    fireEvent.click(drawer.getByRole('tab', { name: '换机' }));
    fireEvent.click(drawer.getByRole('radio', { name: '8 号' }));
    giveReason(drawer, '考试机黑屏');
    fireEvent.click(drawer.getByRole('button', { name: '换机…' }));
    await confirm('将张三（准考证号 202605160001，1 号座位）换至 8 号备用机');
    expect((await drawer.findByRole('alert')).textContent).toBe('8 号座位已安排考生（202605169999），请选择备用座位');
    expect(drawer.queryByTestId('move-result')).toBeNull();
  });

  it('暂停 one candidate, and 恢复 a paused one', async () => {
    const socket = await boot();
    socket.handlers['proctor:pause'] = () => ({ ok: true, data: { attempts: [timePush('paused')] } });
    socket.handlers['proctor:resume'] = () => ({ ok: true, data: { attempts: [timePush('resumed', { attemptId: 'A5', minutes: 3 })] } });
    await pauseOrResume(1, '暂停考试…', '考生身体不适', '暂停张三（准考证号 202605160001，1 号座位）的考试：考试计时停止，恢复时补回暂停的时间');
    await waitFor(() => expect(socket.sentOf('proctor:pause')).toEqual([{ attemptId: 'A1', reason: '考生身体不适' }]));
    expect(await screen.findByText('已暂停张三的考试')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /^(关闭|Close)$/ }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await pauseOrResume(5, '恢复考试…', '已处理', '恢复王五（准考证号 202605160005，5 号座位）的考试');
    await waitFor(() => expect(socket.sentOf('proctor:resume')).toEqual([{ attemptId: 'A5', reason: '已处理' }]));
    expect(await screen.findByText('已恢复王五的考试，补回 3 分钟')).toBeTruthy();
  });

  it('暂停 refused: the server says why', async () => {
    const socket = await boot();
    socket.handlers['proctor:pause'] = refusal('NOT_STARTED', '考试开始后方可暂停');
    const drawer = await pauseOrResume(1, '暂停考试…', '考生身体不适', '暂停张三（准考证号 202605160001，1 号座位）的考试：考试计时停止，恢复时补回暂停的时间');
    expect((await drawer.findByRole('alert')).textContent).toBe('考试开始后方可暂停');
  });

  it('a seat whose candidate has handed in offers no time action, only 身份核验 and 违纪', async () => {
    await boot();
    expect(openSeat(4).getByText('该考生已交卷或考试已结束，不能再操作。')).toBeTruthy();
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['身份核验', '违纪']);
  });

  it('全场暂停 and 全场恢复: the whole room, with a reason, without an attemptId', async () => {
    const socket = await boot();
    socket.handlers['proctor:pause'] = () => ({ ok: true, data: { attempts: [timePush('paused'), timePush('paused', { attemptId: 'A3' })] } });
    socket.handlers['proctor:resume'] = refusal('SESSION_CLOSED', '本考点当前没有考试场次');
    fireEvent.click(screen.getByRole('button', { name: '全场暂停' }));
    let modal = within(await screen.findByRole('dialog'));
    fireEvent.click(modal.getByRole('button', { name: '全场暂停…' }));
    expect(await modal.findByText('请填写原因')).toBeTruthy();
    giveReason(modal, '停电');
    fireEvent.click(modal.getByRole('button', { name: '全场暂停…' }));
    await confirm('暂停本考场所有正在作答的考生：考试计时停止，恢复时补回暂停的时间');
    await waitFor(() => expect(socket.sentOf('proctor:pause')).toEqual([{ reason: '停电' }]));
    expect(await screen.findByText('全场暂停：已暂停 2 名考生')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: '全场恢复' }));
    modal = within(await screen.findByRole('dialog'));
    giveReason(modal, '来电');
    fireEvent.click(modal.getByRole('button', { name: '全场恢复…' }));
    await confirm('恢复本考场所有已暂停的考生');
    await waitFor(() => expect(socket.sentOf('proctor:resume')).toEqual([{ reason: '来电' }]));
    expect((await modal.findByRole('alert')).textContent).toBe('本考点当前没有考试场次');
  });

  it('the drawer follows the pushes: a paused candidate shows 恢复 at once', async () => {
    const socket = await boot();
    const drawer = openSeat(1);
    fireEvent.click(drawer.getByRole('tab', { name: '暂停 / 恢复' }));
    expect(drawer.getByRole('button', { name: '暂停考试…' })).toBeTruthy();
    act(() => socket.push('room:seats', roomPush(seats.map((s) => (s.seatNo === 1 ? { ...s, paused: true } : s)))));
    expect(drawer.getByRole('button', { name: '恢复考试…' })).toBeTruthy();
  });
});
