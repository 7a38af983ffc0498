import type { AnswerEventRecord } from '@kaowu/contracts';
import { canonicalJson, chainHead, sha256Hex } from '@kaowu/crypto';

/**
 * The head of an attempt's hash chain over its answer events in seq order. The venue puts it in
 * the sealed manifest and the province recomputes it from the payload: one definition for both.
 */
export function attemptChainHead(events: AnswerEventRecord[]): string {
  return chainHead(events.map((e) => ({ seq: e.seq, itemId: e.itemId, value: e.value, receivedAt: e.receivedAt })));
}

/** The final answer per item: the event with the highest seq wins, items in code-point order. */
export function finalAnswers(events: Pick<AnswerEventRecord, 'seq' | 'itemId' | 'value'>[]): { itemId: string; seq: number; value: AnswerEventRecord['value'] }[] {
  const finals = new Map<string, { itemId: string; seq: number; value: AnswerEventRecord['value'] }>();
  for (const e of events) {
    const prev = finals.get(e.itemId);
    if (!prev || prev.seq < e.seq) finals.set(e.itemId, { itemId: e.itemId, seq: e.seq, value: e.value });
  }
  return [...finals.values()].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

/**
 * SHA-256 over the final answers (`finalAnswers`, canonical JSON). The venue computes it from
 * its current-answer table, the province from the payload's events: they agree only when the
 * journal and the answers the venue kept agree.
 */
export function finalAnswersDigest(finals: { itemId: string; seq: number; value: AnswerEventRecord['value'] }[]): string {
  const sorted = [...finals].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  return sha256Hex(canonicalJson(sorted.map((f) => ({ itemId: f.itemId, seq: f.seq, value: f.value }))));
}
