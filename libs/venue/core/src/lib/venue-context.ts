import type { Logger } from 'pino';
import type { Clock } from '@kaowu/exam-domain';
import type { PartyKeys, PartyPublicKeys } from '@kaowu/crypto';
import type { Database } from '@kaowu/persistence';
import type { Metrics } from '@kaowu/server-kit';
import type { VenueConfig } from './venue-config';

/** Everything with a side effect the venue services need, built once by the composition root. */
export interface VenueContext {
  config: VenueConfig;
  db: Database;
  clock: Clock;
  keys: PartyKeys;
  /** The province's public keys, pinned at setup. */
  province: PartyPublicKeys;
  kioskKey: string;
  /** The venue CA certificate (PEM) when the server speaks HTTPS/WSS. */
  tlsCaPem?: string;
  logger: Logger;
  metrics: Metrics;
}

export const VENUE_CONTEXT = Symbol('VENUE_CONTEXT');
