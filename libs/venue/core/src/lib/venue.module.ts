import { DynamicModule, Module } from '@nestjs/common';
import { VENUE_CONTEXT, VenueContext } from './venue-context';
import { AnswerJournal } from './store/answer-journal';
import { AuditLog } from './store/audit-log';
import { BackupJournal } from './store/backup-journal';
import { VenuePackageService } from './package/venue-package.service';
import { SessionRegistry } from './exam-room/session-registry';
import { RoomEvents } from './exam-room/room-events';
import { ExamRoomService } from './exam-room/exam-room.service';
import { SessionScheduler } from './exam-room/session-scheduler';
import { ExamGateway } from './exam-room/exam.gateway';
import { ProctorGateway } from './exam-room/proctor.gateway';
import { ResultSealer } from './results/result-sealer.service';
import { ResultUploader } from './results/result-uploader.service';
import { VenueAdminController } from './http/venue-admin.controller';
import { VenueStatusService } from './http/venue-status.service';
import { OpsController } from './http/ops.controller';

@Module({})
export class VenueModule {
  static forContext(ctx: VenueContext): DynamicModule {
    return {
      module: VenueModule,
      controllers: [OpsController, VenueAdminController],
      providers: [
        { provide: VENUE_CONTEXT, useValue: ctx },
        AuditLog,
        BackupJournal,
        AnswerJournal,
        VenuePackageService,
        SessionRegistry,
        RoomEvents,
        ExamRoomService,
        ResultSealer,
        ResultUploader,
        VenueStatusService,
        SessionScheduler,
        ExamGateway,
        ProctorGateway,
      ],
      exports: [VENUE_CONTEXT, ExamRoomService, SessionScheduler, VenueStatusService],
    };
  }
}
