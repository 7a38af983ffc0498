import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PROVINCIAL_CONTEXT, ProvincialContext } from './provincial-context';
import { ProvincialAuditLog } from './store/audit-log';
import { PlanningService } from './planning/planning.service';
import { VenuePackageExporter } from './planning/venue-package-exporter.service';
import { ResultIntakeService } from './intake/result-intake.service';
import { ResultUploadService } from './intake/result-upload.service';
import { CompletenessService } from './intake/completeness.service';
import { MinistryExportService } from './reporting/ministry-export.service';
import { VenueKeyRevocationService } from './intake/venue-key-revocation.service';
import { ResultUploadController } from './http/result-upload.controller';
import { IntakeController, KeyReleaseController, PlanningController } from './http/provincial.controller';
import { OPS_PROBE, OpsController, OpsProbe } from '@kaowu/server-kit';
import { SittingPlanService } from './planning/sitting-plan.service';
import { SittingSessionService } from './planning/sitting-session.service';
import { RegistrationService } from './registration/registration.service';
import { AdmissionTicketController, AllocationController, RegistrationController, SittingPlanController } from './http/sitting-planning.controller';
import { AdmissionTicketService } from './tickets/admission-ticket.service';
import { SeatAllocationService } from './allocation/seat-allocation.service';
import { StaffTokenService } from './auth/staff-token.service';
import { StaffAccessGuard } from './auth/staff-access.guard';
import { RegionScope } from './auth/region-scope.service';
import { StaffAccessController } from './http/staff-access.controller';
import { PlanningAdminController } from './http/planning-admin.controller';
import { VenueOverviewService } from './planning/venue-overview.service';
import { PlanningExportService } from './exports/planning-export.service';
import { AuditLogQueryService } from './audit/audit-log-query.service';
import { LookupRateLimiter } from './tickets/lookup-rate-limiter';
import { AfterSittingController } from './http/after-sitting.controller';
import { IncidentReviewService } from './reporting/incident-review.service';
import { SittingResultsService } from './reporting/sitting-results.service';
import { IntegrityReportService } from './reporting/integrity-report.service';
import { VenueKeyChangeService } from './venue-keys/venue-key-change.service';

@Module({})
export class ProvincialModule {
  static forContext(ctx: ProvincialContext): DynamicModule {
    return {
      module: ProvincialModule,
      controllers: [OpsController, PlanningController, KeyReleaseController, IntakeController, SittingPlanController, RegistrationController, AllocationController, AdmissionTicketController, ResultUploadController, StaffAccessController, PlanningAdminController, AfterSittingController],
      providers: [
        { provide: PROVINCIAL_CONTEXT, useValue: ctx },
        {
          provide: OPS_PROBE,
          useValue: { dataSource: ctx.db.dataSource, kind: ctx.db.kind, location: ctx.db.location, dataDir: ctx.config.PROVINCIAL_DATA_DIR, now: () => ctx.clock.now(), metrics: ctx.metrics } satisfies OpsProbe,
        }, ProvincialAuditLog, PlanningService, VenuePackageExporter, ResultIntakeService, SittingPlanService, RegistrationService, SeatAllocationService, AdmissionTicketService, ResultUploadService, VenueKeyRevocationService, CompletenessService, MinistryExportService,
        StaffTokenService, StaffAccessGuard, { provide: APP_GUARD, useExisting: StaffAccessGuard }, RegionScope, SittingSessionService,
        VenueOverviewService, PlanningExportService, AuditLogQueryService, LookupRateLimiter,
        IncidentReviewService, SittingResultsService, IntegrityReportService, VenueKeyChangeService],
      exports: [PROVINCIAL_CONTEXT, ResultIntakeService],
    };
  }
}
