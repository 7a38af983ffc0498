/**
 * Basic in-page lockdown. The kiosk browser does the real work; this only keeps the
 * candidate away from the context menu, reload (which would drop unsent answers) and print.
 */
export function installLockdown(target: Document = document): () => void {
  const blockMenu = (e: Event) => e.preventDefault();
  const blockKeys = (e: KeyboardEvent) => {
    const key = e.key.toLowerCase();
    const ctrl = e.ctrlKey || e.metaKey;
    if (key === 'f5' || (ctrl && (key === 'r' || key === 'p' || key === 's'))) e.preventDefault();
  };
  target.addEventListener('contextmenu', blockMenu);
  target.addEventListener('keydown', blockKeys);
  return () => {
    target.removeEventListener('contextmenu', blockMenu);
    target.removeEventListener('keydown', blockKeys);
  };
}
