import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { StaffPrincipal, assertInRegion, regionScopeOf } from './staff-principal';

/** Confines a 市、州 考办 to its own region's venues and registrants; province-wide roles pass. */
@Injectable()
export class RegionScope {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  async venue(staff: StaffPrincipal, venueCode: string): Promise<void> {
    if (regionScopeOf(staff) === null) return;
    const [venue]: { region_code: string | null }[] = await this.ctx.db.dataSource.query('SELECT region_code FROM venue WHERE venue_code = $1', [venueCode]);
    if (!venue) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 不存在`, `venue ${venueCode} not found`, 'venueCode');
    assertInRegion(staff, venue.region_code, `考点 ${venueCode} `, `venue ${venueCode}`, 'venueCode');
  }

  async registrant(staff: StaffPrincipal, sittingCode: string, idNo: string): Promise<void> {
    if (regionScopeOf(staff) === null) return;
    const [registrant]: { region_code: string }[] = await this.ctx.db.dataSource.query('SELECT region_code FROM registrant WHERE sitting_code = $1 AND id_no = $2', [sittingCode, idNo.toUpperCase()]);
    if (!registrant) throw new DomainError('NOT_FOUND', `证件号码 ${idNo} 在考试计划 ${sittingCode} 中没有报名`, `no registrant ${idNo} in sitting ${sittingCode}`, 'idNo');
    assertInRegion(staff, registrant.region_code, `考生 ${idNo} `, `registrant ${idNo}`, 'idNo');
  }

  /** The region a list is filtered to: the caller's own for a municipal admin (asking for another is refused). */
  listRegion(staff: StaffPrincipal, requested: string | undefined): string | undefined {
    const scope = regionScopeOf(staff);
    if (scope === null) return requested || undefined;
    if (requested) assertInRegion(staff, requested, `地区 ${requested} `, `region ${requested}`, 'regionCode');
    return scope;
  }
}
