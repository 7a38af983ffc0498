import { DynamicModule, Module } from '@nestjs/common';
import { PROVINCIAL_CONTEXT, ProvincialContext } from './provincial-context';
import { ProvincialAuditLog } from './store/audit-log';
import { PlanningService } from './planning/planning.service';
import { VenuePackageExporter } from './planning/venue-package-exporter.service';
import { ResultIntakeService } from './intake/result-intake.service';
import { IntakeController, KeyReleaseController, PlanningController } from './http/provincial.controller';
import { ProvincialOpsController } from './http/ops.controller';

@Module({})
export class ProvincialModule {
  static forContext(ctx: ProvincialContext): DynamicModule {
    return {
      module: ProvincialModule,
      controllers: [ProvincialOpsController, PlanningController, KeyReleaseController, IntakeController],
      providers: [{ provide: PROVINCIAL_CONTEXT, useValue: ctx }, ProvincialAuditLog, PlanningService, VenuePackageExporter, ResultIntakeService],
      exports: [PROVINCIAL_CONTEXT, ResultIntakeService],
    };
  }
}
