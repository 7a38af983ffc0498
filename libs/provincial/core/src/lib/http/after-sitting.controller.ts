import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CandidateResultPage, DecideIncident, IncidentDetail, IncidentPage, SignedIntegrityReport, SittingSummary } from '@kaowu/contracts';
import { body } from './openapi-body';
import { Staff, StaffAccess } from '../auth/staff-access.guard';
import type { StaffPrincipal } from '../auth/staff-principal';
import { IncidentReviewService } from '../reporting/incident-review.service';
import { SittingResultsService } from '../reporting/sitting-results.service';
import { IntegrityReportService } from '../reporting/integrity-report.service';

/**
 * 考后处理: incident review (违规违纪处理), the sitting's summary across batches, and the signed
 * integrity report. Municipal admins see and decide their own region's venues only; the
 * auditor reads everything and decides nothing.
 */
@ApiTags('考后处理 after the sitting')
@ApiBearerAuth()
@Controller('api/v1/sittings/:sittingCode')
export class AfterSittingController {
  constructor(
    @Inject(IncidentReviewService) private readonly incidents: IncidentReviewService,
    @Inject(SittingResultsService) private readonly results: SittingResultsService,
    @Inject(IntegrityReportService) private readonly integrity: IntegrityReportService,
  ) {}

  @Get('incidents') @StaffAccess('read') @ApiOperation({ summary: '违纪处理：考场记录列表（按考点、科目、状态筛选，分页）/ incidents of the sitting, filtered and paged' })
  list(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Query() query: Record<string, string>): Promise<IncidentPage> {
    return this.incidents.list(sittingCode, query, staff);
  }

  @Get('incidents/:incidentId') @StaffAccess('read') @ApiOperation({ summary: '考场记录及处理历史 / one incident with its decision history' })
  detail(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Param('incidentId') incidentId: string): Promise<IncidentDetail> {
    return this.incidents.detail(sittingCode, incidentId, staff);
  }

  @Post('incidents/:incidentId/decisions') @StaffAccess('change') @ApiOperation({ summary: '作出（或修改）处理决定 / decide an incident (a revision needs a reason)' }) @body(DecideIncident)
  decide(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Param('incidentId') incidentId: string, @Body() input: unknown): Promise<IncidentDetail> {
    return this.incidents.decide(sittingCode, incidentId, input, staff);
  }

  @Get('summary') @StaffAccess('read') @ApiOperation({ summary: '汇总：各科目、各考点的应考、实考、缺考、交卷、有效成绩、成绩无效与成绩分布 / the sitting across batches' })
  summary(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string): Promise<SittingSummary> {
    return this.results.summary(sittingCode, staff);
  }

  @Get('candidate-results') @StaffAccess('read') @ApiOperation({ summary: '考生各科成绩与状态（分页）/ every candidate’s subjects with score or status, paged' })
  candidateResults(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Query() query: Record<string, string>): Promise<CandidateResultPage> {
    return this.results.candidates(sittingCode, query, staff);
  }

  @Get('integrity-report') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '完整性报告（省级签名）/ the integrity report, signed with the province key' })
  integrityReport(@Param('sittingCode') sittingCode: string): Promise<SignedIntegrityReport> {
    return this.integrity.signed(sittingCode);
  }
}
