import { Inject, Injectable } from '@nestjs/common';
import { RevokeVenueKey } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';

/** 吊销考点密钥: a lost or compromised venue key signs nothing the province accepts any more. */
@Injectable()
export class VenueKeyRevocationService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  async revoke(venueCode: string, keyId: string, input: unknown, actor: string): Promise<{ venueCode: string; keyId: string; revokedAt: string }> {
    const { reason } = parseInput(RevokeVenueKey, input, '吊销请求');
    const ds = this.ctx.db.dataSource;
    const venues: unknown[] = await ds.query('SELECT 1 FROM venue WHERE venue_code = $1', [venueCode]);
    if (venues.length === 0) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 不存在`, `no venue ${venueCode}`, 'venueCode');
    const revokedAt = this.ctx.clock.now().toISOString();
    await ds.transaction(async (em) => {
      const rows: { venue_code: string }[] = await em.query(
        'INSERT INTO venue_key_revocation (key_id, venue_code, reason, revoked_at) VALUES ($1,$2,$3,$4) ON CONFLICT (key_id) DO NOTHING RETURNING venue_code',
        [keyId, venueCode, reason, revokedAt],
      );
      if (rows.length === 0) throw new DomainError('CONFLICT', `密钥 ${keyId} 已吊销`, `key ${keyId} is already revoked`, 'keyId');
      await this.audit.record({ actor, action: 'venue_key.revoked', subject: keyId, reason, details: { venueCode } }, em);
    });
    return { venueCode, keyId, revokedAt };
  }
}
