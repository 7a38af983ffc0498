import type { AnswerEventRecord } from '@kaowu/contracts';
import { chainHead } from '@kaowu/crypto';

/**
 * The head of an attempt's hash chain over its answer events in seq order. The venue puts it in
 * the sealed manifest and the province recomputes it from the payload: one definition for both.
 */
export function attemptChainHead(events: AnswerEventRecord[]): string {
  return chainHead(events.map((e) => ({ seq: e.seq, itemId: e.itemId, value: e.value, receivedAt: e.receivedAt })));
}
