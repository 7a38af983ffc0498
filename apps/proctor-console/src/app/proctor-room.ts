import {
  AcknowledgeAnomaly,
  BroadcastMessage,
  CandidateCardRequest,
  DecideExtension,
  ExtendTime,
  StaffSession,
  StaffSignIn,
  type ExtendAck,
  type ExtensionRequest,
  type ChiefOverview,
  type VenueStaffRole,
  ForceHandIn,
  MarkAbsent,
  RecordIdentityCheck,
  RecordProcedureStep,
  ResetLoginLock,
  RecordViolation,
  type RoomProcedure,
  type BroadcastAck,
  type CandidateCard,
  type Incident,
  type RoomVerification,
  MoveSeat,
  PauseResume,
  ProctorJoin,
  parseOrError,
  type Ack,
  type MoveSeatAck,
  type PauseResumeAck,
  type RoomSeatsPush,
} from '@kaowu/contracts';
import { Store } from '@kaowu/ui';
import { z } from 'zod';
import type { IdentityCheckAck, MarkAbsentAck, ProctorChannel } from './proctor-channel';

export interface UiError {
  code: string;
  field?: string;
  message: string;
  messageEn: string;
}

/** What a proctor action came back with: the server's data, or a refusal to show as it is. */
export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; error: UiError };

/** Who signs in: a room's proctors (考场号 + 监考口令) or a venue staff member (工号 + 口令). */
export type ConsoleRole = 'proctor' | VenueStaffRole;

export interface ProctorState {
  connection: 'connecting' | 'connected' | 'disconnected';
  /** The sign-in form's role. */
  role: ConsoleRole;
  /** The signed-in 主考 or 技术负责人. */
  staff: StaffSession | null;
  /** 考点总览, for the 主考. */
  overview: ChiefOverview | null;
  joinBusy: boolean;
  joinError: UiError | null;
  room: RoomSeatsPush | null;
  /** Server − client clock from the latest push, ms (display only). */
  offsetMs: number;
}

const OFFLINE: UiError = { code: 'CLIENT_OFFLINE', message: '无法连接考点服务器，请稍后重试', messageEn: 'Cannot reach the venue server; try again' };

/**
 * The console's room session: join with 考场号 + 监考口令, follow pushes, re-join after reconnect,
 * and act on the room's candidates (换机, 补时, 暂停, 恢复). An action changes nothing locally: the
 * server's next `room:seats` push shows its effect.
 */
