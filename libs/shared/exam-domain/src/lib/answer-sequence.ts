/**
 * Per-attempt answer sequence rules: the server stores each (attempt, seq) once and
 * acknowledges the highest contiguous durable seq. A resent identical event is acked again;
 * a different payload under a stored seq is a conflict.
 */
export type SeqDecision = 'new' | 'duplicate' | 'conflict';

export function classifySeq(stored: string | undefined, incoming: string): SeqDecision {
  if (stored === undefined) return 'new';
  return stored === incoming ? 'duplicate' : 'conflict';
}

/** Highest n such that 1..n are all present, starting from an already contiguous `from`. */
export function contiguousHigh(from: number, present: ReadonlySet<number>): number {
  let n = from;
  while (present.has(n + 1)) n++;
  return n;
}
