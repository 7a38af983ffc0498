import { Body, Controller, Get, Inject, Param, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { UpdateSitting } from '@kaowu/contracts';
import { body } from './openapi-body';
import { SittingPlanService } from '../planning/sitting-plan.service';
import { VenueOverviewService } from '../planning/venue-overview.service';
import { PlanningExportService } from '../exports/planning-export.service';
import { AuditLogQueryService } from '../audit/audit-log-query.service';
import { AdmissionTicketService } from '../tickets/admission-ticket.service';
import { PublicEndpoint, Staff, StaffAccess } from '../auth/staff-access.guard';
import type { StaffPrincipal } from '../auth/staff-principal';
import { RegionScope } from '../auth/region-scope.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The console's planning screens beyond import and allocation: editing the 考试计划, 考点与考场,
 * 操作日志, the public list of ticket printing, and every list as XLSX (导出 Excel), region-scoped.
 */
@ApiTags('考务管理 planning administration')
@ApiBearerAuth()
@Controller('api/v1')
export class PlanningAdminController {
  constructor(
    @Inject(SittingPlanService) private readonly plan: SittingPlanService,
    @Inject(VenueOverviewService) private readonly venues: VenueOverviewService,
    @Inject(PlanningExportService) private readonly exports: PlanningExportService,
    @Inject(AuditLogQueryService) private readonly auditLog: AuditLogQueryService,
    @Inject(AdmissionTicketService) private readonly tickets: AdmissionTicketService,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  @Put('sittings/:sittingCode') @StaffAccess('provincial') @ApiOperation({ summary: '修改考试计划（已有报名时科目、批次不可增删）/ edit a sitting' }) @body(UpdateSitting)
  updateSitting(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Body() input: unknown) {
    return this.plan.updateSitting(sittingCode, input, staff.actor);
  }

  @Get('regions') @StaffAccess('read') @ApiOperation({ summary: '地区（市、州）/ regions' })
  listRegions() {
    return this.venues.regions();
  }

  @Get('venues') @StaffAccess('read') @ApiOperation({ summary: '考点与考场（?regionCode&sittingCode：监考配备按该考试计划的编排核对）/ venues with rooms' })
  listVenues(@Staff() staff: StaffPrincipal, @Query('regionCode') regionCode?: string, @Query('sittingCode') sittingCode?: string) {
    return this.venues.list({ regionCode: this.regions.listRegion(staff, regionCode), sittingCode: sittingCode || undefined });
  }

  // 网上打印准考证: the candidates' page lists the sittings and when printing opens.
  @Get('ticket-printing') @PublicEndpoint('只列出开放网上打印的考试名称与时间 / names and opening times of sittings, nothing about candidates') @ApiOperation({ summary: '网上打印准考证的考试及开放时间 / sittings open for ticket printing' })
  printing() {
    return this.tickets.printingSittings();
  }

  @Get('audit-log') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '操作日志（分页；按操作人、操作、时间筛选）/ the audit log, paged and filtered' })
  auditPage(@Query() query: Record<string, string>) {
    return this.auditLog.page(query);
  }

  @Get('audit-log/actions') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '操作日志中的操作类型 / actions in the audit log' })
  auditActions() {
    return this.auditLog.actions();
  }

  @Get('audit-log.xlsx') @StaffAccess('provincial', { reads: true }) @ApiProduces(XLSX) @ApiOperation({ summary: '导出操作日志 / export the audit log' })
  async auditXlsx(@Res() res: Response, @Query() query: Record<string, string>) {
    await this.exports.audit(res, this.auditLog.parse(query));
  }

  @Get('sittings/:sittingCode/registrants.xlsx') @StaffAccess('read') @ApiProduces(XLSX) @ApiOperation({ summary: '导出报名考生（按地区、证件号码筛选）/ export registrants' })
  async registrantsXlsx(@Staff() staff: StaffPrincipal, @Res() res: Response, @Param('sittingCode') sittingCode: string, @Query('regionCode') regionCode?: string, @Query('idNo') idNo?: string) {
    await this.exports.registrants(res, sittingCode, { regionCode: this.regions.listRegion(staff, regionCode), idNo: idNo || undefined });
  }

  @Get('sittings/:sittingCode/allocation/placements.xlsx') @StaffAccess('read') @ApiProduces(XLSX) @ApiOperation({ summary: '导出编排结果（考点、考场、座位；?venueCode）/ export seat placements' })
  async placementsXlsx(@Staff() staff: StaffPrincipal, @Res() res: Response, @Param('sittingCode') sittingCode: string, @Query('venueCode') venueCode?: string) {
    if (venueCode) await this.regions.venue(staff, venueCode);
    await this.exports.placements(res, sittingCode, { regionCode: this.regions.listRegion(staff, undefined), venueCode: venueCode || undefined });
  }

  @Get('sittings/:sittingCode/allocation/unplaced.xlsx') @StaffAccess('read') @ApiProduces(XLSX) @ApiOperation({ summary: '导出未编排考生及原因 / export unplaced candidates' })
  async unplacedXlsx(@Staff() staff: StaffPrincipal, @Res() res: Response, @Param('sittingCode') sittingCode: string) {
    await this.exports.unplaced(res, sittingCode, this.regions.listRegion(staff, undefined));
  }

  @Get('venues.xlsx') @StaffAccess('read') @ApiProduces(XLSX) @ApiOperation({ summary: '导出考点与考场（备用机、监考配备）/ export venues and rooms' })
  async venuesXlsx(@Staff() staff: StaffPrincipal, @Res() res: Response, @Query('regionCode') regionCode?: string, @Query('sittingCode') sittingCode?: string) {
    await this.exports.venueRooms(res, { regionCode: this.regions.listRegion(staff, regionCode), sittingCode: sittingCode || undefined });
  }
}
