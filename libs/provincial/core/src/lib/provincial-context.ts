import type { Logger } from 'pino';
import type { Clock } from '@kaowu/exam-domain';
import type { PartyKeys } from '@kaowu/crypto';
import type { Database } from '@kaowu/persistence';
import type { Metrics } from '@kaowu/server-kit';
import type { ProvincialConfig } from './provincial-config';

export interface ProvincialContext {
  config: ProvincialConfig;
  db: Database;
  clock: Clock;
  keys: PartyKeys;
  logger: Logger;
  metrics: Metrics;
}

export const PROVINCIAL_CONTEXT = Symbol('PROVINCIAL_CONTEXT');
