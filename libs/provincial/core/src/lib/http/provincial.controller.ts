import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { body } from './openapi-body';
import { CreateExam, CreatePaper, CreateVenue, IntakeStatusRow, RegisterCandidates, RegisterVenueKey, ResultPackage, ScheduleSession, ScoreRow } from '@kaowu/contracts';
import { publicKeysOf } from '@kaowu/crypto';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { PlanningService } from '../planning/planning.service';
import { VenuePackageExporter } from '../planning/venue-package-exporter.service';
import { ResultIntakeService } from '../intake/result-intake.service';

const ACTOR = 'provincial-admin';

@ApiTags('考务编排 planning')
@Controller('api/v1')
export class PlanningController {
  constructor(
    @Inject(PlanningService) private readonly planning: PlanningService,
    @Inject(VenuePackageExporter) private readonly exporter: VenuePackageExporter,
  ) {}

  @Post('exams') @ApiOperation({ summary: '创建考试科目 / create an exam' }) @body(CreateExam)
  createExam(@Body() input: unknown) {
    return this.planning.createExam(input, ACTOR);
  }

  @Post('venues') @ApiOperation({ summary: '创建考点及考场 / create a venue with rooms' }) @body(CreateVenue)
  createVenue(@Body() input: unknown) {
    return this.planning.createVenue(input, ACTOR);
  }

  @Post('venues/:venueCode/keys') @ApiOperation({ summary: '登记考点服务器公钥 / register venue public keys' }) @body(RegisterVenueKey)
  registerKey(@Param('venueCode') venueCode: string, @Body() input: unknown) {
    return this.planning.registerVenueKey(venueCode, input, ACTOR);
  }

  @Post('candidates') @ApiOperation({ summary: '导入考生及座位 / register candidates with seats' }) @body(RegisterCandidates)
  registerCandidates(@Body() input: unknown) {
    return this.planning.registerCandidates(input, ACTOR);
  }

  @Post('papers') @ApiOperation({ summary: '创建试卷（含标准答案）/ create a paper with keys' }) @body(CreatePaper)
  createPaper(@Body() input: unknown) {
    return this.planning.createPaper(input, ACTOR);
  }

  @Post('sessions') @ApiOperation({ summary: '安排场次 / schedule a session' }) @body(ScheduleSession)
  scheduleSession(@Body() input: unknown) {
    return this.planning.scheduleSession(input, ACTOR);
  }

  @Get('venue-packages/:venueCode/:sessionId') @ApiOperation({ summary: '下载考点考试包（签名、加密）/ the signed, encrypted venue package' })
  venuePackage(@Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string) {
    return this.exporter.export(venueCode, sessionId, ACTOR);
  }

  @Get('venue-packages/:venueCode/:sessionId/credentials') @ApiOperation({ summary: '监考口令 / proctor access codes of a venue package' })
  credentials(@Param('venueCode') venueCode: string, @Param('sessionId') sessionId: string) {
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

  @Get('province-keys') @ApiOperation({ summary: '省级公钥 / the province public keys' })
  provinceKeys() {
    return publicKeysOf(this.ctx.keys);
  }

  @Get('key-releases/:packageId') @ApiOperation({ summary: '试卷密钥发布（到时可取）/ the paper key release, from release time' })
  keyRelease(@Param('packageId') packageId: string) {
    return this.exporter.keyRelease(packageId);
  }
}

@ApiTags('数据接收 intake')
@Controller('api/v1')
export class IntakeController {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ResultIntakeService) private readonly intake: ResultIntakeService,
  ) {}

  @Post('results') @HttpCode(200) @ApiOperation({ summary: '上传考场考试数据包，返回签名回执 / upload a room result package' }) @body(ResultPackage)
  upload(@Body() input: unknown) {
    return this.intake.intake(input);
  }

  @Get('intake') @ApiOperation({ summary: '已接收的数据包 / received packages' })
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

  @Get('scores') @ApiOperation({ summary: '客观题成绩 / objective scores' })
  async scores(@Query('sessionId') sessionId?: string): Promise<ScoreRow[]> {
    const rows: { ticket_no: string; name: string; session_id: string; objective_score: string; answered: number }[] = await this.ctx.db.dataSource.query(
      `SELECT s.ticket_no, c.name, s.session_id, s.objective_score, s.answered FROM score s JOIN candidate c ON c.candidate_id = s.candidate_id
       WHERE ($1::text IS NULL OR s.session_id = $1) ORDER BY s.ticket_no`,
      [sessionId ?? null],
    );
    return rows.map((r) => ({ ticketNo: r.ticket_no, name: r.name, sessionId: r.session_id, objectiveScore: Number(r.objective_score), answered: Number(r.answered) }));
  }

  @Get('sessions/:sessionId/answer-events') @ApiOperation({ summary: '场次已入库作答事件（核对用）/ answer events at the province, for reconciliation' })
  async answerEvents(@Param('sessionId') sessionId: string): Promise<{ attemptId: string; seqs: number[] }[]> {
    const rows: { attempt_id: string; seqs: number[] }[] = await this.ctx.db.dataSource.query(
      `SELECT e.attempt_id, array_agg(e.seq ORDER BY e.seq) AS seqs FROM answer_event e JOIN attempt_result a ON a.attempt_id = e.attempt_id
       WHERE a.session_id = $1 GROUP BY e.attempt_id`,
      [sessionId],
    );
    return rows.map((r) => ({ attemptId: r.attempt_id, seqs: r.seqs.map(Number) }));
  }
}
