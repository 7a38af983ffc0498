import { afterEach, describe, expect, it, vi } from 'vitest';
import { installLockdown, isBlockedKey } from './lockdown';

const press = (init: KeyboardEventInit, on: Element = document.body) => {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  on.dispatchEvent(event);
  return event.defaultPrevented;
};
const fire = (type: string, on: EventTarget = document.body) => {
  const event = new Event(type, { bubbles: true, cancelable: true });
  on.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('installLockdown', () => {
  let remove: () => void = () => undefined;
  afterEach(() => {
    remove();
    document.body.innerHTML = '';
  });

  it('blocks the context menu, print, reload, navigation, devtools and view-source keys, but not typing', () => {
    remove = installLockdown(document);
    expect(fire('contextmenu')).toBe(true);
    for (const key of [{ key: 'F5' }, { key: 'F12' }, { key: 'r', ctrlKey: true }, { key: 'p', ctrlKey: true }, { key: 'u', ctrlKey: true }, { key: 'I', ctrlKey: true, shiftKey: true }, { key: 'J', ctrlKey: true, shiftKey: true }, { key: 'C', ctrlKey: true, shiftKey: true }, { key: 'ArrowLeft', altKey: true }, { key: 'ArrowRight', altKey: true }, { key: 'Backspace' }])
      expect(press(key), JSON.stringify(key)).toBe(true);
    expect(press({ key: 'r' })).toBe(false);
    expect(press({ key: 'c', ctrlKey: true })).toBe(false);
    expect(press({ key: 'ArrowLeft' })).toBe(false);
    // Backspace deletes in an answer field
    const field = document.body.appendChild(document.createElement('textarea'));
    expect(press({ key: 'Backspace' }, field)).toBe(false);
    expect(isBlockedKey({ key: 'Backspace', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }, true)).toBe(false);
  });

  it('blocks dragging out and dropping in, and selecting text outside the answers and the material', () => {
    remove = installLockdown(document);
    document.body.innerHTML = '<p id="stem">题干</p><div class="material-body"><p id="mat">资料</p></div><textarea id="answer"></textarea>';
    const el = (id: string) => document.getElementById(id) ?? document.body;
    expect(fire('dragstart', el('stem'))).toBe(true);
    expect(fire('drop')).toBe(true);
    expect(fire('selectstart', el('stem'))).toBe(true);
    expect(fire('selectstart', el('mat'))).toBe(false);
    expect(fire('selectstart', el('answer'))).toBe(false);
  });

  it('reports leaving the exam screen once per time away, and every fullscreen exit', () => {
    vi.useFakeTimers();
    const onFocusLost = vi.fn();
    const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    remove = installLockdown(document, { onFocusLost });
    // focus back within the grace (a system popup): not leaving
    window.dispatchEvent(new Event('blur'));
    window.dispatchEvent(new Event('focus'));
    vi.advanceTimersByTime(2_000);
    expect(onFocusLost).not.toHaveBeenCalled();
    window.dispatchEvent(new Event('blur'));
    vi.advanceTimersByTime(1_000);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    fire('visibilitychange', document);
    expect(onFocusLost.mock.calls).toEqual([['blur']]);
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    fire('visibilitychange', document);
    window.dispatchEvent(new Event('focus'));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    fire('visibilitychange', document);
    expect(onFocusLost.mock.calls).toEqual([['blur'], ['hidden']]);

    Object.defineProperty(document, 'fullscreenElement', { value: document.documentElement, configurable: true });
    fire('fullscreenchange', document);
    Object.defineProperty(document, 'fullscreenElement', { value: null, configurable: true });
    fire('fullscreenchange', document);
    expect(onFocusLost.mock.calls.at(-1)).toEqual(['fullscreen_exit']);
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    hasFocus.mockRestore();
    vi.useRealTimers();
  });

  it('can be removed', () => {
    installLockdown(document)();
    expect(fire('contextmenu')).toBe(false);
  });
});
