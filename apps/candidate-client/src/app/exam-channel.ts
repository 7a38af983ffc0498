import {
  AttemptEndedPush,
  AttemptTimePush,
  CandidateLogin,
  CandidateLoginAck,
  ExamEvent,
  FetchPaper,
  FetchPaperAck,
  FocusLost,
  FocusLostAck,
  MachineHello,
  MachineHelloAck,
  RoomMessagePush,
  SaveAnswer,
  SaveAnswerAck,
  SessionStatePush,
  SubmitAttempt,
  SubmitAttemptAck,
  TimeSync,
  TimeSyncAck,
  type Ack,
} from '@kaowu/contracts';
import { onConnectionChange, onParsedPush, requestAck, type ClientSocket } from '@kaowu/ui';
import type { z } from 'zod';

/** Every request the exam machine makes: event name → request and acknowledgement schemas. */
const requests = {
  [ExamEvent.hello]: { request: MachineHello, ack: MachineHelloAck },
  [ExamEvent.timeSync]: { request: TimeSync, ack: TimeSyncAck },
  [ExamEvent.login]: { request: CandidateLogin, ack: CandidateLoginAck },
  [ExamEvent.fetchPaper]: { request: FetchPaper, ack: FetchPaperAck },
  [ExamEvent.saveAnswer]: { request: SaveAnswer, ack: SaveAnswerAck },
  [ExamEvent.submit]: { request: SubmitAttempt, ack: SubmitAttemptAck },
  [ExamEvent.focusLost]: { request: FocusLost, ack: FocusLostAck },
} as const;

const pushes = {
  [ExamEvent.sessionState]: SessionStatePush,
  [ExamEvent.attemptEnded]: AttemptEndedPush,
  [ExamEvent.timeChanged]: AttemptTimePush,
  [ExamEvent.roomMessage]: RoomMessagePush,
} as const;

type Requests = typeof requests;
export type ExamRequestEvent = keyof Requests;
export type RequestOf<E extends ExamRequestEvent> = z.input<Requests[E]['request']>;
export type AckOf<E extends ExamRequestEvent> = z.infer<Requests[E]['ack']>;
export type ExamPushEvent = keyof typeof pushes;
export type PushOf<E extends ExamPushEvent> = z.infer<(typeof pushes)[E]>;

/**
 * The exam machine's one socket: named events, every acknowledgement and push parsed with the
 * contracts schemas. Components never see the socket; ExamSession talks to this.
 */
export class ExamChannel {
  constructor(
    private readonly socket: ClientSocket,
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

  onConnectionChange(listener: (connected: boolean, reason?: string) => void): () => void {
    return onConnectionChange(this.socket, listener);
  }

  onPush<E extends ExamPushEvent>(event: E, listener: (push: PushOf<E>) => void): () => void {
    return onParsedPush(this.socket, event, pushes[event], listener as (push: unknown) => void);
  }

  /** A server refusal comes back as `{ok:false}`; an undeliverable request throws ChannelUnavailableError. */
  request<E extends ExamRequestEvent>(event: E, payload: RequestOf<E>): Promise<Ack<AckOf<E>>> {
    const { request, ack } = requests[event];
    return requestAck(this.socket, event, request.parse(payload), ack, this.timeoutMs) as Promise<Ack<AckOf<E>>>;
  }
}
