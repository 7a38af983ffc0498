import {
  AnswerValue,
  CandidateLogin,
  ExamEvent,
  isCaseItem,
  isChoiceItem,
  type Ack,
  type AttemptEndedPush,
  type AttemptRef,
  type AttemptTimePush,
  type FocusLossKind,
  type CandidateLoginAck,
  type ErrorBody,
  type Item,
  type MachineHello,
  type PaperContent,
  type RequirementAnswer,
  type SaveAnswerAck,
  type SavedAnswer,
  type SessionView,
} from '@kaowu/contracts';
import { checkAnswerFitsItem } from '@kaowu/exam-domain';
import { ChannelUnavailableError, ServerClock, Store, serverNow } from '@kaowu/ui';
import { AnswerOutbox, type AnswerEvent } from './answer-outbox';
import { MemoryAnswerQueueStore, type AnswerQueueStore } from './answer-queue-store';
import type { ExamChannel, ExamRequestEvent, RequestOf } from './exam-channel';

export type Connection = 'connecting' | 'connected' | 'disconnected';

export type Stage =
  | 'connecting' // before the first machine:hello ack
  | 'machine_refused' // the venue server did not accept this machine
  | 'waiting_login' // 等待登录
  | 'identity' // logged in: confirm identity, read 重要提示, wait for the start
  | 'loading_paper'
  | 'answering'
  | 'ended' // 已交卷 / 考试已结束
  | 'superseded'; // 换机: the attempt continues on another machine

/** What the screen shows for a refusal; server errors carry the code from contracts. */
export type UiError = Pick<ErrorBody, 'message' | 'messageEn'> & { code: string };

export type EndReason = AttemptEndedPush['reason'];

/** 考试暂停: the candidate's clock is stopped by a proctor or the venue. */
export interface PauseState {
  /** Server time the clock stopped at. */
  since: string;
  /** The proctor's reason, when the push carried one (a re-login knows only that it is paused). */
  reason: string | null;
}

/** A change of the candidate's time to show for a moment (恢复 with the paused minutes back, 补时). */
export interface TimeNotice {
  id: number;
  change: Exclude<AttemptTimePush['change'], 'paused'>;
  minutes: number;
  reason: string;
}

export interface ExamState {
  connection: Connection;
  stage: Stage;
  machine: Pick<MachineHello, 'machineId' | 'roomCode' | 'seatNo'>;
  venueName: string | null;
  /** Server − client clock, ms; display only. */
  offsetMs: number;
  machineError: UiError | null;
  loginBusy: boolean;
  loginError: UiError | null;
  candidate: CandidateLoginAck['candidate'] | null;
  session: SessionView | null;
  paper: PaperContent | null;
  paperError: UiError | null;
  answers: Readonly<Record<string, AnswerValue>>;
  /** "保存中…": some change is not yet acknowledged by the server. */
  saving: boolean;
  /** Changes kept in the local queue until the venue acknowledges them. */
  pendingCount: number;
  unsavedItems: ReadonlySet<string>;
  saveError: UiError | null;
  submitBusy: boolean;
  submitError: UiError | null;
  ended: { reason: EndReason; at: string } | null;
  pause: PauseState | null;
  timeNotice: TimeNotice | null;
  /** 广播 from the proctor not yet dismissed by the candidate (newest last). */
  roomMessages: { message: string; at: string }[];
  /** 离开考试界面 seen on this machine (each one reported to the venue). */
  focusLosses: number;
}

export interface ExamSessionOptions {
  /** Typing in a text answer is saved after this pause. */
  textSaveDelayMs?: number;
  /** Pause before retrying a failed handshake, paper fetch or save. */
  retryDelayMs?: number;
  /** Time-sync round trips per sync. */
  syncRounds?: number;
  /** While connected, the clock is synced again this often. */
  resyncMs?: number;
  /** Longest wait for outstanding saves before 交卷. */
  submitDrainMs?: number;
}

