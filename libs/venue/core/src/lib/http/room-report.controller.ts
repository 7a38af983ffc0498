import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Code } from '@kaowu/contracts';
import { CjkFont, parseInput } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { SessionRegistry } from '../exam-room/session-registry';
import { ProctoringService } from '../proctoring/proctoring.service';
import { RoomProcedureService } from '../proctoring/room-procedure.service';
import { renderRoomReport } from '../proctoring/room-report';
import { VenueStaffService } from '../staff/venue-staff.service';

/** 考场情况报告 (PDF): for the room's proctors (the room's 监考口令 in `x-proctor-code`) or the signed-in 主考 (any room). */
@Controller('api/v1/rooms')
export class RoomReportController {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(ProctoringService) private readonly proctoring: ProctoringService,
    @Inject(RoomProcedureService) private readonly procedure: RoomProcedureService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(VenueStaffService) private readonly staff: VenueStaffService,
  ) {}

  @Get(':roomCode/report.pdf')
  async report(@Req() req: Request, @Param('roomCode') roomParam: string, @Headers('x-proctor-code') accessCode: string | undefined, @Res() res: Response): Promise<void> {
    const roomCode = parseInput(Code, roomParam, '考场号');
    let actor = `proctor:${roomCode}`;
    if (accessCode === undefined && req.headers['authorization']) actor = this.staff.authorize(req, ['chief']);
    else await this.proctoring.authenticate(roomCode, accessCode ?? '', req.socket.remoteAddress);
    const session = this.sessions.require(this.ctx.clock.now());
    const scope = { actor, roomCode };
    const rooms: { name: string }[] = await this.ctx.db.dataSource.query('SELECT name FROM room WHERE room_code = $1', [roomCode]);
    const pdf = await renderRoomReport(
      {
        venueName: await this.packages.venueName(),
        roomName: rooms[0]?.name ?? roomCode,
        roomCode,
        examName: session.schedule.examName,
        subjectName: session.schedule.subjectName,
        startsAt: session.schedule.startsAt,
        durationMinutes: session.schedule.durationMinutes,
        printedAt: this.ctx.clock.now().toISOString(),
        verification: await this.proctoring.verification(scope),
        procedure: await this.procedure.view(scope),
      },
      CjkFont.load(this.ctx.config.KAOWU_CJK_FONT),
    );
    // written directly: Nest's StreamableFile does not survive every loader (see the ticket endpoints)
    res.status(200).setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="room-report-${roomCode}.pdf"`);
    res.end(pdf);
  }
}