export class ProctorRoom extends Store<ProctorState> {
  private joined: ProctorJoin | null = null;
  /** The room the 主考 has open (re-opened after a reconnect). */
  private chiefRoom: string | null = null;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly channel: ProctorChannel,
    /** The venue's REST API (same origin as the console). */
    private readonly apiBase = '/api/v1',
  ) {
    super({ connection: 'connecting', role: 'proctor', staff: null, overview: null, joinBusy: false, joinError: null, room: null, offsetMs: 0 });
  }

  start(): void {
    this.unsubscribe = [
      this.channel.onConnectionChange((up) => {
        this.set({ connection: up ? 'connected' : 'disconnected' });
        if (up && this.joined) void this.request(this.joined);
        if (up && this.getSnapshot().staff?.role === 'chief') void this.rejoinChief();
      }),
      this.channel.onSeats((push) => {
        const open = this.joined?.roomCode ?? this.chiefRoom;
        if (open && push.roomCode === open) this.show(push);
      }),
      this.channel.onOverview((overview) => {
        if (this.getSnapshot().staff?.role === 'chief') this.set({ overview });
      }),
    ];
    this.channel.connect();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.channel.close();
  }

  async join(roomCode: string, accessCode: string): Promise<void> {
    const input = ProctorJoin.safeParse({ roomCode: roomCode.trim(), accessCode: accessCode.trim() });
    if (!input.success) {
      const field = input.error.issues[0]?.path[0];
      this.set({
        joinError:
          field === 'roomCode'
            ? { code: 'VALIDATION_FAILED', message: '考场号格式不正确', messageEn: 'Invalid room code' }
            : { code: 'VALIDATION_FAILED', message: '监考口令应为 6–64 位', messageEn: 'Access code must be 6–64 characters' },
      });
      return;
    }
    this.set({ joinBusy: true, joinError: null });
    const ok = await this.request(input.data);
    if (ok) this.joined = input.data;
    this.set({ joinBusy: false });
  }

  setRole(role: ConsoleRole): void {
    this.set({ role, joinError: null });
  }

  /** 主考 / 技术负责人 sign-in with the 工号 and code issued with the venue package. */
  async signInStaff(staffNo: string, accessCode: string): Promise<void> {
    const role = this.getSnapshot().role;
    const parsed = parseOrError(StaffSignIn, { staffNo: staffNo.trim(), accessCode: accessCode.trim() }, '登录');
    if (!parsed.ok) return this.set({ joinError: parsed.error });
    this.set({ joinBusy: true, joinError: null });
    try {
      const signedIn = await this.rest('/staff/sign-in', StaffSession, { method: 'POST', body: parsed.value }, null);
      if (!signedIn.ok) return this.set({ joinError: signedIn.error });
      if (signedIn.data.role !== role)
        return this.set({
          joinError:
            role === 'chief'
              ? { code: 'FORBIDDEN', message: '该工号不是主考，请选择正确的身份', messageEn: 'This staff number is not the chief examiner' }
              : { code: 'FORBIDDEN', message: '该工号不是技术负责人，请选择正确的身份', messageEn: 'This staff number is not a technician' },
        });
      this.set({ staff: signedIn.data });
      if (role === 'chief' && !(await this.rejoinChief())) this.set({ staff: null });
    } finally {
      this.set({ joinBusy: false });
    }
  }

  private async rejoinChief(): Promise<boolean> {
    const staff = this.getSnapshot().staff;
    if (!staff) return false;
    const reply = (await this.channel.chiefJoin({ token: staff.token })) ?? { ok: false as const, error: OFFLINE };
    if (!reply.ok) {
      this.set({ joinError: reply.error });
      return false;
    }
    this.set({ overview: reply.data, joinError: null });
    if (this.chiefRoom) await this.openRoom(this.chiefRoom);
    return true;
  }

  /** 主考 opens a room: its seat map and every proctor action, under the chief's own name. */
  async openRoom(roomCode: string): Promise<ActionOutcome<RoomSeatsPush>> {
    const reply = (await this.channel.openRoom({ roomCode })) ?? { ok: false as const, error: OFFLINE };
    if (reply.ok) {
      this.chiefRoom = roomCode;
      this.show(reply.data);
    }
    return reply;
  }

  /** Back to 考点总览. */
  async leaveRoom(): Promise<void> {
    this.chiefRoom = null;
    this.set({ room: null });
    const reply = await this.channel.leaveRoom();
    if (reply?.ok) this.set({ overview: reply.data });
  }

  /** 补时审批 by the 主考. */
  decideExtension(d: DecideExtension): Promise<ActionOutcome<ExtensionRequest>> {
    return this.act(DecideExtension, d, '补时审批', (x) => this.channel.decideExtension(x));
  }

  /** 退出: the venue forgets the sign-in token too; a fresh connection leaves every room on the server. */
  signOut(): void {
    const token = this.getSnapshot().staff?.token;
    if (token) void this.rest('/staff/sign-out', z.unknown(), { method: 'POST' }, token);
    this.joined = null;
    this.chiefRoom = null;
    this.set({ staff: null, overview: null, room: null, joinError: null });
    this.channel.close();
    this.channel.connect();
  }

  /**
   * The venue's REST API as the signed-in staff member (bearer token); the answer parsed with its
   * contract, a refusal passed on as the server worded it.
   */
  async rest<S extends z.ZodTypeAny>(path: string, schema: S, init: { method?: string; body?: unknown } = {}, token: string | null = this.getSnapshot().staff?.token ?? null): Promise<ActionOutcome<z.infer<S>>> {
    const request = {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    };
    return this.venueRequest(path, request, '考点服务器返回错误', 'venue server error', async (res) => {
      const parsed = schema.safeParse(await res.json().catch(() => null));
      return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: { code: 'INTERNAL', message: '考点服务器的应答格式不正确', messageEn: 'unexpected answer from the venue server' } };
    });
  }

  /** One REST call to the venue: `read` takes a success; a refusal comes back as the server worded it. */
  private async venueRequest<T>(path: string, init: RequestInit, failedZh: string, failedEn: string, read: (res: Response) => Promise<ActionOutcome<T>>): Promise<ActionOutcome<T>> {
    try {
      const res = await fetch(`${this.apiBase}${path}`, init);
      if (res.ok) return await read(res);
      const body = (await res.json().catch(() => null)) as UiError | null;
      return { ok: false, error: body?.code ? body : { code: 'INTERNAL', message: `${failedZh}（${res.status}）`, messageEn: `${failedEn} (${res.status})` } };
    } catch {
      return { ok: false, error: OFFLINE };
    }
  }

  /** 换机: authorise the candidate to continue at a spare seat; credited when they log in there. */
  moveSeat(move: MoveSeat): Promise<ActionOutcome<MoveSeatAck>> {
    return this.act(MoveSeat, move, '换机', (m) => this.channel.moveSeat(m));
  }

  /** 补时 (1–30 minutes per action; above the threshold it waits for the 主考). */
  extend(extend: ExtendTime): Promise<ActionOutcome<ExtendAck>> {
    return this.act(ExtendTime, extend, '补时', (x) => this.channel.extend(x));
  }

  /** 暂停 one candidate, or every candidate answering in the room without `attemptId`. */
  pause(pause: PauseResume): Promise<ActionOutcome<PauseResumeAck>> {
    return this.act(PauseResume, pause, '暂停', (p) => this.channel.pause(p));
  }

  /** 恢复 one candidate, or every paused candidate of the room without `attemptId`. */
  resume(resume: PauseResume): Promise<ActionOutcome<PauseResumeAck>> {
    return this.act(PauseResume, resume, '恢复', (p) => this.channel.resume(p));
  }

  /** 考场情况报告 (PDF) of the joined room, from the venue server that serves this console. */
  async roomReport(): Promise<ActionOutcome<Blob>> {
    const staff = this.getSnapshot().staff;
    const roomCode = this.joined?.roomCode ?? this.chiefRoom;
    if (!roomCode) return { ok: false, error: { code: 'UNAUTHORIZED', message: '请先进入考场', messageEn: 'Join a room first' } };
    const headers: Record<string, string> = this.joined ? { 'x-proctor-code': this.joined.accessCode } : { authorization: `Bearer ${staff?.token ?? ''}` };
    return this.venueRequest(`/rooms/${encodeURIComponent(roomCode)}/report.pdf`, { headers }, '报告生成失败', 'report failed', async (res) => ({ ok: true, data: await res.blob() }));
  }

  /** 考试操作规程: the room's 17 steps, due times and what is done. */
  async procedure(): Promise<ActionOutcome<RoomProcedure>> {
    return (await this.channel.procedure()) ?? { ok: false, error: OFFLINE };
  }

  /** A person's step done (e.g. 考生须知已宣读). */
  recordStep(stepNo: number): Promise<ActionOutcome<RoomProcedure>> {
    return this.act(RecordProcedureStep, { stepNo }, '记录操作步骤', (x) => this.channel.recordStep(x));
  }

  /** 解除登录锁定 after checking the candidate's documents; the reason is logged. */
  resetLoginLock(reset: ResetLoginLock): Promise<ActionOutcome<{ ticketNo: string; lifted: boolean }>> {
    return this.act(ResetLoginLock, reset, '解除登录锁定', (r) => this.channel.resetLoginLock(r));
  }

  /** 考生信息 with the registration photo (身份核验). */
  candidateCard(ticketNo: string): Promise<ActionOutcome<CandidateCard>> {
    return this.act(CandidateCardRequest, { ticketNo }, '考生信息', (r) => this.channel.candidateCard(r));
  }

  /** 身份核验 / 签到; a mismatch raises an incident at the venue. */
  identityCheck(check: RecordIdentityCheck): Promise<ActionOutcome<IdentityCheckAck>> {
    return this.act(RecordIdentityCheck, check, '身份核验', (c) => this.channel.identityCheck(c));
  }

  /** 违纪 */
  recordViolation(v: RecordViolation): Promise<ActionOutcome<Incident>> {
    return this.act(RecordViolation, v, '违纪记录', (x) => this.channel.violation(x));
  }

  /** 缺考 (after the late-login cutoff) */
  markAbsent(m: MarkAbsent): Promise<ActionOutcome<MarkAbsentAck>> {
    return this.act(MarkAbsent, m, '缺考', (x) => this.channel.markAbsent(x));
  }

  /** 强制交卷 */
  forceHandIn(f: ForceHandIn): Promise<ActionOutcome<Incident>> {
    return this.act(ForceHandIn, f, '强制交卷', (x) => this.channel.forceHandIn(x));
  }

  /** 广播 to every screen of the room */
  broadcast(b: BroadcastMessage): Promise<ActionOutcome<BroadcastAck>> {
    return this.act(BroadcastMessage, b, '广播', (x) => this.channel.broadcast(x));
  }

  /** 核查考生答题信息 */
  async verification(): Promise<ActionOutcome<RoomVerification>> {
    return (await this.channel.verification()) ?? { ok: false, error: OFFLINE };
  }

  acknowledgeAnomaly(a: AcknowledgeAnomaly): Promise<ActionOutcome<RoomVerification>> {
    return this.act(AcknowledgeAnomaly, a, '确认异常情况', (x) => this.channel.acknowledgeAnomaly(x));
  }

  /** 核查无误: confirm the room's results for sealing. */
  async confirmRoom(): Promise<ActionOutcome<RoomVerification>> {
    return (await this.channel.confirmRoom()) ?? { ok: false, error: OFFLINE };
  }

  /** Parse with the contract first: a malformed request is refused here, in the same shape as the server's. */
  private async act<S extends z.ZodTypeAny, O>(schema: S, input: z.input<S>, where: string, send: (input: z.infer<S>) => Promise<Ack<O> | null>): Promise<ActionOutcome<O>> {
    const parsed = parseOrError(schema, input, where);
    if (!parsed.ok) return parsed;
    return (await send(parsed.value)) ?? { ok: false, error: OFFLINE };
  }

  private async request(join: ProctorJoin): Promise<boolean> {
    const reply = await this.channel.join(join);
    if (!reply) {
      this.set({ joinError: OFFLINE });
      return false;
    }
    if (!reply.ok) {
      this.set({ joinError: reply.error });
      return false;
    }
    this.set({ joinError: null });
    this.show(reply.data);
    return true;
  }

  private show(room: RoomSeatsPush): void {
    this.set({ room, offsetMs: Date.parse(room.serverTime) - Date.now() });
  }
}
