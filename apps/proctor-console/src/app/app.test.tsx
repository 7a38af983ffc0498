import type { RoomSeatsPush } from '@kaowu/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProctorRoom } from './proctor-room';
import { bootConsole, join, roomPush, seat } from './test-support';

const fixture: RoomSeatsPush = roomPush([
  seat(1, 1, 1, { status: 'in_progress', answered: 12, lastSaveAt: '2026-05-16T01:23:45.000Z', creditedMinutes: 7, candidate: { name: '张三', ticketNo: '202605160001' } }),
  seat(2, 1, 2, {}),
  seat(3, 1, 3, { status: 'submitted', answered: 40 }),
  seat(4, 2, 1, { status: 'absent', machineOnline: false }),
  seat(5, 2, 2, { status: 'logged_in' }),
  seat(6, 2, 3, { candidate: null }),
  seat(7, 3, 1, { candidate: null, machineOnline: false }),
]);

let room: ProctorRoom | undefined;
afterEach(() => room?.stop());

function boot() {
  const booted = bootConsole(null);
  room = booted.room;
  return booted.socket;
}

const counter = (label: string) => screen.getByLabelText(label).textContent;

describe('proctor console', () => {
  it('shows the refusal of a wrong access code', async () => {
    const socket = boot();
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
    join('R01', 'wrong-code');
    expect((await screen.findByRole('alert')).textContent).toBe('监考口令错误');
    expect(socket.sent).toEqual([{ event: 'proctor:join', payload: { roomCode: 'R01', accessCode: 'wrong-code' } }]);
  });

  it('renders the live seat map from the join ack and follows room:seats pushes', async () => {
    const socket = boot();
    socket.handlers['proctor:join'] = () => ({ ok: true, data: fixture });
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
    join('R01', 'proctor-123');

    expect(await screen.findByRole('heading', { name: '第一考场（R01）' })).toBeTruthy();
    expect(screen.getByText('S2026-1')).toBeTruthy();
    expect(screen.getByTestId('phase').textContent).toBe('考试中');
    expect(screen.getByTestId('server-time').textContent).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(counter('应到')).toBe('5');
    expect(counter('已登录')).toBe('3');
    expect(counter('已交卷')).toBe('1');
    expect(counter('缺考')).toBe('1');

    const first = within(screen.getByTestId('seat-1'));
    expect(first.getByText('1 号')).toBeTruthy();
    expect(first.getByText('张三')).toBeTruthy();
    expect(first.getByText('202605160001')).toBeTruthy();
    expect(first.getByText('答题中')).toBeTruthy();
    expect(first.getByText('作答 12/40')).toBeTruthy();
    expect(first.getByText('最后保存 09:23:45')).toBeTruthy(); // Beijing time
    expect(first.getByText('已补时 7 分钟')).toBeTruthy(); // 换机 credit from the server
    expect(first.getByRole('img', { name: '考试机在线' })).toBeTruthy();

    const fourth = screen.getByTestId('seat-4');
    expect(within(fourth).getByText('缺考')).toBeTruthy();
    expect(within(fourth).getByRole('img', { name: '考试机离线' })).toBeTruthy();
    expect(fourth.style.gridRow).toBe('2');
    expect(fourth.style.gridColumn).toBe('1');
    expect(within(screen.getByTestId('seat-2')).getByText('未登录')).toBeTruthy();
    expect(within(screen.getByTestId('seat-3')).getByText('已交卷')).toBeTruthy();
    expect(within(screen.getByTestId('seat-5')).getByText('已登录')).toBeTruthy();
    expect(within(screen.getByTestId('seat-6')).getByText('空座')).toBeTruthy();

    // only a candidate's machine going offline is an alarm (red); an empty seat shows at most a grey dot
    expect(within(fourth).getByRole('img').className).toContain('is-offline');
    expect(within(screen.getByTestId('seat-6')).getByRole('img', { name: '考试机在线' }).className).toContain('is-neutral');
    expect(within(screen.getByTestId('seat-7')).getByText('空座')).toBeTruthy();
    expect(within(screen.getByTestId('seat-7')).queryByRole('img')).toBeNull();
    expect(document.querySelectorAll('.online-dot.is-offline')).toHaveLength(1);

    // a push for this room updates the map; one for another room is ignored
    const update = { ...fixture, seats: fixture.seats.map((s) => (s.seatNo === 2 ? { ...s, status: 'in_progress' as const, answered: 3 } : s)) };
    act(() => socket.push('room:seats', update));
    expect(within(screen.getByTestId('seat-2')).getByText('答题中')).toBeTruthy();
    expect(counter('已登录')).toBe('4');
    act(() => socket.push('room:seats', { ...fixture, roomCode: 'R02', seats: [] }));
    expect(screen.getByTestId('seat-2')).toBeTruthy();
    // malformed pushes change nothing
    act(() => socket.push('room:seats', { ...update, seats: [{ seatNo: 2 }] }));
    expect(within(screen.getByTestId('seat-2')).getByText('作答 3/40')).toBeTruthy();
  });

  it('re-joins the room after the connection comes back', async () => {
    const socket = boot();
    socket.handlers['proctor:join'] = () => ({ ok: true, data: fixture });
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
    join('R01', 'proctor-123');
    await screen.findByTestId('seat-1');
    act(() => socket.serverDisconnect());
    expect(screen.getByTestId('connection').textContent).toBe('连接中断');
    socket.handlers['proctor:join'] = () => ({ ok: true, data: { ...fixture, phase: 'ended' } });
    act(() => socket.serverConnect());
    await waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('已结束'));
    expect(socket.sent.filter((s) => s.event === 'proctor:join')).toHaveLength(2);
  });
});
