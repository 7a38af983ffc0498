import { LoginGuard } from './exam-room/login-guard';
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
import { ProctoringService } from './proctoring/proctoring.service';
import { RoomProcedureService } from './proctoring/room-procedure.service';
import { RoomReportController } from './http/room-report.controller';
import { EnvironmentCheckService } from './technician/environment-check.service';
import { VenueStaffService } from './staff/venue-staff.service';
import { StressTestService } from './technician/stress-test.service';
import { StressGateway } from './technician/stress.gateway';
import { ExtensionApprovalService } from './proctoring/extension-approval.service';
import { VenueOverviewService } from './proctoring/venue-overview.service';
import { ResultSealer } from './results/result-sealer.service';
import { ResultUploader } from './results/result-uploader.service';
import { VenueAdminController } from './http/venue-admin.controller';
import { ResultExportController } from './http/result-export.controller';
import { ResultExportService } from './results/result-export.service';
import { VenueStatusService } from './http/venue-status.service';
import { OPS_PROBE, OpsController, OpsProbe } from '@kaowu/server-kit';

@Module({})
export class VenueModule {
  static forContext(ctx: VenueContext): DynamicModule {
    return {
      module: VenueModule,
      controllers: [OpsController, VenueAdminController, RoomReportController, ResultExportController],
      providers: [
        { provide: VENUE_CONTEXT, useValue: ctx },
        {
          provide: OPS_PROBE,
          useValue: { dataSource: ctx.db.dataSource, kind: ctx.db.kind, location: ctx.db.location, dataDir: ctx.config.VENUE_DATA_DIR, now: () => ctx.clock.now(), metrics: ctx.metrics } satisfies OpsProbe,
        },
        AuditLog,
        LoginGuard,
        BackupJournal,
        AnswerJournal,
        VenuePackageService,
        SessionRegistry,
        RoomEvents,
        ExamRoomService,
        ResultSealer,
        ResultUploader,
        ResultExportService,
        VenueStatusService,
        SessionScheduler,
        ExamGateway,
        ProctoringService,
        RoomProcedureService,
        EnvironmentCheckService,
        VenueStaffService,
        StressTestService,
        StressGateway,
        ExtensionApprovalService,
        VenueOverviewService,
        ProctorGateway,
      ],
      exports: [VENUE_CONTEXT, ExamRoomService, SessionScheduler, VenueStatusService],
    };
  }
}
