import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CreateSitting, TicketPrinting, UpsertRegions, VenuePlanning, VerifyTicketQr } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';
import { SittingPlanService } from '../planning/sitting-plan.service';
import { RegistrationService } from '../registration/registration.service';
import { SeatAllocationService } from '../allocation/seat-allocation.service';
import { AdmissionTicketService } from '../tickets/admission-ticket.service';

const body = (schema: z.ZodType) => ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });
const fileBody = ApiBody({ schema: { type: 'string', format: 'binary' } });
const ACTOR = 'provincial-admin';

/** Uploaded files arrive as the raw request body (application/octet-stream, XLSX, CSV or ZIP types). */
function uploaded(input: unknown): Buffer {
  if (!Buffer.isBuffer(input) || input.length === 0)
    throw new DomainError('VALIDATION_FAILED', '请以文件内容作为请求体上传（Content-Type: application/octet-stream）', 'send the file as the request body (Content-Type: application/octet-stream)', 'file');
  return input;
}

@ApiTags('考试计划 exam plan')
@Controller('api/v1')
export class SittingPlanController {
  constructor(@Inject(SittingPlanService) private readonly plan: SittingPlanService) {}

  @Post('sittings') @ApiOperation({ summary: '创建考试计划（科目、批次）/ create a sitting with subjects and batches' }) @body(CreateSitting)
  createSitting(@Body() input: unknown) {
    return this.plan.createSitting(input, ACTOR);
  }

  @Get('sittings/:sittingCode') @ApiOperation({ summary: '考试计划 / a sitting' })
  getSitting(@Param('sittingCode') sittingCode: string) {
    return this.plan.getSitting(sittingCode);
  }

  @Put('regions') @ApiOperation({ summary: '登记地区（市、州）/ upsert regions' }) @body(UpsertRegions)
  upsertRegions(@Body() input: unknown) {
    return this.plan.upsertRegions(input, ACTOR);
  }

  @Put('venues/:venueCode/planning') @ApiOperation({ summary: '考点编排信息：地区、地址、备用考场、技术联系人、监考配备 / venue planning data' }) @body(VenuePlanning)
  setVenuePlanning(@Param('venueCode') venueCode: string, @Body() input: unknown) {
    return this.plan.setVenuePlanning(venueCode, input, ACTOR);
  }
}

@ApiTags('报名 registration')
@Controller('api/v1/sittings/:sittingCode')
export class RegistrationController {
  constructor(@Inject(RegistrationService) private readonly registration: RegistrationService) {}

  @Post('registrations/import') @HttpCode(200) @ApiConsumes('application/octet-stream') @fileBody
  @ApiOperation({ summary: '导入报名数据（XLSX/CSV；?format=xlsx|csv&importCleanRowsOnly=true）/ import registrants' })
  importRegistrants(@Param('sittingCode') sittingCode: string, @Body() file: unknown, @Query() query: Record<string, string>) {
    return this.registration.importRegistrants(sittingCode, uploaded(file), query, ACTOR);
  }

  @Post('photos/import') @HttpCode(200) @ApiConsumes('application/zip') @fileBody
  @ApiOperation({ summary: '导入考生照片（ZIP，文件名为证件号码）/ import photos named by ID number' })
  importPhotos(@Param('sittingCode') sittingCode: string, @Body() file: unknown, @Query() query: Record<string, string>) {
    return this.registration.importPhotos(sittingCode, uploaded(file), query, ACTOR);
  }

  @Get('registrants') @ApiOperation({ summary: '报名考生（分页，按地区/证件号码筛选）/ registrants, paged' })
  registrants(@Param('sittingCode') sittingCode: string, @Query() q: Record<string, string>) {
    return this.registration.listRegistrants(sittingCode, { page: Number(q.page) || 1, pageSize: Number(q.pageSize) || 50, regionCode: q.regionCode, idNo: q.idNo });
  }
}

@ApiTags('网上编排考场 seat allocation')
@Controller('api/v1/sittings/:sittingCode')
export class AllocationController {
  constructor(@Inject(SeatAllocationService) private readonly allocation: SeatAllocationService) {}

  @Post('allocation') @HttpCode(200) @ApiOperation({ summary: '编排考场（再次编排时尽量不移动已编排考生）/ allocate seats, re-run with minimal moves' })
  allocate(@Param('sittingCode') sittingCode: string) {
    return this.allocation.allocate(sittingCode, ACTOR);
  }

  @Get('allocation') @ApiOperation({ summary: '编排报告：考场使用率、监考配备、未编排考生及原因 / the latest allocation report' })
  report(@Param('sittingCode') sittingCode: string) {
    return this.allocation.latestReport(sittingCode);
  }

  @Get('registrants/:idNo/seats') @ApiOperation({ summary: '考生的考场座位 / a registrant\'s seats' })
  seats(@Param('sittingCode') sittingCode: string, @Param('idNo') idNo: string) {
    return this.allocation.seatsOf(sittingCode, idNo);
  }
}

/** Send a PDF as the response body (errors before this point still go through the error filter). */
const pdf = (res: Response, data: Buffer, filename: string) => {
  res.set({ 'content-type': 'application/pdf', 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(filename)}` }).send(data);
};

@ApiTags('准考证 admission tickets')
@Controller('api/v1')
export class AdmissionTicketController {
  constructor(@Inject(AdmissionTicketService) private readonly tickets: AdmissionTicketService) {}

  @Put('sittings/:sittingCode/ticket-printing') @ApiOperation({ summary: '设置网上打印准考证开放时间 / when online ticket printing opens' }) @body(TicketPrinting)
  setPrinting(@Param('sittingCode') sittingCode: string, @Body() input: unknown) {
    return this.tickets.setPrinting(sittingCode, input, ACTOR);
  }

  @Get('sittings/:sittingCode/tickets') @ApiOperation({ summary: '考生网上打印准考证（证件号码 + 姓名）/ a candidate prints their ticket' })
  async lookup(@Res() res: Response, @Param('sittingCode') sittingCode: string, @Query('idNo') idNo?: string, @Query('name') name?: string) {
    pdf(res, await this.tickets.lookup(sittingCode, idNo, name), `准考证-${idNo}.pdf`);
  }

  @Get('sittings/:sittingCode/registrants/:idNo/ticket.pdf') @ApiOperation({ summary: '考生准考证 / one candidate\'s ticket' })
  async ticket(@Res() res: Response, @Param('sittingCode') sittingCode: string, @Param('idNo') idNo: string) {
    pdf(res, await this.tickets.ticketPdf(sittingCode, idNo), `准考证-${idNo}.pdf`);
  }

  @Get('sittings/:sittingCode/venues/:venueCode/tickets.pdf') @ApiOperation({ summary: '考点准考证批量打印（offset/limit 分页）/ bulk tickets of a venue' })
  async venue(@Res() res: Response, @Param('sittingCode') sittingCode: string, @Param('venueCode') venueCode: string, @Query('offset') offset?: string, @Query('limit') limit?: string) {
    pdf(res, await this.tickets.venuePdf(sittingCode, venueCode, { offset: Number(offset) || 0, limit: Number(limit) || undefined }), `准考证-${venueCode}.pdf`);
  }

  @Post('tickets/verify') @HttpCode(200) @ApiOperation({ summary: '核验准考证二维码 / verify a ticket QR code' }) @body(VerifyTicketQr)
  verify(@Body() input: unknown) {
    return this.tickets.verify(input);
  }
}
