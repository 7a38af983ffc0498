import { Inject, Injectable } from '@nestjs/common';
import { CreateSitting, UpdateSitting, UpsertRegions, VenuePlanning } from '@kaowu/contracts';
import type { EntityManager } from 'typeorm';
import { beijingInstant, checkBatchSchedule } from '@kaowu/planning-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { StaffPrincipal, assertInRegion } from '../auth/staff-principal';

export interface SittingPlan {
  sittingCode: string;
  name: string;
  minMinutesBeforeHandIn: number;
  lateLoginCutoffMinutes: number;
  subjects: { subjectCode: string; subjectName: string; durationMinutes: number }[];
  batches: { batchCode: string; name: string; date: string; subjects: { subjectCode: string; startsAt: string }[] }[];
}

/** 考试计划, regions (地区) and the planning data of venues: what registration and seating work from. */
@Injectable()
export class SittingPlanService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  async createSitting(input: unknown, actor: string): Promise<SittingPlan> {
    const s = parseInput(CreateSitting, input, '考试计划');
    checkPlan(s);
    const codes = s.subjects.map((x) => x.subjectCode);
    const batchCodes = s.batches.map((b) => b.batchCode);
    const now = this.ctx.clock.now().toISOString();
    await this.ds.transaction(async (em) => {
      const rows = await em.query(
        'INSERT INTO sitting (sitting_code, name, min_minutes_before_hand_in, late_login_cutoff_minutes, created_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING sitting_code',
        [s.sittingCode, s.name, s.minMinutesBeforeHandIn, s.lateLoginCutoffMinutes, now],
      );
      if (rows.length === 0) throw new DomainError('CONFLICT', `考试计划 ${s.sittingCode} 已存在`, `sitting ${s.sittingCode} exists`, 'sittingCode');
      await insertSubjectsAndBatches(em, s.sittingCode, s);
      await this.audit.record({ actor, action: 'sitting.created', subject: s.sittingCode, details: { subjects: codes, batches: batchCodes } }, em);
    });
    return this.getSitting(s.sittingCode);
  }

  /**
   * 修改考试计划. Before anyone has registered the subjects and batches may be replaced outright;
   * afterwards their codes and order stay (registrations and seats name them) and only names,
   * durations, dates, start times and the rules change. A batch subject with a scheduled 场次 keeps
   * its start time and duration: its venue packages were built from them.
   */
  async updateSitting(sittingCode: string, input: unknown, actor: string): Promise<SittingPlan> {
    const s = { ...parseInput(UpdateSitting, input, '考试计划'), sittingCode };
    checkPlan(s);
    const before = await this.getSitting(sittingCode);
    const [{ registrants }] = await this.ds.query('SELECT count(*)::int AS registrants FROM registrant WHERE sitting_code = $1', [sittingCode]);
    const scheduled: { batch_code: string; subject_code: string; session_id: string }[] = await this.ds.query(
      'SELECT batch_code, subject_code, session_id FROM exam_session WHERE sitting_code = $1',
      [sittingCode],
    );
    const sameCodes = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);
    const subjectsKept = sameCodes(s.subjects.map((x) => x.subjectCode), before.subjects.map((x) => x.subjectCode));
    const batchesKept = sameCodes(s.batches.map((x) => x.batchCode), before.batches.map((x) => x.batchCode));
    if (registrants > 0 || scheduled.length > 0) {
      const why = registrants > 0 ? `已有 ${registrants} 名考生报名` : '已安排场次';
      if (!subjectsKept)
        throw new DomainError('CONFLICT', `${why}，科目不能增删或调整顺序（可修改科目名称和时长）`, 'registrations exist: subjects cannot be added, removed or reordered', 'subjects');
      if (!batchesKept)
        throw new DomainError('CONFLICT', `${why}，批次不能增删或调整顺序（可修改批次名称、日期和开考时间）`, 'registrations exist: batches cannot be added, removed or reordered', 'batches');
    }
    for (const slot of scheduled) {
      const b = s.batches.findIndex((x) => x.batchCode === slot.batch_code);
      const k = s.subjects.findIndex((x) => x.subjectCode === slot.subject_code);
      const wasStart = before.batches[b]?.subjects.find((x) => x.subjectCode === slot.subject_code)?.startsAt;
      if (wasStart && beijingInstant(s.batches[b].date, s.batches[b].startTimes[k]) !== wasStart)
        throw new DomainError('CONFLICT', `场次 ${slot.session_id} 已安排，批次 ${slot.batch_code} 科目 ${slot.subject_code} 的日期和开考时间不能再修改`, `session ${slot.session_id} is scheduled: its date and start time are fixed`, `batches.${b}.startTimes.${k}`);
      if (s.subjects[k].durationMinutes !== before.subjects[k].durationMinutes)
        throw new DomainError('CONFLICT', `场次 ${slot.session_id} 已安排，科目 ${slot.subject_code} 的考试时长不能再修改`, `session ${slot.session_id} is scheduled: the subject's duration is fixed`, `subjects.${k}.durationMinutes`);
    }
    await this.ds.transaction(async (em) => {
      await em.query('UPDATE sitting SET name = $2, min_minutes_before_hand_in = $3, late_login_cutoff_minutes = $4 WHERE sitting_code = $1', [
        sittingCode, s.name, s.minMinutesBeforeHandIn, s.lateLoginCutoffMinutes,
      ]);
      if (subjectsKept && batchesKept) {
        for (const x of s.subjects)
          await em.query('UPDATE sitting_subject SET subject_name = $3, duration_minutes = $4 WHERE sitting_code = $1 AND subject_code = $2', [sittingCode, x.subjectCode, x.subjectName, x.durationMinutes]);
        for (const [i, b] of s.batches.entries()) {
          await em.query('UPDATE sitting_batch SET name = $3, batch_date = $4 WHERE sitting_code = $1 AND batch_code = $2', [sittingCode, b.batchCode, b.name ?? before.batches[i].name, b.date]);
          for (const [k, x] of s.subjects.entries())
            await em.query('UPDATE batch_subject SET starts_at = $4 WHERE sitting_code = $1 AND batch_code = $2 AND subject_code = $3', [sittingCode, b.batchCode, x.subjectCode, beijingInstant(b.date, b.startTimes[k])]);
        }
      } else {
        // Nobody registered and nothing scheduled: the plan's subjects and batches are replaced.
        await em.query('DELETE FROM sitting_batch WHERE sitting_code = $1', [sittingCode]);
        await em.query('DELETE FROM sitting_subject WHERE sitting_code = $1', [sittingCode]);
        await insertSubjectsAndBatches(em, sittingCode, s);
      }
      await this.audit.record(
        { actor, action: 'sitting.updated', subject: sittingCode, details: { before: { subjects: before.subjects, batches: before.batches, minMinutesBeforeHandIn: before.minMinutesBeforeHandIn, lateLoginCutoffMinutes: before.lateLoginCutoffMinutes } } },
        em,
      );
    });
    return this.getSitting(sittingCode);
  }

  /** Every sitting, newest first (the console's sitting picker). */
  async listSittings(): Promise<{ sittingCode: string; name: string }[]> {
    const rows: { sitting_code: string; name: string }[] = await this.ds.query('SELECT sitting_code, name FROM sitting ORDER BY created_at DESC, sitting_code');
    return rows.map((r) => ({ sittingCode: r.sitting_code, name: r.name }));
  }

  async getSitting(sittingCode: string): Promise<SittingPlan> {
    const [sitting] = await this.ds.query('SELECT * FROM sitting WHERE sitting_code = $1', [sittingCode]);
    if (!sitting) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在`, `sitting ${sittingCode} not found`, 'sittingCode');
    const subjects: { subject_code: string; subject_name: string; duration_minutes: number }[] = await this.ds.query('SELECT * FROM sitting_subject WHERE sitting_code = $1 ORDER BY seq', [sittingCode]);
    const batches: { batch_code: string; name: string; batch_date: string | Date }[] = await this.ds.query(`SELECT batch_code, name, to_char(batch_date, 'YYYY-MM-DD') AS batch_date FROM sitting_batch WHERE sitting_code = $1 ORDER BY seq`, [sittingCode]);
    const starts: { batch_code: string; subject_code: string; starts_at: Date }[] = await this.ds.query(
      'SELECT bs.batch_code, bs.subject_code, bs.starts_at FROM batch_subject bs JOIN sitting_subject s USING (sitting_code, subject_code) WHERE bs.sitting_code = $1 ORDER BY s.seq',
      [sittingCode],
    );
    return {
      sittingCode,
      name: sitting.name,
      minMinutesBeforeHandIn: sitting.min_minutes_before_hand_in,
      lateLoginCutoffMinutes: sitting.late_login_cutoff_minutes,
      subjects: subjects.map((x) => ({ subjectCode: x.subject_code, subjectName: x.subject_name, durationMinutes: x.duration_minutes })),
      batches: batches.map((b) => ({
        batchCode: b.batch_code,
        name: b.name,
        date: String(b.batch_date),
        subjects: starts.filter((x) => x.batch_code === b.batch_code).map((x) => ({ subjectCode: x.subject_code, startsAt: new Date(x.starts_at).toISOString() })),
      })),
    };
  }

  async upsertRegions(input: unknown, actor: string) {
    const { regions } = parseInput(UpsertRegions, input, '地区');
    const names = regions.map((r) => r.name);
    const dupName = names.find((n, i) => names.indexOf(n) !== i);
    if (dupName) throw new DomainError('VALIDATION_FAILED', `地区名称 ${dupName} 重复`, `region name ${dupName} listed twice`, 'regions');
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO region (region_code, name) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (region_code) DO UPDATE SET name = EXCLUDED.name`,
        [regions.map((r) => r.regionCode), regions.map((r) => r.name)],
      );
      await this.audit.record({ actor, action: 'regions.upserted', subject: 'region', details: { regions: regions.map((r) => r.regionCode) } }, em);
    }).catch((error: unknown) => {
      // unique_violation on region.name: another region already has that name
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505')
        throw new DomainError('CONFLICT', '地区名称与已有地区重复', 'a region name is already used by another region', 'regions');
      throw error;
    });
    return { regions: regions.length };
  }

  /** A venue's region, address, spare room, technical contacts and proctors per room (a 市、州 考办 keeps it in its region). */
  async setVenuePlanning(venueCode: string, input: unknown, staff: StaffPrincipal) {
    const p = parseInput(VenuePlanning, input, '考点编排信息');
    assertInRegion(staff, p.regionCode, `地区 ${p.regionCode} `, `region ${p.regionCode}`, 'regionCode');
    const actor = staff.actor;
    const [venue] = await this.ds.query('SELECT rooms FROM venue WHERE venue_code = $1', [venueCode]);
    if (!venue) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 不存在`, `venue ${venueCode} not found`, 'venueCode');
    const roomCodes = new Set((venue.rooms as { roomCode: string }[]).map((r) => r.roomCode));
    if (p.spareRoomCode && !roomCodes.has(p.spareRoomCode))
      throw new DomainError('VALIDATION_FAILED', `备用考场 ${p.spareRoomCode} 不是本考点的考场`, `spare room ${p.spareRoomCode} is not a room of this venue`, 'spareRoomCode');
    const unknownRoom = Object.keys(p.proctors).find((r) => !roomCodes.has(r));
    if (unknownRoom) throw new DomainError('VALIDATION_FAILED', `考场 ${unknownRoom} 不是本考点的考场`, `room ${unknownRoom} is not a room of this venue`, `proctors.${unknownRoom}`);
    const [region] = await this.ds.query('SELECT 1 FROM region WHERE region_code = $1', [p.regionCode]);
    if (!region) throw new DomainError('VALIDATION_FAILED', `地区 ${p.regionCode} 不存在`, `region ${p.regionCode} not found`, 'regionCode');
    await this.ds.transaction(async (em) => {
      await em.query('UPDATE venue SET region_code = $2, address = $3, spare_room_code = $4, technical_contacts = $5 WHERE venue_code = $1', [
        venueCode, p.regionCode, p.address, p.spareRoomCode ?? null, JSON.stringify(p.technicalContacts),
      ]);
      await em.query('DELETE FROM room_staffing WHERE venue_code = $1', [venueCode]);
      const entries = Object.entries(p.proctors);
      if (entries.length > 0)
        await em.query('INSERT INTO room_staffing (venue_code, room_code, proctors) SELECT $1, * FROM unnest($2::text[], $3::int[])', [venueCode, entries.map((e) => e[0]), entries.map((e) => e[1])]);
      await this.audit.record({ actor, action: 'venue.planning_set', subject: venueCode, details: { regionCode: p.regionCode, spareRoomCode: p.spareRoomCode ?? null, proctors: p.proctors } }, em);
    });
    return { venueCode, ...p };
  }
}

/** The plan's own rules: codes unique, each batch one start time per subject, subjects not overlapping. */
function checkPlan(s: CreateSitting): void {
  const codes = s.subjects.map((x) => x.subjectCode);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new DomainError('VALIDATION_FAILED', `科目代码 ${dup} 重复`, `subject ${dup} listed twice`, `subjects.${codes.lastIndexOf(dup)}.subjectCode`);
  const batchCodes = s.batches.map((b) => b.batchCode);
  const dupBatch = batchCodes.find((c, i) => batchCodes.indexOf(c) !== i);
  if (dupBatch) throw new DomainError('VALIDATION_FAILED', `批次代码 ${dupBatch} 重复`, `batch ${dupBatch} listed twice`, `batches.${batchCodes.lastIndexOf(dupBatch)}.batchCode`);
  s.batches.forEach((b, i) => {
    const problem = checkBatchSchedule(s.subjects, b.startTimes);
    if (problem?.reason === 'START_TIMES_COUNT')
      throw new DomainError('VALIDATION_FAILED', `批次 ${b.batchCode} 应为每个科目各给出一个开考时间（共 ${problem.expected} 个）`, `batch ${b.batchCode} needs ${problem.expected} start times`, `batches.${i}.startTimes`);
    if (problem?.reason === 'SUBJECTS_OVERLAP')
      throw new DomainError(
        'VALIDATION_FAILED',
        `批次 ${b.batchCode}：${problem.subjectCode} 在 ${problem.previous} 结束前开考`,
        `batch ${b.batchCode}: ${problem.subjectCode} starts before ${problem.previous} ends`,
        `batches.${i}.startTimes.${s.subjects.findIndex((x) => x.subjectCode === problem.subjectCode)}`,
      );
  });
}

async function insertSubjectsAndBatches(em: EntityManager, sittingCode: string, s: Pick<CreateSitting, 'subjects' | 'batches'>): Promise<void> {
  for (const [i, x] of s.subjects.entries())
    await em.query('INSERT INTO sitting_subject (sitting_code, subject_code, subject_name, seq, duration_minutes) VALUES ($1,$2,$3,$4,$5)', [sittingCode, x.subjectCode, x.subjectName, i + 1, x.durationMinutes]);
  for (const [i, b] of s.batches.entries()) {
    await em.query('INSERT INTO sitting_batch (sitting_code, batch_code, name, seq, batch_date) VALUES ($1,$2,$3,$4,$5)', [sittingCode, b.batchCode, b.name ?? `第${i + 1}批次`, i + 1, b.date]);
    for (const [k, x] of s.subjects.entries())
      await em.query('INSERT INTO batch_subject (sitting_code, batch_code, subject_code, starts_at) VALUES ($1,$2,$3,$4)', [sittingCode, b.batchCode, x.subjectCode, beijingInstant(b.date, b.startTimes[k])]);
  }
}
