/**
 * The candidate's own answer fields (every input/textarea marked `data-answer-field`): the
 * symbol helper and the calculator insert at the caret of the one used last, and the clipboard
 * works only between them. The kiosk locks the OS; this keeps the page honest within it:
 * nothing can be copied out of the stem or the material, and only text copied from an answer
 * field can be pasted into one (the browser does not tell where other text came from).
 */
export type AnswerField = HTMLInputElement | HTMLTextAreaElement;

export const ANSWER_FIELD_ATTR = 'data-answer-field';

export function answerFieldOf(target: EventTarget | null): AnswerField | null {
  if (!(target instanceof HTMLElement)) return null;
  const field = target.closest(`[${ANSWER_FIELD_ATTR}]`);
  return field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field : null;
}

/**
 * Replace the field's selection with `text` and tell React (a native input event, which
 * controlled inputs listen to). Returns false when the field takes no input.
 */
export function insertAtCaret(field: AnswerField, text: string, selectInserted = false): boolean {
  if (field.disabled || field.readOnly) return false;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const max = field.maxLength > 0 ? field.maxLength : Infinity;
  const room = max - (field.value.length - (end - start));
  if (room <= 0) return false;
  field.setRangeText(text.slice(0, room), start, end, selectInserted ? 'select' : 'end');
  field.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ' };
const SUBSCRIPT: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎' };

/**
 * 上标 / 下标: selected digits (and + − = ( ) n) become Unicode super/subscripts, e.g. (1+r)² ;
 * anything else is written in the exam's notation, ^(…) or _(…); nothing selected gives ^ or _.
 */
export function scriptText(selected: string, kind: 'sup' | 'sub'): string {
  const table = kind === 'sup' ? SUPERSCRIPT : SUBSCRIPT;
  const marker = kind === 'sup' ? '^' : '_';
  if (selected === '') return marker;
  const chars = [...selected];
  return chars.every((c) => c in table) ? chars.map((c) => table[c]).join('') : `${marker}(${selected})`;
}

export function applyScript(field: AnswerField, kind: 'sup' | 'sub'): boolean {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  return insertAtCaret(field, scriptText(field.value.slice(start, end), kind));
}

/** Remembers the answer field used last, so a toolbar button can write into it after taking focus. */
export class AnswerFieldTracker {
  private last: AnswerField | null = null;

  install(doc: Document): () => void {
    const onFocus = (e: FocusEvent) => {
      const field = answerFieldOf(e.target);
      if (field) this.last = field;
    };
    doc.addEventListener('focusin', onFocus);
    return () => doc.removeEventListener('focusin', onFocus);
  }

  get field(): AnswerField | null {
    return this.last?.isConnected ? this.last : null;
  }

  /** Insert into the last answer field and put the caret back there. */
  insert(text: string): boolean {
    const field = this.field;
    if (!field || !insertAtCaret(field, text)) return false;
    field.focus();
    return true;
  }

  script(kind: 'sup' | 'sub'): boolean {
    const field = this.field;
    if (!field || !applyScript(field, kind)) return false;
    field.focus();
    return true;
  }
}

const normalize = (text: string) => text.replace(/\r\n?/g, '\n');

export type ClipboardRefusal = 'copy_outside' | 'paste_outside' | 'paste_foreign';

/**
 * Copy / cut / paste only inside the candidate's own answers. Keys and IME are untouched:
 * this listens to clipboard and drag events only.
 */
export function installAnswerClipboard(doc: Document, onRefused: (why: ClipboardRefusal) => void = () => undefined): () => void {
  let copied: string | null = null;
  let dragFromAnswer = false;

  const onCopy = (e: ClipboardEvent) => {
    const field = answerFieldOf(e.target);
    if (!field) {
      e.preventDefault();
      onRefused('copy_outside');
      return;
    }
    const text = field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0);
    copied = normalize(text);
  };
  const onPaste = (e: ClipboardEvent) => {
    const field = answerFieldOf(e.target);
    const text = normalize(e.clipboardData?.getData('text/plain') ?? '');
    if (!field) {
      e.preventDefault();
      onRefused('paste_outside');
    } else if (copied === null || text !== copied) {
      e.preventDefault();
      onRefused('paste_foreign');
    }
  };
  const onDragStart = (e: DragEvent) => {
    dragFromAnswer = answerFieldOf(e.target) !== null;
    if (!dragFromAnswer) e.preventDefault();
  };
  const onDrop = (e: DragEvent) => {
    if (!dragFromAnswer || !answerFieldOf(e.target)) e.preventDefault();
    dragFromAnswer = false;
  };

  doc.addEventListener('copy', onCopy, true);
  doc.addEventListener('cut', onCopy, true);
  doc.addEventListener('paste', onPaste, true);
  doc.addEventListener('dragstart', onDragStart, true);
  doc.addEventListener('drop', onDrop, true);
  return () => {
    doc.removeEventListener('copy', onCopy, true);
    doc.removeEventListener('cut', onCopy, true);
    doc.removeEventListener('paste', onPaste, true);
    doc.removeEventListener('dragstart', onDragStart, true);
    doc.removeEventListener('drop', onDrop, true);
  };
}
