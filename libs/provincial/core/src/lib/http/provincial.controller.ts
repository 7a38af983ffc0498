import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { body } from './openapi-body';
import { DecideApproval, RequestVenueKeyChange, ReissueVenuePackage, CreateExam, CreatePaper, CreateVenue, IntakeStatusRow, RegisterCandidates, RegisterVenueKey, ResultPackage, ScheduleSession, ScoreRow } from '@kaowu/contracts';
import { publicKeysOf } from '@kaowu/crypto';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { PlanningService } from '../planning/planning.service';
import { VenuePackageExporter } from '../planning/venue-package-exporter.service';
import { ResultIntakeService } from '../intake/result-intake.service';
import { PublicEndpoint, Staff, StaffAccess } from '../auth/staff-access.guard';
import { Venue, VenueAccess, VenuePrincipal, assertOwnVenue } from '../auth/venue-credential';
import { parseInput } from '@kaowu/server-kit';
import type { StaffPrincipal } from '../auth/staff-principal';
import { RegionScope } from '../auth/region-scope.service';
import { VenueKeyChangeService } from '../venue-keys/venue-key-change.service';
import { voidedResultsOfSitting } from '../reporting/result-voids';

// Routes without @StaffAccess are for the provincial admin only (the guard's default).
@ApiTags('考务编排 planning')
@ApiBearerAuth()
@Controller('api/v1')
export class PlanningController {
  constructor(
    @Inject(PlanningService) private readonly planning: PlanningService,
    @Inject(VenuePackageExporter) private readonly exporter: VenuePackageExporter,
    @Inject(RegionScope) private readonly regions: RegionScope,
    @Inject(VenueKeyChangeService) private readonly keyChanges: VenueKeyChangeService,
  ) {}

  @Post('exams') @StaffAccess('provincial') @ApiOperation({ summary: '创建考试科目 / create an exam' }) @body(CreateExam)
  createExam(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.planning.createExam(input, staff.actor);
  }

  @Post('venues') @StaffAccess('provincial') @ApiOperation({ summary: '创建考点及考场 / create a venue with rooms' }) @body(CreateVenue)
  createVenue(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.planning.createVenue(input, staff.actor);
  }

  // A venue's key decides who can read its paper and sign its results: provincial admins only, a change by two of them.
  @Post('venues/:venueCode/keys') @StaffAccess('provincial') @ApiOperation({ summary: '登记考点服务器公钥（首次；更换须申请并经另一位省级管理员批准）/ register the first venue key' }) @body(RegisterVenueKey)
  registerKey(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Body() input: unknown) {
    return this.keyChanges.registerFirst(venueCode, input, staff);
  }

  @Post('venues/:venueCode/key-changes') @StaffAccess('provincial') @ApiOperation({ summary: '申请更换考点密钥（须写明原因，待另一位省级管理员批准）/ request a venue key change' }) @body(RequestVenueKeyChange)
  requestKeyChange(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Body() input: unknown) {
    return this.keyChanges.request(venueCode, input, staff);
  }

  @Get('venues/:venueCode/key-changes') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '考点密钥更换记录（含指纹）/ key changes of a venue, with fingerprints' })
  venueKeyChanges(@Param('venueCode') venueCode: string) {
    return this.keyChanges.list(venueCode);
  }

  @Get('key-changes') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '全部考点密钥更换申请 / every venue key change request' })
  keyChangeList() {
    return this.keyChanges.list();
  }

  @Post('key-changes/:requestId/approve') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '批准更换考点密钥（须为另一位省级管理员）/ approve a key change (a second provincial admin)' }) @body(DecideApproval)
  approveKeyChange(@Staff() staff: StaffPrincipal, @Param('requestId') requestId: string, @Body() input: unknown) {
    return this.keyChanges.approve(requestId, input, staff);
  }

  @Post('key-changes/:requestId/reject') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '驳回更换考点密钥申请 / reject a key change' }) @body(DecideApproval)
  rejectKeyChange(@Staff() staff: StaffPrincipal, @Param('requestId') requestId: string, @Body() input: unknown) {
    return this.keyChanges.reject(requestId, input, staff);
  }

  @Post('candidates') @StaffAccess('provincial') @ApiOperation({ summary: '导入考生及座位 / register candidates with seats' }) @body(RegisterCandidates)
  registerCandidates(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.planning.registerCandidates(input, staff.actor);
  }

  @Post('papers') @StaffAccess('provincial') @ApiOperation({ summary: '创建试卷（含标准答案）/ create a paper with keys' }) @body(CreatePaper)
  createPaper(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.planning.createPaper(input, staff.actor);
  }

  @Post('sessions') @StaffAccess('provincial') @ApiOperation({ summary: '安排场次 / schedule a session' }) @body(ScheduleSession)
  scheduleSession(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.planning.scheduleSession(input, staff.actor);
  }

  // 考试包封包: the province builds (freezes) a venue's package explicitly; later registrations need a re-issue.
  @Post('venue-packages/:venueCode/:sessionId/freeze') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '封包：生成考点考试包（此后名单不再变化）/ freeze the venue package of a session' })
  freeze(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string) {
    return this.exporter.freeze(venueCode, sessionId, staff.actor);
  }

  // A package built for a wrong (hijacked) venue key, or before late registrations: rebuilt to the venue's current key, with a reason.
  @Post('venue-packages/:venueCode/:sessionId/reissue') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '重新生成考点考试包（须说明原因）/ re-issue a venue package, with a reason' }) @body(ReissueVenuePackage)
  reissue(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string, @Body() input: unknown) {
    return this.exporter.reissue(venueCode, sessionId, parseInput(ReissueVenuePackage, input, '重新生成考试包').reason, staff.actor);
  }

  // The venue server pulls its frozen package with its own key's signature: signed by the province and sealed to that venue's key.
  @Get('venue-packages/:venueCode/:sessionId') @VenueAccess() @ApiOperation({ summary: '下载考点考试包（考点签名；须已封包）/ the frozen, signed, encrypted venue package' })
  venuePackage(@Venue() venue: VenuePrincipal, @Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string) {
    assertOwnVenue(venue, venueCode);
    return this.exporter.pull(venueCode, sessionId, `venue ${venueCode} (key ${venue.keyId})`);
  }

  // Proctor access codes are secrets: the admins who hand them out, not the auditor.
  @Get('venue-packages/:venueCode/:sessionId/credentials') @StaffAccess('change') @ApiOperation({ summary: '监考口令 / proctor access codes of a venue package' })
  async credentials(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string) {
    await this.regions.venue(staff, venueCode);
    return this.exporter.credentials(venueCode, sessionId);
  }
}

