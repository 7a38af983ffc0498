import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// antd's responsive helpers ask for media queries, which jsdom does not implement.
if (!window.matchMedia)
  window.matchMedia = (query: string) => {
    const ignore = () => undefined;
    return { matches: false, media: query, onchange: null, addListener: ignore, removeListener: ignore, addEventListener: ignore, removeEventListener: ignore, dispatchEvent: () => false } as MediaQueryList;
  };

afterEach(cleanup);

// …nor ResizeObserver (antd's tabs and text areas measure themselves).
globalThis.ResizeObserver ??= class {
  observe = () => undefined;
  unobserve = () => undefined;
  disconnect = () => undefined;
} as unknown as typeof ResizeObserver;
