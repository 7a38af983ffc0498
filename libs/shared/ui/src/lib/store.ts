/**
 * Minimal external store for `useSyncExternalStore`: the app's session classes keep their state
 * here so screens stay presentational and the logic is testable without React.
 */
export class Store<S extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(private current: S) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): S => this.current;

  protected get state(): S {
    return this.current;
  }

  protected set(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener();
  }
}
