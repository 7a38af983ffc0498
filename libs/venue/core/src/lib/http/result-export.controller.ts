import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseInput } from '@kaowu/server-kit';
import { ResultExportService } from '../results/result-export.service';
import { VenueStaffService } from '../staff/venue-staff.service';

const ExportResults = z.object({ dir: z.string().min(1).max(1000), packageId: z.string().min(1).max(200).optional() });

/** 离线上报 for the technician: download a sealed room package, or write packages to removable media. */
@Controller('api/v1/results')
export class ResultExportController {
  constructor(
    @Inject(ResultExportService) private readonly exporter: ResultExportService,
    @Inject(VenueStaffService) private readonly staff: VenueStaffService,
  ) {}

  @Get(':packageId/file')
  async file(@Req() req: Request, @Res() res: Response, @Param('packageId') packageId: string) {
    this.staff.authorize(req);
    const f = await this.exporter.file(packageId);
    res
      .status(200)
      .set({ 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${f.fileName}"`, 'x-package-sha256': f.sha256 })
      .send(Buffer.from(f.bytes));
  }

  @Post('export')
  exportFiles(@Req() req: Request, @Body() body: unknown) {
    const actor = this.staff.authorize(req);
    const { dir, packageId } = parseInput(ExportResults, body, '导出请求');
    return this.exporter.exportTo(dir, actor, packageId);
  }
}
