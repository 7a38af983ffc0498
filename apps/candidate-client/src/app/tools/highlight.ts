/**
 * 资料区 highlighting: the candidate selects text in the material and marks it. Highlights are
 * character ranges per text block (a paragraph or a table cell), kept on this machine only —
 * they are reading aids, not answers.
 */
export type Span = readonly [start: number, end: number];

/** Add a span, merging overlapping and touching ones; the list stays sorted. */
export function addSpan(spans: readonly Span[], span: Span): Span[] {
  const all = [...spans, span].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export interface Segment {
  text: string;
  marked: boolean;
}

/** Cut a block's text into plain and highlighted runs. */
export function segments(text: string, spans: readonly Span[] = []): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of spans) {
    const start = Math.max(at, Math.min(s, text.length));
    const end = Math.min(e, text.length);
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    if (end > start) out.push({ text: text.slice(start, end), marked: true });
    at = Math.max(at, end);
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), marked: false });
  return out;
}

/** The part of `range` inside `block`, as character offsets into the block's text; null if none. */
export function spanIn(block: Element, range: Range): Span | null {
  if (!range.intersectsNode(block)) return null;
  const doc = block.ownerDocument;
  const length = (block.textContent ?? '').length;
  const upTo = (node: Node, offset: number) => {
    const r = doc.createRange();
    r.selectNodeContents(block);
    r.setEnd(node, offset);
    return r.toString().length;
  };
  const start = block.contains(range.startContainer) ? upTo(range.startContainer, range.startOffset) : 0;
  const end = block.contains(range.endContainer) ? upTo(range.endContainer, range.endOffset) : length;
  return end > start ? [start, end] : null;
}
