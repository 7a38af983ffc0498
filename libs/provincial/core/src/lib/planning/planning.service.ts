import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateExam, CreatePaper, CreateVenue, RegisterCandidates, ScheduleSession } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';

const conflict = (zh: string, en: string, field: string) => new DomainError('CONFLICT', zh, en, field);
const notFound = (zh: string, en: string, field: string) => new DomainError('NOT_FOUND', zh, en, field);

/** 考务编排: exams, venues with rooms and seats, candidates, papers with keys, sessions. */
@Injectable()
export class PlanningService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }
  private now() {
    return this.ctx.clock.now().toISOString();
  }

  async createExam(input: unknown, actor: string) {
    const e = parseInput(CreateExam, input, '考试');
    const rows = await this.ds.query(
      `INSERT INTO exam (exam_code, exam_name, subject_code, subject_name, duration_minutes, late_login_cutoff_minutes, min_minutes_before_hand_in, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING exam_code`,
      [e.examCode, e.examName, e.subjectCode, e.subjectName, e.durationMinutes, e.lateLoginCutoffMinutes, e.minMinutesBeforeHandIn, this.now()],
    );
    if (rows.length === 0) throw conflict(`考试代码 ${e.examCode} 已存在`, `exam ${e.examCode} exists`, 'examCode');
    await this.audit.record({ actor, action: 'exam.created', subject: e.examCode });
    return e;
  }

  async createVenue(input: unknown, actor: string) {
    const v = parseInput(CreateVenue, input, '考点');
    const codes = new Set<string>();
    for (const [i, r] of v.rooms.entries()) {
      if (codes.has(r.roomCode)) throw new DomainError('VALIDATION_FAILED', `考场号 ${r.roomCode} 重复`, `duplicate room ${r.roomCode}`, `rooms.${i}.roomCode`);
      codes.add(r.roomCode);
    }
    const rooms = v.rooms.map((r) => ({
      roomCode: r.roomCode,
      name: r.name,
      seats: Array.from({ length: r.rows * r.cols }, (_, i) => ({ seatNo: i + 1, row: Math.floor(i / r.cols) + 1, col: (i % r.cols) + 1 })),
    }));
    const rows = await this.ds.query('INSERT INTO venue (venue_code, name, rooms, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING venue_code', [
      v.venueCode, v.name, JSON.stringify(rooms), this.now(),
    ]);
    if (rows.length === 0) throw conflict(`考点代码 ${v.venueCode} 已存在`, `venue ${v.venueCode} exists`, 'venueCode');
    await this.audit.record({ actor, action: 'venue.created', subject: v.venueCode, details: { rooms: rooms.length } });
    return { venueCode: v.venueCode, rooms };
  }

  async registerCandidates(input: unknown, actor: string) {
    const { candidates } = parseInput(RegisterCandidates, input, '考生名单');
    const venues: { venue_code: string; rooms: { roomCode: string; seats: { seatNo: number }[] }[] }[] = await this.ds.query('SELECT venue_code, rooms FROM venue');
    const seatsOf = new Map(venues.map((v) => [v.venue_code, new Map(v.rooms.map((r) => [r.roomCode, new Set(r.seats.map((s) => s.seatNo))]))]));
    const seen = new Set<string>();
    candidates.forEach((c, i) => {
      const seats = seatsOf.get(c.venueCode)?.get(c.roomCode);
      if (!seats) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 行：考点 ${c.venueCode} 没有考场 ${c.roomCode}`, `row ${i + 1}: unknown venue/room`, `candidates.${i}.roomCode`);
      if (!seats.has(c.seatNo)) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 行：考场 ${c.roomCode} 没有 ${c.seatNo} 号座位`, `row ${i + 1}: unknown seat`, `candidates.${i}.seatNo`);
      const seat = `${c.venueCode}/${c.roomCode}/${c.seatNo}`;
      if (seen.has(seat)) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 行：座位 ${seat} 重复编排`, `row ${i + 1}: seat assigned twice`, `candidates.${i}.seatNo`);
      seen.add(seat);
    });
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO candidate (candidate_id, ticket_no, id_no, name, gender, venue_code, room_code, seat_no, photo_media_type, photo_data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[])
         ON CONFLICT (ticket_no) DO UPDATE SET id_no = EXCLUDED.id_no, name = EXCLUDED.name, gender = EXCLUDED.gender,
           venue_code = EXCLUDED.venue_code, room_code = EXCLUDED.room_code, seat_no = EXCLUDED.seat_no,
           photo_media_type = EXCLUDED.photo_media_type, photo_data = EXCLUDED.photo_data`,
        [
          candidates.map(() => randomUUID()),
          candidates.map((c) => c.ticketNo),
          candidates.map((c) => c.idNo),
          candidates.map((c) => c.name),
          candidates.map((c) => c.gender),
          candidates.map((c) => c.venueCode),
          candidates.map((c) => c.roomCode),
          candidates.map((c) => c.seatNo),
          candidates.map((c) => c.photo?.mediaType ?? null),
          candidates.map((c) => c.photo?.data ?? null),
        ],
      );
      await this.audit.record({ actor, action: 'candidates.registered', subject: 'candidate', details: { count: candidates.length } }, em);
    });
    return { registered: candidates.length };
  }

  async createPaper(input: unknown, actor: string) {
    const p = parseInput(CreatePaper, input, '试卷');
    p.items.forEach((item, i) => {
      // 计算分析题 / 综合题 are marked by graders: no option key to check.
      if (item.type === 'calculation' || item.type === 'comprehensive') return;
      const keys = new Set(item.options.map((o) => o.key));
      if (item.correct.some((k) => !keys.has(k))) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 题的标准答案不在选项中`, `item ${i + 1}: key not among options`, `items.${i}.correct`);
      if (item.type !== 'multiple' && item.correct.length !== 1) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 题应只有一个标准答案`, `item ${i + 1}: exactly one key`, `items.${i}.correct`);
      if (item.type === 'multiple' && item.correct.length < 2) throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 题(多选)至少两个标准答案`, `item ${i + 1}: multiple choice needs ≥ 2 keys`, `items.${i}.correct`);
    });
    const exam = await this.ds.query('SELECT 1 FROM exam WHERE exam_code = $1', [p.examCode]);
    if (exam.length === 0) throw notFound(`考试 ${p.examCode} 不存在`, `exam ${p.examCode} not found`, 'examCode');
    const rows = await this.ds.query('INSERT INTO paper (paper_id, exam_code, items, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING paper_id', [
      p.paperId, p.examCode, JSON.stringify(p.items), this.now(),
    ]);
    if (rows.length === 0) throw conflict(`试卷 ${p.paperId} 已存在`, `paper ${p.paperId} exists`, 'paperId');
    await this.audit.record({ actor, action: 'paper.created', subject: p.paperId, details: { items: p.items.length } });
    return { paperId: p.paperId, items: p.items.length };
  }

  async scheduleSession(input: unknown, actor: string) {
    const s = parseInput(ScheduleSession, input, '场次');
    if (new Date(s.releaseAt) > new Date(s.startsAt)) throw new DomainError('VALIDATION_FAILED', '试卷密钥发布时间不能晚于开考时间', 'releaseAt must not be after startsAt', 'releaseAt');
    const paper = await this.ds.query('SELECT 1 FROM paper WHERE paper_id = $1 AND exam_code = $2', [s.paperId, s.examCode]);
    if (paper.length === 0) throw notFound(`考试 ${s.examCode} 没有试卷 ${s.paperId}`, `paper ${s.paperId} not found for exam`, 'paperId');
    const rows = await this.ds.query('INSERT INTO exam_session (session_id, exam_code, paper_id, starts_at, release_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING session_id', [
      s.sessionId, s.examCode, s.paperId, s.startsAt, s.releaseAt,
    ]);
    if (rows.length === 0) throw conflict(`场次 ${s.sessionId} 已存在`, `session ${s.sessionId} exists`, 'sessionId');
    await this.audit.record({ actor, action: 'session.scheduled', subject: s.sessionId, details: { startsAt: s.startsAt, releaseAt: s.releaseAt } });
    return s;
  }
}
