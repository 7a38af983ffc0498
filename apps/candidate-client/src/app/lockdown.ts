import type { FocusLossKind } from '@kaowu/contracts';

export interface LockdownOptions {
  /** 离开考试界面: told once per time away (blur and hidden together count once), and at every fullscreen exit. */
  onFocusLost?: (kind: FocusLossKind) => void;
  /** Enter fullscreen at the first click or key (a page may ask only on a user gesture). Off in tests. */
  fullscreen?: boolean;
  /** A blur whose focus comes back within this many ms (a system popup) is not leaving. */
  blurGraceMs?: number;
}

/** Where the candidate may select text: their own answers and the 资料区 (selected to highlight it). */
const SELECTABLE = 'input, textarea, [data-answer-field], .material-body';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** Keys that would print, reload, navigate away, open devtools or view the source. */
export function isBlockedKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, inEditable: boolean): boolean {
  const key = e.key.toLowerCase();
  const ctrl = e.ctrlKey || e.metaKey;
  if (key === 'f5' || key === 'f11' || key === 'f12' || key === 'browserback' || key === 'browserforward' || key === 'browserrefresh') return true;
  if (ctrl && (key === 'r' || key === 'p' || key === 's' || key === 'u' || key === 'o')) return true;
  if (ctrl && e.shiftKey && (key === 'i' || key === 'j' || key === 'c')) return true;
  if (e.altKey && (key === 'arrowleft' || key === 'arrowright' || key === 'home')) return true;
  // Backspace outside a field was "back" in older browsers; it deletes nothing there anyway.
  return key === 'backspace' && !inEditable;
}

/**
 * In-page lockdown on top of the kiosk browser and its policies (deploy/kiosk): no context menu,
 * print, reload, back/forward, devtools or view-source keys; nothing dragged out or dropped in; text
 * selectable only in the answers and the material; fullscreen; and every time the candidate leaves
 * the exam screen (focus, hidden page, fullscreen exit) is reported. Returns the undo.
 */
export function installLockdown(target: Document = document, options: LockdownOptions = {}): () => void {
  const win = target.defaultView;
  let away = false;
  const lost = (kind: FocusLossKind) => {
    if (kind !== 'fullscreen_exit') {
      if (away) return;
      away = true;
    }
    options.onFocusLost?.(kind);
  };
  let wasFullscreen = false;
  let blurTimer: ReturnType<typeof setTimeout> | undefined;
  const onBlur = () => {
    clearTimeout(blurTimer);
    blurTimer = setTimeout(() => !target.hasFocus() && lost('blur'), options.blurGraceMs ?? 1_000);
  };
  const onFocus = () => {
    clearTimeout(blurTimer);
    away = false;
  };

  const handlers: [EventTarget | null, string, (e: Event) => void][] = [
    [target, 'contextmenu', (e) => e.preventDefault()],
    [target, 'keydown', (e) => isBlockedKey(e as KeyboardEvent, isEditable(e.target)) && e.preventDefault()],
    [target, 'dragstart', (e) => e.preventDefault()],
    [target, 'dragover', (e) => e.preventDefault()],
    [target, 'drop', (e) => e.preventDefault()],
    [target, 'selectstart', (e) => !(e.target instanceof Element && e.target.closest(SELECTABLE)) && !(e.target instanceof Text && e.target.parentElement?.closest(SELECTABLE)) && e.preventDefault()],
    [win, 'blur', onBlur],
    [win, 'focus', onFocus],
    [target, 'visibilitychange', () => (target.visibilityState === 'hidden' ? lost('hidden') : (away = false))],
    [
      target,
      'fullscreenchange',
      () => {
        if (target.fullscreenElement) wasFullscreen = true;
        else if (wasFullscreen) lost('fullscreen_exit');
      },
    ],
  ];
  if (options.fullscreen) {
    const enter = () => {
      if (!target.fullscreenElement && target.fullscreenEnabled) target.documentElement.requestFullscreen?.().catch(() => undefined);
    };
    handlers.push([target, 'pointerdown', enter], [target, 'keydown', enter]);
  }
  for (const [on, type, handler] of handlers) on?.addEventListener(type, handler, true);
  return () => {
    clearTimeout(blurTimer);
    for (const [on, type, handler] of handlers) on?.removeEventListener(type, handler, true);
  };
}
