import { Inject, Injectable } from '@nestjs/common';
import { ScheduleSittingSession } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';

/** 场次 of the exam plan: a batch's subject with its paper; venues then pull packages built from the allocation. */
@Injectable()
export class SittingSessionService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  async schedule(sittingCode: string, input: unknown, actor: string) {
    const s = parseInput(ScheduleSittingSession, input, '场次');
    const ds = this.ctx.db.dataSource;
    const [slot]: { starts_at: Date }[] = await ds.query('SELECT starts_at FROM batch_subject WHERE sitting_code = $1 AND batch_code = $2 AND subject_code = $3', [sittingCode, s.batchCode, s.subjectCode]);
    if (!slot) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 没有批次 ${s.batchCode} 的科目 ${s.subjectCode}`, `sitting ${sittingCode} has no subject ${s.subjectCode} in batch ${s.batchCode}`, 'subjectCode');
    const startsAt = new Date(slot.starts_at);
    if (new Date(s.releaseAt) > startsAt)
      throw new DomainError('VALIDATION_FAILED', `试卷密钥发布时间不能晚于开考时间 ${startsAt.toISOString()}`, `releaseAt must not be after the start ${startsAt.toISOString()}`, 'releaseAt');
    const [paper]: { exam_code: string; subject_code: string }[] = await ds.query('SELECT p.exam_code, e.subject_code FROM paper p JOIN exam e USING (exam_code) WHERE p.paper_id = $1', [s.paperId]);
    if (!paper) throw new DomainError('NOT_FOUND', `试卷 ${s.paperId} 不存在`, `paper ${s.paperId} not found`, 'paperId');
    if (paper.subject_code !== s.subjectCode)
      throw new DomainError('VALIDATION_FAILED', `试卷 ${s.paperId} 属于科目 ${paper.subject_code}，不是 ${s.subjectCode}`, `paper ${s.paperId} is for subject ${paper.subject_code}, not ${s.subjectCode}`, 'paperId');
    await ds.transaction(async (em) => {
      const rows = returnedRows(
        await em.query(
          `INSERT INTO exam_session (session_id, exam_code, paper_id, starts_at, release_at, sitting_code, batch_code, subject_code)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING session_id`,
          [s.sessionId, paper.exam_code, s.paperId, startsAt.toISOString(), s.releaseAt, sittingCode, s.batchCode, s.subjectCode],
        ),
      );
      if (rows.length === 0) throw new DomainError('CONFLICT', `场次 ${s.sessionId} 或批次 ${s.batchCode} 的科目 ${s.subjectCode} 已安排`, `session ${s.sessionId} or that batch's subject is already scheduled`, 'sessionId');
      await this.audit.record({ actor, action: 'session.scheduled', subject: s.sessionId, details: { sittingCode, batchCode: s.batchCode, subjectCode: s.subjectCode, paperId: s.paperId, releaseAt: s.releaseAt } }, em);
    });
    return { ...s, sittingCode, startsAt: startsAt.toISOString() };
  }
}
