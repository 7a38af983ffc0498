import { io, type Socket } from 'socket.io-client';
import { PROCTOR_NAMESPACE, ProctorEvent, type RoomSeatsPush } from '@kaowu/contracts';

/**
 * A room's 监考口令 from the province (the Playwright process stays free of the server libs, so
 * this is the e2e twin of `proctorAccessCode` in @kaowu/testing).
 */
export async function proctorAccessCode(api: string, roomCode: string): Promise<string> {
  const credentials = (await (await fetch(`${api}/venue-packages/V001/S1/credentials`)).json()) as { roomCode: string; accessCode: string }[];
  const accessCode = credentials.find((c) => c.roomCode === roomCode)?.accessCode;
  if (!accessCode) throw new Error(`no access code for ${roomCode}`);
  return accessCode;
}

/** A proctor console without the page: joins a room over socket.io and acts (暂停, 恢复, …). */
export class ProctorClient {
  private constructor(private readonly socket: Socket) {}

  static async join(venueUrl: string, api: string, roomCode: string): Promise<{ proctor: ProctorClient; seats: RoomSeatsPush }> {
    const accessCode = await proctorAccessCode(api, roomCode);
    const socket = io(`${venueUrl}${PROCTOR_NAMESPACE}`, { transports: ['websocket'] });
    const proctor = new ProctorClient(socket);
    const seats = await proctor.request<RoomSeatsPush>(ProctorEvent.join, { roomCode, accessCode });
    return { proctor, seats };
  }

  async request<T>(event: string, payload: unknown): Promise<T> {
    const reply = (await this.socket.timeout(10_000).emitWithAck(event, payload)) as { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
    if (!reply.ok) throw new Error(`${event}: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The 工号 and code of the venue's 主考 or 技术负责人 as the province issued them (e2e twin of `venueStaffCredential`). */
export async function venueStaffCredential(api: string, role: 'chief' | 'technician'): Promise<{ staffNo: string; name: string; accessCode: string }> {
  const credentials = (await (await fetch(`${api}/venue-packages/V001/S1/credentials`)).json()) as { role: string; staffNo?: string; name?: string; accessCode: string }[];
  const member = credentials.find((c) => c.role === role);
  if (!member?.staffNo) throw new Error(`no ${role} credential`);
  return { staffNo: member.staffNo, name: member.name ?? '', accessCode: member.accessCode };
}