const clientError = (code: string, message: string, messageEn: string): UiError => ({ code, message, messageEn });
const OFFLINE = clientError('CLIENT_OFFLINE', '与考点服务器的连接已中断，请稍候或举手联系监考员', 'Not connected to the venue server; please wait or ask a proctor');
const UNSAVED = clientError('CLIENT_UNSAVED', '仍有答案未保存，暂不能交卷，请稍候再试', 'Some answers are not saved yet; please try again shortly');

const FINISHED_STATUSES = new Set(['submitted', 'ended', 'absent']);

/** The more recent of two session views, by the server time each was taken at. */
function newer(a: SessionView, b: SessionView | null): SessionView {
  return b && Date.parse(b.serverTime) > Date.parse(a.serverTime) ? b : a;
}

function latestAnswers(saved: readonly SavedAnswer[]): Record<string, AnswerValue> {
  const bySeq = [...saved].sort((x, y) => x.seq - y.seq);
  return Object.fromEntries(bySeq.map((a) => [a.itemId, a.value]));
}

/** Split a bilingual contract message "中文 / English". */
function fromIssue(message: string): UiError {
  const [zh, en] = message.split(' / ');
  return clientError('VALIDATION_FAILED', zh ?? message, en ?? message);
}

function initialState(hello: MachineHello): ExamState {
  return {
    connection: 'connecting',
    stage: 'connecting',
    machine: { machineId: hello.machineId, roomCode: hello.roomCode, seatNo: hello.seatNo },
    venueName: null,
    offsetMs: 0,
    machineError: null,
    loginBusy: false,
    loginError: null,
    candidate: null,
    session: null,
    paper: null,
    paperError: null,
    answers: {},
    saving: false,
    pendingCount: 0,
    unsavedItems: new Set(),
    saveError: null,
    submitBusy: false,
    submitError: null,
    ended: null,
    pause: null,
    timeNotice: null,
    roomMessages: [],
    focusLosses: 0,
  };
}

function pauseOf(view: SessionView, current: PauseState | null): PauseState | null {
  if (!view.pausedAt) return null;
  return current?.since === view.pausedAt ? current : { since: view.pausedAt, reason: null };
}

/**
 * One exam machine's session with the venue server: handshake, time sync, login, paper,
 * answer saving and hand-in. A plain store (subscribe/getSnapshot) so the screens stay
 * presentational and this logic is testable without a browser.
 */
