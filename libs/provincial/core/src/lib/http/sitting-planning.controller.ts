import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RegistrantsQuery, TicketBatchQuery, CreateSitting, ScheduleSittingSession, TicketPrinting, UpsertRegions, VenuePlanning, VerifyTicketQr } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { SittingPlanService } from '../planning/sitting-plan.service';
import { SittingSessionService } from '../planning/sitting-session.service';
import { RegistrationService } from '../registration/registration.service';
import { SeatAllocationService } from '../allocation/seat-allocation.service';
import { AdmissionTicketService } from '../tickets/admission-ticket.service';
import { LookupRateLimiter } from '../tickets/lookup-rate-limiter';
import { PublicEndpoint, Staff, StaffAccess } from '../auth/staff-access.guard';
import type { StaffPrincipal } from '../auth/staff-principal';
import { RegionScope } from '../auth/region-scope.service';

const body = (schema: z.ZodType) => ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });
const fileBody = ApiBody({ schema: { type: 'string', format: 'binary' } });

/** Uploaded files arrive as the raw request body (application/octet-stream, XLSX, CSV or ZIP types). */
function uploaded(input: unknown): Buffer {
  if (!Buffer.isBuffer(input) || input.length === 0)
    throw new DomainError('VALIDATION_FAILED', '请以文件内容作为请求体上传（Content-Type: application/octet-stream）', 'send the file as the request body (Content-Type: application/octet-stream)', 'file');
  return input;
}

@ApiTags('考试计划 exam plan')
@ApiBearerAuth()
@Controller('api/v1')
export class SittingPlanController {
  constructor(
    @Inject(SittingPlanService) private readonly plan: SittingPlanService,
    @Inject(SittingSessionService) private readonly sessions: SittingSessionService,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  @Post('sittings') @StaffAccess('provincial') @ApiOperation({ summary: '创建考试计划（科目、批次）/ create a sitting with subjects and batches' }) @body(CreateSitting)
  createSitting(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.plan.createSitting(input, staff.actor);
  }

  @Get('sittings') @StaffAccess('read') @ApiOperation({ summary: '考试计划列表 / sittings' })
  listSittings() {
    return this.plan.listSittings();
  }

  @Get('sittings/:sittingCode') @StaffAccess('read') @ApiOperation({ summary: '考试计划 / a sitting' })
  getSitting(@Param('sittingCode') sittingCode: string) {
    return this.plan.getSitting(sittingCode);
  }

  @Post('sittings/:sittingCode/sessions') @StaffAccess('provincial') @ApiOperation({ summary: '安排场次（批次的一个科目及其试卷；考点包名单取自编排结果）/ schedule a batch subject with its paper' }) @body(ScheduleSittingSession)
  scheduleSession(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Body() input: unknown) {
    return this.sessions.schedule(sittingCode, input, staff.actor);
  }

  @Put('regions') @StaffAccess('provincial') @ApiOperation({ summary: '登记地区（市、州）/ upsert regions' }) @body(UpsertRegions)
  upsertRegions(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.plan.upsertRegions(input, staff.actor);
  }

  @Put('venues/:venueCode/planning') @StaffAccess('change') @ApiOperation({ summary: '考点编排信息：地区、地址、备用考场、技术联系人、监考配备 / venue planning data' }) @body(VenuePlanning)
  async setVenuePlanning(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Body() input: unknown) {
    await this.regions.venue(staff, venueCode);
    return this.plan.setVenuePlanning(venueCode, input, staff);
  }
}

@ApiTags('报名 registration')
@ApiBearerAuth()
@Controller('api/v1/sittings/:sittingCode')
export class RegistrationController {
  constructor(
    @Inject(RegistrationService) private readonly registration: RegistrationService,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  @Post('registrations/import') @StaffAccess('provincial') @HttpCode(200) @ApiConsumes('application/octet-stream') @fileBody
  @ApiOperation({ summary: '导入报名数据（XLSX/CSV；?format=xlsx|csv&importCleanRowsOnly=true）/ import registrants' })
  importRegistrants(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Body() file: unknown, @Query() query: Record<string, string>) {
    return this.registration.importRegistrants(sittingCode, uploaded(file), query, staff.actor);
  }

  @Post('photos/import') @StaffAccess('provincial') @HttpCode(200) @ApiConsumes('application/zip') @fileBody
  @ApiOperation({ summary: '导入考生照片（ZIP，文件名为证件号码）/ import photos named by ID number' })
  importPhotos(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Body() file: unknown, @Query() query: Record<string, string>) {
    return this.registration.importPhotos(sittingCode, uploaded(file), query, staff.actor);
  }

  @Get('registrants') @StaffAccess('read') @ApiOperation({ summary: '报名考生（分页，按地区/证件号码筛选）/ registrants, paged' })
  registrants(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Query() q: Record<string, string>) {
    const query = parseInput(RegistrantsQuery, q, '查询条件');
    return this.registration.listRegistrants(sittingCode, { page: query.page, pageSize: query.pageSize, regionCode: this.regions.listRegion(staff, query.regionCode), idNo: query.idNo });
  }
}

@ApiTags('网上编排考场 seat allocation')
@ApiBearerAuth()
@Controller('api/v1/sittings/:sittingCode')
export class AllocationController {
  constructor(
    @Inject(SeatAllocationService) private readonly allocation: SeatAllocationService,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  @Post('allocation') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '编排考场（再次编排时尽量不移动已编排考生）/ allocate seats, re-run with minimal moves' })
  allocate(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string) {
    return this.allocation.allocate(sittingCode, staff.actor);
  }

