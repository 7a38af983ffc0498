import type { RoomSeatsPush, SeatStatus } from '@kaowu/contracts';
import { FakeClientSocket, LanguageProvider } from '@kaowu/ui';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import { expect } from 'vitest';
import { App } from './app';
import { ProctorChannel } from './proctor-channel';
import { ProctorRoom } from './proctor-room';

/** Test fixtures and a booted console against a FakeClientSocket that plays the venue server. */
export const seat = (seatNo: number, row: number, col: number, rest: Partial<SeatStatus>): SeatStatus => ({
  seatNo,
  row,
  col,
  machineOnline: true,
  candidate: { name: `考生${seatNo}`, ticketNo: `20260516000${seatNo}` },
  status: 'not_logged_in',
  answered: 0,
  total: 40,
  lastSaveAt: null,
  ...rest,
});

export const roomPush = (seats: SeatStatus[]): RoomSeatsPush => ({
  roomCode: 'R01',
  roomName: '第一考场',
  sessionId: 'S2026-1',
  phase: 'in_progress',
  serverTime: new Date().toISOString(),
  seats,
});

export function bootConsole(onJoin: RoomSeatsPush | null) {
  const socket = new FakeClientSocket();
  socket.handlers['proctor:join'] = () =>
    onJoin ? { ok: true, data: onJoin } : { ok: false, error: { code: 'UNAUTHORIZED', message: '监考口令错误', messageEn: 'Wrong access code' } };
  const room = new ProctorRoom(new ProctorChannel(socket));
  render(
    // No motion: dialogs open and close at once. No runtime styles: jsdom lays nothing out, and
    // generating antd's CSS-in-JS for every test costs seconds.
    <ConfigProvider theme={{ token: { motion: false }, zeroRuntime: true }}>
      <LanguageProvider>
        <App room={room} />
      </LanguageProvider>
    </ConfigProvider>,
  );
  act(() => room.start());
  return { socket, room };
}

export function join(roomCode: string, accessCode: string) {
  fireEvent.change(screen.getByLabelText('考场号'), { target: { value: roomCode } });
  fireEvent.change(screen.getByLabelText('监考口令'), { target: { value: accessCode } });
  fireEvent.click(screen.getByRole('button', { name: '进入考场' }));
}

/** Boot, connect, join R01 and wait for the seat map. */
export async function bootInRoom(push: RoomSeatsPush) {
  const booted = bootConsole(push);
  await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
  join('R01', 'proctor-123');
  await screen.findByTestId(`seat-${push.seats[0]?.seatNo}`);
  return booted;
}
