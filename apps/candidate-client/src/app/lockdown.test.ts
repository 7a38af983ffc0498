import { afterEach, describe, expect, it } from 'vitest';
import { installLockdown } from './lockdown';

describe('installLockdown', () => {
  let remove: () => void = () => undefined;
  afterEach(() => remove());

  it('blocks the context menu and reload/print shortcuts, but not typing', () => {
    remove = installLockdown(document);
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(true);

    const press = (init: KeyboardEventInit) => {
      const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
      document.body.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(press({ key: 'F5' })).toBe(true);
    expect(press({ key: 'r', ctrlKey: true })).toBe(true);
    expect(press({ key: 'p', ctrlKey: true })).toBe(true);
    expect(press({ key: 'r' })).toBe(false);
  });

  it('can be removed', () => {
    installLockdown(document)();
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(false);
  });
});