  @Get('allocation') @StaffAccess('read') @ApiOperation({ summary: '编排报告：考场使用率、监考配备、未编排考生及原因 / the latest allocation report' })
  report(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string) {
    return this.allocation.latestReport(sittingCode, this.regions.listRegion(staff, undefined));
  }

  @Get('registrants/:idNo/seats') @StaffAccess('read') @ApiOperation({ summary: '考生的考场座位 / a registrant\'s seats' })
  async seats(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Param('idNo') idNo: string) {
    await this.regions.registrant(staff, sittingCode, idNo);
    return this.allocation.seatsOf(sittingCode, idNo);
  }
}

/** Send a PDF as the response body (errors before this point still go through the error filter). */
const pdf = (res: Response, data: Buffer, filename: string) => {
  res.set({ 'content-type': 'application/pdf', 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(filename)}` }).send(data);
};

@ApiTags('准考证 admission tickets')
@ApiBearerAuth()
@Controller('api/v1')
export class AdmissionTicketController {
  constructor(
    @Inject(AdmissionTicketService) private readonly tickets: AdmissionTicketService,
    @Inject(RegionScope) private readonly regions: RegionScope,
    @Inject(LookupRateLimiter) private readonly limiter: LookupRateLimiter,
  ) {}

  @Put('sittings/:sittingCode/ticket-printing') @StaffAccess('provincial') @ApiOperation({ summary: '设置网上打印准考证开放时间 / when online ticket printing opens' }) @body(TicketPrinting)
  setPrinting(@Staff() staff: StaffPrincipal, @Param('sittingCode') sittingCode: string, @Body() input: unknown) {
    return this.tickets.setPrinting(sittingCode, input, staff.actor);
  }

  // 网上打印: candidates, by ID number and name, once printing has opened.
  @Get('sittings/:sittingCode/tickets') @PublicEndpoint('a candidate prints their own ticket: ID number and name must match, rate-limited per address, from the opening time') @ApiOperation({ summary: '考生网上打印准考证（证件号码 + 姓名）/ a candidate prints their ticket' })
  async lookup(@Req() req: Request, @Res() res: Response, @Param('sittingCode') sittingCode: string, @Query('idNo') idNo?: string, @Query('name') name?: string) {
    // Every attempt counts, a failed one too: the bucket is what makes guessing ID numbers impractical.
    this.limiter.take(req);
    pdf(res, await this.tickets.lookup(sittingCode, idNo, name), `准考证-${idNo}.pdf`);
  }

  @Get('sittings/:sittingCode/registrants/:idNo/ticket.pdf') @StaffAccess('read') @ApiOperation({ summary: '考生准考证 / one candidate\'s ticket' })
  async ticket(@Staff() staff: StaffPrincipal, @Res() res: Response, @Param('sittingCode') sittingCode: string, @Param('idNo') idNo: string) {
    await this.regions.registrant(staff, sittingCode, idNo);
    pdf(res, await this.tickets.ticketPdf(sittingCode, idNo), `准考证-${idNo}.pdf`);
  }

  @Get('sittings/:sittingCode/venues/:venueCode/tickets.pdf') @StaffAccess('read') @ApiOperation({ summary: '考点准考证批量打印（offset/limit 分页）/ bulk tickets of a venue' })
  async venue(@Staff() staff: StaffPrincipal, @Res() res: Response, @Param('sittingCode') sittingCode: string, @Param('venueCode') venueCode: string, @Query('offset') offset?: string, @Query('limit') limit?: string) {
    await this.regions.venue(staff, venueCode);
    pdf(res, await this.tickets.venuePdf(sittingCode, venueCode, parseInput(TicketBatchQuery, { offset, limit }, '分页')), `准考证-${venueCode}.pdf`);
  }

  // A venue checks a scanned ticket; nothing is changed or revealed beyond what the ticket says.
  @Post('tickets/verify') @PublicEndpoint('checks the province signature of a ticket QR code; reveals only what the ticket already shows') @HttpCode(200) @ApiOperation({ summary: '核验准考证二维码 / verify a ticket QR code' }) @body(VerifyTicketQr)
  verify(@Body() input: unknown) {
    return this.tickets.verify(input);
  }
}
