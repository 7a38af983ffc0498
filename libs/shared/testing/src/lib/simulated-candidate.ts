import { io, Socket } from 'socket.io-client';
import {
  Ack,
  AnswerValue,
  AttemptEndedPush,
  AttemptTimePush,
  CandidateLoginAck,
  EXAM_NAMESPACE,
  EXAM_PROTOCOL,
  ExamEvent,
  FetchPaperAck,
  Item,
  ReminderPush,
  RoomMessagePush,
  RequirementAnswer,
  RequirementAnswerSpec,
  SaveAnswerAck,
  SessionStatePush,
  SessionView,
  SubmitAttemptAck,
  TimeSyncAck,
} from '@kaowu/contracts';

export interface SeatAssignment {
  roomCode: string;
  seatNo: number;
  ticketNo: string;
  idNo: string;
}

export class AckRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * A candidate at an exam machine, driven over the real socket.io protocol: hello, time sync,
 * login, wait for the start, answer with per-attempt seqs, hand in. Records every seq it
 * sent and every seq the venue acknowledged, so a run can prove nothing acked was lost.
 */
export class SimulatedCandidate {
  readonly socket: Socket;
  login?: CandidateLoginAck;
  session?: SessionView;
  items: Item[] = [];
  nextSeq = 1;
  ackedSeq = 0;
  readonly sent: number[] = [];
  readonly ackedEvents: { seq: number; itemId: string }[] = [];
  ended?: AttemptEndedPush;
  reminder?: ReminderPush;
  /** 暂停 / 恢复 / 补时 pushes, in order. */
  readonly timeChanges: AttemptTimePush[] = [];
  /** 广播 messages from the proctor, in order. */
  readonly roomMessages: RoomMessagePush[] = [];
  refusals: string[] = [];
  clockOffsetMs = 0;

  constructor(
    venueUrl: string,
    readonly seat: SeatAssignment,
    private readonly attestation: string,
    /** A machine of its own (换机 to a replacement machine at the seat); default: the seat's usual one. */
    readonly machineId = `M-${seat.roomCode}-${String(seat.seatNo).padStart(3, '0')}`,
    /** The venue CA the exam machine trusts (WSS); nothing else is trusted. */
    tls: { ca?: string } = {},
  ) {
    this.socket = io(venueUrl + EXAM_NAMESPACE, { transports: ['websocket'], reconnection: true, autoConnect: false, timeout: 20_000, ca: tls.ca });
    this.socket.on(ExamEvent.sessionState, (s: unknown) => {
      const parsed = SessionStatePush.safeParse(s);
      if (parsed.success) this.session = parsed.data;
    });
    this.socket.on(ExamEvent.attemptEnded, (e: AttemptEndedPush) => {
      this.ended = e;
    });
    this.socket.on(ExamEvent.timeChanged, (t: unknown) => {
      const parsed = AttemptTimePush.safeParse(t);
      if (parsed.success) this.timeChanges.push(parsed.data);
    });
    this.socket.on(ExamEvent.roomMessage, (m: unknown) => {
      const parsed = RoomMessagePush.safeParse(m);
      if (parsed.success) this.roomMessages.push(parsed.data);
    });
    this.socket.on(ExamEvent.reminder, (r: unknown) => {
      const parsed = ReminderPush.safeParse(r);
      if (parsed.success) this.reminder = parsed.data;
    });
  }

  private async request<T>(event: string, body: unknown): Promise<T> {
    const ack = (await this.socket.timeout(30_000).emitWithAck(event, body)) as Ack<T>;
    if (!ack.ok) {
      this.refusals.push(ack.error.code);
      throw new AckRefused(ack.error.code, ack.error.message);
    }
    return ack.data;
  }

