import type { CandidateLoginAck, ErrorBody, ErrorCode, PaperContent, SaveAnswer, SavedAnswer, SessionPhase, SessionView } from '@kaowu/contracts';
import { FakeClientSocket } from '@kaowu/ui';

/** A 1×1 PNG: the roster photo of the candidate. */
export const PHOTO = { mediaType: 'image/png' as const, data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC' };

export const TICKET = '202605160001';
export const ID_NO = '110101199003071234';
export const ATTEMPT_ID = 'att-0001';

export const paperFixture: PaperContent = {
  format: 'kaowu.paper',
  version: 1,
  paperId: 'P2026-ACC',
  subjectName: '中级会计实务',
  items: [
    {
      itemId: 'Q1',
      no: 1,
      type: 'single',
      stem: '下列各项中，属于流动资产的是（）。',
      score: 1.5,
      options: [
        { key: 'A', text: '应收账款' },
        { key: 'B', text: '固定资产' },
        { key: 'C', text: '无形资产' },
        { key: 'D', text: '长期股权投资' },
      ],
    },
    {
      itemId: 'Q2',
      no: 2,
      type: 'multiple',
      stem: '下列各项中，应计入存货成本的有（）。',
      score: 2,
      options: [
        { key: 'A', text: '购买价款' },
        { key: 'B', text: '入库前的挑选整理费' },
        { key: 'C', text: '运输途中的合理损耗' },
      ],
    },
    {
      itemId: 'Q3',
      no: 3,
      type: 'judge',
      stem: '企业的库存现金属于货币资金。',
      score: 1,
      options: [
        { key: 'A', text: '正确' },
        { key: 'B', text: '错误' },
      ],
    },
    { itemId: 'Q4', no: 4, type: 'text', stem: '简述存货的确认条件。', score: 5, maxLength: 500 },
  ],
};

/** The same paper with a 计算分析题 after it: material with a table, a numeric and a journal requirement. */
export const casePaperFixture: PaperContent = {
  ...paperFixture,
  items: [
    ...paperFixture.items,
    {
      itemId: 'C1',
      no: 5,
      type: 'calculation',
      stem: '甲公司为增值税一般纳税人。',
      score: 11,
      material: [
        { kind: 'paragraph', text: '资料一：甲公司销售商品一批，售价200万元，增值税26万元，款项已收存银行。' },
        { kind: 'table', caption: '商品资料', header: ['项目', '金额'], rows: [['售价', '200'], ['成本', '150']] },
      ],
      requirements: [
        { reqId: 'r1', prompt: '计算应确认的收入。', answer: { kind: 'numeric', fields: [{ key: 'revenue', label: '销售收入', unit: '万元' }] } },
        { reqId: 'r2', prompt: '编制销售商品的会计分录。', answer: { kind: 'journal', maxRows: 4 } },
        { reqId: 'r3', prompt: '填列下表。', answer: { kind: 'table', columns: [{ key: 'k', label: '项目' }, { key: 'v', label: '金额' }], maxRows: 3 } },
      ],
    },
  ],
};

const ok = (data: unknown) => ({ ok: true, data });
export const refuse = (code: ErrorCode, message: string, messageEn = message): { ok: false; error: ErrorBody } => ({
  ok: false,
  error: { code, message, messageEn },
});

/**
 * A small venue server: accepts one candidate, numbers nothing itself, stores answer events by
 * seq (first write wins, like the real journal) and acks the highest contiguous seq.
 */
export class FakeVenue {
  readonly socket = new FakeClientSocket();
  phase: SessionPhase = 'login_open';
  startsAt = new Date(Date.now() + 10 * 60_000).toISOString();
  endsAt = new Date(Date.now() + 2 * 3600_000).toISOString();
  status: CandidateLoginAck['status'] = 'logged_in';
  savedAnswers: SavedAnswer[] = [];
  readonly journal = new Map<number, SaveAnswer>();
  ackedSeq = 0;
  /** While set, save acks wait for `releaseSaves()`. */
  holdSaves = false;
  /** While set, saves are lost on the way: not stored, never acknowledged. */
  dropSaves = false;
  submitReply: unknown = null;
  paper: PaperContent = paperFixture;
  minMinutesBeforeHandIn = 90;
  /** How far the server's clock is ahead of the machine's. */
  clockAheadMs = 0;
  private held: (() => void)[] = [];

  constructor() {
    this.socket.handlers = {
      'machine:hello': (p: { roomCode: string; seatNo: number }) =>
        ok({ serverTime: new Date(this.now()).toISOString(), venueName: '北京市第一考点', roomCode: p.roomCode, seatNo: p.seatNo }),
      'time:sync': (p: { clientSentAt: number }) => ok({ clientSentAt: p.clientSentAt, serverTime: this.now() }),
      'candidate:login': (p: { ticketNo: string; idNo: string }) =>
        p.ticketNo === TICKET && p.idNo === ID_NO ? ok(this.loginAck()) : refuse('LOGIN_FAILED', '准考证号或证件号码错误', 'Wrong ticket or ID number'),
      'paper:fetch': () => (this.phase === 'in_progress' ? ok({ paper: this.paper }) : refuse('NOT_STARTED', '考试尚未开始', 'Not started')),
      'answer:save': (p: SaveAnswer) => {
        if (this.dropSaves) return new Promise(() => undefined);
        if (!this.journal.has(p.seq)) this.journal.set(p.seq, p);
        while (this.journal.has(this.ackedSeq + 1)) this.ackedSeq++;
        const reply = ok({ attemptId: ATTEMPT_ID, ackedSeq: this.ackedSeq });
        if (!this.holdSaves) return reply;
        return new Promise((resolve) => this.held.push(() => resolve(reply)));
      },
      'attempt:submit': () => this.submitReply ?? ok({ attemptId: ATTEMPT_ID, submittedAt: new Date().toISOString(), ackedSeq: this.ackedSeq }),
    };
  }

  session(): SessionView {
    return {
      sessionId: 'S1',
      subjectName: '中级会计实务',
      phase: this.phase,
      startsAt: this.startsAt,
      endsAt: this.endsAt,
      serverTime: new Date(this.now()).toISOString(),
      minMinutesBeforeHandIn: this.minMinutesBeforeHandIn,
    };
  }

  loginAck(): CandidateLoginAck {
    return {
      attemptId: ATTEMPT_ID,
      leaseEpoch: 1,
      lastAckedSeq: this.ackedSeq,
      status: this.status,
      candidate: { name: '张三', gender: 'M', ticketNo: TICKET, idNoMasked: '1101**********1234', roomCode: 'R01', seatNo: 3, photo: PHOTO },
      session: this.session(),
      answers: this.savedAnswers,
    };
  }

  now(): number {
    return Date.now() + this.clockAheadMs;
  }

  /** Start the exam: the server pushes the new session state. */
  start() {
    this.phase = 'in_progress';
    this.socket.push('session:state', this.session());
  }

  releaseSaves() {
    const held = this.held;
    this.held = [];
    for (const resolve of held) resolve();
  }

  /** Saves as the server received them (resends included). */
  saves(): SaveAnswer[] {
    return this.socket.sentOf('answer:save') as SaveAnswer[];
  }
}