@ApiTags('试卷密钥 key release')
@Controller('api/v1')
export class KeyReleaseController {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(VenuePackageExporter) private readonly exporter: VenuePackageExporter,
  ) {}

  @Get('province-keys') @PublicEndpoint('public keys only; venues compare the fingerprint read aloud') @ApiOperation({ summary: '省级公钥 / the province public keys' })
  provinceKeys() {
    return publicKeysOf(this.ctx.keys);
  }

  @Get('key-releases/:packageId') @VenueAccess() @ApiOperation({ summary: '试卷密钥发布（到时可取，考点签名）/ the paper key release, from release time, to its venue' })
  keyRelease(@Venue() venue: VenuePrincipal, @Param('packageId') packageId: string) {
    return this.exporter.keyRelease(packageId, venue);
  }
}

@ApiTags('数据接收 intake')
@ApiBearerAuth()
@Controller('api/v1')
export class IntakeController {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ResultIntakeService) private readonly intake: ResultIntakeService,
  ) {}

  // Venues upload signed result packages; the intake verifies the signature against the registered venue key.
  @Post('results') @VenueAccess() @HttpCode(200) @ApiOperation({ summary: '上传考场考试数据包（考点签名），返回签名回执 / upload a room result package (venue-signed)' }) @body(ResultPackage)
  upload(@Venue() venue: VenuePrincipal, @Body() input: unknown) {
    assertOwnVenue(venue, parseInput(ResultPackage, input, '考场数据包').manifest.body.venueCode);
    return this.intake.intake(input);
  }

  @Get('intake') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '已接收的数据包 / received packages' })
  async intakeStatus(): Promise<IntakeStatusRow[]> {
    const rows: { venue_code: string; room_code: string; session_id: string; package_id: string; received_at: Date; attempts: string; answers: string }[] = await this.ctx.db.dataSource.query(
      `SELECT r.venue_code, r.room_code, r.session_id, r.package_id, r.received_at, count(a.attempt_id) AS attempts, coalesce(sum(a.answer_count), 0) AS answers
       FROM result_package r LEFT JOIN attempt_result a ON a.package_id = r.package_id
       GROUP BY r.package_id ORDER BY r.venue_code, r.room_code`,
    );
    return rows.map((r) => ({
      venueCode: r.venue_code, roomCode: r.room_code, sessionId: r.session_id, packageId: r.package_id,
      receivedAt: new Date(r.received_at).toISOString(), attempts: Number(r.attempts), answers: Number(r.answers),
    }));
  }

  @Get('scores') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '客观题成绩 / objective scores' })
  async scores(@Query('sessionId') sessionId?: string): Promise<ScoreRow[]> {
    const ds = this.ctx.db.dataSource;
    const rows: { ticket_no: string; name: string | null; session_id: string; candidate_id: string; sitting: string; objective_score: string; answered: number }[] = await ds.query(
      `SELECT s.ticket_no, coalesce(c.name, r.name) AS name, s.session_id, s.candidate_id, coalesce(es.sitting_code, es.exam_code) AS sitting, s.objective_score, s.answered
       FROM score s JOIN exam_session es ON es.session_id = s.session_id
       LEFT JOIN candidate c ON es.sitting_code IS NULL AND c.candidate_id = s.candidate_id
       LEFT JOIN registrant r ON es.sitting_code IS NOT NULL AND r.registrant_id::text = s.candidate_id
       WHERE ($1::text IS NULL OR s.session_id = $1) ORDER BY s.ticket_no, s.session_id`,
      [sessionId ?? null],
    );
    // 成绩无效: decided per sitting; the raw score stays as it was scored.
    const voids = new Map(await Promise.all([...new Set(rows.map((r) => r.sitting))].map(async (code) => [code, await voidedResultsOfSitting(ds, code)] as const)));
    return rows.map((r) => ({
      ticketNo: r.ticket_no, name: r.name ?? '', sessionId: r.session_id, objectiveScore: Number(r.objective_score), answered: Number(r.answered),
      voided: voids.get(r.sitting)?.has(r.session_id, r.candidate_id) ?? false,
    }));
  }

  @Get('sessions/:sessionId/answer-events') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '场次已入库作答事件（核对用）/ answer events at the province, for reconciliation' })
  async answerEvents(@Param('sessionId') sessionId: string): Promise<{ attemptId: string; seqs: number[] }[]> {
    const rows: { attempt_id: string; seqs: number[] }[] = await this.ctx.db.dataSource.query(
      `SELECT e.attempt_id, array_agg(e.seq ORDER BY e.seq) AS seqs FROM answer_event e JOIN attempt_result a ON a.attempt_id = e.attempt_id
       WHERE a.session_id = $1 GROUP BY e.attempt_id`,
      [sessionId],
    );
    return rows.map((r) => ({ attemptId: r.attempt_id, seqs: r.seqs.map(Number) }));
  }
}
