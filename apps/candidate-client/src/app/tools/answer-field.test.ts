import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnswerFieldTracker, insertAtCaret, installAnswerClipboard, scriptText } from './answer-field';
import { addSpan, segments } from './highlight';

function field(value: string, attrs = true): HTMLTextAreaElement {
  const el = document.createElement('textarea');
  if (attrs) el.setAttribute('data-answer-field', '');
  el.value = value;
  document.body.append(el);
  return el;
}

function clipboardEvent(type: 'copy' | 'cut' | 'paste', target: Element, text = ''): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'clipboardData', { value: { getData: () => text, setData: () => undefined } });
  target.dispatchEvent(e);
  return e;
}

afterEach(() => document.body.replaceChildren());

describe('answer fields', () => {
  it('inserts at the caret, replacing the selection, and tells React with an input event', () => {
    const el = field('a=b');
    el.setSelectionRange(1, 2);
    const onInput = vi.fn();
    el.addEventListener('input', onInput);
    expect(insertAtCaret(el, '≥')).toBe(true);
    expect(el.value).toBe('a≥b');
    expect(el.selectionStart).toBe(2);
    expect(onInput).toHaveBeenCalledTimes(1);
  });

  it('respects maxLength and disabled fields', () => {
    const el = field('abc');
    el.maxLength = 4;
    el.setSelectionRange(3, 3);
    insertAtCaret(el, 'xyz');
    expect(el.value).toBe('abcx');
    el.disabled = true;
    expect(insertAtCaret(el, 'q')).toBe(false);
  });

  it('turns selected digits into super/subscripts, anything else into ^( ) / _( )', () => {
    expect(scriptText('2', 'sup')).toBe('²');
    expect(scriptText('n-1', 'sup')).toBe('ⁿ⁻¹');
    expect(scriptText('10', 'sub')).toBe('₁₀');
    expect(scriptText('ab', 'sup')).toBe('^(ab)');
    expect(scriptText('', 'sub')).toBe('_');
  });

  it('the tracker writes into the answer field used last', () => {
    const tracker = new AnswerFieldTracker();
    const off = tracker.install(document);
    const el = field('(1+r)');
    el.focus();
    el.setSelectionRange(5, 5);
    const button = document.createElement('button');
    document.body.append(button);
    button.focus();
    expect(tracker.insert('²')).toBe(true);
    expect(el.value).toBe('(1+r)²');
    expect(document.activeElement).toBe(el);
    off();
  });
});

describe('clipboard only within answers', () => {
  it('refuses copying out of the stem or material', () => {
    const onRefused = vi.fn();
    const off = installAnswerClipboard(document, onRefused);
    const stem = document.createElement('p');
    stem.textContent = '资料一';
    document.body.append(stem);
    expect(clipboardEvent('copy', stem).defaultPrevented).toBe(true);
    expect(onRefused).toHaveBeenCalledWith('copy_outside');
    off();
  });

  it('pastes into an answer only what was copied from an answer', () => {
    const onRefused = vi.fn();
    const off = installAnswerClipboard(document, onRefused);
    const a = field('借：银行存款');
    const b = field('');
    expect(clipboardEvent('paste', b, 'from elsewhere').defaultPrevented).toBe(true);
    expect(onRefused).toHaveBeenLastCalledWith('paste_foreign');
    a.setSelectionRange(0, 6);
    expect(clipboardEvent('copy', a).defaultPrevented).toBe(false);
    expect(clipboardEvent('paste', b, '借：银行存款').defaultPrevented).toBe(false);
    expect(clipboardEvent('paste', b, '别的内容').defaultPrevented).toBe(true);
    const login = field('', false);
    expect(clipboardEvent('paste', login, '借：银行存款').defaultPrevented).toBe(true);
    expect(onRefused).toHaveBeenLastCalledWith('paste_outside');
    off();
  });
});

describe('material highlights', () => {
  it('merges overlapping spans and cuts text into marked runs', () => {
    const spans = addSpan(addSpan([], [2, 4]), [3, 6]);
    expect(spans).toEqual([[2, 6]]);
    expect(segments('资料一：甲公司销售', spans)).toEqual([
      { text: '资料', marked: false },
      { text: '一：甲公', marked: true },
      { text: '司销售', marked: false },
    ]);
  });
});