export class ExamSession extends Store<ExamState> {
  private readonly clock: ServerClock;
  private readonly opts: Required<ExamSessionOptions>;
  private outbox: AnswerOutbox | null = null;
  private attempt: AttemptRef | null = null;
  private credentials: CandidateLogin | null = null;
  /** Bumped on every connect/disconnect so late answers from an old link are ignored. */
  private link = 0;
  /** How far the current link is set up: machine accepted, then the attempt re-attached. */
  private ready: 'none' | 'machine' | 'attempt' = 'none';
  private pushedSession: SessionView | null = null;
  private paperLoading = false;
  private readonly drafts = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void)[] = [];
  /** Queue writes in order: an ack's drop never overtakes the append of the same event. */
  private persisting: Promise<void> = Promise.resolve();
  /** Focus losses seen while the venue could not be told; sent once the attempt is re-attached. */
  private unreportedFocus: { kind: FocusLossKind; at: string }[] = [];
  private noticeId = 0;

  constructor(
    private readonly channel: ExamChannel,
    private readonly hello: MachineHello,
    options: ExamSessionOptions = {},
    /** Unacknowledged answers, kept across a reload (the encrypted IndexedDB queue in the browser). */
    private readonly queue: AnswerQueueStore = new MemoryAnswerQueueStore(),
  ) {
    super(initialState(hello));
    this.opts = { textSaveDelayMs: 800, retryDelayMs: 3_000, syncRounds: 5, resyncMs: 60_000, submitDrainMs: 10_000, ...options };
    // each sync reports the previous one's round trip: the venue's technician sees every machine's latency
    let lastRttMs: number | undefined;
    this.clock = new ServerClock(async (clientSentAt) => {
      const sentAt = performance.now();
      const res = await this.channel.request(ExamEvent.timeSync, lastRttMs === undefined ? { clientSentAt } : { clientSentAt, lastRttMs });
      if (!res.ok) throw new Error(res.error.code);
      lastRttMs = Math.round(performance.now() - sentAt);
      return { serverTime: res.data.serverTime };
    });
  }

  start(): void {
    this.unsubscribe = [
      this.channel.onConnectionChange((up, reason) => (up ? void this.onConnected() : this.onDisconnected(reason))),
      this.channel.onPush(ExamEvent.sessionState, (view) => this.onSessionState(view)),
      this.channel.onPush(ExamEvent.attemptEnded, (push) => this.onAttemptEnded(push)),
      this.channel.onPush(ExamEvent.timeChanged, (push) => this.onTimeChanged(push)),
      this.channel.onPush(ExamEvent.roomMessage, (push) => this.set({ roomMessages: [...this.state.roomMessages, { message: push.message, at: push.at }].slice(-3) })),
    ];
    this.channel.connect();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of [...this.timers, ...this.drafts.values()]) clearTimeout(timer);
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.stopResync();
    this.channel.close();
  }

  // ── candidate actions ────────────────────────────────────────────────────────────────

  async login(ticketNo: string, idNo: string): Promise<void> {
    if (this.state.loginBusy || this.attempt) return;
    const input = CandidateLogin.safeParse({ ticketNo: ticketNo.trim(), idNo: idNo.trim() });
    if (!input.success) {
      this.set({ loginError: fromIssue(input.error.issues[0]?.message ?? '') });
      return;
    }
    if (this.ready === 'none') {
      this.set({ loginError: OFFLINE });
      return;
    }
    this.set({ loginBusy: true, loginError: null });
    const res = await this.tryRequest(ExamEvent.login, input.data);
    this.set({ loginBusy: false });
    if (!res) return this.set({ loginError: OFFLINE });
    if (!res.ok) return this.set({ loginError: res.error });
    this.credentials = input.data;
    this.applyLogin(res.data, await this.storedEvents(res.data.attemptId));
  }

  /** Click on an option: 单选/判断 pick one (again clears it), 多选 toggles. */
  choose(itemId: string, key: string): void {
    const item = this.item(itemId);
    if (!item || !isChoiceItem(item) || !item.options.some((o) => o.key === key) || !this.canAnswer()) return;
    const current = this.state.answers[itemId];
    const selected = current?.kind === 'choice' ? current.selected : [];
    const next =
      item.type === 'multiple'
        ? selected.includes(key)
          ? selected.filter((k) => k !== key)
          : [...selected, key].sort()
        : selected.length === 1 && selected[0] === key
          ? []
          : [key];
    this.record(itemId, { kind: 'choice', selected: next });
  }

  /** Typing shows at once and is saved after a short pause. */
  setText(itemId: string, text: string): void {
    const item = this.item(itemId);
    if (!item || item.type !== 'text' || !this.canAnswer()) return;
    this.draft(itemId, { kind: 'text', text: text.slice(0, item.maxLength) });
  }

  /** 计算分析题 / 综合题: the answer to one requirement 要求(n); saved after a short pause like text. */
  setCasePart(itemId: string, reqId: string, answer: RequirementAnswer): void {
    const item = this.item(itemId);
    if (!item || !isCaseItem(item) || !this.canAnswer()) return;
    const order = item.requirements.map((r) => r.reqId);
    if (!order.includes(reqId)) return;
    const current = this.state.answers[itemId];
    const others = current?.kind === 'case' ? current.parts.filter((p) => p.reqId !== reqId) : [];
    const parts = [...others, { reqId, answer }].sort((a, b) => order.indexOf(a.reqId) - order.indexOf(b.reqId));
    this.draft(itemId, { kind: 'case', parts });
  }

  /** 交卷: waits for every change to be acknowledged first, so nothing shown is left behind. */
  async submit(): Promise<void> {
    if (this.state.submitBusy || this.state.ended || !this.attempt) return;
    for (const itemId of [...this.drafts.keys()]) this.commitDraft(itemId);
    this.set({ submitBusy: true, submitError: null });
    const error = await this.handIn();
    this.set({ submitBusy: false, submitError: error });
  }

  /** 离开考试界面: the kiosk window lost focus, was hidden or left fullscreen; the venue is told. */
  reportFocusLoss(kind: FocusLossKind): void {
    if (this.state.stage !== 'answering' || this.state.ended || !this.attempt) return;
    this.unreportedFocus.push({ kind, at: new Date(serverNow(this.state.offsetMs)).toISOString() });
    this.set({ focusLosses: this.state.focusLosses + 1 });
    this.reportFocus();
  }

  /** The candidate has read the proctor's message (知道了). */
  dismissRoomMessage(at: string): void {
    this.set({ roomMessages: this.state.roomMessages.filter((m) => m.at !== at) });
  }

  /** The 恢复 / 补时 notice was shown long enough. */
  dismissTimeNotice(id: number): void {
    if (this.state.timeNotice?.id === id) this.set({ timeNotice: null });
  }

  /** Check the server clock again now (e.g. before the 交卷 rules are shown); display only. */
  async resyncClock(): Promise<void> {
    if (this.ready !== 'none' && this.channel.connected) await this.syncClock();
  }

  // ── link lifecycle ───────────────────────────────────────────────────────────────────

  private async onConnected(): Promise<void> {
    const link = ++this.link;
    this.ready = 'none';
    this.set({ connection: 'connected' });
    const hello = await this.tryRequest(ExamEvent.hello, this.hello);
    if (link !== this.link) return;
    if (!hello) return this.retryHandshake(link);
    if (!hello.ok) {
      // e.g. MACHINE_UNKNOWN before the T-90 check-in registered this seat: keep asking.
      this.set({ stage: 'machine_refused', machineError: hello.error });
      return this.retryHandshake(link);
    }
    this.ready = 'machine';
    // A first guess (or a correction after a clock change) until the round trips below are done.
    this.clock.observe(Date.parse(hello.data.serverTime));
    this.set({ venueName: hello.data.venueName, machineError: null, offsetMs: this.clock.offsetMs });
    this.startResync(link);
    if (!this.credentials) {
      // The login form is usable at once; the round trips refine the clock while the candidate types.
      if (this.state.stage === 'connecting' || this.state.stage === 'machine_refused') this.set({ stage: 'waiting_login' });
      await this.syncClock();
      return;
    }
    // Re-attach the attempt first (same credentials, then resend whatever is unacknowledged): the
    // answers waiting in the queue matter more than the clock, which the round trips refine meanwhile
    // (a venue just restarted may answer them slowly).
    void this.syncClock();
    const login = await this.tryRequest(ExamEvent.login, this.credentials);
    if (link !== this.link) return;
    if (!login) return this.retryHandshake(link);
    if (!login.ok) {
      if (!this.onAttemptError(login.error)) {
        this.set({ saveError: login.error });
        this.retryHandshake(link);
      }
      return;
    }
    const stored = await this.storedEvents(login.data.attemptId);
    if (link !== this.link) return;
    this.applyLogin(login.data, stored);
  }

  private retryHandshake(link: number): void {
    this.later(() => {
      if (link === this.link && this.channel.connected) void this.onConnected();
    });
  }

  private onDisconnected(reason?: string): void {
    this.link++;
    this.ready = 'none';
    this.stopResync();
    this.outbox?.markAllUnsent();
    this.set({ connection: 'disconnected' });
    // socket.io reconnects by itself except after a server-side disconnect (e.g. a restarting
    // gateway); an exam machine must keep trying unless its part is over.
    if (reason === 'io server disconnect') {
      const link = this.link;
      this.later(() => {
        if (link === this.link && this.state.stage !== 'superseded' && !this.channel.connected) this.channel.connect();
      });
    }
  }

  /** The local queue of an attempt, read once per page (later logins continue from memory). */
  private async storedEvents(attemptId: string): Promise<AnswerEvent[] | null> {
    if (this.outbox && this.attempt?.attemptId === attemptId) return null;
    return this.queue.load(attemptId).catch(() => []);
  }

  private applyLogin(ack: CandidateLoginAck, stored: AnswerEvent[] | null): void {
    this.attempt = { attemptId: ack.attemptId, leaseEpoch: ack.leaseEpoch };
    let answers = this.state.answers;
    if (stored) {
      // First login on this page: the venue's copy, then the changes the local queue still holds.
      this.outbox = AnswerOutbox.restore(ack.lastAckedSeq, stored);
      answers = latestAnswers(ack.answers);
      for (const event of this.outbox.pending) {
        answers = { ...answers, [event.itemId]: event.value };
        this.persist((q, id) => q.append(id, event));
      }
      this.persist((q, id) => q.dropThrough(id, ack.lastAckedSeq));
    } else if (!this.outbox || ack.lastAckedSeq > this.outbox.lastSeq) {
      // The server holds changes this machine never made (换机 back): start from its copy.
      this.outbox = new AnswerOutbox(ack.lastAckedSeq);
      answers = latestAnswers(ack.answers);
    } else {
      this.outbox.acknowledge(ack.lastAckedSeq);
      this.outbox.markAllUnsent();
    }
    const session = newer(ack.session, this.pushedSession);
    this.ready = 'attempt';
    this.set({ candidate: ack.candidate, session, answers, pause: pauseOf(session, this.state.pause), loginError: null, saveError: null, ...this.saveState() });
    this.reportFocus();

    if (FINISHED_STATUSES.has(ack.status)) return this.end(ack.status === 'submitted' ? 'submitted' : 'time_up', session.serverTime);
    if (session.phase === 'in_progress') void this.loadPaper();
    else if (this.state.stage !== 'answering' && this.state.stage !== 'ended') this.set({ stage: 'identity' });
    this.flush();
  }

  private onSessionState(view: SessionView): void {
    // Every push carries the server's time: a clock that moved shows at once, not at the next sync.
    if (this.clock.observe(Date.parse(view.serverTime))) {
      this.set({ offsetMs: this.clock.offsetMs });
      void this.syncClock();
    }
    this.pushedSession = newer(view, this.pushedSession);
    if (!this.attempt || !this.state.session) return;
    const session = newer(view, this.state.session);
    this.set({ session, pause: pauseOf(session, this.state.pause) });
    if (this.state.session?.phase === 'in_progress') void this.loadPaper();
  }

  /** 暂停 / 恢复 / 补时: a new own end; while paused the clock stands still and nothing can be changed. */
  private onTimeChanged(push: AttemptTimePush): void {
    if (!this.attempt || push.attemptId !== this.attempt.attemptId || this.state.ended) return;
    const patch = { endsAt: push.endsAt, pausedAt: push.pausedAt };
    if (this.pushedSession) this.pushedSession = { ...this.pushedSession, ...patch };
    const session = this.state.session ? { ...this.state.session, ...patch } : null;
    const pause = push.pausedAt ? { since: push.pausedAt, reason: push.reason } : null;
    const timeNotice: TimeNotice | null =
      push.change === 'paused' ? null : { id: ++this.noticeId, change: push.change, minutes: push.minutes, reason: push.reason };
    // Typing still waiting for its pause is kept: the venue accepts saves while paused.
    if (pause) for (const itemId of [...this.drafts.keys()]) this.commitDraft(itemId);
    this.set({ session, pause, timeNotice });
  }

  private onAttemptEnded(push: AttemptEndedPush): void {
    if (this.attempt && push.attemptId === this.attempt.attemptId) this.end(push.reason, push.endedAt);
  }

  private async loadPaper(): Promise<void> {
    if (this.state.paper || this.paperLoading || !this.attempt || this.state.ended || this.ready !== 'attempt') return;
    this.paperLoading = true;
    this.set({ stage: 'loading_paper' });
    const res = await this.tryRequest(ExamEvent.fetchPaper, this.attempt);
    this.paperLoading = false;
    if (res?.ok) {
      const paper = { ...res.data.paper, items: [...res.data.paper.items].sort((a, b) => a.no - b.no) };
      this.set({ paper, paperError: null, stage: this.state.ended ? 'ended' : 'answering' });
      return;
    }
    if (res && this.onAttemptError(res.error)) return;
    this.set({ paperError: res ? res.error : OFFLINE, stage: this.state.ended ? 'ended' : 'identity' });
    // Offline: re-attaching after reconnect fetches again. Refused (e.g. NOT_STARTED): try again shortly.
    if (res) this.later(() => void this.loadPaper());
  }

  // ── server clock ─────────────────────────────────────────────────────────────────────

  private async syncClock(): Promise<void> {
    await this.clock.sync(this.opts.syncRounds);
    if (this.state.offsetMs !== this.clock.offsetMs) this.set({ offsetMs: this.clock.offsetMs });
  }

  private startResync(link: number): void {
    this.stopResync();
    this.resyncTimer = setInterval(() => {
      if (link === this.link && this.channel.connected) void this.syncClock();
    }, this.opts.resyncMs);
  }

  private stopResync(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
  }

  // ── answers ──────────────────────────────────────────────────────────────────────────

  private canAnswer(): boolean {
    const { stage, ended, paper, session, offsetMs, pause } = this.state;
    if (stage !== 'answering' || ended || pause || !paper || !session || !this.outbox) return false;
    return serverNow(offsetMs) < Date.parse(session.endsAt);
  }

  private item(itemId: string): Item | undefined {
    return this.state.paper?.items.find((i) => i.itemId === itemId);
  }

  /** Show a change at once; send it once typing pauses. A value the venue would refuse is not sent. */
  private draft(itemId: string, value: AnswerValue): void {
    const item = this.item(itemId);
    const problem = item ? checkAnswerFitsItem(item, value) : null;
    if (problem || !AnswerValue.safeParse(value).success) {
      this.set({ saveError: problem ?? clientError('VALIDATION_FAILED', '作答内容格式不正确', 'the answer is malformed') });
      return;
    }
    const previous = this.drafts.get(itemId);
    if (previous) clearTimeout(previous);
    this.drafts.set(
      itemId,
      setTimeout(() => this.commitDraft(itemId), this.opts.textSaveDelayMs),
    );
    this.set({ answers: { ...this.state.answers, [itemId]: value }, ...this.saveState() });
  }

  private commitDraft(itemId: string): void {
    const timer = this.drafts.get(itemId);
    if (timer) clearTimeout(timer);
    this.drafts.delete(itemId);
    const value = this.state.answers[itemId];
    if (value && this.outbox && !this.state.ended) this.record(itemId, value);
    else this.set(this.saveState());
  }

  private record(itemId: string, value: AnswerValue): void {
    if (!this.outbox) return;
    const event = this.outbox.record(itemId, value);
    this.persist((q, id) => q.append(id, event));
    this.set({ answers: { ...this.state.answers, [itemId]: value }, ...this.saveState() });
    this.flush();
  }

  private flush(): void {
    if (this.ready !== 'attempt' || !this.attempt || !this.outbox) return;
    // socket.io keeps order on one connection, so the whole batch can go out at once.
    for (const event of this.outbox.takeUnsent()) void this.send(event, this.attempt, this.link);
  }

  private async send(event: AnswerEvent, attempt: AttemptRef, link: number): Promise<void> {
    let res: Ack<SaveAnswerAck>;
    try {
      res = await this.channel.request(ExamEvent.saveAnswer, { ...attempt, seq: event.seq, itemId: event.itemId, value: event.value });
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      // No ack on a live link: resend everything unacknowledged (the server de-duplicates).
      if (link === this.link && this.channel.connected) this.scheduleResend();
      return;
    }
    if (res.ok) {
      if (res.data.attemptId === attempt.attemptId && this.outbox?.acknowledge(res.data.ackedSeq)) {
        const acked = res.data.ackedSeq;
        this.persist((q, id) => q.dropThrough(id, acked));
        this.set(this.saveState());
      }
      return;
    }
    if (this.onAttemptError(res.error)) return;
    if (res.error.code === 'SEQ_GAP') return this.scheduleResend();
    this.set({ saveError: res.error });
  }

  private scheduleResend(): void {
    if (this.resendTimer) return;
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      this.outbox?.markAllUnsent();
      this.flush();
    }, this.opts.retryDelayMs);
  }

  private saveState(): Pick<ExamState, 'saving' | 'unsavedItems' | 'pendingCount'> {
    const unsaved = this.outbox ? this.outbox.unsavedItemIds() : new Set<string>();
    for (const itemId of this.drafts.keys()) unsaved.add(itemId);
    return { saving: unsaved.size > 0 || !(this.outbox?.isSaved ?? true), unsavedItems: unsaved, pendingCount: this.outbox?.pending.length ?? 0 };
  }

  /** One write to the local queue of the current attempt, after the ones before it. */
  private persist(op: (queue: AnswerQueueStore, attemptId: string) => Promise<void>): void {
    const attemptId = this.attempt?.attemptId;
    if (!attemptId) return;
    // A failing store (e.g. storage disabled) costs only the reload safety; the venue still gets every change.
    this.persisting = this.persisting.then(() => op(this.queue, attemptId)).catch(() => undefined);
  }

  /** Waits for every local queue write so far (tests, and before the page may go away). */
  whenPersisted(): Promise<void> {
    return this.persisting;
  }

  private reportFocus(): void {
    if (this.ready !== 'attempt' || !this.attempt || this.unreportedFocus.length === 0) return;
    const attempt = this.attempt;
    for (const report of this.unreportedFocus.splice(0)) {
      void this.tryRequest(ExamEvent.focusLost, { ...attempt, ...report }).then((res) => {
        // Not delivered: told again after the next re-attach. Refused (e.g. ended): nothing to tell.
        if (!res) this.unreportedFocus.push(report);
      });
    }
  }

  // ── hand-in and end ──────────────────────────────────────────────────────────────────

  private async handIn(): Promise<UiError | null> {
    if (this.ready !== 'attempt' || !this.attempt) return OFFLINE;
    if (!(await this.whenSaved(this.opts.submitDrainMs))) return UNSAVED;
    const res = await this.tryRequest(ExamEvent.submit, this.attempt);
    if (!res) return OFFLINE;
    if (!res.ok) return this.onAttemptError(res.error) ? null : res.error;
    if (this.outbox?.acknowledge(res.data.ackedSeq)) this.persist((q, id) => q.dropThrough(id, res.data.ackedSeq));
    this.end('submitted', res.data.submittedAt);
    return null;
  }

  private whenSaved(timeoutMs: number): Promise<boolean> {
    if (this.outbox?.isSaved ?? true) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (saved: boolean) => {
        unsubscribe();
        clearTimeout(timer);
        resolve(saved);
      };
      const unsubscribe = this.subscribe(() => {
        if (this.outbox?.isSaved) finish(true);
      });
      const timer = setTimeout(() => finish(false), timeoutMs);
    });
  }

  /** Refusals that end this machine's part in the attempt. */
  private onAttemptError(error: ErrorBody): boolean {
    if (error.code === 'LEASE_SUPERSEDED') {
      this.ready = 'none';
      this.set({ stage: 'superseded', saveError: error });
      return true;
    }
    if (error.code === 'ATTEMPT_ENDED') {
      this.end('time_up', new Date(serverNow(this.state.offsetMs)).toISOString());
      return true;
    }
    return false;
  }

  private end(reason: EndReason, at: string): void {
    if (this.state.ended) return;
    // Drafts still typing are refused by the server after the end; drop them.
    for (const timer of this.drafts.values()) clearTimeout(timer);
    this.drafts.clear();
    this.set({ ended: { reason, at }, stage: 'ended', ...this.saveState() });
  }

  // ── plumbing ─────────────────────────────────────────────────────────────────────────

  private async tryRequest<E extends ExamRequestEvent>(event: E, payload: RequestOf<E>) {
    try {
      return await this.channel.request(event, payload);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return null;
      throw error;
    }
  }

  private later(fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.opts.retryDelayMs);
    this.timers.add(timer);
  }
}
