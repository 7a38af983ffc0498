import {
  AckError,
  AttemptEndedPush,
  CandidateLogin,
  CandidateLoginAck,
  ExamEvent,
  FetchPaper,
  FetchPaperAck,
  MachineHello,
  MachineHelloAck,
  SaveAnswer,
  SaveAnswerAck,
  SessionStatePush,
  SubmitAttempt,
  SubmitAttemptAck,
  TimeSync,
  TimeSyncAck,
  ackOk,
  validationError,
  type Ack,
} from '@kaowu/contracts';
import { z } from 'zod';

/** Every request the exam machine makes: event name → request and acknowledgement schemas. */
const requests = {
  [ExamEvent.hello]: { request: MachineHello, ack: MachineHelloAck },
  [ExamEvent.timeSync]: { request: TimeSync, ack: TimeSyncAck },
  [ExamEvent.login]: { request: CandidateLogin, ack: CandidateLoginAck },
  [ExamEvent.fetchPaper]: { request: FetchPaper, ack: FetchPaperAck },
  [ExamEvent.saveAnswer]: { request: SaveAnswer, ack: SaveAnswerAck },
  [ExamEvent.submit]: { request: SubmitAttempt, ack: SubmitAttemptAck },
} as const;

const pushes = {
  [ExamEvent.sessionState]: SessionStatePush,
  [ExamEvent.attemptEnded]: AttemptEndedPush,
} as const;

type Requests = typeof requests;
export type ExamRequestEvent = keyof Requests;
export type RequestOf<E extends ExamRequestEvent> = z.input<Requests[E]['request']>;
export type AckOf<E extends ExamRequestEvent> = z.infer<Requests[E]['ack']>;
export type ExamPushEvent = keyof typeof pushes;
export type PushOf<E extends ExamPushEvent> = z.infer<(typeof pushes)[E]>;

/** The part of a socket.io client socket this channel uses (a fake in tests). */
export interface ExamSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  connect(): unknown;
  disconnect(): unknown;
}

/** The request never reached the server or its answer never came back. */
export class ChannelUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChannelUnavailableError';
  }
}

/**
 * The exam machine's one socket: named events, every acknowledgement and push parsed with the
 * contracts schemas. Components never see the socket; ExamSession talks to this.
 */
export class ExamChannel {
  constructor(
    private readonly socket: ExamSocket,
    private readonly timeoutMs = 10_000,
  ) {}

  get connected(): boolean {
    return this.socket.connected;
  }

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.disconnect();
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    const up = () => listener(true);
    const down = () => listener(false);
    this.socket.on('connect', up);
    this.socket.on('disconnect', down);
    return () => {
      this.socket.off('connect', up);
      this.socket.off('disconnect', down);
    };
  }

  onPush<E extends ExamPushEvent>(event: E, listener: (push: PushOf<E>) => void): () => void {
    const schema = pushes[event];
    const handler = (raw: unknown) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) listener(parsed.data as PushOf<E>);
      else console.warn(`[exam] dropped malformed ${event} push`, parsed.error.issues);
    };
    this.socket.on(event, handler);
    return () => this.socket.off(event, handler);
  }

  /**
   * Send a request and parse its acknowledgement. A server refusal comes back as `{ok:false}`;
   * a request that could not be delivered or answered throws ChannelUnavailableError. Nothing
   * is buffered while offline (socket.io would replay it before machine:hello on reconnect).
   */
  async request<E extends ExamRequestEvent>(event: E, payload: RequestOf<E>): Promise<Ack<AckOf<E>>> {
    const { request, ack } = requests[event];
    const body = request.parse(payload);
    if (!this.socket.connected) throw new ChannelUnavailableError('offline');
    let raw: unknown;
    try {
      raw = await this.socket.timeout(this.timeoutMs).emitWithAck(event, body);
    } catch {
      throw new ChannelUnavailableError('no acknowledgement');
    }
    const parsed = z.union([ackOk(ack), AckError]).safeParse(raw);
    if (!parsed.success) return { ok: false, error: validationError(parsed.error, `${event} 应答`) };
    return parsed.data as Ack<AckOf<E>>;
  }
}