  /**
   * Connect and say hello. `retryForMs` > 0: keep retrying a refused or timed-out connection for
   * that long, as a kiosk does while a whole venue connects at once; 0: the first error rejects.
   */
  async connect(opts: { retryForMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.retryForMs ?? 0);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        if (Date.now() < deadline) return; // socket.io's reconnection tries again
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        reject(error);
      };
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve();
      };
      this.socket.once('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
    await this.request(ExamEvent.hello, {
      protocol: EXAM_PROTOCOL,
      machineId: this.machineId,
      roomCode: this.seat.roomCode,
      seatNo: this.seat.seatNo,
      attestation: this.attestation,
    });
    await this.syncClock();
  }

  /** One time sync as the exam screen does it, reporting the previous round trip (the technician's latency check). */
  async syncClock(): Promise<void> {
    const sentAt = Date.now();
    const t = await this.request<TimeSyncAck>(ExamEvent.timeSync, this.lastRttMs === undefined ? { clientSentAt: sentAt } : { clientSentAt: sentAt, lastRttMs: this.lastRttMs });
    this.lastRttMs = Date.now() - sentAt;
    this.clockOffsetMs = t.serverTime - (sentAt + Date.now()) / 2;
  }
  private lastRttMs: number | undefined;

  /** Send any event as this machine and return the raw acknowledgement (specs that play an attacker). */
  emitRaw(event: string, body: unknown): Promise<unknown> {
    return this.socket.timeout(30_000).emitWithAck(event, body);
  }

  async logIn(): Promise<CandidateLoginAck> {
    this.login = await this.request<CandidateLoginAck>(ExamEvent.login, { ticketNo: this.seat.ticketNo, idNo: this.seat.idNo });
    this.session = this.login.session;
    this.ackedSeq = this.login.lastAckedSeq;
    this.nextSeq = this.login.lastAckedSeq + 1;
    return this.login;
  }

  /** Resolves once the server says the exam is on, then fetches this candidate's paper. */
  async waitForStartAndFetch(pollMs = 100, timeoutMs = 600_000): Promise<Item[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.session?.phase === 'in_progress') {
        try {
          const { paper } = await this.request<FetchPaperAck>(ExamEvent.fetchPaper, this.ref());
          this.items = paper.items;
          return this.items;
        } catch (error) {
          if (!(error instanceof AckRefused) || error.code !== 'NOT_STARTED') throw error;
        }
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new Error(`candidate ${this.seat.ticketNo}: exam did not start in time`);
  }

  private ref() {
    if (!this.login) throw new Error('not logged in');
    return { attemptId: this.login.attemptId, leaseEpoch: this.login.leaseEpoch };
  }

  /** Send one answer event; resolves with the ack (durable at the venue) or throws the refusal. */
  async answer(itemId: string, value: AnswerValue): Promise<SaveAnswerAck> {
    const seq = this.nextSeq++;
    this.sent.push(seq);
    let ack: SaveAnswerAck;
    try {
      ack = await this.request<SaveAnswerAck>(ExamEvent.saveAnswer, { ...this.ref(), seq, itemId, value });
    } catch (error) {
      // A refused event was not written: its seq is free for the next change.
      if (error instanceof AckRefused && this.nextSeq === seq + 1) this.nextSeq = seq;
      throw error;
    }
    this.ackedSeq = Math.max(this.ackedSeq, ack.ackedSeq);
    this.ackedEvents.push({ seq, itemId });
    return ack;
  }

  async submit(): Promise<SubmitAttemptAck> {
    return this.request<SubmitAttemptAck>(ExamEvent.submit, this.ref());
  }

  close(): void {
    this.socket.close();
  }
}

/** A plausible answer for an item: one option, two-to-four options, 对/错, text, or every requirement of a case item. */
export function randomAnswer(item: Item, rnd: () => number = Math.random): AnswerValue {
  if (item.type === 'text') return { kind: 'text', text: '答：' + Math.floor(rnd() * 1000) };
  if (item.type === 'calculation' || item.type === 'comprehensive') return { kind: 'case', parts: item.requirements.map((r) => ({ reqId: r.reqId, answer: randomRequirementAnswer(r.answer, rnd) })) };
  const keys = item.options.map((o) => o.key);
  if (item.type === 'multiple') {
    const chosen = keys.filter(() => rnd() < 0.5);
    return { kind: 'choice', selected: chosen.length >= 2 ? chosen : keys.slice(0, 2) };
  }
  return { kind: 'choice', selected: [keys[Math.floor(rnd() * keys.length)]] };
}

const amount = (rnd: () => number) => (Math.floor(rnd() * 1_000_000) / 100).toFixed(2);

function randomRequirementAnswer(spec: RequirementAnswerSpec, rnd: () => number): RequirementAnswer {
  switch (spec.kind) {
    case 'text':
      return { kind: 'text', text: ('答：' + Math.floor(rnd() * 1000)).slice(0, spec.maxLength) };
    case 'numeric':
      return { kind: 'numeric', values: Object.fromEntries(spec.fields.map((f) => [f.key, amount(rnd)])) };
    case 'table':
      return { kind: 'table', rows: [spec.columns.map((c, i) => (i === 0 ? c.label : amount(rnd)))] };
    case 'journal': {
      // 借 = 贷: one debit line balanced by credit lines, within the requirement's row limit.
      const total = amount(rnd);
      const rows: Extract<RequirementAnswer, { kind: 'journal' }> = { kind: 'journal', rows: [{ side: 'debit', account: '银行存款', amount: total }] };
      if (spec.maxRows >= 2) rows.rows.push({ side: 'credit', account: '主营业务收入', amount: total });
      return rows;
    }
  }
}
